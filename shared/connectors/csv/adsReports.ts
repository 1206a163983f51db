import { lastDayOfMonth } from '../../model/localDate';
import { type CsvConversion, type CsvRowReader, defineCsvProfile } from '../csvProfile';
import { currencyCode } from '../currency';
import { type AmountRules, centsToMoneyCell, sumCents } from '../money';
import { vendorDate } from '../vendorValues';

/*
 * Ads platform UI exports → marketing_spend, one row per location, channel and day (or month):
 * a report lists one row per campaign, so campaigns are summed. Neither platform knows the
 * practice's locations, so these files need `--location`. Leads are left out on purpose:
 * leads.csv needs one row per lead (id, created_at), and a report only counts them.
 */

/** `November 1, 2026 - November 30, 2026` → the month `2026-11`, or the day when from = to. */
export function periodOfRange(from: string, to: string): string | null {
  if (from === to) return from;
  const month = from.slice(0, 7);
  if (from.endsWith('-01') && to === lastDayOfMonth(month)) return month;
  return null;
}

function rangeInPreamble(preamble: readonly string[]): string | null {
  for (const line of preamble) {
    const parts = line.replace(/^"|"$/g, '').split(/\s+[-–]\s+/);
    if (parts.length !== 2) continue;
    const from = vendorDate(parts[0] ?? '');
    const to = vendorDate(parts[1] ?? '');
    if (from && to) return periodOfRange(from, to);
  }
  return null;
}

interface SpendRow {
  row: number;
  location: string;
  date: string;
  /** Hundredths of the row's currency (cents when it is the reporting currency). */
  cents: number;
  /** The row's `Currency code` ('' when the report has none: the header or the file says it, currency.ts). */
  currency: string;
}

/**
 * Sums campaign rows into one marketing_spend row per location, date and currency (kept at its
 * first row); currency.ts then converts or refuses each currency's total.
 */
function emitSpend<F extends string>(
  c: CsvConversion<F>,
  channel: string,
  spend: readonly SpendRow[],
  costField: F,
): void {
  const totals = new Map<string, { first: SpendRow; cents: number[] }>();
  for (const s of spend) {
    const key = `${s.location}\u0000${s.date}\u0000${s.currency}`;
    const total = totals.get(key);
    if (total) total.cents.push(s.cents);
    else totals.set(key, { first: s, cents: [s.cents] });
  }
  for (const { first: t, cents } of totals.values()) {
    const sum = sumCents(cents);
    if (!sum.ok) {
      c.error(
        t.row,
        costField,
        'invalid_money',
        `the ${t.date} total is not an amount of money: ${sum.reason}`,
      );
      continue;
    }
    c.emit('marketing_spend', t.row, {
      location_id: t.location,
      channel,
      date: t.date,
      spend: centsToMoneyCell(sum.cents),
      ...(t.currency === '' ? {} : { currency: t.currency }),
    });
  }
}

/**
 * Google Ads counts cost in micros of the account currency and bills and shows it to the cent;
 * a report cell with more decimals (`12.345`) is those micros, so it is rounded to the cent, half
 * away from zero (each campaign row, as the report's own totals do). Ad spend is never negative.
 */
const GOOGLE_COST: AmountRules = { sign: 'non_negative', subCent: 'round_half_away_from_zero' };
/** Meta's Ads Manager writes amounts spent to the cent; more decimals are not its convention. */
const META_SPEND: AmountRules = { sign: 'non_negative' };

const isTotalRow = (text: string) => /^total\b/i.test(text);

export const googleAdsCampaigns = defineCsvProfile({
  vendor: 'Google Ads',
  idPrefix: 'google_ads',
  id: 'google_ads.campaigns',
  report: 'Campaign report',
  fileName: /campaign/i,
  signature: [
    'Campaign status',
    'Campaign',
    'Budget',
    'Budget type',
    'Status',
    'Campaign type',
    'Currency code',
    'Impr.',
    'Interactions',
    'Interaction rate',
    'Avg. cost',
    'Cost',
    'Clicks',
    'Conversions',
    'Day',
  ],
  fields: {
    campaignStatus: { aliases: ['Campaign status', 'Campaign state'] },
    campaign: { aliases: ['Campaign'], required: true },
    day: { aliases: ['Day', 'Date'] },
    cost: { aliases: ['Cost'], required: true },
    // One account's report is in its currency; a manager account's can mix several.
    currency: { aliases: ['Currency code', 'Currency'] },
  },
  convert(rows, c) {
    const preamble = c.input.format === 'csv' ? c.input.preamble : [];
    const reportPeriod = rangeInPreamble(preamble);
    const spend: SpendRow[] = [];
    for (const r of rows) {
      // Google Ads closes the report with `Total: Account`, `Total: Campaigns`… rows.
      if ([r.get('campaignStatus'), r.get('campaign'), r.get('day')].some(isTotalRow)) continue;
      const location = c.location(r, null);
      const date = r.get('day') !== '' ? c.date(r, 'day', true) : dateOfReport(c, r, reportPeriod);
      const cost = c.cents(r, 'cost', true, GOOGLE_COST);
      if (location === null || date === null || cost === null) continue;
      spend.push({
        row: r.row,
        location,
        date,
        cents: cost,
        currency: currencyCode(r.get('currency')) ?? '',
      });
    }
    emitSpend(c, 'google_ads', spend, 'cost');
  },
});

function dateOfReport<F extends string>(
  c: CsvConversion<F>,
  r: CsvRowReader<F>,
  period: string | null,
): string | null {
  if (period !== null) return period;
  c.error(
    r.row,
    null,
    'missing_date',
    'the report has no Day column and its date range is not one day or one calendar month: segment the report by Day',
  );
  return null;
}

export const metaAdsManager = defineCsvProfile({
  vendor: 'Meta Ads',
  idPrefix: 'meta_ads',
  id: 'meta_ads.ads_manager',
  report: 'Ads Manager export',
  fileName: /meta|facebook|fb|ads.?manager/i,
  signature: [
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
    'Cost per result',
    'Leads',
  ],
  fields: {
    reportingStarts: { aliases: ['Reporting starts'] },
    reportingEnds: { aliases: ['Reporting ends'] },
    day: { aliases: ['Day'] },
    campaign: { aliases: ['Campaign name'] },
    // The currency is part of the header: `Amount spent (USD)`, `Amount spent (EUR)`.
    amountSpent: { aliases: [/^amount spent( [a-z]{3})?$/], required: true },
  },
  convert(rows, c) {
    const spend: SpendRow[] = [];
    for (const r of rows) {
      // The summary row Ads Manager adds on top has no campaign name.
      if (c.columns.has('campaign') && r.get('campaign') === '') continue;
      const location = c.location(r, null);
      const cost = c.cents(r, 'amountSpent', true, META_SPEND);
      let date: string | null;
      if (r.get('day') !== '') {
        date = c.date(r, 'day', true);
      } else {
        const from = c.date(r, 'reportingStarts', true);
        const to = c.date(r, 'reportingEnds', true);
        date = from && to ? periodOfRange(from, to) : null;
        if (from && to && date === null) dateOfReport(c, r, null);
      }
      if (location === null || date === null || cost === null) continue;
      spend.push({ row: r.row, location, date, cents: cost, currency: '' });
    }
    emitSpend(c, 'meta_ads', spend, 'amountSpent');
  },
});

export const ADS_PROFILES = [googleAdsCampaigns, metaAdsManager];
