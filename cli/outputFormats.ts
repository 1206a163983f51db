import { startsFormula } from '../shared/model/spreadsheetCells';
import { UsageError } from './config';

/** What `--format` takes on `metrics`, `trace` and `benchmark`. */
export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `--json` is an alias of `--format json`; a `--format` other than json beside it is a usage error. */
export function outputFormat(flags: { format?: string; json?: boolean }): OutputFormat {
  const format = flags.format ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${JSON.stringify(format)}: expected one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  if (flags.json === true && format !== 'json' && flags.format !== undefined) {
    throw new UsageError(`--json is --format json: it cannot go with --format ${format}`);
  }
  return flags.json === true ? 'json' : (format as OutputFormat);
}

/**
 * One CSV cell: RFC 4180 quoting, and a text a spreadsheet would run as a formula (`=` `+` `-`
 * `@` tab, CR: shared/model/spreadsheetCells.ts) behind a leading `'` (OWASP). Numbers are
 * written as numbers, null as an empty cell.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = startsFormula(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLines(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\n');
}

/** A text shown in a terminal table: control characters (an escape sequence, a newline) as spaces. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** How many characters of a typed id "did you mean" compares (see catalog.ts SIMILAR_ID_CHARS). */
const PROBE_CHARS = 48;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

export interface Candidate {
  id: string;
  /** Other texts the thing goes by (a name, aliases); matched like the id. */
  names: readonly string[];
}

/**
 * The candidates closest to what was typed, by id or by any of their names (case-insensitive;
 * a name or id containing the typed text, or contained in it, counts as close), nearest first.
 */
export function closestCandidates(typed: string, candidates: readonly Candidate[], limit = 3): Candidate[] {
  const probe = typed.slice(0, PROBE_CHARS).trim().toLowerCase();
  const score = (text: string): number => {
    const t = text.slice(0, PROBE_CHARS * 2).toLowerCase();
    if (t === probe) return 0;
    if (probe.length >= 2 && (t.includes(probe) || probe.includes(t))) return 0.5;
    return editDistance(probe, t.slice(0, PROBE_CHARS));
  };
  return candidates
    .map((c) => ({ c, d: Math.min(score(c.id), ...c.names.map(score)) }))
    .sort((a, b) => a.d - b.d || a.c.id.localeCompare(b.c.id))
    .slice(0, limit)
    .map((x) => x.c);
}

/** `Unknown location "Nrth"; did you mean L1 (North Dallas)?` */
export function unknownIdMessage(what: string, typed: string, candidates: readonly Candidate[]): string {
  const close = closestCandidates(typed, candidates);
  const unknown = `Unknown ${what} ${JSON.stringify(typed.slice(0, 200))}`;
  if (close.length === 0) return `${unknown} (there is none in the store)`;
  const named = close.map((c) =>
    c.names.length > 0 && c.names[0] !== c.id ? `${c.id} (${printable(c.names[0] ?? '')})` : c.id,
  );
  return `${unknown}; did you mean ${named.join(', ')}?`;
}
