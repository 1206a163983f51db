/**
 * Ingest limits: how much an upload may decompress to, how long a CSV line, cell or header may
 * be, how large and deep a JSON export may be. They are configuration, not constants: each has
 * a default sized for real exports and a `CALIPER_LIMIT_*` environment variable that overrides
 * it (plain bytes or a K/M/G suffix: `CALIPER_LIMIT_LINE_BYTES=4M`).
 *
 * | limit            | default | variable                          | real exports                       |
 * | ---------------- | ------- | --------------------------------- | ---------------------------------- |
 * | zipEntryBytes    | 2 GiB   | CALIPER_LIMIT_ZIP_ENTRY_BYTES     | 13.7 M-row portfolio CSV ≈ 1.5 GB  |
 * | zipTotalBytes    | 4 GiB   | CALIPER_LIMIT_ZIP_TOTAL_BYTES     | one upload, decompressed           |
 * | zipRatio         | 100     | CALIPER_LIMIT_ZIP_RATIO           | CSV compresses 5–20:1              |
 * | zipRatioMinBytes | 1 MiB   | CALIPER_LIMIT_ZIP_RATIO_MIN_BYTES | smaller entries: no ratio checked  |
 * | lineBytes        | 1 MiB   | CALIPER_LIMIT_LINE_BYTES          | a line < 64 KB                     |
 * | cellBytes        | 256 KiB | CALIPER_LIMIT_CELL_BYTES          | a cell < 32 KB                     |
 * | columns          | 2,000   | CALIPER_LIMIT_COLUMNS             | ≤ 1,000 columns                    |
 * | jsonBytes        | 256 MiB | CALIPER_LIMIT_JSON_BYTES          | API dumps of tens of MB            |
 * | jsonRecords      | 2 M     | CALIPER_LIMIT_JSON_RECORDS        | items of the file's record list    |
 * | jsonDepth        | 64      | CALIPER_LIMIT_JSON_DEPTH          | vendor JSON nests < 10 levels      |
 *
 * Each check here is pure and streaming-friendly (O(n), constant memory, no recursion), and a
 * refusal names the row or record and the limit with the variable that raises it — never a
 * byte of the content it refused (binary read back in an error is noise, or worse, data).
 */

export interface IngestLimits {
  /** Decompressed bytes of one file inside a zip. */
  zipEntryBytes: number;
  /** Decompressed bytes of all the files of one zip. */
  zipTotalBytes: number;
  /** Largest decompressed : compressed ratio of a file inside a zip… */
  zipRatio: number;
  /** …once it decompresses to more than this many bytes (tiny files compress absurdly well). */
  zipRatioMinBytes: number;
  /** Bytes of one CSV record (a line; a quoted cell's newlines make one record of several lines). */
  lineBytes: number;
  /** Bytes of one CSV cell. */
  cellBytes: number;
  /** Columns of a CSV row, the header included. */
  columns: number;
  /** Bytes of one JSON file (it is parsed whole). */
  jsonBytes: number;
  /** Records of one JSON file: the items of its top-level list (`[...]`, or `{"data": [...]}`). */
  jsonRecords: number;
  /** Nesting depth of one JSON file. */
  jsonDepth: number;
}

export type LimitName = keyof IngestLimits;

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<IngestLimits> = Object.freeze({
  zipEntryBytes: 2 * GiB,
  zipTotalBytes: 4 * GiB,
  zipRatio: 100,
  zipRatioMinBytes: MiB,
  lineBytes: MiB,
  cellBytes: 256 * KiB,
  columns: 2000,
  jsonBytes: 256 * MiB,
  jsonRecords: 2_000_000,
  jsonDepth: 64,
});

