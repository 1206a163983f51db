/*
 * The one place a failure becomes an Excel error. Everything the custom functions cannot answer
 * ends as `#N/A` (nothing to show: unknown name, no data, no connection, no answer in time) or
 * `#VALUE!` (the arguments are wrong), always with a message — never a silent 0.
 */
import { CaliperApiError } from '../api/caliperClient';

export type ExcelErrorKind = 'notAvailable' | 'invalidValue';

/** A failure the custom functions detect themselves, already classified. */
export class CaliperFunctionError extends Error {
  readonly kind: ExcelErrorKind;

  constructor(kind: ExcelErrorKind, message: string) {
    super(message);
    this.name = 'CaliperFunctionError';
    this.kind = kind;
  }
}

export function invalidArgument(message: string): CaliperFunctionError {
  return new CaliperFunctionError('invalidValue', message);
}

export function notAvailable(message: string): CaliperFunctionError {
  return new CaliperFunctionError('notAvailable', message);
}

/** Excel shows the message in the cell's error tooltip; a short one stays readable there. */
const MAX_MESSAGE_LENGTH = 255;

function shortened(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

/** `new CustomFunctions.Error(...)`: the Office runtime's class, present only inside Excel. */
export function excelError(kind: ExcelErrorKind, message: string): CustomFunctions.Error {
  return new CustomFunctions.Error(CustomFunctions.ErrorCode[kind], shortened(message));
}

const NOT_CONNECTED = 'Not connected to Caliper: open the Caliper pane and connect';

/** API error codes that mean the arguments are wrong rather than that there is nothing to show. */
const INVALID_VALUE_CODES = new Set(['bad_request', 'invalid_period', 'invalid_json', 'scope_not_supported']);

/** Codes that mean the caller has no usable connection, whatever the request. */
const NOT_CONNECTED_CODES = new Set(['network_error', 'unauthorized', 'forbidden']);

/** An API error (a failed response or a batch slot) classified for Excel. */
export function classifyApiError(code: string, status: number | null, message: string): CaliperFunctionError {
  if (NOT_CONNECTED_CODES.has(code) || status === 0 || status === 401 || status === 403) {
    return notAvailable(`${NOT_CONNECTED} (${message})`);
  }
  if (INVALID_VALUE_CODES.has(code)) return invalidArgument(message);
  return notAvailable(message);
}

/** An error slot of a batch answer, as the Excel error it stands for. */
export function apiErrorToExcel(error: { code: string; message: string }): CustomFunctions.Error {
  return toExcelError(classifyApiError(error.code, null, error.message));
}

export function toExcelError(error: unknown): CustomFunctions.Error {
  if (error instanceof CaliperFunctionError) return excelError(error.kind, error.message);
  if (error instanceof CaliperApiError)
    return toExcelError(classifyApiError(error.code, error.status, error.message));
  // A bug in the add-in: still a real error in the cell, with what went wrong.
  const message = error instanceof Error ? error.message : String(error);
  return excelError('notAvailable', `Caliper add-in error: ${message}`);
}

/** True when the value is an Excel error built by `excelError` (or the runtime). */
export function isExcelError(value: unknown): value is CustomFunctions.Error {
  return typeof CustomFunctions !== 'undefined' && value instanceof CustomFunctions.Error;
}
