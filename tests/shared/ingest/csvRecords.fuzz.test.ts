import fc from 'fast-check';

import { readVendorCsv, VendorCsvError } from '../../../shared/connectors/vendorCsv';
import {
  CsvLimitError,
  type CsvRecord,
  CsvStructureError,
  readCsvRecords,
} from '../../../shared/ingest/csvRecords';
import { NotTextError } from '../../../shared/ingest/limits';
import {
  chunked,
  csvLikeText,
  errorName,
  FUZZ_TIMEOUT_MS,
  fuzzParameters,
  markersIn,
  SMALL_LIMITS,
  thrownBy,
} from '../../support/fuzz';

/*
 * Fuzzing the two CSV readers (issue 11, item 8): whatever bytes or text arrive, in whatever
 * chunks, a reader answers records or a clear refusal — a CsvStructureError / CsvLimitError
 * naming the row, or a NotTextError (VendorCsvError for the vendor reader) — never another
 * exception, never a hang, and never more than the limits let through. No refusal quotes the
 * content it refused.
 */

const LIMITS = SMALL_LIMITS;

async function* streamOf<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

type Read = { records: CsvRecord[]; error: null } | { records: CsvRecord[]; error: unknown };

async function readAll(chunks: readonly (Buffer | string)[], stopAfter = Infinity): Promise<Read> {
  const records: CsvRecord[] = [];
  try {
    for await (const record of readCsvRecords(streamOf(chunks), LIMITS)) {
      records.push(record);
      if (records.length >= stopAfter) break;
    }
  } catch (error) {
    return { records, error };
  }
  return { records, error: null };
}

/** What every answer of readCsvRecords holds: rows in order, no record wider or larger than the limits. */
function expectWithinLimits(records: readonly CsvRecord[]): void {
  let previous = 0;
  for (const record of records) {
    expect(record.row).toBeGreaterThan(previous);
    previous = record.row;
    expect(record.cells.length).toBeLessThanOrEqual(LIMITS.columns);
    for (const cell of record.cells) expect(cell.length).toBeLessThanOrEqual(LIMITS.cellBytes);
  }
}

function expectClearRefusal(error: unknown): void {
  const clear = error instanceof CsvStructureError || error instanceof NotTextError;
  if (!clear) throw new Error(`readCsvRecords crashed: ${errorName(error)}`);
  if (error instanceof CsvStructureError) {
    expect(error.message).toMatch(/^row \d+: /);
    expect(error.row).toBeGreaterThanOrEqual(1);
  }
  if (error instanceof CsvLimitError) expect(error.message).toMatch(/CALIPER_LIMIT_/);
  expect(markersIn(error.message)).toEqual([]);
}

/** Arbitrary bytes, and CSV-shaped text with some of its bytes overwritten. */
const bytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  fc
    .tuple(
      csvLikeText,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.constantFrom(Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe])),
    )
    .map(([text, flips, bom]) => {
      const out = Buffer.concat([bom, Buffer.from(text)]);
      for (const [at, value] of flips) if (out.length > 0) out[at % out.length] = value;
      return out;
    }),
);

/**
 * Two readings of one input agree: the same records, or both refused. (Which refusal comes
 * first may differ — a row broken and over a limit is refused as whichever the reader met
 * first — and a refusal can come after a different number of records.)
 */
function expectSameReading(whole: Read, pieces: Read): void {
  expect(pieces.error === null).toBe(whole.error === null);
  if (whole.error === null) expect(pieces.records).toEqual(whole.records);
  else {
    expectClearRefusal(whole.error);
    expectClearRefusal(pieces.error);
  }
}

const cuts = fc.array(fc.nat(), { maxLength: 8 });