export const LIMIT_ENV: Readonly<Record<LimitName, string>> = Object.freeze({
  zipEntryBytes: 'CALIPER_LIMIT_ZIP_ENTRY_BYTES',
  zipTotalBytes: 'CALIPER_LIMIT_ZIP_TOTAL_BYTES',
  zipRatio: 'CALIPER_LIMIT_ZIP_RATIO',
  zipRatioMinBytes: 'CALIPER_LIMIT_ZIP_RATIO_MIN_BYTES',
  lineBytes: 'CALIPER_LIMIT_LINE_BYTES',
  cellBytes: 'CALIPER_LIMIT_CELL_BYTES',
  columns: 'CALIPER_LIMIT_COLUMNS',
  jsonBytes: 'CALIPER_LIMIT_JSON_BYTES',
  jsonRecords: 'CALIPER_LIMIT_JSON_RECORDS',
  jsonDepth: 'CALIPER_LIMIT_JSON_DEPTH',
});

const BYTE_LIMITS: ReadonlySet<LimitName> = new Set([
  'zipEntryBytes',
  'zipTotalBytes',
  'zipRatioMinBytes',
  'lineBytes',
  'cellBytes',
  'jsonBytes',
]);

/** A `CALIPER_LIMIT_*` variable that does not hold a limit. */
export class LimitConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitConfigError';
  }
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?$/i;
const UNIT: Record<string, number> = { k: KiB, m: MiB, g: GiB, t: 1024 * GiB };

function parseLimit(variable: string, raw: string): number {
  const match = SIZE.exec(raw.trim());
  const value = match ? Math.floor(Number(match[1]) * (match[2] ? UNIT[match[2].toLowerCase()]! : 1)) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new LimitConfigError(
      `${variable}=${JSON.stringify(raw.slice(0, 40))} is not a limit: give a positive number, bytes with an optional K, M or G (e.g. ${variable}=4M)`,
    );
  }
  return value;
}

/**
 * The limits the environment sets: each `CALIPER_LIMIT_*` variable overrides its default (an
 * empty one is ignored). A value that is not a positive size, or a `CALIPER_LIMIT_` variable
 * that names no limit (a typo would silently keep the default), is a LimitConfigError.
 */
export function limitsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  base: Readonly<IngestLimits> = DEFAULT_LIMITS,
): IngestLimits {
  const limits: IngestLimits = { ...base };
  const known = new Map(Object.entries(LIMIT_ENV).map(([name, variable]) => [variable, name as LimitName]));
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith('CALIPER_LIMIT_') || raw === undefined || raw.trim() === '') continue;
    const name = known.get(variable);
    if (name === undefined) {
      throw new LimitConfigError(`${variable} is not a known limit (known: ${[...known.keys()].join(', ')})`);
    }
    limits[name] = parseLimit(variable, raw);
  }
  return limits;
}

/**
 * limitsFromEnv of this process's environment, or the defaults where there is none (the
 * browser): what a reader given no limits holds a file to.
 */
export function limitsFromProcessEnv(): IngestLimits {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env === undefined ? { ...DEFAULT_LIMITS } : limitsFromEnv(env);
}

/** `1 MiB`, `1.5 GiB`, `256 KiB`, `1,000 bytes`: a byte count as a person reads it. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ] as const) {
    if (bytes < size) continue;
    return `${bytes % (size / 16) === 0 ? bytes / size : (bytes / size).toFixed(1)} ${unit}`;
  }
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** A limit's value as a person reads it: bytes in KiB/MiB/GiB, counts with separators. */
export function formatLimit(name: LimitName, value: number): string {
  return BYTE_LIMITS.has(name) ? formatBytes(value) : value.toLocaleString('en-US');
}

/** A compact value for the variable, four times the current one: what "raise it" looks like. */
function suggestion(name: LimitName, value: number): string {
  const raised = value * 4;
  if (!BYTE_LIMITS.has(name)) return String(raised);
  for (const [unit, size] of [
    ['G', GiB],
    ['M', MiB],
    ['K', KiB],
  ] as const) {
    if (raised % size === 0) return `${raised / size}${unit}`;
  }
  return String(raised);
}

