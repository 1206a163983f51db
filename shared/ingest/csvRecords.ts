import { CsvTokenError, type CsvTokenErrorCode, CsvTokenizer } from './csvTokenizer';
import {
  CsvLimitScanner,
  formatLimit,
  type IngestLimits,
  LimitExceededError,
  type LimitName,
  limitsFromProcessEnv,
  NotTextError,
  raiseHint,
  TEXT_SNIFF_BYTES,
  textProblem,
} from './limits';

/**
 * CSV parsing for every canonical file Caliper reads: streamed (a 500 MB export never sits in
 * memory), RFC 4180 quoting including newlines inside quoted cells, a UTF-8 or UTF-16 BOM. The
 * records are csv-parse's (the reader was built on it and its tests hold the two to the same
 * records and errors); the tokenizer is our own one pass, a third of csv-parse's time per row
 * (csvTokenizer.ts).
 */

export interface CsvRecord {
  /** 1-based line where the record starts, as Excel shows it (the header is row 1). */
  row: number;
  cells: string[];
}

export class CsvStructureError extends Error {
  constructor(
    readonly row: number,
    readonly reason: string,
  ) {
    super(`row ${row}: ${reason}`);
    this.name = 'CsvStructureError';
  }
}

/** A record over one of the ingest limits (a line, a cell, the columns): the file is refused at that row. */
export class CsvLimitError extends CsvStructureError {
  constructor(
    row: number,
    reason: string,
    readonly limit: LimitName,
  ) {
    super(row, reason);
    this.name = 'CsvLimitError';
  }
}

export function countNewlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count += 1;
  }
  return count;
}

/**
 * The chunks of `input`, held back until its first TEXT_SNIFF_BYTES bytes are known to be
 * text: a binary file is refused as a NotTextError before any of it reaches a parser (whose
 * errors would quote it).
 */
export async function* textOnly<T extends Buffer | string>(input: AsyncIterable<T>): AsyncGenerator<T> {
  const held: T[] = [];
  let heldBytes = 0;
  const check = () => {
    const start = held.every((c) => typeof c === 'string')
      ? held.join('')
      : Buffer.concat(held.map((c): Buffer => (typeof c === 'string' ? Buffer.from(c) : c)));
    const problem = textProblem(start);
    if (problem !== null) throw new NotTextError(problem);
  };
  let checked = false;
  for await (const chunk of input) {
    if (checked) {
      yield chunk;
      continue;
    }
    held.push(chunk);
    heldBytes += chunk.length;
    if (heldBytes < TEXT_SNIFF_BYTES) continue;
    check();
    checked = true;
    yield* held.splice(0);
  }
  if (!checked) {
    check();
    yield* held;
  }
}

/**
 * Reads CSV records from a byte stream. Empty lines are skipped (they hold no data) but still
 * counted, so row numbers match what the user sees when opening the file. A structural error
 * (an unclosed quote) ends the file with a CsvStructureError naming the row; a line, a cell or
 * a header over `limits` (by default the CALIPER_LIMIT_* of the environment) with a
 * CsvLimitError naming the row and the limit, as soon as the stream reaches it and before the
 * tokenizer holds it; a file that is not text with a NotTextError, before any record. The
 * records before a broken one are answered first.
 */
