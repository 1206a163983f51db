import fs from 'node:fs';
import path from 'node:path';

import { BATCHES_AHEAD, CsvWorkerReader, RECORDS_PER_BATCH } from '../../io/csvOnWorker';
import {
  CsvLimitError,
  type CsvRecord,
  CsvStructureError,
  readCsvRecords,
} from '../../shared/ingest/csvRecords';
import { NotTextError } from '../../shared/ingest/limits';
import { fixture } from '../support/testStore';

// The compiled worker (npm test builds dist/ before jest runs), as the CLI and the API run it.
const CSV_WORKER = path.join(__dirname, '..', '..', 'dist', 'io', 'csvWorker.js');

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function all(records: AsyncIterable<CsvRecord>): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

/** What reading `bytes` ends with: its records, and the error that ended it, if one did. */
async function outcome(records: AsyncIterable<CsvRecord>) {
  const read: CsvRecord[] = [];
  try {
    for await (const record of records) read.push(record);
    return { read, error: null };
  } catch (error) {
    return { read, error };
  }
}

describe('CSV records parsed on a worker thread (io/csvOnWorker.ts)', () => {
  let reader: CsvWorkerReader;
  beforeEach(() => {
    reader = new CsvWorkerReader(CSV_WORKER);
  });
  afterEach(async () => {
    await reader.close();
  });

  it('reads every fixture file into the records the main-thread reader reads, file after file on one worker', async () => {
    for (const bundle of ['north', 'south', 'rejects']) {
      const dir = fixture(bundle);
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.csv'))) {
        const bytes = fs.readFileSync(path.join(dir, name));
        const here = await all(readCsvRecords(chunksOf(bytes, 1 << 20)));
        expect(await all(reader.read(chunksOf(bytes, 1 << 20)))).toEqual(here);
      }
    }
  });

  it('keeps rows across chunk and batch edges: quoted newlines, CRLF, empty lines, a BOM', async () => {
    const lines = ['\ufeffid,note'];
    for (let i = 0; i < RECORDS_PER_BATCH * 6 + 7; i += 1) {
      lines.push(i % 97 === 0 ? `${i},"two\r\nlines, ""quoted"""` : i % 89 === 0 ? '' : `${i},plain ${i}`);
    }
    // CRLF and LF line ends in turn.
    const bytes = Buffer.from(lines.map((line, i) => line + (i % 2 === 0 ? '\r\n' : '\n')).join(''));
    const here = await all(readCsvRecords(chunksOf(bytes, 7)));
    expect(here.length).toBeGreaterThan(RECORDS_PER_BATCH * 5);
    // Chunks of 7 bytes split cells, quotes and CRLF pairs; batches split the records.
    expect(await all(reader.read(chunksOf(bytes, 7)))).toEqual(here);
  });

  it('ends with the error the main-thread reader ends with: its class, row and reason', async () => {
    const unclosed = Buffer.from('a,b\n1,2\n3,"never closed\n4,5\n');
    const here = await outcome(readCsvRecords(chunksOf(unclosed, 1 << 20)));
    const there = await outcome(reader.read(chunksOf(unclosed, 1 << 20)));
    expect(here.error).toBeInstanceOf(CsvStructureError);
    expect(there.error).toBeInstanceOf(CsvStructureError);
    expect(there.error).toEqual(here.error);
    expect((there.error as CsvStructureError).row).toBe((here.error as CsvStructureError).row);
    expect(there.read).toEqual(here.read);

    const binary = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2048, 0)]);
    const notText = await outcome(reader.read(chunksOf(binary, 1 << 20)));
    expect(notText.error).toBeInstanceOf(NotTextError);
    expect(notText.read).toEqual([]);
  });

  it('holds a file to the CALIPER_LIMIT_* of this process, refusing at the row', async () => {
    const wide = Buffer.from(`a,b\n1,${'x'.repeat(300)}\n`);
    process.env.CALIPER_LIMIT_CELL_BYTES = '100';
    try {
      const here = await outcome(readCsvRecords(chunksOf(wide, 1 << 20)));
      const there = await outcome(reader.read(chunksOf(wide, 1 << 20)));
      expect(there.error).toBeInstanceOf(CsvLimitError);
      expect(there.error).toEqual(here.error);
      expect((there.error as CsvLimitError).limit).toBe('cellBytes');
    } finally {
      delete process.env.CALIPER_LIMIT_CELL_BYTES;
    }
  });

  it('fails with the error of the bytes it was given (a broken zip entry), then reads the next file', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('a,b\n1,2\n');
      throw new Error('invalid distance too far back');
    }
    await expect(all(reader.read(broken()))).rejects.toThrow('invalid distance too far back');
    expect(await all(reader.read(chunksOf(Buffer.from('a\n1\n'), 2)))).toEqual([
      { row: 1, cells: ['a'] },
      { row: 2, cells: ['1'] },
    ]);
  });

  it('reads no further ahead than a few chunks and batches while the records wait to be taken', async () => {
    const row = `${'y'.repeat(100)}\n`;
    const chunk = Buffer.from(row.repeat(100));
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled += 1;
        yield chunk;
      }
    }
    const records = reader.read(endless());
    const first = await records.next();
    expect(first.value).toEqual({ row: 1, cells: ['y'.repeat(100)] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Bounded by the batches the worker may hand back ahead, the one it is filling, and a few
    // chunks: those it holds, the parser's buffer and the one the main thread waits to hand over.
    const bound = (BATCHES_AHEAD + 2) * RECORDS_PER_BATCH + 10 * 100;
    expect(pulled * 100).toBeLessThan(bound);
    // Still bounded a moment later: nothing moves until records are taken.
    const settled = pulled;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pulled).toBe(settled);
    await records.return(undefined);
    // Left midway, the worker was ended; the next file starts another.
    expect(await all(reader.read(chunksOf(Buffer.from('a\n'), 1)))).toEqual([{ row: 1, cells: ['a'] }]);
  });
});