/** How to read the file anyway: the variable that raises the limit, with a value four times the current one. */
export function raiseHint(name: LimitName, limits: Readonly<IngestLimits>): string {
  return `to read it anyway, raise the limit: ${LIMIT_ENV[name]}=${suggestion(name, limits[name])}`;
}

/**
 * A limit a file broke. `row` is the CSV row (as Excel numbers it) where the offending record
 * starts, or null; `reason` says what was too large, without the row and without content.
 */
export class LimitExceededError extends Error {
  constructor(
    readonly limit: LimitName,
    readonly row: number | null,
    readonly reason: string,
  ) {
    super(row === null ? reason : `row ${row}: ${reason}`);
    this.name = 'LimitExceededError';
  }
}

/** A file that is not text (binary, or not in any text encoding): refused without quoting it. */
export class NotTextError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotTextError';
  }
}

/** How much of a file's start is looked at to tell text from binary. */
export const TEXT_SNIFF_BYTES = 1024;

const NOT_TEXT =
  'not a text file: a CSV or JSON export is text, and this file holds binary content (was the right file exported, or is it compressed or a spreadsheet?)';

/** C0 control characters text does not hold: all but tab, newline, vertical tab, form feed, carriage return and ^Z. */
function isBinaryControl(code: number): boolean {
  return (
    (code < 0x20 &&
      code !== 0x09 &&
      code !== 0x0a &&
      code !== 0x0b &&
      code !== 0x0c &&
      code !== 0x0d &&
      code !== 0x1a) ||
    code === 0x7f
  );
}

/** Bytes of `bytes` that are not part of a valid UTF-8 sequence (a sequence cut off at the end counts as valid). */
function invalidUtf8Bytes(bytes: Uint8Array): number {
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) {
      invalid += 1;
      i += 1;
      continue;
    }
    let j = 1;
    while (j < length && i + j < bytes.length && (bytes[i + j]! & 0xc0) === 0x80) j += 1;
    if (j === length || i + j === bytes.length) {
      i += j;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return invalid;
}

/**
 * Why the start of a file (its first TEXT_SNIFF_BYTES bytes, or characters once decoded) is not
 * text, or null when it is. Not text: a NUL, more than a stray few C0 control characters, or
 * mostly bytes that are not UTF-8. A file in a legacy 8-bit encoding (Windows-1252 "José") is
 * text with some invalid UTF-8 and is let through, as is UTF-16 with its byte-order mark.
 */
export function textProblem(start: Uint8Array | string): string | null {
  if (typeof start === 'string') {
    const text = start.slice(0, TEXT_SNIFF_BYTES);
    let controls = 0;
    let replaced = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code === 0) return NOT_TEXT;
      if (isBinaryControl(code)) controls += 1;
      else if (code === 0xfffd) replaced += 1;
    }
    return controls > 2 + text.length / 100 || replaced > text.length / 4 ? NOT_TEXT : null;
  }
  const bytes = start.subarray(0, TEXT_SNIFF_BYTES);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    // UTF-16LE with its byte-order mark (Excel's "Unicode Text"): text as long as no code unit is NUL.
    for (let i = 2; i + 1 < bytes.length; i += 2) if (bytes[i] === 0 && bytes[i + 1] === 0) return NOT_TEXT;
    return null;
  }
  let controls = 0;
  for (const b of bytes) {
    if (b === 0) return NOT_TEXT;
    if (isBinaryControl(b)) controls += 1;
  }
  if (controls > 2 + bytes.length / 100) return NOT_TEXT;
  return invalidUtf8Bytes(bytes) > bytes.length / 4 ? NOT_TEXT : null;
}

/**
 * Checks, as they stream, the records of a CSV file against lineBytes, cellBytes and columns,
 * before a parser builds them: feed() each chunk in order (bytes or text), then end(). It
 * follows RFC 4180 quoting as csv-parse does (a quote opens a quoted cell only at the start of
 * one; `""` inside is a quote) and counts rows as the readers do (CRLF, LF or CR; newlines in
 * quoted cells), so a refusal names the row the record starts on. O(n), constant memory.
 */
