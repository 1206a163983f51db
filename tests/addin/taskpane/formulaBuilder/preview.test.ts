import type { CaliperFunctions } from '../../../../addin/functions/caliperFunctions';
import { evaluatePreview, PREVIEW_ROWS } from '../../../../addin/taskpane/formulaBuilder/preview';
import {
  cellText,
  formattedNumber,
  serialDate,
  tableCellFormat,
} from '../../../../addin/taskpane/formulaBuilder/previewText';

/** Office's CustomFunctions.Error, as the runtime provides it inside Excel. */
class StandInError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

beforeAll(() => {
  (global as unknown as { CustomFunctions: unknown }).CustomFunctions = {
    Error: StandInError,
    ErrorCode: { notAvailable: '#N/A', invalidValue: '#VALUE!' },
  };
});
afterAll(() => {
  delete (global as unknown as { CustomFunctions?: unknown }).CustomFunctions;
});

/** Functions that answer what the test says, recording the arguments they were called with. */
function functionsAnswering(answer: () => Promise<unknown>, calls: unknown[][]): CaliperFunctions {
  const record = (...args: unknown[]) => {
    calls.push(args);
    return answer();
  };
  return new Proxy({} as CaliperFunctions, { get: () => record });
}

describe('evaluatePreview', () => {
  it('calls the function with the cell’s values, position by position', async () => {
    const calls: unknown[][] = [];
    const preview = await evaluatePreview(
      functionsAnswering(() => Promise.resolve(1234.5), calls),
      'KPI',
      ['L1', 'net_revenue', 'LTM'],
    );
    expect(preview).toEqual({ kind: 'value', value: 1234.5 });
    expect(calls).toEqual([['L1', 'net_revenue', 'LTM', undefined]]);
  });

  it('shows a spill’s first rows and counts them all; a 1×1 spill is one value', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => [`r${i}`, i]);
    const table = await evaluatePreview(
      functionsAnswering(() => Promise.resolve(rows), []),
      'LOCATIONS',
      [],
    );
    expect(table).toEqual({ kind: 'table', firstRows: rows.slice(0, PREVIEW_ROWS), rows: 20 });
    const single = await evaluatePreview(
      functionsAnswering(() => Promise.resolve([[42]]), []),
      'BENCHMARK',
      [],
    );
    expect(single).toEqual({ kind: 'value', value: 42 });
  });

  it('shows the Excel error the cell would show, with its message', async () => {
    const error = new StandInError('#N/A', 'No value for visits 2025 (L1): no data');
    const preview = await evaluatePreview(
      // Excel's functions reject with a CustomFunctions.Error, which is not an Error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      functionsAnswering(() => Promise.reject(error), []),
      'KPI',
      [],
    );
    expect(preview).toEqual({
      kind: 'value',
      value: { error: '#N/A', message: 'No value for visits 2025 (L1): no data' },
    });
    if (preview.kind === 'value') {
      expect(cellText(preview.value, { kind: 'number' })).toBe(
        '#N/A: No value for visits 2025 (L1): no data',
      );
    }
  });
});

describe('the preview’s text', () => {
  it('formats dollars, thousands, percentages, counts and dates', () => {
    expect(formattedNumber(4262031.456, { kind: 'usd', units: '' })).toBe('$4,262,031.46');
    expect(formattedNumber(4262.03, { kind: 'usd', units: 'K' })).toBe('$4,262.03K');
    expect(formattedNumber(-12.5, { kind: 'usd', units: '' })).toBe('−$12.5');
    expect(formattedNumber(0.6742, { kind: 'ratio' })).toBe('67.4%');
    expect(formattedNumber(1234.4, { kind: 'count' })).toBe('1,234');
    expect(serialDate(45658)).toBe('2025-01-01');
  });

  it('shows date columns and TRACE’s start and end as dates', () => {
    expect(tableCellFormat(['Month', 'Forecast'], [45658, 1], 0)).toEqual({ kind: 'date' });
    expect(tableCellFormat(['Month', 'Forecast'], [45658, 1], 1)).toEqual({ kind: 'number' });
    expect(tableCellFormat(['Field', 'Value'], ['start', 45658], 1)).toEqual({ kind: 'date' });
    expect(tableCellFormat(['Field', 'Value'], ['value', 45658], 1)).toEqual({ kind: 'number' });
  });
});
