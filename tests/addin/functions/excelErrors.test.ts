import { CaliperApiError } from '../../../addin/api/caliperClient';
import {
  apiErrorToExcel,
  invalidArgument,
  notAvailable,
  toExcelError,
} from '../../../addin/functions/excelErrors';
import { excelErrorOf, installCustomFunctionsRuntime } from './customFunctionsRuntime';

beforeAll(installCustomFunctionsRuntime);

const NOT_CONNECTED = 'Not connected to Caliper: open the Caliper pane and connect';

describe('toExcelError', () => {
  it('keeps the kind and message of failures the functions classify themselves', () => {
    expect(excelErrorOf(toExcelError(invalidArgument('start 2024-02 is after end 2024-01')))).toEqual({
      code: '#VALUE!',
      message: 'start 2024-02 is after end 2024-01',
    });
    expect(excelErrorOf(toExcelError(notAvailable("Unknown location 'Nowhere'")))).toEqual({
      code: '#N/A',
      message: "Unknown location 'Nowhere'",
    });
  });

  it.each([
    ['unknown_metric', 404, '#N/A'],
    ['unknown_location', 404, '#N/A'],
    ['unknown_provider', 404, '#N/A'],
    ['no_data', 404, '#N/A'],
    ['invalid_period', 400, '#VALUE!'],
    ['bad_request', 400, '#VALUE!'],
    ['scope_not_supported', 400, '#VALUE!'],
    ['internal', 500, '#N/A'],
  ])('maps the API error %s (%i) to %s with the API message', (code, status, excel) => {
    expect(excelErrorOf(toExcelError(new CaliperApiError(status, code, 'what the API said')))).toEqual({
      code: excel,
      message: 'what the API said',
    });
  });

  it.each([
    [0, 'network_error'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
  ])('tells the user to connect when the API answers %i %s', (status, code) => {
    expect(excelErrorOf(toExcelError(new CaliperApiError(status, code, 'details')))).toEqual({
      code: '#N/A',
      message: `${NOT_CONNECTED} (details)`,
    });
  });

  it('shows an add-in bug as #N/A with its message rather than a value', () => {
    expect(excelErrorOf(toExcelError(new TypeError('x is undefined')))).toEqual({
      code: '#N/A',
      message: 'Caliper add-in error: x is undefined',
    });
  });

  it('shortens a message to 255 characters, the end replaced by an ellipsis', () => {
    const message = excelErrorOf(toExcelError(invalidArgument('x'.repeat(300)))).message ?? '';
    expect(message).toHaveLength(255);
    expect(message.endsWith('x…')).toBe(true);
  });
});

describe('apiErrorToExcel', () => {
  it('maps an error slot of a batch answer the same way', () => {
    expect(
      excelErrorOf(apiErrorToExcel({ code: 'unknown_metric', message: 'Unknown metric "nope"' })),
    ).toEqual({
      code: '#N/A',
      message: 'Unknown metric "nope"',
    });
    expect(excelErrorOf(apiErrorToExcel({ code: 'invalid_period', message: 'Unrecognized period' }))).toEqual(
      {
        code: '#VALUE!',
        message: 'Unrecognized period',
      },
    );
  });
});
