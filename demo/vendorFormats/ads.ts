import { lastDayOfMonth } from '../../shared/model/localDate';
import { type CanonicalRow, cell } from './canonicalRows';
import {
  cents,
  csvText,
  groupedDollars,
  longDate,
  plainDollars,
  splitCents,
  type VendorFile,
} from './exportText';

/*
 * A location's paid-ads spend as the ads platforms' UI reports (tests/fixtures/vendors/
 * google_ads, meta_ads): Google Ads' campaign report (title and date-range preamble, `Total:`
 * rows, costs with thousands separators) and Meta's Ads Manager export (a summary row on
 * top, `Amount spent (USD)`). A day's spend is split over two campaigns, as a practice runs
 * them; the report sums them back. Daily spend is one report segmented by day; monthly spend
 * is one Google report per month (the month lives only in the preamble) and one Meta row per
 * month (Reporting starts/ends span it).
 */

/** Canonical channels the ads renderers write; other channels stay in marketing_spend.csv. */
export const ADS_CHANNELS = ['google_ads', 'meta'] as const;

const GOOGLE_HEADER = [
  'Day',
  'Campaign status',
  'Campaign',
  'Budget',
  'Budget type',
  'Campaign type',
  'Currency code',
  'Impr.',
  'Interactions',
  'Cost',
  'Clicks',
  'Conversions',
];
const GOOGLE_MONTH_HEADER = GOOGLE_HEADER.slice(1);

const META_HEADER = [
  'Reporting starts',
  'Reporting ends',
  'Day',
  'Campaign name',
  'Ad set name',
  'Ad name',
  'Campaign ID',
  'Amount spent (USD)',
  'Impressions',
  'Reach',
  'Link clicks',
  'Results',
  'Result indicator',
  'Cost per result',
  'Leads',
];

/** `2025-01` → its first and last day; a day is its own range. */
function rangeOf(date: string): [string, string] {
  return date.length === 7 ? [`${date}-01`, lastDayOfMonth(date)] : [date, date];
}

function campaigns(city: string, channel: string): [string, string] {
  return channel === 'google_ads'
    ? [`${city} - Brand`, `${city} - Injectables Search`]
    : [`${city} Botox Leads`, `${city} Facials Promo`];
}

export function renderGoogleAds(folder: string, city: string, spend: readonly CanonicalRow[]): VendorFile[] {
  const names = campaigns(city, 'google_ads');
  const [daily, monthly] = [
    spend.filter((s) => cell(s, 'date').length === 10),
    spend.filter((s) => cell(s, 'date').length === 7),
  ];
  const files: VendorFile[] = [];
  const campaignRows = (s: CanonicalRow, withDay: boolean) =>
    splitCents(cents(cell(s, 'spend')), [60, 40]).map((c, i) => [
      ...(withDay ? [cell(s, 'date')] : []),
      'Enabled',
      names[i]!,
      i === 0 ? '40.00' : '60.00',
      'Daily',
      'Search',
      'USD',
      String(Math.round(c / 9)),
      String(Math.round(c / 140)),
      groupedDollars(c),
      String(Math.round(c / 140)),
      (c / 5000).toFixed(2),
    ]);
  const total = (rows: readonly CanonicalRow[], width: number) => {
    const sum = rows.reduce((a, s) => a + cents(cell(s, 'spend')), 0);
    const row = Array<string>(width).fill('');
    row[0] = 'Total: Account';
    row[width - 6] = 'USD';
    row[width - 3] = groupedDollars(sum);
    return row;
  };
  if (daily.length > 0) {
    const first = cell(daily[0]!, 'date');
    const last = cell(daily[daily.length - 1]!, 'date');
    files.push({
      path: `${folder}/google_ads_campaign_report.csv`,
      text: csvText(
        GOOGLE_HEADER,
        [...daily.flatMap((s) => campaignRows(s, true)), total(daily, GOOGLE_HEADER.length)],
        {
          preamble: ['Campaign report', `"${longDate(first)} - ${longDate(last)}"`],
        },
      ),
    });
  }
  for (const s of monthly) {
    const [from, to] = rangeOf(cell(s, 'date'));
    files.push({
      path: `${folder}/google_ads_campaign_report_${cell(s, 'date')}.csv`,
      text: csvText(
        GOOGLE_MONTH_HEADER,
        [...campaignRows(s, false), total([s], GOOGLE_MONTH_HEADER.length)],
        {
          preamble: ['Campaign report', `"${longDate(from)} - ${longDate(to)}"`],
        },
      ),
    });
  }
  return files;
}

export function renderMetaAds(folder: string, city: string, spend: readonly CanonicalRow[]): VendorFile[] {
  if (spend.length === 0) return [];
  const names = campaigns(city, 'meta');
  const first = rangeOf(cell(spend[0]!, 'date'))[0];
  const last = rangeOf(cell(spend[spend.length - 1]!, 'date'))[1];
  const sum = spend.reduce((a, s) => a + cents(cell(s, 'spend')), 0);
  // Ads Manager puts the whole report's total on top, without a campaign name.
  const rows = [[first, last, '', '', '', '', '', plainDollars(sum), '', '', '', '', '', '', '']];
  for (const s of spend) {
    const date = cell(s, 'date');
    const [from, to] = rangeOf(date);
    splitCents(cents(cell(s, 'spend')), [70, 30]).forEach((c, i) => {
      const leads = Math.round(c / 3000);
      rows.push([
        from,
        to,
        date.length === 10 ? date : '',
        names[i]!,
        'Women 30-55',
        i === 0 ? 'Botox Special' : 'Glow Carousel',
        `12021000000000000${i + 1}`,
        plainDollars(c),
        String(Math.round(c / 2)),
        String(Math.round(c / 3)),
        String(Math.round(c / 200)),
        leads === 0 ? '' : String(leads),
        leads === 0 ? '' : 'actions:lead',
        leads === 0 ? '' : plainDollars(Math.round(c / leads)),
        leads === 0 ? '' : String(leads),
      ]);
    });
  }
  return [{ path: `${folder}/meta_ads_manager.csv`, text: csvText(META_HEADER, rows) }];
}
