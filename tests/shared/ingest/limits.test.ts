import crypto from 'node:crypto';

import type { LimitExceededError } from '../../../shared/ingest/limits';
import {
  CsvLimitScanner,
  DEFAULT_LIMITS,
  type IngestLimits,
  jsonTextIssue,
  jsonTextProblem,
  LIMIT_ENV,
  LimitConfigError,
  limitsFromEnv,
  textProblem,
} from '../../../shared/ingest/limits';

/** A refusal may name files, rows and limits; it never carries a byte of what it refused. */
function expectPlainMessage(message: string): void {
  expect(message).toMatch(/^[\x20-\x7e]*$/);
}

describe('limits as configuration', () => {
  it('has defaults sized for real exports', () => {
    expect(DEFAULT_LIMITS).toEqual({
      zipEntryBytes: 2 * 1024 ** 3,
      zipTotalBytes: 4 * 1024 ** 3,
      zipRatio: 100,
      zipRatioMinBytes: 1024 ** 2,
      lineBytes: 1024 ** 2,
      cellBytes: 256 * 1024,
      columns: 2000,
      jsonBytes: 256 * 1024 ** 2,
      jsonRecords: 2_000_000,
      jsonDepth: 64,
    });
    expect(LIMIT_ENV.lineBytes).toBe('CALIPER_LIMIT_LINE_BYTES');
  });

  it('reads overrides from CALIPER_LIMIT_* variables, with K/M/G suffixes', () => {
    const limits = limitsFromEnv({
      CALIPER_LIMIT_LINE_BYTES: '4M',
      CALIPER_LIMIT_ZIP_TOTAL_BYTES: '8GiB',
      CALIPER_LIMIT_CELL_BYTES: '64 KB',
      CALIPER_LIMIT_COLUMNS: '5000',
      CALIPER_LIMIT_ZIP_RATIO: ' ',
      OTHER: 'x',
    });
    expect(limits).toEqual({
      ...DEFAULT_LIMITS,
      lineBytes: 4 * 1024 ** 2,
      zipTotalBytes: 8 * 1024 ** 3,
      cellBytes: 64 * 1024,
      columns: 5000,
    });
  });

  it('refuses a value that is not a positive size, and a misspelled variable, naming it', () => {
    expect(() => limitsFromEnv({ CALIPER_LIMIT_LINE_BYTES: 'lots' })).toThrow(LimitConfigError);
    expect(() => limitsFromEnv({ CALIPER_LIMIT_LINE_BYTES: 'lots' })).toThrow(/CALIPER_LIMIT_LINE_BYTES/);
    expect(() => limitsFromEnv({ CALIPER_LIMIT_COLUMNS: '0' })).toThrow(/CALIPER_LIMIT_COLUMNS/);
    expect(() => limitsFromEnv({ CALIPER_LIMIT_JSON_DEPTH: '-3' })).toThrow(/CALIPER_LIMIT_JSON_DEPTH/);
    expect(() => limitsFromEnv({ CALIPER_LIMIT_LINE_BYTE: '1M' })).toThrow(
      /CALIPER_LIMIT_LINE_BYTE is not a known limit/,
    );
  });
});

