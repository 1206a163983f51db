/*
 * A stand-in for the Office runtime's `CustomFunctions` global, which exists only inside Excel:
 * the documented `Error` class (code + optional message) and `ErrorCode` enum, installed on
 * globalThis so the add-in builds real-shaped Excel errors under Node.
 */
class CustomFunctionsError {
  code: string;
  message?: string;

  constructor(code: string, message?: string) {
    this.code = code;
    if (message !== undefined) this.message = message;
  }
}

const ErrorCode = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
  invalidName: '#NAME?',
  invalidReference: '#REF!',
} as const;

/** What `CustomFunctions.associate` was called with, by id. */
export const associations = new Map<string, unknown>();

export function installCustomFunctionsRuntime(): void {
  (globalThis as { CustomFunctions?: unknown }).CustomFunctions = {
    Error: CustomFunctionsError,
    ErrorCode,
    associate: (id: string, implementation: unknown) => {
      associations.set(id, implementation);
    },
  };
}

/** `{ code, message }` of an Excel error, for exact assertions. */
export function excelErrorOf(value: unknown): { code: string; message?: string } {
  if (!(value instanceof CustomFunctionsError))
    throw new Error(`expected an Excel error, got ${JSON.stringify(value)}`);
  return value.message === undefined ? { code: value.code } : { code: value.code, message: value.message };
}

/** The Excel error a custom function rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code: string; message?: string }> {
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await promise };
  } catch (error) {
    outcome = { error };
  }
  if ('value' in outcome) throw new Error(`expected an Excel error, got ${JSON.stringify(outcome.value)}`);
  return excelErrorOf(outcome.error);
}
