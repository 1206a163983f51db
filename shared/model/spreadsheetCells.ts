/*
 * What every cell Caliper writes into a spreadsheet receives, decided in one place.
 *
 * Excel reads what a program writes into a cell as if it had been typed: Office.js'
 * `Range.values` turns a text starting with `=`, `+` or `-` into a formula, desktop Excel does
 * the same with `@`, and a vendor export may well name a location `=HYPERLINK("http://…","x")`.
 * So the decision is made by type, never by what a string looks like:
 *
 * - numbers, booleans, dates and blanks are written as themselves;
 * - a string is text, always. Where Excel would read it as anything else — a formula (OWASP's
 *   CSV-injection list: `=` `+` `-` `@` tab, carriage return), a number, a date, a boolean, an
 *   error, or a text whose own first character is `'` — it is written behind Excel's quote
 *   prefix `'`, which Excel keeps beside the cell (the formula bar shows it), not in its value:
 *   the cell shows and holds the original text, and editing it later keeps it text;
 * - a formula is a `CaliperFormula`, made only by the `formula` template tag from Caliper's
 *   own template text, with every interpolated part escaped for where it goes: text as a
 *   quoted string literal (quotes doubled), references checked against A1 syntax, numbers
 *   finite, other CaliperFormulas nested in parentheses. No string becomes one.
 *
 * Pure (no Office.js): the add-in renders it with `officeWrite`; a file writer can read the
 * `CellInput` kinds directly.
 */

// ---------------------------------------------------------------------------------------------
// Text

/** First characters that start a formula, per OWASP's CSV-injection guidance. */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

/** Excel's quote prefix: typed before a text, it keeps the text a text and is not part of it. */
export const QUOTE_PREFIX = "'";

/** Whether a text, typed into a cell or opened from a CSV, would start a formula. */
export function startsFormula(text: string): boolean {
  return FORMULA_TRIGGERS.some((trigger) => text.startsWith(trigger));
}

const PLAIN_TEXT = /^\p{L}\P{Nd}*$/u;
const BOOLEAN_TEXT = /^\s*(true|false)\s*$/i;

/**
 * Whether Excel, given this text as typed input, keeps exactly this text: it starts with a
 * letter (so no formula, no quote prefix of its own) and holds no digit (so no number, date,
 * time, percentage or error), and it is not TRUE or FALSE.
 */
export function typesAsItself(text: string): boolean {
  return PLAIN_TEXT.test(text) && !BOOLEAN_TEXT.test(text);
}

/** Whether a text is written behind the quote prefix. Always when it would start a formula. */
export function needsQuotePrefix(text: string): boolean {
  return startsFormula(text) || !typesAsItself(text);
}

// ---------------------------------------------------------------------------------------------
// Errors

/** The error values Excel accepts as typed constants. */
export const EXCEL_ERRORS = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A'] as const;
export type ExcelErrorCode = (typeof EXCEL_ERRORS)[number];

/** An error value to write as an error (a snapshot keeps `#N/A` an error, not a text). */
export class ExcelError {
  declare private readonly brand: never;
  private constructor(readonly code: ExcelErrorCode) {
    Object.freeze(this);
  }

  /** The error a code names, or null when it is not one Excel takes as a constant. */
  static of(code: string): ExcelError | null {
    const known = EXCEL_ERRORS.find((e) => e === code.toUpperCase());
    return known === undefined ? null : new ExcelError(known);
  }
}

// ---------------------------------------------------------------------------------------------
// Formulas Caliper authors

/** A text argument, written as a quoted string literal. */
export interface TextPart {
  readonly kind: 'text';
  readonly text: string;
}

/** A cell or range reference, checked against A1 syntax. */
export interface RefPart {
  readonly kind: 'ref';
  readonly reference: string;
}

/** What may be interpolated into `formula`: never a bare string. */
export type FormulaPart = TextPart | RefPart | number | CaliperFormula;

/** Excel's longest string constant inside a formula. */
const MAX_LITERAL = 255;

/** Parts made by `textLiteral` and `cellRef`: the only objects a formula interpolates. */
const madeParts = new WeakSet<object>();

function made<T extends TextPart | RefPart>(part: T): T {
  madeParts.add(Object.freeze(part));
  return part;
}

/** A text argument: `textLiteral('The "Spa"')` is written `"The ""Spa"""`. */
export function textLiteral(text: string): TextPart {
  if (typeof text !== 'string') throw new TypeError('textLiteral takes a string');
  return made({ kind: 'text', text });
}

const CELL = String.raw`\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}`;
const A1_REFERENCE = new RegExp(`^${CELL}(?::${CELL})?$`);
const SHEET_NAME = /^[^[\]:*?/\\]{1,31}$/;

