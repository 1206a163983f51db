import { addMonths, monthParts, type YearMonth } from '../model/localDate';

/** How far back the standard periods reach: two years of months, two years of quarters, three years. */
export const STANDARD_MONTHS = 24;
export const STANDARD_QUARTERS = 9;
export const STANDARD_YEARS = 3;

/**
 * The periods a portfolio workbook asks of every metric (a roll-forward, a board deck's trailing
 * charts, the year-on-year columns), as the period texts a cell writes, ending at the as-of month:
 * the last 24 months, the last 9 calendar quarters (the as-of month's own, possibly partial, and
 * the eight before: this quarter against the same quarter a year and two years back), the as-of
 * year and the two before as calendar and fiscal years, and the to-date windows LTM, YTD and QTD.
 * Their answers are computed ahead and stored (shared/metrics/cellAnswers.ts), so the first
 * recalculation of such a workbook after an ingest reads them instead of computing.
 */
export function standardPeriods(asOfMonth: YearMonth, fiscalYearStartMonth: number): string[] {
  const months = Array.from({ length: STANDARD_MONTHS }, (_, i) => addMonths(asOfMonth, -i));
  const { year, month } = monthParts(asOfMonth);
  const quarters: string[] = [];
  for (let i = 0; i < STANDARD_QUARTERS; i++) {
    const first = monthParts(addMonths(asOfMonth, -3 * i));
    quarters.push(`${first.year}-Q${Math.floor((first.month - 1) / 3) + 1}`);
  }
  // A fiscal year is named after the calendar year it ends in (FY2026 ends in 2026).
  const fiscalYear = fiscalYearStartMonth === 1 || month < fiscalYearStartMonth ? year : year + 1;
  const years = Array.from({ length: STANDARD_YEARS }, (_, i) => [String(year - i), `FY${fiscalYear - i}`]);
  return [...months, ...quarters, ...years.flat(), 'LTM', 'YTD', 'QTD'];
}