export class CsvLimitScanner {
  private readonly delimiter: number;
  /** The largest code that means something here (a quote, CR, LF, the delimiter): others are skipped fast. */
  private readonly maxSpecial: number;
  /** 0 in an unquoted cell (or at its start), 2 in a quoted cell, 3 after a quote in a quoted cell. */
  private state = 0;
  private line = 1;
  private recordRow = 1;
  /** Bytes of the record and of the cell read so far in earlier chunks. */
  private recordCarry = 0;
  private cellCarry = 0;
  private columns = 1;
  private afterCr = false;

  constructor(
    private readonly limits: Readonly<IngestLimits>,
    delimiter = ',',
  ) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxSpecial = Math.max(0x22, this.delimiter);
  }

  feed(chunk: Uint8Array | string): void {
    const isText = typeof chunk === 'string';
    const text = isText ? chunk : '';
    const bytes = isText ? null : chunk;
    const n = chunk.length;
    const { delimiter, maxSpecial } = this;
    const { cellBytes, columns: maxColumns } = this.limits;
    let { state, line, recordRow, columns } = this;
    // A length at index i is i minus its base; a negative base carries what earlier chunks held.
    let recordBase = -this.recordCarry;
    let cellBase = -this.cellCarry;
    let i = 0;
    if (this.afterCr) {
      this.afterCr = false;
      // The LF of a CRLF split across chunks: its CR ended the record.
      if (n > 0 && (isText ? text.charCodeAt(0) : bytes![0]) === 0x0a) {
        i = 1;
        recordBase = 1;
        cellBase = 1;
      }
    }
    for (; i < n; i += 1) {
      const c = isText ? text.charCodeAt(i) : bytes![i]!;
      if (c > maxSpecial && state !== 3) continue;
      if (state === 2) {
        if (c === 0x22) state = 3;
        else if (c === 0x0a) line += 1;
        continue;
      }
      if (state === 3) {
        if (c === 0x22) {
          state = 2; // "" inside a quoted cell is a quote
          continue;
        }
        // Anything else ends the quoting (csv-parse refuses it, or with relax_quotes keeps it).
        state = 0;
      }
      if (c === delimiter) {
        if (i - cellBase > cellBytes) throw this.refuse('cellBytes', recordRow);
        columns += 1;
        if (columns > maxColumns) throw this.refuse('columns', recordRow);
        cellBase = i + 1;
      } else if (c === 0x0a || c === 0x0d) {
        if (i - cellBase > cellBytes) throw this.refuse('cellBytes', recordRow);
        if (i - recordBase > this.limits.lineBytes) throw this.refuse('lineBytes', recordRow);
        if (c === 0x0d) {
          const next = i + 1 < n ? (isText ? text.charCodeAt(i + 1) : bytes![i + 1]) : -1;
          if (next === 0x0a) i += 1;
          else if (next === -1) this.afterCr = true;
        }
        line += 1;
        recordRow = line;
        columns = 1;
        recordBase = i + 1;
        cellBase = i + 1;
      } else if (c === 0x22 && i === cellBase) {
        state = 2; // a quote opens a quoted cell only at its start
      }
    }
    // Lengths are checked at each cell's end and here, before the caller hands the chunk on.
    if (n - cellBase > cellBytes) throw this.refuse('cellBytes', recordRow);
    if (n - recordBase > this.limits.lineBytes) throw this.refuse('lineBytes', recordRow);
    this.state = state;
    this.line = line;
    this.recordRow = recordRow;
    this.columns = columns;
    this.recordCarry = n - recordBase;
    this.cellCarry = n - cellBase;
  }

  private refuse(limit: 'cellBytes' | 'lineBytes' | 'columns', row: number): LimitExceededError {
    const what =
      limit === 'cellBytes'
        ? `a cell is larger than ${formatLimit(limit, this.limits[limit])}`
        : limit === 'lineBytes'
          ? `the line is longer than ${formatLimit(limit, this.limits[limit])}`
          : `more than ${formatLimit(limit, this.limits[limit])} columns`;
    return new LimitExceededError(limit, row, `${what}; ${raiseHint(limit, this.limits)}`);
  }
}

