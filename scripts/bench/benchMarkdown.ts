/**
 * The "Caliper beside DuckDB" section of docs/benchmarks.md: one table per size, written
 * between markers so a later run replaces its own size and leaves every other section alone.
 */
import os from 'node:os';

import type { PhaseRow, SizeResult } from './benchSize';

/** The sizes issue 12 asks for, each × 3 years. */
const STANDARD_SIZES = [10, 50, 200];

export const SECTION_TITLE = '## Caliper beside DuckDB — `npm run bench`';
const BEGIN = '<!-- bench:duckdb:begin (written by scripts/bench.ts) -->';
const END = '<!-- bench:duckdb:end -->';
const sizeBegin = (key: string) => `<!-- bench:duckdb:size ${key} -->`;
const SIZE_BLOCK = /<!-- bench:duckdb:size (\S+) -->\n([\s\S]*?)(?=<!-- bench:duckdb:(?:size|end))/g;

const seconds = (s: number | null) => (s === null ? '—' : s >= 10 ? s.toFixed(1) : s.toFixed(2));
const megabytes = (b: number | null) =>
  b === null ? '—' : `${Math.round(b / 1024 / 1024).toLocaleString('en-US')} MB`;
const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));
const perSecond = (rows: number | null, s: number | null) =>
  rows === null || s === null || s === 0 ? '—' : Math.round(rows / s).toLocaleString('en-US');

function ratio(row: PhaseRow): string {
  if (row.failure !== null) return '—';
  if (row.caliperSeconds === null || row.duckdbSeconds === null || row.duckdbSeconds === 0) return '—';
  return `${(row.caliperSeconds / row.duckdbSeconds).toFixed(1)}×`;
}

/** Caliper's time, or that the phase failed and after how long (the reason goes below the table). */
function caliperTime(row: PhaseRow): string {
  if (row.failure === null) return seconds(row.caliperSeconds);
  return row.caliperSeconds === null ? '**failed**' : `**failed** after ${seconds(row.caliperSeconds)}`;
}

function tableRow(row: PhaseRow, bold = false): string {
  const b = (text: string) => (bold && row.failure === null ? `**${text}**` : text);
  const rate = row.failure === null ? perSecond(row.rows, row.caliperSeconds) : '—';
  return `| ${b(row.phase)} | ${count(row.rows)} | ${b(caliperTime(row))} | ${rate} | ${megabytes(row.caliperRss)} | ${row.duckdbPhase === null ? '—' : b(seconds(row.duckdbSeconds))} | ${megabytes(row.duckdbRss)} | ${b(ratio(row))} |`;
}

export function sizeKey(result: Pick<SizeResult, 'locations' | 'years' | 'period'>): string {
  return `${result.locations}x${result.years}:${result.period}`;
}

export function sizeBlock(result: SizeResult, date: string, command: string): string {
  const comparison = result.comparison;
  const metricsFailed = result.phases.some(
    (row) => row.phase.startsWith('`caliper metrics') && row.failure !== null,
  );
  const agreement =
    comparison === null
      ? metricsFailed
        ? 'Nothing compared: `caliper metrics` failed.'
        : 'DuckDB skipped (`--skip-duckdb`): nothing compared.'
      : `Core KPIs compared (9 metrics × ${result.locations} locations and the portfolio, money to the cent, counts exactly, ratios to 1e-9): **${comparison.agreeing} of ${comparison.compared} agree**.`;
  const disagreements =
    comparison === null || comparison.disagreements.length === 0
      ? []
      : [
          '',
          '| metric | scope | Caliper | DuckDB |',
          '| --- | --- | --: | --: |',
          ...comparison.disagreements
            .slice(0, 30)
            .map(
              (d) =>
                `| ${d.metric} | ${d.location_id ?? 'portfolio'} | ${d.caliper === null ? 'null' : d.caliper} | ${d.duckdb === null ? 'null' : d.duckdb} |`,
            ),
          ...(comparison.disagreements.length > 30
            ? [`| … ${comparison.disagreements.length - 30} more | | | |`]
            : []),
        ];
  const range = result.range === null ? '' : ` (${result.range.start} … ${result.range.end})`;
  return [
    `### ${result.locations} locations × ${result.years} year${result.years === 1 ? '' : 's'}, ${result.period}${range} — ${date}`,
    '',
    `\`${command}\` on ${machineLine()}.`,
    '',
    `${count(result.csvRows)} CSV rows, ${(result.csvBytes / 1e6).toFixed(1)} MB (demo generated in ${seconds(result.generateSeconds)} s, not counted). ` +
      `1-minute load average ${result.load.min.toFixed(1)}–${result.load.max.toFixed(1)} on ${os.cpus().length} cores while it ran.`,
    '',
    '| phase | rows / values / cells | Caliper s | per s | Caliper peak RSS | DuckDB s | DuckDB peak RSS | Caliper ÷ DuckDB |',
    '| --- | --: | --: | --: | --: | --: | --: | --: |',
    ...result.phases.map((row) => tableRow(row)),
    tableRow(result.endToEnd, true),
    '',
    agreement +
      (result.batchErrors !== null &&
      result.batchErrors.cold + result.batchErrors.warm + result.batchErrors.stored > 0
        ? ` The batch answered ${result.batchErrors.cold} cold, ${result.batchErrors.warm} warm and ${result.batchErrors.stored} stored cells with an error.`
        : ''),
    ...failures(result),
    ...disagreements,
    '',
  ].join('\n');
}