describe('text or not', () => {
  it('takes UTF-8, a BOM, legacy 8-bit text and UTF-16 with its BOM as text', () => {
    expect(textProblem(Buffer.from('\uFEFFname,amount\nJosé Peña,12.50\n'))).toBeNull();
    expect(textProblem(Buffer.from('name,amount\nJosé Peña,12.50\n', 'latin1'))).toBeNull();
    expect(
      textProblem(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')])),
    ).toBeNull();
    expect(textProblem('a,b\r\n1,\t2\n')).toBeNull();
  });

  it('refuses NUL bytes and random binary, without quoting them', () => {
    expect(textProblem(Buffer.from('a,b\n1,\u00002\n'))).toMatch(/^not a text file/);
    const random = crypto.randomBytes(4096);
    const problem = textProblem(random);
    expect(problem).toMatch(/^not a text file/);
    expectPlainMessage(problem!);
    expect(textProblem(random.toString('utf8'))).toMatch(/^not a text file/);
  });
});

describe('JSON shape, checked before parsing', () => {
  const limits = { ...DEFAULT_LIMITS, jsonRecords: 10, jsonDepth: 8 };

  it('passes an ordinary export', () => {
    const text = JSON.stringify({
      data: [{ id: 'ch_1', card: { checks: { cvc: 'pass' } }, note: '[[[{{{' }],
      has_more: false,
    });
    expect(jsonTextProblem(text, limits)).toBeNull();
  });

  it('refuses nesting deeper than the limit, naming where, without recursing', () => {
    const deep = `{"data":[{"id":1},${'['.repeat(200_000)}${']'.repeat(200_000)}]}`;
    const problem = jsonTextProblem(deep, limits);
    expect(problem).toMatchObject({ code: 'limit_exceeded', limit: 'jsonDepth' });
    expect(problem!.message).toMatch(/record 2/);
    expect(problem!.message).toMatch(/line 1, character 25/);
    expect(problem!.message).toMatch(/8 levels/);
    expect(problem!.message).toMatch(/CALIPER_LIMIT_JSON_DEPTH/);
    expectPlainMessage(problem!.message);
  });

  it('refuses more records than the limit, in a bare array or an envelope, not counting nested lists', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i }));
    expect(jsonTextProblem(JSON.stringify(many(11)), limits)).toMatchObject({ limit: 'jsonRecords' });
    expect(jsonTextProblem(JSON.stringify({ orders: many(11) }), limits)).toMatchObject({
      limit: 'jsonRecords',
    });
    expect(jsonTextProblem(JSON.stringify(many(10)), limits)).toBeNull();
    expect(jsonTextProblem(JSON.stringify([{ lines: many(100) }]), limits)).toBeNull();
    expect(jsonTextProblem(JSON.stringify({ orders: many(11) }), limits)!.message).toMatch(
      /more than 10 records.*CALIPER_LIMIT_JSON_RECORDS/,
    );
  });

  it('refuses a file larger than the JSON limit before scanning it', () => {
    const problem = jsonTextProblem(`[${' '.repeat(2048)}]`, { ...limits, jsonBytes: 1024 });
    expect(problem).toMatchObject({ code: 'limit_exceeded', limit: 'jsonBytes' });
    expect(problem!.message).toMatch(/1 KiB.*CALIPER_LIMIT_JSON_BYTES/);
  });

  it('gives the problem as the issue a JSON reader returns, under the environment by default', () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    expect(jsonTextIssue(deep, 'orders.json')).toEqual({
      severity: 'error',
      row: null,
      column: null,
      code: 'limit_exceeded',
      message: expect.stringMatching(
        /^orders\.json: record 1 \(line 1, character 65\): nested more than 64 levels deep.*CALIPER_LIMIT_JSON_DEPTH/,
      ),
    });
    expect(jsonTextIssue('{"a": [1, 2]}', 'orders.json')).toBeNull();
  });

  it('refuses binary as not a text file', () => {
    const problem = jsonTextProblem(crypto.randomBytes(4096).toString('utf8'), limits);
    expect(problem).toMatchObject({ code: 'not_text', limit: null });
    expect(problem!.message).toMatch(/^not a text file/);
    expectPlainMessage(problem!.message);
  });
});

describe('the CSV limit scanner', () => {
  /** The row and limit the scanner refuses `text` at, fed whole, byte by byte, and as text. */
  function refusals(text: string, limits: Partial<IngestLimits>, delimiter = ','): unknown[] {
    const all = { ...DEFAULT_LIMITS, ...limits };
    const bytes = Buffer.from(text);
    const feeds: ((s: CsvLimitScanner) => void)[] = [
      (s) => s.feed(bytes),
      (s) => {
        for (let i = 0; i < bytes.length; i += 1) s.feed(bytes.subarray(i, i + 1));
      },
      (s) => s.feed(text),
    ];
    return feeds.map((feed) => {
      try {
        feed(new CsvLimitScanner(all, delimiter));
        return null;
      } catch (error) {
        const e = error as LimitExceededError;
        return [e.row, e.limit];
      }
    });
  }

  it('does not count delimiters inside quoted cells, doubled quotes included', () => {
    const csv = 'a,b,c\n1,"x,y,""z,w""",3\n';
    expect(refusals(csv, { columns: 3 })).toEqual([null, null, null]);
    expect(refusals(`${csv}1,2,3,4\n`, { columns: 3 })).toEqual(Array(3).fill([3, 'columns']));
  });

  it('numbers rows as the readers do: CRLF split across chunks, CR alone, newlines in quoted cells', () => {
    const csv = 'a,b\r\n1,"two\nlines"\r3,4\r\n\n5,6,7\n';
    expect(refusals(csv, { columns: 2 })).toEqual(Array(3).fill([6, 'columns']));
  });

  it('takes a quote inside an unquoted cell as text, as a relaxed reader does', () => {
    const csv = 'a,b\n5" nails,x\n1,2,3\n';
    expect(refusals(csv, { columns: 2 })).toEqual(Array(3).fill([3, 'columns']));
  });

  it('measures cells and lines whatever the chunks, with the separator given', () => {
    expect(refusals('a;b\n1;12345\n', { cellBytes: 4 }, ';')).toEqual(Array(3).fill([2, 'cellBytes']));
    expect(refusals('a;b\n1;1234\n', { cellBytes: 4 }, ';')).toEqual([null, null, null]);
    expect(refusals('a,b\n"12\n34",5\n', { lineBytes: 8 })).toEqual(Array(3).fill([2, 'lineBytes']));
    expect(refusals('a,b\n"12\n34",\n', { lineBytes: 8 })).toEqual([null, null, null]);
  });
});
