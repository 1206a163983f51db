/*
 * The live preview: the builder's call evaluated by the very custom function the cell will run
 * (addin/functions/caliperFunctions.ts, over the pane's client), with the values the cell
 * passes it, so the preview shows what the cell will show — a value, a spill's first rows, or
 * the Excel error with its message.
 */
import type { CaliperFunctionName } from '../../excel/formulas';
import type { CaliperFunctions } from '../../functions/caliperFunctions';
import { isExcelError } from '../../functions/excelErrors';

/** One cell of the preview as the function answered it. */
export type PreviewCell = string | number | { error: string; message: string };

export type Preview =
  | { kind: 'value'; value: PreviewCell }
  /** The spill's first rows; `rows` counts them all. */
  | { kind: 'table'; firstRows: PreviewCell[][]; rows: number };

/** How many rows of a spill the preview shows. */
export const PREVIEW_ROWS = 8;

type Call = (f: CaliperFunctions, v: readonly (string | number)[]) => Promise<unknown>;

/** Each function called with the cell's values, position by position. */
const CALLS: Record<CaliperFunctionName, Call> = {
  KPI: (f, v) => f.kpi(v[0], v[1], v[2], v[3]),
  SERIES: (f, v) => f.series(v[0], v[1], v[2], v[3], v[4]),
  SAMESTORE: (f, v) => f.samestore(v[0], v[1], v[2], v[3]),
  SAMESTORESET: (f, v) => f.samestoreset(v[0], v[1], v[2]),
  PROVIDERS: (f, v) => f.providers(v[0], v[1], v[2]),
  MEMBERSHIP: (f, v) => f.membership(v[0], v[1], v[2]),
  BENCHMARK: (f, v) => f.benchmark(v[0], v[1], v[2], v[3]),
  LOCATIONS: (f, v) => f.locations(v[0]),
  METRICS: (f, v) => f.metrics(v[0]),
  TRACE: (f, v) => f.trace(v[0], v[1], v[2], v[3]),
  CALLLIST: (f, v) => f.calllist(v[0], v[1], v[2]),
  FORECAST: (f, v) => f.forecast(v[0], v[1], v[2], v[3]),
  ASOF: (f) => f.asof(),
  PERIODS: (f, v) => f.periods(v[0]),
};

function cellOf(value: unknown): PreviewCell {
  if (isExcelError(value)) return { error: String(value.code), message: value.message ?? '' };
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return '';
}

/** The function's answer for the cell's values; a thrown Excel error is the cell's value too. */
export async function evaluatePreview(
  functions: CaliperFunctions,
  fn: CaliperFunctionName,
  values: readonly (string | number)[],
): Promise<Preview> {
  let answer: unknown;
  try {
    answer = await CALLS[fn](functions, values);
  } catch (error) {
    return { kind: 'value', value: cellOf(error) };
  }
  if (!Array.isArray(answer)) return { kind: 'value', value: cellOf(answer) };
  const rows = answer as unknown[][];
  // A 1×1 spill (MEMBERSHIP field=…, BENCHMARK's percentile) is one value in the cell.
  if (rows.length === 1 && rows[0]?.length === 1) return { kind: 'value', value: cellOf(rows[0][0]) };
  return {
    kind: 'table',
    firstRows: rows.slice(0, PREVIEW_ROWS).map((row) => row.map(cellOf)),
    rows: rows.length,
  };
}
