import { type Options, parse } from 'csv-parse';

/**
 * CSV parsing for every file Caliper reads. csv-parse is used because it streams (a 500 MB
 * export never sits in memory), implements RFC 4180 quoting including newlines inside quoted
 * cells, strips a UTF-8 BOM, is maintained as part of the long-lived node-csv project, runs
 * in the browser as well as in Node, and parses a few hundred thousand rows a second.
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

function countNewlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count += 1;
  }
  return count;
}

/**
 * Reads CSV records from a byte stream. Empty lines are skipped (they hold no data) but still
 * counted, so row numbers match what the user sees when opening the file. A structural error
 * (an unclosed quote) ends the file with a CsvStructureError naming the row.
 */
export async function* readCsvRecords(input: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord> {
  // Rows are numbered as the parser produces records (not as we consume them), so that a
  // structural error names the row it starts on even when records before it are still queued.
  let nextRow = 1;
  const options: Options<CsvRecord, string[]> = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    // Exports edited by hand sometimes mix CRLF and LF; accept either on every line.
    record_delimiter: ['\r\n', '\n', '\r'],
    on_record: (cells: string[]): CsvRecord => {
      const row = nextRow;
      nextRow += 1 + countNewlines(cells);
      return { row, cells };
    },
  };
  // The typings cannot express an on_record that changes the record type.
  const parser = parse(options as unknown as Options);
  const feeding = (async () => {
    try {
      for await (const chunk of input) {
        // The consumer may stop early (a store failure mid-file destroys the parser): stop
        // feeding then instead of waiting for a drain that will never come.
        if (parser.destroyed) return;
        if (!parser.write(chunk)) {
          await new Promise<void>((resolve) => {
            parser.once('drain', resolve);
            parser.once('close', resolve);
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
      yield record;
    }
  } catch (error) {
    if (isCsvParseError(error)) {
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
    error.code.startsWith('CSV_')
  );
}

function describeCsvError(error: CsvParseError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return 'a quoted cell is never closed (a `"` is missing), so the rest of the file cannot be read';
  }
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return 'a closing quote is followed by other characters; quotes inside a quoted cell must be doubled ("")';
  }
  return `the CSV structure is broken (${error.code})`;
}
