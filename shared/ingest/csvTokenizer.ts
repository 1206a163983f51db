/**
 * The CSV records of a text, chunk by chunk, as csv-parse reads them with the options every
 * Caliper reader used (RFC 4180: `,` between cells, `"` around a cell that holds one, `""` for
 * a quote inside; CRLF, LF or a lone CR ends a record; a quote anywhere else is an error; an
 * empty line is a record of one empty cell). csv-parse took a fifth of an ingest's CPU time
 * for what is one pass over the text; this is that pass. The reader's tests hold the two to
 * the same records and errors on every input (tests/shared/ingest/csvTokenizer.test.ts).
 *
 * Chunks may split a record, a cell, a `""` or a CRLF anywhere: the state carries over.
 */

/** csv-parse's codes for the same failures, which the reader turns into messages. */
export type CsvTokenErrorCode =
  'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'INVALID_OPENING_QUOTE' | 'CSV_MAX_RECORD_SIZE';

export class CsvTokenError extends Error {
  constructor(readonly code: CsvTokenErrorCode) {
    super(code);
    this.name = 'CsvTokenError';
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** At a cell's start; in an unquoted cell; in a quoted cell; just after a quote in a quoted cell. */
const enum State {
  Start,
  Unquoted,
  Quoted,
  QuoteSeen,
}

export class CsvTokenizer {
  private state = State.Start;
  private cells: string[] = [];
  /** The current cell's text read from earlier chunks (and, quoted, from before a `""`). */
  private carried = '';
  /** Size of the record's finished cells, in `unitBytes` per code unit. */
  private recordSize = 0;
  /** A CR ended the last chunk: an LF first in the next one belongs to it. */
  private afterCr = false;

  /**
   * `maxRecordBytes`: csv-parse's max_record_size, a record's cells (without delimiters or
   * quotes) in bytes; `unitBytes`: bytes per code unit of the file's encoding (2 for UTF-16;
   * for UTF-8, 1 counts no more than its bytes, and the byte scanner before the reader refuses
   * any line this would).
   */
  constructor(
    private readonly maxRecordBytes = Number.POSITIVE_INFINITY,
    private readonly unitBytes = 1,
  ) {}

  /**
   * Reads `text` (the next chunk), appending each record it completes to `out`. `endsInsideCharacter`:
   * the chunk ends inside a character the decoder holds (so what follows is no delimiter),
   * which decides a quote at the chunk's end as csv-parse, reading bytes, decided it.
   */
  push(text: string, out: string[][], endsInsideCharacter = false): void {
    const n = text.length;
    let i = 0;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    let state = this.state;
    // Where the current cell's text in this chunk starts (Unquoted, Quoted).
    let from = i;
    while (i < n) {
      if (state === State.Quoted) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          this.grow(n - from);
          this.carried += text.slice(from, n);
          i = n;
          break;
        }
        this.grow(quote - from);
        this.carried += text.slice(from, quote);
        state = State.QuoteSeen;
        i = quote + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (state === State.QuoteSeen) {
        if (c === QUOTE) {
          // `""`: one quote in the cell.
          this.grow(1);
          this.carried += '"';
          state = State.Quoted;
          i += 1;
          from = i;
          continue;
        }
        if (c !== COMMA && c !== LF && c !== CR) throw new CsvTokenError('CSV_INVALID_CLOSING_QUOTE');
        // The quote closed the cell: the delimiter is read below.
        i = this.endCell(text, i, this.carried, out);
        state = this.state;
        from = i;
        continue;
      }
      if (state === State.Start) {
        if (c === QUOTE) {
          state = State.Quoted;
          this.carried = '';
          i += 1;
          from = i;
          continue;
        }
        if (c === COMMA || c === LF || c === CR) {
          i = this.endCell(text, i, '', out);
          state = this.state;
          from = i;
          continue;
        }
        state = State.Unquoted;
        this.carried = '';
        from = i;
      }
      // Unquoted: to the next delimiter, quote or line end.
      let j = i;
      let d = c;
      while (d !== COMMA && d !== LF && d !== CR && d !== QUOTE) {
        j += 1;
        if (j === n) break;
        d = text.charCodeAt(j);
      }
      if (j === n) {
        this.carried += text.slice(from, n);
        i = n;
        break;
      }
      if (d === QUOTE) throw new CsvTokenError('INVALID_OPENING_QUOTE');
      const cell = this.carried + text.slice(from, j);
      this.growUnquoted(cell.length);
      i = this.endCell(text, j, cell, out);
      state = this.state;
      from = i;
    }
    this.state = state;
    // An unquoted cell carried over the chunk's end is checked as it stands.
    if (state === State.Unquoted) this.growUnquoted(this.carried.length);
    if (state === State.QuoteSeen && endsInsideCharacter)
      throw new CsvTokenError('CSV_INVALID_CLOSING_QUOTE');
  }

  /** The end of the text: the last record, unless the text ended with its line. */
  end(out: string[][]): void {
    const { state } = this;
    if (state === State.Quoted) throw new CsvTokenError('CSV_QUOTE_NOT_CLOSED');
    if (state === State.QuoteSeen) {
      this.cells.push(this.carried);
    } else if (state === State.Unquoted) {
      // Checked as it stood at the last chunk's end.
      this.cells.push(this.carried);
    } else if (this.cells.length > 0) {
      this.cells.push('');
    } else {
      return;
    }
    out.push(this.cells);
    this.cells = [];
    this.carried = '';
    this.state = State.Start;
  }

  /**
   * Ends the current cell (`cell`) at the delimiter or line end at `i`; answers where reading
   * goes on. A line end ends the record too (CRLF as one, a CR at the chunk's end waiting for
   * the next chunk's LF).
   */
  private endCell(text: string, i: number, cell: string, out: string[][]): number {
    const c = text.charCodeAt(i);
    this.cells.push(cell);
    this.carried = '';
    this.state = State.Start;
    if (c === COMMA) {
      this.recordSize += cell.length * this.unitBytes;
      return i + 1;
    }
    out.push(this.cells);
    this.cells = [];
    this.recordSize = 0;
    if (c === CR) {
      if (i + 1 === text.length) this.afterCr = true;
      else if (text.charCodeAt(i + 1) === LF) return i + 2;
    }
    return i + 1;
  }

  /**
   * csv-parse refuses a record when, before it appends a character of a cell, the record's
   * cells so far are over max_record_size: `count` more characters of the current quoted cell.
   */
  private grow(count: number): void {
    if (count <= 0) return;
    const before = this.recordSize + this.carried.length * this.unitBytes;
    if (before + (count - 1) * this.unitBytes > this.maxRecordBytes)
      throw new CsvTokenError('CSV_MAX_RECORD_SIZE');
  }

  /** The same for an unquoted cell of `length` characters, read whole. */
  private growUnquoted(length: number): void {
    if (length <= 0) return;
    if (this.recordSize + (length - 1) * this.unitBytes > this.maxRecordBytes)
      throw new CsvTokenError('CSV_MAX_RECORD_SIZE');
  }
}