/** Each failed phase with why, under the table (its peak RSS is in the table). */
function failures(result: SizeResult): string[] {
  const failed = result.phases.filter((row) => row.failure !== null);
  if (failed.length === 0) return [];
  return ['', 'Failed phases:', '', ...failed.map((row) => `- ${row.phase}: ${row.failure}`)];
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ram = Math.round(os.totalmem() / 1024 ** 3);
  return `${cpu}, ${os.cpus().length} cores, ${ram} GiB RAM; Node ${process.version}; ${os.platform()} ${os.release()}`;
}

const INTRO = [
  '`scripts/bench.ts` generates the demo portfolio (seed 42, data ending 2026-10) for each size,',
  'then runs each Caliper phase as its own process — `caliper ingest`, the aggregate refresh,',
  '`caliper metrics --period P --format json` (every metric at every scope: portfolio, locations,',
  'providers), and a 10,000-cell `POST /api/metrics/batch` (distinct metric × scope × period cells,',
  'rebooking, retention and return rates included) cold right after the local API started and then',
  'warm; then `caliper precompute` (the standard periods’ answers stored under the data version)',
  'and the cold batch once more in a new API process, which reads them —',
  'and a DuckDB baseline (`@duckdb/node-api`, in its own process) over the same CSV files:',
  '`read_csv` of every file into tables, then SQL for nine core KPIs (net, service and retail',
  'revenue, visits, average ticket, new and active patients, no-show and rebooking rate) at every',
  'location and the portfolio, written from the metric contract, not from Caliper’s code',
  '(`scripts/bench/duckdbKpis.ts`). Both sides’ values are compared.',
  '',
  'How to read it: Caliper’s times are wall clock around each child process, Node’s start-up',
  'included (the batch’s: the HTTP round trip alone, after one `GET /api/health` that loads the',
  'bench’s own HTTP client and touches no tenant), DuckDB’s are taken inside its process around',
  '`read_csv` and the SQL. Peak RSS is GNU time’s maximum resident set of that process (the',
  'batch’s and DuckDB’s: the process’s high-water mark so far, after each step). The end-to-end',
  'row adds the phases up. Caliper computes far more than the baseline in the metrics',
  'phase (every catalog metric, providers included, against nine KPIs), so that ratio is an upper',
  'bound of the gap on like-for-like work; the ingest validates, pseudonymizes, versions and',
  'stores every row, which `read_csv` does not. DuckDB uses both cores; so does Caliper’s ingest',
  '(CSV parsing and the SQLite writes on worker threads) and its refresh (locations side by side);',
  'its metrics and batch phases use one.',
  '**The machine is shared** (2 cores, with CI and other jobs running): the load average is given',
  'per size, and times under load are pessimistic for both sides.',
];

/** The issue's sizes (10, 50 and 200 locations × 3 years) with no block yet, said as such. */
function notYetMeasured(blocks: Map<string, string>): string[] {
  const missing = STANDARD_SIZES.filter(
    (locations) => ![...blocks.keys()].some((k) => k.startsWith(`${locations}x3:`)),
  );
  if (missing.length === 0) return [];
  return [
    `Not measured here yet: ${missing.map((n) => `${n} locations × 3 years`).join(', ')} ` +
      `(\`npm run bench -- --locations ${missing.join(',')}\`).`,
    '',
  ];
}

export function renderSection(blocks: Map<string, string>): string {
  const sorted = [...blocks.entries()].sort(([a], [b]) => Number(a.split('x')[0]) - Number(b.split('x')[0]));
  return [
    SECTION_TITLE,
    '',
    BEGIN,
    '',
    ...INTRO,
    '',
    'Each size says the run that measured it: sizes are rerun one at a time.',
    '',
    ...notYetMeasured(blocks),
    ...sorted.flatMap(([key, block]) => [sizeBegin(key), block]),
    END,
  ].join('\n');
}

/**
 * The document with this run's sizes written into the section (replacing the same sizes of an
 * earlier run, keeping the others); the section goes first when the document has none yet.
 */
export function writeSection(
  document: string,
  results: readonly SizeResult[],
  command: string,
  date: string,
): string {
  const blocks = new Map<string, string>();
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  const hasSection = begin !== -1 && end > begin;
  if (hasSection) {
    for (const match of document.slice(begin, end + END.length).matchAll(SIZE_BLOCK)) {
      blocks.set(match[1]!, `${match[2]!.trim()}\n`);
    }
  }
  for (const result of results) blocks.set(sizeKey(result), sizeBlock(result, date, command));
  const section = renderSection(blocks);
  if (hasSection) {
    const titleAt = document.lastIndexOf(SECTION_TITLE, begin);
    const from = titleAt === -1 ? begin : titleAt;
    return document.slice(0, from) + section + document.slice(end + END.length);
  }
  // Before the first existing section, after the page's introduction.
  const firstSection = document.indexOf('\n## ');
  if (firstSection === -1) return `${document.trimEnd()}\n\n${section}\n`;
  return `${document.slice(0, firstSection + 1)}${section}\n\n${document.slice(firstSection + 1)}`;
}
