import fc from 'fast-check';

import { type CsvRecord, CsvStructureError, readCsvRecords } from '../../../shared/ingest/csvRecords';
import { CsvTokenError, CsvTokenizer } from '../../../shared/ingest/csvTokenizer';
import { DEFAULT_LIMITS, type IngestLimits } from '../../../shared/ingest/limits';
import { readCsvRecordsWithCsvParse } from '../../support/csvParseReference';
import { chunked, csvLikeText, FUZZ_TIMEOUT_MS, fuzzParameters, SMALL_LIMITS } from '../../support/fuzz';

/*
 * The reader's own tokenizer against csv-parse, which the reader was built on: on any text,
 * as text or as UTF-8 or UTF-16 bytes, cut into chunks anywhere, both answer the same records
 * (row numbers included) and stop with the same error at the same row.
 */

async function* streamOf<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

interface Outcome {
  records: CsvRecord[];
  error: { name: string; row: number | null; message: string } | null;
}

type Reader = (
  input: AsyncIterable<Buffer | string>,
  limits: Readonly<IngestLimits>,
) => AsyncGenerator<CsvRecord>;

async function outcomeOf(read: Reader, chunks: readonly (Buffer | string)[], limits: Readonly<IngestLimits>) {
  const outcome: Outcome = { records: [], error: null };
  try {
    for await (const record of read(streamOf(chunks), limits)) outcome.records.push(record);
  } catch (error) {
    outcome.error = {
      name: error instanceof Error ? error.name : typeof error,
      row: error instanceof CsvStructureError ? error.row : null,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  return outcome;
}

/**
 * What both readers answer for the chunks: the same records, and the same error at the same
 * row. Two differences come from csv-parse's look-ahead (it holds a chunk's last characters
 * back until the next chunk says what they are; the tokenizer decides at once): it may not yet
 * have handed over the records before an error, and when the next chunk is refused by the
 * limits scanner first, it names that limit where the tokenizer had already found the broken
 * quote (of that record or one before it).
 */
async function expectSameAsCsvParse(chunks: readonly (Buffer | string)[], limits: Readonly<IngestLimits>) {
  const ours = await outcomeOf(readCsvRecords, chunks, limits);
  const reference = await outcomeOf(readCsvRecordsWithCsvParse, chunks, limits);
  if (reference.error === null) {
    expect(ours).toEqual(reference);
    return;
  }
  expect(ours.records.slice(0, reference.records.length)).toEqual(reference.records);
  if (ours.error?.message === reference.error.message) return;
  expect(reference.error.name).toBe('CsvLimitError');
  expect(ours.error?.name).toBe('CsvStructureError');
  expect(ours.error?.row).toBeLessThanOrEqual(reference.error.row!);
}

const asBytes = (text: string, encoding: 'utf8' | 'utf16le'): Buffer =>
  encoding === 'utf8'
    ? Buffer.from(text, 'utf8')
    : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

const cuts = fc.array(fc.nat({ max: 5000 }), { maxLength: 6 });
const limitsOf = fc.constantFrom<Readonly<IngestLimits>>(SMALL_LIMITS, DEFAULT_LIMITS);

describe('the CSV tokenizer', () => {
  it.each([
    ['a,b\r\nc,d\n', ['a,b\r', '\nc,d\n']],
    ['"a""b",c\n', ['"a"', '"b",c\n']],
    ['"a"\r\n"b"', ['"a"\r', '\n"b"']],
    ['x,"multi\nline",y\r\nz', ['x,"mul', 'ti\nline"', ',y\r\nz']],
    ['\n\na,b\n\n', ['\n', '\na,b\n\n']],
    ['a,\n,b\n,', ['a,\n,b\n,']],
    ['a\r\rb', ['a\r', '', '\rb']],
  ])('reads %j in chunks as csv-parse does', async (text, chunks) => {
    await expectSameAsCsvParse(chunks, DEFAULT_LIMITS);
    await expectSameAsCsvParse([text], DEFAULT_LIMITS);
  });

  it('reads a UTF-16 file with its byte-order mark as csv-parse does, in any chunks', async () => {
    const bytes = asBytes('Date,Amount\r\n2024-01-05,"12,50 é"\r\n"a ""b""",\n', 'utf16le');
    for (const at of [[], [1], [3], [7, 20], [25, 26, 27]]) {
      await expectSameAsCsvParse(
        chunked(bytes, at).map((c) => Buffer.from(c)),
        DEFAULT_LIMITS,
      );
    }
  });

  it.each([
    ['a,b"c\n', 'INVALID_OPENING_QUOTE'],
    ['"a"b,c\n', 'CSV_INVALID_CLOSING_QUOTE'],
    ['a\n"never closed\n', 'CSV_QUOTE_NOT_CLOSED'],
  ])('refuses %j as csv-parse does (%s), after the records before it', async (text, code) => {
    await expectSameAsCsvParse([text], DEFAULT_LIMITS);
    const tokenizer = new CsvTokenizer();
    const out: string[][] = [];
    const error = (() => {
      try {
        tokenizer.push(text, out);
        tokenizer.end(out);
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CsvTokenError);
    expect((error as CsvTokenError).code).toBe(code);
  });

  it(
    'answers the records and errors csv-parse does for any text, as text or bytes, in any chunks',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          csvLikeText,
          cuts,
          fc.constantFrom('text', 'utf8', 'utf16le'),
          limitsOf,
          async (text, at, form, limits) => {
            const chunks =
              form === 'text'
                ? chunked(text, at)
                : chunked(asBytes(text, form), at).map((c) => Buffer.from(c));
            if (form === 'utf16le') {
              // csv-parse misreads UTF-16: it matches a quote, comma or newline byte pair at an
              // odd offset (Ⰰ is 00 2C) and takes a NUL byte after a quote for the end of the
              // input. The same text as UTF-8 is the reference (under limits neither reaches:
              // UTF-16 takes twice the bytes), with its byte-order mark as the UTF-16 file has one.
              // Whether bytes are text is judged per encoding (limits.test.ts): only text counts here.
              const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), asBytes(text, 'utf8')]);
              const asUtf8 = await outcomeOf(readCsvRecords, [utf8], DEFAULT_LIMITS);
              const ours = await outcomeOf(readCsvRecords, chunks, DEFAULT_LIMITS);
              if (asUtf8.error?.name !== 'NotTextError' && ours.error?.name !== 'NotTextError')
                expect(ours).toEqual(asUtf8);
            } else {
              await expectSameAsCsvParse(chunks, limits);
            }
          },
        ),
        fuzzParameters(300),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers the records csv-parse does for well-formed CSV of any cells, in any chunks',
    async () => {
      const cell = fc.oneof(
        fc.string({ maxLength: 12 }).filter((s) => !/[",\r\n]/.test(s)),
        fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `"${s.replace(/"/g, '""')}"`),
      );
      const row = fc.array(cell, { minLength: 1, maxLength: 8 }).map((cells) => cells.join(','));
      await fc.assert(
        fc.asyncProperty(
          fc.array(row, { maxLength: 30 }),
          fc.constantFrom('\n', '\r\n', '\r'),
          fc.boolean(),
          cuts,
          async (rows, newline, trailing, at) => {
            const text = rows.join(newline) + (trailing ? newline : '');
            await expectSameAsCsvParse(
              chunked(Buffer.from(text, 'utf8'), at).map((c) => Buffer.from(c)),
              DEFAULT_LIMITS,
            );
          },
        ),
        fuzzParameters(200),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
