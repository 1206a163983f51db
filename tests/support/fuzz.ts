import fc from 'fast-check';

import { DEFAULT_LIMITS, type IngestLimits } from '../../shared/ingest/limits';

/*
 * Shared settings of the fuzz suites (`tests/**\/*.fuzz.test.ts`, issue 11 item 8). Each
 * property runs a small number of times by default, so the whole set stays well under a minute
 * on two cores; `CALIPER_FUZZ_RUNS=<n>` runs every property n times instead (a longer run, see
 * README "Fuzzing"), and `CALIPER_FUZZ_SEED=<seed>` (with `CALIPER_FUZZ_PATH=<path>`) replays
 * the run fast-check reported when a property failed.
 */

function positiveInteger(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name}=${JSON.stringify(raw)}: give a positive whole number`);
  }
  return value;
}

function integer(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${JSON.stringify(raw)}: give a whole number`);
  return value;
}

/** `CALIPER_FUZZ_RUNS`, when the caller asked for a longer run. */
export const FUZZ_RUNS: number | undefined = positiveInteger('CALIPER_FUZZ_RUNS');

/**
 * fast-check parameters for one property: `defaultRuns` runs unless CALIPER_FUZZ_RUNS says
 * otherwise, the seed (and path) of CALIPER_FUZZ_SEED / CALIPER_FUZZ_PATH when replaying, and
 * the regression `examples` that ran before the random ones.
 */
export function fuzzParameters<Ts>(
  defaultRuns: number,
  more: Omit<fc.Parameters<Ts>, 'numRuns'> = {},
): fc.Parameters<Ts> {
  const seed = integer('CALIPER_FUZZ_SEED');
  const replayPath = process.env.CALIPER_FUZZ_PATH?.trim();
  return {
    numRuns: FUZZ_RUNS ?? defaultRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(seed !== undefined && replayPath ? { path: replayPath } : {}),
    ...more,
  };
}

/**
 * Jest's time for one fuzz test: the default minute for the short run, and an hour when
 * CALIPER_FUZZ_RUNS asks for more (the runs themselves are the point then, not the clock).
 */
export const FUZZ_TIMEOUT_MS = FUZZ_RUNS === undefined ? 60_000 : 60 * 60_000;

/**
 * Ingest limits lowered far below their defaults, so that the fuzzers reach every limit with
 * inputs of a few KB (a limit is the same code whatever its value).
 */
export const SMALL_LIMITS: Readonly<IngestLimits> = Object.freeze({
  ...DEFAULT_LIMITS,
  zipEntryBytes: 4096,
  zipTotalBytes: 8192,
  zipRatio: 20,
  zipRatioMinBytes: 1024,
  lineBytes: 512,
  cellBytes: 128,
  columns: 24,
  jsonBytes: 16_384,
  jsonRecords: 200,
  jsonDepth: 12,
});

/** The class name of what was thrown, for assertions that say what crashed. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return `${typeof error}: ${String(error)}`;
}

/** Runs `body` and returns what it threw (null when it returned). */
export function thrownBy(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error ?? new Error('threw a nullish value');
  }
  return null;
}

/** `body`'s rejection (null when it resolved). */
export async function rejectionOf(body: () => Promise<unknown>): Promise<unknown> {
  try {
    await body();
  } catch (error) {
    return error ?? new Error('rejected with a nullish value');
  }
  return null;
}

/** Content a refusal must never quote: csvLikeText scatters them through its cells. */
export const CONTENT_MARKERS: readonly string[] = ['nina.ochre@example.net', '(214) 555-0101', 'ZQXJ-secret'];

/** The markers of CONTENT_MARKERS (or their telling part) that `text` quotes. */
export function markersIn(text: string): string[] {
  return ['example.net', '555-0101', 'ZQXJ'].filter((m) => text.includes(m));
}

/**
 * Text shaped like a CSV: the characters a reader treats specially (quotes, separators, CR, LF,
 * BOMs) mixed with plain and non-ASCII cells and long runs, so a few dozen runs reach the
 * states random strings almost never do.
 */
export const csvLikeText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ';', '\t') },
      { weight: 1, arbitrary: fc.constantFrom('\uFEFF', '\u0000', '\u001a', '\uFFFD', '\u2028', ' ') },
      { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('Date', 'Amount', 'Center', '2024-01-05', '12.50', ...CONTENT_MARKERS),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('x', 'é', '"', ',', '\n', '😀'), fc.integer({ min: 16, max: 700 }))
          .map(([c, n]) => c.repeat(n)),
      },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** Text or bytes cut into chunks at arbitrary places, as a stream hands them over. */
export function chunked<T extends string | Uint8Array>(value: T, cuts: readonly number[]): T[] {
  if (value.length === 0) return [value];
  // A decoder never cuts text inside a surrogate pair (bytes may be cut anywhere).
  const inPair = (at: number) =>
    typeof value === 'string' &&
    /[\uDC00-\uDFFF]/.test(value.charAt(at)) &&
    /[\uD800-\uDBFF]/.test(value.charAt(at - 1));
  const points = [...new Set(cuts.map((c) => c % value.length))]
    .map((c) => (inPair(c) ? c + 1 : c))
    .sort((a, b) => a - b);
  const chunks: T[] = [];
  let at = 0;
  for (const point of [...points, value.length]) {
    if (point <= at) continue;
    chunks.push(value.slice(at, point) as T);
    at = point;
  }
  return chunks;
}
