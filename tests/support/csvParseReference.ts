import { type Options, parse } from 'csv-parse';

import {
  checkParsedRecord,
  countNewlines,
  CsvLimitError,
  type CsvRecord,
  CsvStructureError,
  textOnly,
} from '../../shared/ingest/csvRecords';
import {
  CsvLimitScanner,
  type IngestLimits,
  LimitExceededError,
  limitsFromProcessEnv,
  raiseHint,
} from '../../shared/ingest/limits';

/*
 * The CSV reader as it was built on csv-parse (until 2026-12-05), kept as the reference the
 * tokenizer's records and errors are held to (tests/shared/ingest/csvTokenizer.test.ts): the
 * same options, row numbering, limits and error mapping, word for word (the row numbering and
 * the parsed records' limit check are the reader's own, unchanged).
 */

/**
 * Reads CSV records from a byte stream. Empty lines are skipped (they hold no data) but still
 * counted, so row numbers match what the user sees when opening the file. A structural error
 * (an unclosed quote) ends the file with a CsvStructureError naming the row; a line, a cell or
 * a header over `limits` (by default the CALIPER_LIMIT_* of the environment) with a
 * CsvLimitError naming the row and the limit, as soon as the stream reaches it and before the
 * parser holds it; a file that is not text with a NotTextError, before any record.
 */
export async function* readCsvRecordsWithCsvParse(
  input: AsyncIterable<Buffer | string>,
  limits: Readonly<IngestLimits> = limitsFromProcessEnv(),
): AsyncGenerator<CsvRecord> {
  // Rows are numbered as the parser produces records (not as we consume them), so that a
  // structural error names the row it starts on even when records before it are still queued.
  let nextRow = 1;
  const options: Options<CsvRecord, string[]> = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    // Exports edited by hand sometimes mix CRLF and LF; accept either on every line.
    record_delimiter: ['\r\n', '\n', '\r'],
    // The scanner below refuses a long record first, naming its row; this is the parser's own guard.
    max_record_size: limits.lineBytes,
    on_record: (cells: string[]): CsvRecord => {
      const row = nextRow;
      nextRow += 1 + countNewlines(cells);
      return { row, cells };
    },
  };
  // The typings cannot express an on_record that changes the record type.
  const parser = parse(options as unknown as Options);
  const scanner = new CsvLimitScanner(limits);
  const feeding = (async () => {
    try {
      for await (const chunk of textOnly(input)) {
        // The consumer may stop early (a store failure mid-file destroys the parser): stop
        // feeding then instead of waiting for a drain that will never come.
        if (parser.destroyed) return;
        scanner.feed(chunk);
        if (!parser.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              parser.off('drain', done);
              parser.off('close', done);
              resolve();
            };
            parser.once('drain', done);
            parser.once('close', done);
          });
        }
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      if (record.cells.length === 1 && record.cells[0] === '') continue;
      checkParsedRecord(record, limits);
      yield record;
    }
  } catch (error) {
    if (error instanceof LimitExceededError) {
      throw new CsvLimitError(error.row ?? nextRow, error.reason, error.limit);
    }
    if (isCsvParseError(error)) {
      if (error.code === 'CSV_MAX_RECORD_SIZE') {
        throw new CsvLimitError(
          nextRow,
          `the line is longer than the limit; ${raiseHint('lineBytes', limits)}`,
          'lineBytes',
        );
      }
      throw new CsvStructureError(nextRow, describeCsvError(error));
    }
    throw error;
  } finally {
    await feeding;
  }
}

interface CsvParseError {
  code: string;
  message: string;
}

function isCsvParseError(error: unknown): error is CsvParseError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    (error.code.startsWith('CSV_') || error.code === 'INVALID_OPENING_QUOTE')
  );
}

function describeCsvError(error: CsvParseError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return 'a quoted cell is never closed (a `"` is missing), so the rest of the file cannot be read';
  }
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return 'a closing quote is followed by other characters; quotes inside a quoted cell must be doubled ("")';
  }
  if (error.code === 'INVALID_OPENING_QUOTE') {
    return 'a quote inside a cell that does not start with one; a cell holding quotes must be quoted, its quotes doubled ("")';
  }
  // csv-parse's own message quotes the content it choked on: the code says enough.
  return `the CSV structure is broken (${error.code})`;
}
