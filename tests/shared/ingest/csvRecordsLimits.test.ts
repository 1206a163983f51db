import crypto from 'node:crypto';

import { type CsvRecord, CsvStructureError, readCsvRecords } from '../../../shared/ingest/csvRecords';
import { DEFAULT_LIMITS, type IngestLimits } from '../../../shared/ingest/limits';

/** A source that counts what the reader pulled from it: a refusal must come before the end. */
function counted(head: string, filler: string, chunks: number, tail = '') {
  const source = { pulled: 0, input: null as unknown as AsyncIterable<Buffer> };
  const chunk = Buffer.from(filler.repeat(Math.ceil(65536 / filler.length)));
  source.input = (async function* () {
    const first = Buffer.from(head);
    source.pulled += first.length;
    yield first;
    for (let i = 0; i < chunks; i += 1) {
      source.pulled += chunk.length;
      yield chunk;
    }
    source.pulled += tail.length;
    yield Buffer.from(tail);
  })();
  return source;
}

async function readAll(input: AsyncIterable<Buffer | string>, limits?: IngestLimits): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of readCsvRecords(input, limits)) out.push(record);
  return out;
}

async function refusal(input: AsyncIterable<Buffer | string>, limits?: IngestLimits): Promise<Error> {
  try {
    await readAll(input, limits);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the file was read to the end');
}

async function* of(...chunks: (string | Buffer)[]) {
  for (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

describe('limits of the canonical CSV reader, enforced while streaming', () => {
  it('refuses a line longer than the limit, naming the row and the limit, before reading the rest', async () => {
    // 64 MiB of one line; the limit is 256 KiB: the reader stops within a chunk or two of it.
    const source = counted('a,b\n1,2\n3,', 'x', 1024, '\n');
    const error = await refusal(source.input, {
      ...DEFAULT_LIMITS,
      lineBytes: 256 * 1024,
      cellBytes: 1 << 30,
    });
    expect(error).toBeInstanceOf(CsvStructureError);
    expect((error as CsvStructureError).row).toBe(3);
    expect(error.message).toMatch(/^row 3: .*longer than 256 KiB.*CALIPER_LIMIT_LINE_BYTES/);
    expect(source.pulled).toBeLessThan(512 * 1024);
  });

  it('counts a quoted record over several lines as one line, named by the row it starts on', async () => {
    const note = `"${'word\n'.repeat(400)}"`;
    const error = await refusal(of(`a,b\n1,${note}\n`), { ...DEFAULT_LIMITS, lineBytes: 1024 });
    expect((error as CsvStructureError).row).toBe(2);
  });

  it('refuses a cell larger than the limit', async () => {
    const source = counted('a,b\n1,"', 'y', 256, '"\n');
    const error = await refusal(source.input, {
      ...DEFAULT_LIMITS,
      cellBytes: 64 * 1024,
      lineBytes: 1 << 30,
    });
    expect((error as CsvStructureError).row).toBe(2);
    expect(error.message).toMatch(/^row 2: a cell .*larger than 64 KiB.*CALIPER_LIMIT_CELL_BYTES/);
    expect(source.pulled).toBeLessThan(256 * 1024);
  });

  it('refuses more columns than the limit while the row is still being read', async () => {
    // 200,000 columns on one line would hold hundreds of MB once parsed.
    const source = counted('a,b\n', ',', 4, '\n');
    const error = await refusal(source.input, { ...DEFAULT_LIMITS, columns: 1000 });
    expect((error as CsvStructureError).row).toBe(2);
    expect(error.message).toMatch(/^row 2: more than 1,000 columns.*CALIPER_LIMIT_COLUMNS/);
    expect(source.pulled).toBeLessThan(200 * 1024);
    // The header is held to it too.
    const header = await refusal(of(`${'c,'.repeat(1500)}c\n`), { ...DEFAULT_LIMITS, columns: 1000 });
    expect((header as CsvStructureError).row).toBe(1);
  });

  it('takes its limits from CALIPER_LIMIT_* when given none', async () => {
    process.env.CALIPER_LIMIT_COLUMNS = '3';
    try {
      const error = await refusal(of('a,b,c,d\n1,2,3,4\n'));
      expect(error.message).toMatch(/^row 1: more than 3 columns/);
    } finally {
      delete process.env.CALIPER_LIMIT_COLUMNS;
    }
    expect(await readAll(of('a,b,c,d\n1,2,3,4\n'))).toHaveLength(2);
  });

  it('refuses random binary as not a text file, before any record and without echoing it', async () => {
    const bytes = crypto.randomBytes(64 * 1024);
    const seen: CsvRecord[] = [];
    let error: Error | null = null;
    try {
      for await (const record of readCsvRecords(of(bytes.subarray(0, 100), bytes.subarray(100)))) {
        seen.push(record);
      }
    } catch (e) {
      error = e as Error;
    }
    expect(seen).toEqual([]);
    expect(error?.message).toMatch(/^not a text file/);
    expect(error?.message).toMatch(/^[\x20-\x7e]*$/);
  });

  it('still reads a legacy 8-bit file and a short file', async () => {
    expect(await readAll(of(Buffer.from('name\nJosé\n', 'latin1')))).toHaveLength(2);
    expect(await readAll(of('a'))).toEqual([{ row: 1, cells: ['a'] }]);
  });
});
