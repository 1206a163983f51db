import { quoteValue } from '../../privacy/redact';
import { type CsvConversion, type CsvProfileSpec, type CsvRowReader, defineCsvProfile } from '../csvProfile';
import type { ConversionContext, ConversionIssue, VendorInput } from '../vendorProfile';

/*
 * Zenoti's Business KPI report: one row per center with Zenoti's own totals for a day or a
 * month (headers as a real medspa's pipeline maps them, evolvemedspa-sa/zenoti-ingestion-msql,
 * Zenoti/business_kpi_v3.py). The canonical model has no table for vendor-computed aggregates,
 * so this report yields no canonical rows: its figures are a cross-check of the rows the same
 * ingest converted from the detailed Zenoti reports (kpiCrossCheck.ts). The report carries no
 * date column; the date is only in the file name, as the medspa's pipeline reads it too.
 */

/** The Business KPI figures Caliper can recompute from the detailed Appointments and Employee Sales reports. */
export type KpiFigureName =
  | 'service_sales'
  | 'product_sales'
  | 'membership_sales'
  | 'unique_guest_count'
  | 'serviced_hours'
  | 'booked_hours';

/** Money in cents, a count, or a duration in minutes (Zenoti writes hours as `hh:mm[:ss]`). */
export type KpiUnit = 'cents' | 'count' | 'minutes';

export interface KpiFigure {
  /** The center (the location id, as the other Zenoti reports give it), or `--location`. */
  locationId: string;
  /** `YYYY-MM-DD` for a daily report, `YYYY-MM` for a monthly one. */
  period: string;
  figure: KpiFigureName;
  unit: KpiUnit;
  value: number;
  /** Row in the Business KPI file (header = 1). */
  row: number;
  /** The Zenoti column the value was read from, as the file spells it. */
  column: string;
}

type Field = 'center' | KpiFigureName;

const FIGURE_UNITS: Record<KpiFigureName, KpiUnit> = {
  service_sales: 'cents',
  product_sales: 'cents',
  membership_sales: 'cents',
  unique_guest_count: 'count',
  serviced_hours: 'minutes',
  booked_hours: 'minutes',
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** What a Business KPI file must be called for its date to be known (the report has no date column). */
export const KPI_FILE_NAME_PATTERNS =
  'Business_KPI_YYYY-MM-DD.csv (daily) or business_kpi_<Month>-<YYYY>.csv (monthly)';

/**
 * The period of a Business KPI file from its name: `Business_KPI_2026-10-05.csv` → `2026-10-05`,
 * `business_kpi_October-2026.csv` → `2026-10`. Case does not matter, and a browser's duplicate
 * suffix (`… (1).csv`) is allowed. Null when the name carries no date.
 */
export function kpiPeriodOfFileName(fileName: string): string | null {
  const daily = /^business_kpi_(\d{4})-(\d{2})-(\d{2})(?: \(\d+\))?\.csv$/i.exec(fileName);
  if (daily) {
    const [, year, month, day] = daily;
    const date = `${year}-${month}-${day}`;
    const parsed = new Date(`${date}T00:00:00Z`);
    // 2026-02-30 is not a day: Date rolls it over, so compare back.
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : null;
  }
  const monthly = /^business_kpi_([a-z]+)-(\d{4})(?: \(\d+\))?\.csv$/i.exec(fileName);
  if (monthly) {
    const index = MONTHS.indexOf((monthly[1] ?? '').toLowerCase());
    if (index !== -1) return `${monthly[2]}-${String(index + 1).padStart(2, '0')}`;
  }
  return null;
}

/**
 * A Zenoti duration `hh:mm[:ss]` → minutes. Hours are a total, not a time of day, so they go
 * past 24 (`33:00:00` is 1,980 minutes); `0` is how Zenoti writes none. Null when unreadable.
 */
export function kpiDurationMinutes(text: string): number | null {
  const t = text.trim();
  if (t === '0') return 0;
  const m = /^(\d+):([0-5]\d)(?::([0-5]\d))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? '0') / 60;
}

/** A whole count such as `12` or `1,204`; null otherwise. */
function kpiCount(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  return /^\d+$/.test(t) ? Number(t) : null;
}

function readValue(unit: Exclude<KpiUnit, 'cents'>, text: string): number | null {
  if (unit === 'count') return kpiCount(text);
  return kpiDurationMinutes(text);
}

