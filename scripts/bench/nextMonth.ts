/**
 * The incremental case of `npm run bench`: one location gets one more month of data, as a
 * practice's next monthly export would bring it. Made from the location's last month in the
 * demo: each fact row of that month copied one month later, with new ids (suffix `-N`) and
 * the same patients, providers and services, so the ingest adds rows and changes nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { addMonths, daysInMonth, type YearMonth } from '../../shared/model/localDate';

/** Per fact file: the column whose month picks the rows, the date columns to move, the ids to renew. */
const FACT_FILES: Record<string, { monthOf: string; dates: string[]; ids: string[] }> = {
  'appointments.csv': { monthOf: 'start_at', dates: ['booked_at', 'start_at'], ids: ['appointment_id'] },
  'sales.csv': { monthOf: 'sold_on', dates: ['sold_on'], ids: ['line_id', 'appointment_id'] },
  'shifts.csv': { monthOf: 'date', dates: ['date'], ids: [] },
  'payroll.csv': {
    monthOf: 'period_start',
    dates: ['period_start', 'period_end', 'pay_date'],
    ids: ['payroll_line_id'],
  },
  'marketing_spend.csv': { monthOf: 'date', dates: ['date'], ids: [] },
  'leads.csv': { monthOf: 'created_at', dates: ['created_at'], ids: ['lead_id'] },
};

/**
 * `2026-10-30T09:00:00` → `2026-11-30T09:00:00`: the same day one month later, or null when
 * that month has no such day (a clamped 31st would duplicate the 30th's keys).
 */
export function oneMonthLater(text: string): string | null {
  const month = addMonths(text.slice(0, 7), 1);
  const day = Number(text.slice(8, 10));
  if (day > daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))) return null;
  return `${month}${text.slice(7)}`;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes `<outDir>` as a bundle of the location's fact files holding only the month after
 * its last sale; answers that month and the rows written.
 */
export function writeNextMonthBundle(
  locationDir: string,
  outDir: string,
): { month: YearMonth; rows: number } {
  const read = (file: string): Record<string, string>[] =>
    parse(fs.readFileSync(path.join(locationDir, file)), { columns: true });
  let lastMonth: YearMonth = '0000-01';
  for (const row of read('sales.csv')) {
    const month = (row.sold_on ?? '').slice(0, 7);
    if (month > lastMonth) lastMonth = month;
  }
  fs.mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const [file, spec] of Object.entries(FACT_FILES)) {
    if (!fs.existsSync(path.join(locationDir, file))) continue;
    const header = fs.readFileSync(path.join(locationDir, file), 'utf8').split(/\r?\n/, 1)[0]!.split(',');
    const lines = [header.join(',')];
    for (const row of read(file)) {
      if (row[spec.monthOf]!.slice(0, 7) !== lastMonth) continue;
      const next = { ...row };
      const moved = spec.dates.map(
        (column) => [column, next[column] ? oneMonthLater(next[column]) : ''] as const,
      );
      if (moved.some(([, date]) => date === null)) continue;
      for (const [column, date] of moved) next[column] = date ?? '';
      for (const column of spec.ids) if (next[column]) next[column] = `${next[column]}-N`;
      lines.push(header.map((column) => csvCell(next[column] ?? '')).join(','));
      written += 1;
    }
    fs.writeFileSync(path.join(outDir, file), `${lines.join('\n')}\n`);
  }
  return { month: addMonths(lastMonth, 1), rows: written };
}