/** A reference such as `$B$2` or `B5:B9`, optionally on a named sheet (quoted as Excel does). */
export function cellRef(reference: string, sheet?: string): RefPart {
  if (typeof reference !== 'string' || !A1_REFERENCE.test(reference)) {
    throw new TypeError(`Not an A1 reference: ${String(reference)}`);
  }
  if (sheet === undefined) return made({ kind: 'ref', reference });
  if (!SHEET_NAME.test(sheet) || sheet.startsWith("'") || sheet.endsWith("'")) {
    throw new TypeError(`Not a sheet name: ${sheet}`);
  }
  return made({ kind: 'ref', reference: `'${sheet.replace(/'/g, "''")}'!${reference}` });
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Longer texts are joined from literals Excel accepts, never split inside a character. */
function literal(text: string): string {
  if (text.length <= MAX_LITERAL) return quoted(text);
  const chunks: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (chunk.length + char.length > MAX_LITERAL) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  chunks.push(chunk);
  return `(${chunks.map(quoted).join('&')})`;
}

function rendered(part: unknown): string {
  if (part instanceof CaliperFormula) return `(${part.text.slice(1)})`;
  if (typeof part === 'number') {
    if (!Number.isFinite(part)) throw new TypeError(`A formula number must be finite: ${part}`);
    return part < 0 ? `(${String(part)})` : String(part);
  }
  if (typeof part === 'object' && part !== null && madeParts.has(part)) {
    const p = part as TextPart | RefPart;
    return p.kind === 'text' ? literal(p.text) : p.reference;
  }
  throw new TypeError('A formula part is textLiteral(…), cellRef(…), a number or a CaliperFormula');
}

const MINT: unique symbol = Symbol('CaliperFormula');

/**
 * A formula Caliper wrote, from its own template text and escaped parts. The only way to make
 * one is the `formula` tag; anything else Caliper writes is a value.
 */
export class CaliperFormula {
  declare private readonly brand: never;
  /** The formula's text, starting with `=`. */
  readonly text: string;

  private constructor(key: typeof MINT, text: string) {
    if (key !== MINT) throw new TypeError('A CaliperFormula is made with the formula`…` tag');
    this.text = text;
    Object.freeze(this);
  }

  /** The `formula` tag (see there). */
  static of(strings: TemplateStringsArray, ...parts: FormulaPart[]): CaliperFormula {
    // A template literal's strings are frozen and carry `raw`: the template is source code.
    const raw: unknown = (strings as { raw?: unknown } | null)?.raw;
    if (!Object.isFrozen(strings) || !Array.isArray(raw)) {
      throw new TypeError('formula is a template tag: formula`=…`');
    }
    const head = strings[0] ?? '';
    if (!head.startsWith('=')) throw new TypeError('A formula starts with =');
    let text = head;
    parts.forEach((part, i) => {
      text += rendered(part) + (strings[i + 1] ?? '');
    });
    return new CaliperFormula(MINT, text);
  }
}

/**
 * A formula from a template literal whose parts are escaped for where they sit:
 * formula`=CALIPER.KPI(${textLiteral(metric)},${textLiteral(scope)},${cellRef('$B$2')})`.
 * A bare string cannot be interpolated (by type, and at run time).
 */
export const formula: (strings: TemplateStringsArray, ...parts: FormulaPart[]) => CaliperFormula = (
  strings,
  ...parts
) => CaliperFormula.of(strings, ...parts);

// ---------------------------------------------------------------------------------------------
// Cells

/** Anything Caliper writes into a cell. A string is text, whatever it starts with. */
export type CellValue = string | number | boolean | Date | null | undefined | CaliperFormula | ExcelError;

/** What a cell receives, as a writer-neutral description. */
export type CellInput =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  /** `serial`: the 1900 date system's day number (fraction = time of day, in UTC). */
  | { kind: 'date'; value: Date; serial: number }
  /** `quotePrefix`: written behind `'` so Excel keeps it text (see `needsQuotePrefix`). */
  | { kind: 'text'; text: string; quotePrefix: boolean }
  | { kind: 'error'; code: ExcelErrorCode }
  | { kind: 'formula'; formula: CaliperFormula };

const MS_PER_DAY = 86_400_000;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Excel's serial for a date (exact from 1900-03-01, Excel's own leap-year quirk aside). */
export function excelSerial(date: Date): number {
  return (date.getTime() - EXCEL_EPOCH_MS) / MS_PER_DAY;
}

/** How one value is written. Throws on anything that is not a `CellValue`. */
export function cellInput(value: CellValue): CellInput {
  if (value === null || value === undefined || value === '') return { kind: 'empty' };
  if (value instanceof CaliperFormula) return { kind: 'formula', formula: value };
  if (value instanceof ExcelError) return { kind: 'error', code: value.code };
  if (value instanceof Date) {
    const serial = excelSerial(value);
    return Number.isFinite(serial) && serial >= 0
      ? { kind: 'date', value, serial }
      : { kind: 'error', code: '#NUM!' };
  }
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'error', code: '#NUM!' };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'string':
      return { kind: 'text', text: value, quotePrefix: needsQuotePrefix(value) };
    default:
      throw new TypeError(`Not a cell value: ${typeof value}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Office.js

/** One cell as `Range.values` receives it. */
export type OfficeValue = string | number | boolean;

/** The value written through `Range.values`, or null for a formula (written through `formulas`). */
export function officeValue(input: CellInput): OfficeValue | null {
  switch (input.kind) {
    case 'empty':
      return '';
    case 'number':
    case 'boolean':
      return input.value;
    case 'date':
      return input.serial;
    case 'text':
      return input.quotePrefix ? QUOTE_PREFIX + input.text : input.text;
    case 'error':
      return input.code;
    case 'formula':
      return null;
  }
}

/**
 * A block of cells as two Office.js writes: `values` (null where a formula goes) and
 * `formulas` (null everywhere else). Office.js leaves a cell alone where a matrix holds null,
 * so the two never overwrite each other; either is null when it has nothing to write.
 */
export interface OfficeWrite {
  values: (OfficeValue | null)[][] | null;
  formulas: (string | null)[][] | null;
}

export function officeWrite(rows: readonly (readonly CellValue[])[]): OfficeWrite {
  const inputs = rows.map((row) => row.map(cellInput));
  const values = inputs.map((row) => row.map(officeValue));
  const formulas = inputs.map((row) => row.map((c) => (c.kind === 'formula' ? c.formula.text : null)));
  return {
    values: values.some((row) => row.some((v) => v !== null)) ? values : null,
    formulas: formulas.some((row) => row.some((f) => f !== null)) ? formulas : null,
  };
}
