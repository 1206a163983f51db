import crypto from 'node:crypto';

import { readVendorCsv, VendorCsvError } from '../../../shared/connectors/vendorCsv';
import { DEFAULT_LIMITS, type IngestLimits } from '../../../shared/ingest/limits';

function refusal(text: string, limits?: IngestLimits): VendorCsvError {
  try {
    readVendorCsv(text, limits);
  } catch (error) {
    if (error instanceof VendorCsvError) return error;
    throw error;
  }
  throw new Error('the file was read');
}

const HEADER = 'Date,Center,Amount\n2024-01-02,Austin,10.00\n';

describe('limits of the vendor CSV reader', () => {
  it('refuses a line longer than the limit, naming the row and the limit', () => {
    const error = refusal(`${HEADER}2024-01-03,${'x'.repeat(5000)},1\n`, {
      ...DEFAULT_LIMITS,
      lineBytes: 1024,
    });
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^row 3: .*longer than 1 KiB.*CALIPER_LIMIT_LINE_BYTES/);
    expect(error.message).not.toContain('xxxx');
  });

  it('refuses a cell larger than the limit, also in a quoted cell over several lines', () => {
    const error = refusal(`${HEADER}2024-01-03,"${'note\n'.repeat(100)}",1\n`, {
      ...DEFAULT_LIMITS,
      cellBytes: 128,
    });
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^row 3: a cell .*larger than 128 bytes.*CALIPER_LIMIT_CELL_BYTES/);
  });

  it('refuses more columns than the limit, with the separator the file uses', () => {
    const error = refusal(`Date;Center;Amount\n${'1;'.repeat(50)}1\n`, { ...DEFAULT_LIMITS, columns: 20 });
    expect(error.row).toBe(2);
    expect(error.message).toMatch(/^row 2: more than 20 columns.*CALIPER_LIMIT_COLUMNS/);
  });

  it('refuses random binary as not a text file without echoing it', () => {
    const error = refusal(crypto.randomBytes(8192).toString('utf8'));
    expect(error.row).toBeNull();
    expect(error.message).toMatch(/^not a text file/);
    expect(error.message).toMatch(/^[\x20-\x7e]*$/);
  });

  it('reads a file within the limits as before', () => {
    const csv = readVendorCsv(HEADER, { ...DEFAULT_LIMITS, columns: 3, lineBytes: 64 });
    expect(csv.headers).toEqual(['Date', 'Center', 'Amount']);
    expect(csv.rows).toEqual([{ row: 2, cells: ['2024-01-02', 'Austin', '10.00'] }]);
  });
});
