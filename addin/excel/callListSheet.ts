/*
 * What "Insert into sheet" writes for a call list, as data: a titled block of the header facts
 * (day scored, counts, money at stake, every fallback) above a table of the rows, all values —
 * a call list is a snapshot for the front desk, not a live formula. workbook.ts writes it through
 * the formula-safe cell writer, so a patient id or a reason is text whatever it starts with.
 */
import type { CellValue } from '../../shared/model/spreadsheetCells';
import type { CallListBody } from '../api/caliperClient';

export interface ValuesSheetColumn {
  header: string;
  numberFormat: string;
}

/** A new sheet of values: lines of facts (label, value) above one table. */
export interface ValuesSheet {
  /** The sheet's name; ` (2)`, ` (3)`… is added when a sheet has it already. */
  baseName: string;
  title: string;
  facts: [string, CellValue][];
  columns: ValuesSheetColumn[];
  rows: CellValue[][];
}

const USD = '$#,##0.00';

/** A day as a Date at UTC midnight: written as the Excel date serial of that day. */
function day(text: string): Date {
  return new Date(`${text}T00:00:00Z`);
}

export function callListSheet(body: CallListBody): ValuesSheet {
  const portfolio = body.scope === 'portfolio';
  const where = portfolio ? 'the portfolio' : `${body.location_id ?? ''} ${body.location_name ?? ''}`.trim();
  const asOf =
    body.as_of ??
    `each location's last day: ${body.locations.map((l) => `${l.location_id} ${l.as_of ?? 'none'}`).join(', ')}`;
  const facts: [string, CellValue][] = [
    ['As of', body.as_of === null ? asOf : day(body.as_of)],
    ['Churn risk', `no completed visit within ${body.horizon_days} days`],
    ['Patients scored', body.patients_scored],
    ['With nothing booked, seen in the last year', body.eligible],
    ['Value at risk of those', body.eligible_value_at_risk_cents / 100],
    [`Value at risk of the ${body.rows.length} listed`, body.shown_value_at_risk_cents / 100],
    ...(body.fallbacks.length === 0
      ? [['Model', 'each location trained on its own history, no fallback'] as [string, CellValue]]
      : body.fallbacks.map((f): [string, CellValue] => ['Fallback', f])),
  ];
  const columns: ValuesSheetColumn[] = [
    { header: 'Rank', numberFormat: '0' },
    ...(portfolio ? [{ header: 'Location', numberFormat: 'General' }] : []),
    { header: 'Patient ID', numberFormat: 'General' },
    { header: 'Last treatment', numberFormat: 'General' },
    { header: 'Last visit', numberFormat: 'yyyy-mm-dd' },
    { header: 'Provider', numberFormat: 'General' },
    { header: 'Days since', numberFormat: '0' },
    { header: 'Usual interval', numberFormat: '0' },
    { header: 'Days overdue', numberFormat: '0' },
    { header: 'Churn risk', numberFormat: '0%' },
    { header: 'Value at risk', numberFormat: USD },
    { header: 'Value if retained', numberFormat: USD },
    { header: 'Reasons', numberFormat: 'General' },
  ];
  const rows = body.rows.map((r): CellValue[] => [
    r.rank,
    ...(portfolio ? [r.location_id] : []),
    r.patient_id,
    r.last_treatment,
    day(r.last_visit_on),
    r.provider_name,
    r.days_since_last,
    r.typical_interval_days,
    r.days_overdue,
    r.churn_risk,
    r.value_at_risk_cents / 100,
    r.value_if_retained_cents / 100,
    r.reasons,
  ]);
  return { baseName: 'Call list', title: `Call list — ${where}`, facts, columns, rows };
}

/** The number format of each fact's value: dates as dates, money as dollars. */
export function factFormat(label: string, value: CellValue): string {
  if (value instanceof Date) return 'yyyy-mm-dd';
  return label.startsWith('Value at risk') ? USD : 'General';
}
