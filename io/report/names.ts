/*
 * Addresses and the names Excel accepts (sheets, tables, defined names), checked before a
 * byte is written: Excel "repairs" a file with a bad name by deleting the part, silently.
 */

/** A spec Excel could not open as written (a bad or duplicate name, an unknown column…). */
export class ReportSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportSpecError';
  }
}

/** The letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** `C5`, or `$C$5` when absolute. */
export function address(column: number, row: number, absolute = false): string {
  const d = absolute ? '$' : '';
  return `${d}${columnLetters(column)}${d}${row}`;
}

/** A sheet name as a formula or defined name refers to it: always quoted, quotes doubled. */
export function quotedSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

const SHEET_FORBIDDEN = /[\\/?*[\]:]/;

export function checkSheetName(name: string): void {
  if (name.length === 0 || name.length > 31) {
    throw new ReportSpecError(`Sheet name must be 1–31 characters: "${name}"`);
  }
  if (SHEET_FORBIDDEN.test(name) || name.startsWith("'") || name.endsWith("'")) {
    throw new ReportSpecError(`Sheet name may not hold \\ / ? * [ ] : or start or end with ': "${name}"`);
  }
  if ([...name].some((c) => c.charCodeAt(0) < 0x20))
    throw new ReportSpecError(`Sheet name holds a control character: "${name}"`);
  if (name.toLowerCase() === 'history') throw new ReportSpecError('Excel reserves the sheet name "History"');
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const DEFINED_NAME = /^[A-Za-z_\\][A-Za-z0-9_.\\]{0,254}$/;
/** A1 (`AB12`) or R1C1 (`R`, `C`, `R1C2`, `RC3`) lookalikes, which Excel refuses as names. */
const CELL_LIKE = /^([A-Za-z]{1,3}[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*|[Rr][0-9]+|[Cc][0-9]+)$/;

/** A table name per the spec (letters, digits, underscores) that Excel also accepts. */
export function checkTableName(name: string): void {
  if (!TABLE_NAME.test(name) || CELL_LIKE.test(name)) {
    throw new ReportSpecError(
      `Table name must be letters, digits and underscores, start with a letter or _, and not look like a cell reference: "${name}"`,
    );
  }
}

/** A workbook-level defined name Excel accepts. */
export function checkDefinedName(name: string): void {
  if (!DEFINED_NAME.test(name) || CELL_LIKE.test(name)) {
    throw new ReportSpecError(
      `Named cell must start with a letter or _, hold letters, digits, _ or . and not look like a cell reference: "${name}"`,
    );
  }
}

/** Remembers names case-insensitively (as Excel compares them) and refuses a second use. */
export class NameRegistry {
  private readonly seen = new Map<string, string>();

  constructor(private readonly what: string) {}

  claim(name: string, owner: string): void {
    const key = name.toUpperCase();
    const previous = this.seen.get(key);
    if (previous !== undefined) {
      throw new ReportSpecError(`${this.what} "${name}" is used twice (${previous} and ${owner})`);
    }
    this.seen.set(key, owner);
  }
}