const WHAT: Record<Exclude<KpiUnit, 'cents'>, [code: string, what: string]> = {
  count: ['invalid_number', 'a whole count'],
  minutes: ['invalid_duration', 'a duration hh:mm[:ss]'],
};

function collectFigures(
  rows: readonly CsvRowReader<Field>[],
  c: CsvConversion<Field>,
  figures: KpiFigure[],
): void {
  const period = kpiPeriodOfFileName(c.context.fileName);
  if (period === null) {
    c.fileError(
      'missing_report_date',
      `a Zenoti Business KPI report has no date column, so its date must be in the file name: ${KPI_FILE_NAME_PATTERNS}`,
    );
    return;
  }
  const centers = new Map<string, number>();
  for (const r of rows) {
    const location = c.location(r, 'center');
    if (location === null) continue;
    // Two rows of one center would be two different answers for the same figure.
    const earlier = centers.get(location);
    if (earlier !== undefined) {
      c.error(
        r.row,
        'center',
        'duplicate_center',
        `${JSON.stringify(location)} already has a row (row ${earlier}); a Business KPI report has one row per center` +
          (c.context.locationId !== undefined
            ? ', so --location cannot be given for a file of several centers'
            : ''),
      );
      continue;
    }
    centers.set(location, r.row);
    for (const figure of Object.keys(FIGURE_UNITS) as KpiFigureName[]) {
      const text = r.get(figure);
      // An empty cell or a column this export lacks is a figure Zenoti did not give: nothing to compare.
      if (text === '') continue;
      const unit = FIGURE_UNITS[figure];
      let value: number;
      if (unit === 'cents') {
        // Zenoti prints every money figure to the cent, averages included (money.ts's strict
        // rules); an unusable one is reported by c.cents with its reason.
        const cents = c.cents(r, figure, true);
        if (cents === null) continue;
        value = cents;
      } else {
        const read = readValue(unit, text);
        if (read === null) {
          const [code, what] = WHAT[unit];
          c.error(r.row, figure, code, `${quoteValue(text)} is not ${what}`);
          continue;
        }
        value = read;
      }
      figures.push({
        locationId: location,
        period,
        figure,
        unit,
        value,
        row: r.row,
        column: c.columnName(figure),
      });
    }
  }
}

const SPEC: Omit<CsvProfileSpec<Field>, 'convert'> = {
  id: 'zenoti.business_kpi',
  vendor: 'Zenoti',
  report: 'Business KPI',
  idPrefix: 'zenoti',
  fileName: /business.?kpi/i,
  signature: [
    'Center Name',
    'Unique Guest count',
    'New Guest Count',
    'Invoice Count',
    'Service Sales Count',
    'Service Sales',
    'Product Sales',
    'Membership Sales',
    'Package Sales',
    'Gift Card Sales',
    'Total Sales',
    'Refund Amount',
    'Center Utilization(By Employee)',
    'Available Hours',
    'Serviced Hours',
    'Booked Hours',
    'Blocked Hours',
  ],
  fields: {
    center: { aliases: ['Center Name', 'Center'], required: true },
    service_sales: { aliases: ['Service Sales'], required: true },
    product_sales: { aliases: ['Product Sales'] },
    membership_sales: { aliases: ['Membership Sales'] },
    unique_guest_count: { aliases: ['Unique Guest count', 'Unique Guests'] },
    serviced_hours: { aliases: ['Serviced Hours'] },
    booked_hours: { aliases: ['Booked Hours'] },
  },
};

/** The profile detection and `--profile` use: it checks the file and converts to no canonical rows. */
export const zenotiBusinessKpi = defineCsvProfile<Field>({
  ...SPEC,
  convert: (rows, c) => collectFigures(rows, c, []),
});

/** The Business KPI figures of a file (and the same issues its conversion reports), for the cross-check. */
export function readBusinessKpi(
  input: VendorInput,
  context: ConversionContext,
): { figures: KpiFigure[]; issues: ConversionIssue[] } {
  const figures: KpiFigure[] = [];
  const profile = defineCsvProfile<Field>({
    ...SPEC,
    convert: (rows, c) => collectFigures(rows, c, figures),
  });
  return { figures, issues: profile.convert(input, context).issues };
}