export async function* readCsvRecords(
  input: AsyncIterable<Buffer | string>,
  limits: Readonly<IngestLimits> = limitsFromProcessEnv(),
): AsyncGenerator<CsvRecord> {
  let nextRow = 1;
  const scanner = new CsvLimitScanner(limits);
  const decoder = new CsvTextDecoder();
  let tokenizer: CsvTokenizer | null = null;
  const completed: string[][] = [];
  // Each record is numbered as it is made: a record spans its row and one more per newline in its cells.
  function* numbered(): Generator<CsvRecord> {
    for (const cells of completed) {
      const row = nextRow;
      nextRow += 1 + countNewlines(cells);
      if (cells.length === 1 && cells[0] === '') continue;
      const record = { row, cells };
      checkParsedRecord(record, limits);
      yield record;
    }
    completed.length = 0;
  }
  const tokenize = (text: string | null): Error | null => {
    // Made once the first characters are decoded: the encoding is known then.
    if (text === '') return null;
    tokenizer ??= new CsvTokenizer(limits.lineBytes, decoder.unitBytes);
    try {
      if (text === null) tokenizer.end(completed);
      else tokenizer.push(text, completed, decoder.holdsPartOfCharacter);
      return null;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  try {
    for await (const chunk of textOnly(input)) {
      scanner.feed(chunk);
      const failed = tokenize(decoder.decode(chunk));
      yield* numbered();
      if (failed !== null) throw failed;
    }
    const failed = tokenize(decoder.end()) ?? tokenize(null);
    yield* numbered();
    if (failed !== null) throw failed;
  } catch (error) {
    if (error instanceof LimitExceededError) {
      throw new CsvLimitError(error.row ?? nextRow, error.reason, error.limit);
    }
    if (error instanceof CsvTokenError) {
      if (error.code === 'CSV_MAX_RECORD_SIZE') {
        throw new CsvLimitError(
          nextRow,
          `the line is longer than the limit; ${raiseHint('lineBytes', limits)}`,
          'lineBytes',
        );
      }
      throw new CsvStructureError(nextRow, describeCsvError(error.code));
    }
    throw error;
  }
}

/**
 * A file's bytes as text, chunk by chunk (a character split between chunks comes whole): UTF-8,
 * its byte-order mark dropped, or UTF-16LE when it starts with that byte-order mark (Excel's
 * "Unicode Text"), as csv-parse's `bom` option read them. Text chunks are read as they are, a
 * byte-order mark first dropped.
 */
class CsvTextDecoder {
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  /** The first byte, held until the second tells whether the file is UTF-16LE. */
  private held: Uint8Array | null = null;
  private started = false;
  /** The last bytes decoded (at most 3): whether they end inside a UTF-8 character. */
  private tail: Uint8Array = new Uint8Array(0);
  unitBytes = 1;

  /** Whether the bytes so far end inside a UTF-8 character (the decoder holds its first bytes). */
  get holdsPartOfCharacter(): boolean {
    return this.unitBytes === 1 && endsInsideUtf8Character(this.tail);
  }

  decode(chunk: Buffer | string): string {
    if (typeof chunk === 'string') {
      const first = !this.started;
      this.started = true;
      return first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    }
    let bytes: Uint8Array = chunk;
    if (this.decoder === null) {
      if (this.held !== null) {
        bytes = Buffer.concat([this.held, bytes]);
        this.held = null;
      }
      if (bytes.length < 2) {
        this.held = bytes;
        return '';
      }
      const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
      this.unitBytes = utf16 ? 2 : 1;
      this.decoder = new TextDecoder(utf16 ? 'utf-16le' : 'utf-8');
    }
    this.started = true;
    const joined = bytes.length >= 3 ? bytes : Buffer.concat([this.tail, bytes]);
    this.tail = joined.subarray(Math.max(0, joined.length - 3));
    return this.decoder.decode(bytes, { stream: true });
  }

  /** What the decoder still holds (an incomplete character: its replacement). */
  end(): string {
    if (this.held !== null) {
      this.decoder = new TextDecoder('utf-8');
      const text = this.decoder.decode(this.held);
      this.held = null;
      return text;
    }
    return this.decoder === null ? '' : this.decoder.decode();
  }
}

/** Whether `last` (a stream's last bytes, at most 3) ends inside a UTF-8 character: its lead byte wants more. */
function endsInsideUtf8Character(last: Uint8Array): boolean {
  let i = last.length - 1;
  let continuations = 0;
  while (i >= 0 && (last[i]! & 0xc0) === 0x80) {
    i -= 1;
    continuations += 1;
  }
  if (i < 0) return false;
  const lead = last[i]!;
  const wanted =
    lead >= 0xf0 && lead < 0xf8 ? 3 : lead >= 0xe0 && lead < 0xf0 ? 2 : lead >= 0xc0 && lead < 0xe0 ? 1 : 0;
  return wanted > continuations;
}

/**
 * The scanner reads bytes as ASCII-compatible text; a UTF-16 file (which textOnly lets through
 * with its byte-order mark, and csv-parse decodes) holds code units whose bytes look like a
 * newline or a comma to it, so its cells and columns are checked again as parsed. (Its lines
 * are held by the parser's own max_record_size.) A UTF-8 cell has no more characters than bytes,
 * so this never refuses what the scanner let through.
 */
export function checkParsedRecord(record: CsvRecord, limits: Readonly<IngestLimits>): void {
  const { cells } = record;
  if (cells.length > limits.columns) {
    throw new CsvLimitError(
      record.row,
      `more than ${formatLimit('columns', limits.columns)} columns; ${raiseHint('columns', limits)}`,
      'columns',
    );
  }
  for (const cell of cells) {
    if (cell.length > limits.cellBytes) {
      throw new CsvLimitError(
        record.row,
        `a cell is larger than ${formatLimit('cellBytes', limits.cellBytes)}; ${raiseHint('cellBytes', limits)}`,
        'cellBytes',
      );
    }
  }
}

function describeCsvError(code: CsvTokenErrorCode): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return 'a quoted cell is never closed (a `"` is missing), so the rest of the file cannot be read';
  }
  if (code === 'CSV_INVALID_CLOSING_QUOTE') {
    return 'a closing quote is followed by other characters; quotes inside a quoted cell must be doubled ("")';
  }
  if (code === 'INVALID_OPENING_QUOTE') {
    return 'a quote inside a cell that does not start with one; a cell holding quotes must be quoted, its quotes doubled ("")';
  }
  return `the CSV structure is broken (${code})`;
}
