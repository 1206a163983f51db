import { type CsvRecord, CsvStructureError, readCsvRecords } from '../../../shared/ingest/csvRecords';

async function records(...chunks: (string | Buffer)[]): Promise<CsvRecord[]> {
  async function* input() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
  const out: CsvRecord[] = [];
  for await (const record of readCsvRecords(input())) out.push(record);
  return out;
}

describe('reading CSV records', () => {
  it('strips a UTF-8 BOM so the first header is not polluted', async () => {
    const out = await records(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n')]));
    expect(out).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
    ]);
  });

  it('accepts CRLF, LF and a mix of both, with or without a final newline', async () => {
    expect(await records('a,b\r\n1,2\r\n3,4')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: ['3', '4'] },
    ]);
    expect(await records('a,b\r\n1,2\n3,4\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: ['3', '4'] },
    ]);
  });

  it('reads RFC 4180 quoting: commas, doubled quotes and newlines inside quoted cells', async () => {
    const out = await records('name,note\n"Smith, Jane","said ""hi""\nthen left"\nnext,row\n');
    expect(out).toEqual([
      { row: 1, cells: ['name', 'note'] },
      { row: 2, cells: ['Smith, Jane', 'said "hi"\nthen left'] },
      // The quoted newline makes record 2 span lines 2–3, so this record starts on line 4.
      { row: 4, cells: ['next', 'row'] },
    ]);
  });

  it('skips empty lines but still counts them, so row numbers match the file', async () => {
    const out = await records('a\n\n1\n\r\n2\n');
    expect(out).toEqual([
      { row: 1, cells: ['a'] },
      { row: 3, cells: ['1'] },
      { row: 5, cells: ['2'] },
    ]);
  });

  it('handles a record split across chunks', async () => {
    const out = await records('a,b\n"hel', 'lo",wor', 'ld\n');
    expect(out[1]).toEqual({ row: 2, cells: ['hello', 'world'] });
  });

  it('reports an unclosed quote as a structural error naming the row', async () => {
    await expect(records('a,b\n1,2\n3,"four\n5,6\n')).rejects.toEqual(
      new CsvStructureError(
        3,
        'a quoted cell is never closed (a `"` is missing), so the rest of the file cannot be read',
      ),
    );
  });

  it('passes an I/O error of the source through unchanged', async () => {
    async function* failing() {
      yield Buffer.from('a,b\n1,2\n');
      throw new Error('EIO: i/o error, read');
    }
    const read = async () => {
      for await (const _ of readCsvRecords(failing())) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow('EIO: i/o error, read');
  });
});

describe('stopping early', () => {
  it('releases the source when the consumer stops in the middle of a large file', async () => {
    let chunksRead = 0;
    async function* large() {
      for (let i = 0; i < 10_000; i += 1) {
        chunksRead += 1;
        yield Buffer.from(`${'x'.repeat(1000)},${i}\n`.repeat(100));
      }
    }
    let seen = 0;
    for await (const _ of readCsvRecords(large())) {
      seen += 1;
      if (seen === 10) break;
    }
    expect(seen).toBe(10);
    expect(chunksRead).toBeLessThan(10_000);
  });
});