export interface JsonTextProblem {
  code: 'not_text' | 'limit_exceeded';
  limit: LimitName | null;
  /** Without the file name, which the caller puts in front. */
  message: string;
}

/**
 * Checks a JSON export's text before it is parsed: that it is text, no larger than jsonBytes,
 * nests no deeper than jsonDepth and holds no more than jsonRecords records (the items of its
 * top-level list: the array that is the file, or an array that is a property of the object
 * that is the file — `{"data": [...]}`; nested lists such as an order's line items do not
 * count). One pass without recursion; strings are skipped whatever they hold. Null when fine.
 */
export function jsonTextProblem(text: string, limits: Readonly<IngestLimits>): JsonTextProblem | null {
  const exceeded = (limit: LimitName, what: string): JsonTextProblem => ({
    code: 'limit_exceeded',
    limit,
    message: `${what}; ${raiseHint(limit, limits)}`,
  });
  if (text.length > limits.jsonBytes) {
    return exceeded('jsonBytes', `larger than ${formatLimit('jsonBytes', limits.jsonBytes)}`);
  }
  const notText = textProblem(text);
  if (notText !== null) return { code: 'not_text', limit: null, message: notText };

  const maxDepth = limits.jsonDepth;
  // Whether each open container is an array, by depth (bounded by the depth limit).
  const isArray = new Uint8Array(maxDepth + 2);
  let depth = 0;
  let records = 0;
  let line = 1;
  let lineStart = 0;
  // An array at depth 1 or 2 just opened: its first value, if any, is a record.
  let awaitingFirst = false;
  const length = text.length;
  for (let i = 0; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
    if (c === 0x0a) {
      line += 1;
      lineStart = i + 1;
      continue;
    }
    const inList = isArray[depth] === 1 && (depth === 1 || (depth === 2 && isArray[1] === 0));
    if (awaitingFirst) {
      awaitingFirst = false;
      if (c !== 0x5d) records += 1;
    }
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j === -1) return null; // unterminated: JSON.parse says where
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes += 1;
        if (backslashes % 2 === 0) break;
        j += 1;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > maxDepth) {
        const where = `line ${line}, character ${i - lineStart + 1}`;
        const record = records > 0 ? `record ${records} (${where})` : where;
        return exceeded('jsonDepth', `${record}: nested more than ${maxDepth} levels deep`);
      }
      isArray[depth] = c === 0x5b ? 1 : 0;
      awaitingFirst = c === 0x5b && (depth === 1 || (depth === 2 && isArray[1] === 0));
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth -= 1;
    } else if (c === 0x2c && inList) {
      records += 1;
    }
    if (records > limits.jsonRecords) {
      return exceeded('jsonRecords', `more than ${formatLimit('jsonRecords', limits.jsonRecords)} records`);
    }
  }
  return null;
}

/**
 * jsonTextProblem as a conversion issue of the file (`{severity, row, column, code, message}`,
 * code `not_text` or `limit_exceeded`), under the environment's limits unless given: what a
 * JSON reader returns instead of parsing. Null when the text may be parsed.
 */
export function jsonTextIssue(
  text: string,
  fileName: string,
  limits: Readonly<IngestLimits> = limitsFromProcessEnv(),
): { severity: 'error'; row: null; column: null; code: JsonTextProblem['code']; message: string } | null {
  const problem = jsonTextProblem(text, limits);
  if (problem === null) return null;
  return {
    severity: 'error',
    row: null,
    column: null,
    code: problem.code,
    message: `${fileName}: ${problem.message}`,
  };
}