describe('readCsvRecords under fuzzing', () => {
  it(
    'reads CSV-shaped text in any chunks to records within the limits, or refuses it clearly',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvLikeText, cuts, async (text, at) => {
          const { records, error } = await readAll(chunked(text, at));
          expectWithinLimits(records);
          if (error !== null) expectClearRefusal(error);
        }),
        fuzzParameters(150, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads arbitrary bytes in any chunks to records within the limits, or refuses them clearly',
    async () => {
      await fc.assert(
        fc.asyncProperty(bytes, cuts, async (input, at) => {
          const { records, error } = await readAll(chunked(input, at));
          expectWithinLimits(records);
          if (error !== null) expectClearRefusal(error);
        }),
        fuzzParameters(150, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads the same records whichever way the text is cut into chunks',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvLikeText, cuts, async (text, at) => {
          const whole = await readAll([text]);
          const pieces = await readAll(chunked(text, at));
          expectSameReading(whole, pieces);
        }),
        fuzzParameters(100, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads the same records whichever way the bytes are cut, also inside a UTF-8 sequence',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvLikeText, cuts, async (text, at) => {
          const input = Buffer.from(text);
          const whole = await readAll([input]);
          const pieces = await readAll(chunked(input, at));
          expectSameReading(whole, pieces);
        }),
        fuzzParameters(100, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'ends without hanging when the reader stops early, however far the parser had read ahead',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 200, max: 4000 }),
          fc.integer({ min: 1, max: 50 }),
          fc.boolean(),
          async (lines, stopAfter, asBytes) => {
            const text = 'a,b,c\n' + '1,2,3\n'.repeat(lines);
            const chunks = chunked(asBytes ? Buffer.from(text) : text, [64, 4096, 16_384]);
            const { records, error } = await readAll(chunks, stopAfter);
            expect(error).toBeNull();
            expect(records).toHaveLength(stopAfter);
          },
        ),
        fuzzParameters(30, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('readCsvRecords regressions found by fuzzing', () => {
  it('holds a UTF-16 file to the cell limit, though its code units look like newlines to the byte scanner', async () => {
    // Shrunk counterexample (seed 268695054, path "247:1:0:4:2:2:5:2:4:4:5"): a UTF-16LE BOM, 257
    // bytes 0x0A and a comma — 129 characters U+0A0A…U+2C0A in one cell, which the scanner took
    // for 257 empty lines; the 129-character cell went through a 128-byte cell limit.
    const input = Buffer.from([0xff, 0xfe, ...new Array<number>(257).fill(0x0a), 0x2c]);
    const { records, error } = await readAll([input]);
    expect(records).toEqual([]);
    expect(error).toBeInstanceOf(CsvLimitError);
    expect((error as CsvLimitError).limit).toBe('cellBytes');
    expect((error as CsvLimitError).message).toMatch(/^row 1: a cell is larger than 128 bytes/);
  });

  it('holds a UTF-16 file to the column limit the same way', async () => {
    const text = `\uFEFF${new Array(LIMITS.columns + 1).fill('a').join(',')}\n`;
    const { error } = await readAll([Buffer.from(text, 'utf16le')]);
    expect(error).toBeInstanceOf(CsvLimitError);
    expect((error as CsvLimitError).limit).toBe('columns');
  });
});

describe('readVendorCsv under fuzzing', () => {
  function expectVendorAnswer(text: string): void {
    let read: ReturnType<typeof readVendorCsv> | null = null;
    const error = thrownBy(() => {
      read = readVendorCsv(text, LIMITS);
    });
    if (error !== null) {
      if (!(error instanceof VendorCsvError)) throw new Error(`readVendorCsv crashed: ${errorName(error)}`);
      expect(markersIn(error.message)).toEqual([]);
      if (error.row !== null) expect(error.message).toMatch(/^row \d+: /);
      return;
    }
    const csv = read as unknown as ReturnType<typeof readVendorCsv>;
    expect(csv.headers.filter((h) => h !== '').length).toBeGreaterThanOrEqual(3);
    expect(csv.headers.length).toBeLessThanOrEqual(LIMITS.columns);
    let previous = csv.headerRow;
    for (const row of csv.rows) {
      expect(row.row).toBeGreaterThan(previous);
      previous = row.row;
      expect(row.cells.length).toBeLessThanOrEqual(LIMITS.columns);
    }
  }

  it(
    'reads CSV-shaped text to a header and rows, or refuses it with a VendorCsvError',
    () => {
      fc.assert(fc.property(csvLikeText, expectVendorAnswer), fuzzParameters(200));
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads arbitrary bytes decoded as UTF-8 (as convertVendorFile does), or refuses them',
    () => {
      fc.assert(
        fc.property(bytes, (input) => expectVendorAnswer(input.toString('utf8'))),
        fuzzParameters(200),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
