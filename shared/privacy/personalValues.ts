import { holdsContactOrNumber, looksLikeFreeText, looksLikePersonName, redactMessage } from './redact';

/*
 * Which extra (non-canonical) columns of a file that carries patients or leads may be kept.
 * Personal data is recognized by its VALUES, not by the header: a column is kept only when none
 * of its values could be personal data — an allow-list of value shapes, not a deny-list of
 * header words (`Client`, `contact`, `notes` hold names, emails and phones under headers no
 * list foresees).
 *
 * Personal (the column, or the cell, is dropped): an email address, a phone number or a long
 * run of digits anywhere in the value; a person's name (two or more capitalized words of
 * letters, `Last, First`); free text (long, or five words or more); a date of birth — a date
 * under a header that names a birth date, or a date 16 years or more before the ingest.
 *
 * Kept: numbers, booleans, dates that are not dates of birth, short codes (one token with a
 * digit or punctuation: `INV-000101`, `spring_promo`, `urn:blvd:Appointment:1`), and words
 * (`Gold`, `online`, `Room 2`) when the column is an enumeration — few distinct values, each
 * repeated — since a column of single first names is words too.
 *
 * Streaming: each column is decided on the file's first DECISION_ROWS rows (the ingest reads
 * them ahead); every later value is checked again, and a later value that looks personal (or a
 * new word beyond the enumeration's size) is dropped on its own and reported by column.
 */

/** Rows read ahead to decide each extra column of a file that carries patients or leads. */
export const DECISION_ROWS = 500;
/** The most distinct words an enumeration column holds (booking sources, tiers, rooms…). */
export const ENUM_MAX_DISTINCT = 20;
/** A date this many years or more before the ingest is read as a date of birth. */
export const DOB_MIN_AGE_YEARS = 16;

export type PersonalKind =
  'email' | 'phone' | 'long_number' | 'name' | 'free_text' | 'date_of_birth' | 'many_values';

/** How each kind is named in a warning (never the value). */
export const PERSONAL_KIND_TEXT: Record<PersonalKind, string> = {
  email: 'an email address',
  phone: 'a phone number',
  long_number: 'a long number (a phone, card or account number)',
  name: "a person's name",
  free_text: 'free text (a note or a message)',
  date_of_birth: 'a date of birth',
  many_values: `more than ${ENUM_MAX_DISTINCT} different words, or mostly different ones (names, not categories)`,
};

export type ValueClass =
  { kind: 'personal'; personal: PersonalKind } | { kind: 'safe' } | { kind: 'word'; word: string };

const BOOLEAN_RE = /^(?:yes|no|true|false|y|n|t|f|on|off)$/i;
const NUMBER_RE = /^[-+]?[$€£¥]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?%?$/;
const ISO_DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC_DATE_RE =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** `March 6, 1984`, `Wed, Mar 6, 2024`, `6 Mar 1984`. */
const WORD_DATE_RE =
  /^(?:[A-Za-z]{3,9},?\s+)?(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})|(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}))$/;
const TIME_RE = /^\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?$/;

/** Header words that name a birth date (`Date of Birth`, `DOB`, `Born`, `Birthday`). */
const DOB_HEADER_WORDS = new Set(['birth', 'birthday', 'birthdate', 'dob', 'born', 'bday', 'birthdays']);

/** True for a header (normalized: lower case, `_` between words) that names a birth date. */
export function isDobHeader(header: string): boolean {
  return header
    .toLowerCase()
    .split(/[^a-z]+/)
    .some((word) => DOB_HEADER_WORDS.has(word));
}

/** The calendar date of a date-shaped value (YYYY-MM-DD), or null when it is not a date. */
export function dateOf(text: string): string | null {
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = ISO_DATE_RE.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const numeric = NUMERIC_DATE_RE.exec(text);
  if (numeric) {
    const yearText = numeric[3]!;
    // Two-digit years: a date of birth in `03/12/84` is 1984, not 2084.
    const year = yearText.length === 4 ? Number(yearText) : 1900 + Number(yearText);
    // US order (month first) unless the first part cannot be a month (European day first).
    let month = Number(numeric[1]);
    let day = Number(numeric[2]);
    if (month > 12) [month, day] = [day, month];
    return `${year}-${pad(month)}-${pad(day)}`;
  }
  const words = WORD_DATE_RE.exec(text);
  if (words) {
    const monthWord = (words[1] ?? words[5] ?? '').slice(0, 3).toLowerCase();
    const month = MONTHS.indexOf(monthWord) + 1;
    if (month === 0) return null;
    const day = Number(words[2] ?? words[4]);
    return `${words[3] ?? words[6]}-${pad(month)}-${pad(day)}`;
  }
  return null;
}

/** The latest birth date a date of birth can have on `today` (YYYY-MM-DD). */
export function dobCutoff(today: string): string {
  return `${String(Number(today.slice(0, 4)) - DOB_MIN_AGE_YEARS).padStart(4, '0')}${today.slice(4, 10)}`;
}

/**
 * What one value of an extra column is: personal (and which kind), safe on its own, or a word
 * (kept only in an enumeration column). `today` (YYYY-MM-DD) dates the date-of-birth test.
 */
export function classifyValue(text: string, options: { dobHeader: boolean; today: string }): ValueClass {
  const value = text.trim();
  if (value === '') return { kind: 'safe' };
  const personal = (kind: PersonalKind): ValueClass => ({ kind: 'personal', personal: kind });
  const date = dateOf(value);
  if (date !== null) {
    if (options.dobHeader || date <= dobCutoff(options.today)) return personal('date_of_birth');
    return { kind: 'safe' };
  }
  if (TIME_RE.test(value)) return { kind: 'safe' };
  if (value.includes('@')) return personal('email');
  if (holdsContactOrNumber(value)) {
    const masked = redactMessage(value);
    if (masked.includes('[email')) return personal('email');
    return personal(masked.includes('[phone') ? 'phone' : 'long_number');
  }
  if (NUMBER_RE.test(value) || BOOLEAN_RE.test(value)) return { kind: 'safe' };
  if (looksLikePersonName(value)) return personal('name');
  if (looksLikeFreeText(value)) return personal('free_text');
  // One token with a digit or punctuation is a code; letters only (or several words) are words.
  if (!/\s/.test(value) && /[\d_:#/\\.+=-]/.test(value)) return { kind: 'safe' };
  return { kind: 'word', word: value.toLowerCase() };
}

/** Why a column was dropped: the kind of personal data and the first row that showed it. */
export interface ColumnDrop {
  personal: PersonalKind;
  row: number | null;
}

interface ColumnState {
  dobHeader: boolean;
  drop: ColumnDrop | null;
  words: Set<string>;
  wordCount: number;
  /** Cells dropped after the decision (a later value that looked personal). */
  late: { count: number; firstRow: number; kinds: Set<PersonalKind> } | null;
}

/**
 * The screen of one file's extra columns: `observe` the rows read ahead, `decide`, then `keep`
 * asks of each later cell whether it may be stored. Memory is bounded by the columns and the
 * enumeration size, whatever the file's length.
 */
export class ExtraColumnScreen {
  private readonly columns: Map<string, ColumnState>;
  private decided = false;

  constructor(
    columns: readonly string[],
    private readonly today: string,
  ) {
    this.columns = new Map(
      columns.map((name) => [
        name,
        { dobHeader: isDobHeader(name), drop: null, words: new Set(), wordCount: 0, late: null },
      ]),
    );
  }

  get isDecided(): boolean {
    return this.decided;
  }

  /** A row read ahead, before the decision: the column's values by name. */
  observe(row: number, values: ReadonlyMap<string, string>): void {
    if (this.decided) throw new Error('observe after decide');
    for (const [name, state] of this.columns) {
      if (state.drop !== null) continue;
      const text = values.get(name) ?? '';
      const verdict = classifyValue(text, { dobHeader: state.dobHeader, today: this.today });
      if (verdict.kind === 'personal') state.drop = { personal: verdict.personal, row };
      else if (verdict.kind === 'word') {
        state.wordCount += 1;
        if (state.words.size <= ENUM_MAX_DISTINCT) state.words.add(verdict.word);
      }
    }
  }

  /** Decides every column on the rows observed; returns the columns dropped and why. */
  decide(): Map<string, ColumnDrop> {
    this.decided = true;
    const dropped = new Map<string, ColumnDrop>();
    for (const [name, state] of this.columns) {
      if (state.drop === null && !isEnumeration(state.words.size, state.wordCount)) {
        state.drop = { personal: 'many_values', row: null };
      }
      if (state.drop !== null) dropped.set(name, state.drop);
    }
    return dropped;
  }

  /** Whether a cell of a kept column may be stored (after the decision); a refusal is recorded. */
  keep(name: string, text: string, row: number): boolean {
    const state = this.columns.get(name);
    if (state === undefined || !this.decided) throw new Error(`column ${name} not screened or not decided`);
    if (state.drop !== null) return false;
    const verdict = classifyValue(text, { dobHeader: state.dobHeader, today: this.today });
    let refused: PersonalKind | null = verdict.kind === 'personal' ? verdict.personal : null;
    if (verdict.kind === 'word' && !state.words.has(verdict.word)) {
      if (state.words.size < ENUM_MAX_DISTINCT) state.words.add(verdict.word);
      else refused = 'many_values';
    }
    if (refused === null) return true;
    state.late ??= { count: 0, firstRow: row, kinds: new Set() };
    state.late.count += 1;
    state.late.kinds.add(refused);
    return false;
  }

  /** Columns kept whose later cells were dropped: how many, from which row, of which kinds. */
  lateDrops(): { column: string; count: number; firstRow: number; kinds: PersonalKind[] }[] {
    return [...this.columns]
      .filter(([, state]) => state.late !== null)
      .map(([column, state]) => ({
        column,
        count: state.late!.count,
        firstRow: state.late!.firstRow,
        kinds: [...state.late!.kinds],
      }));
  }
}

/** Few distinct words, each seen more than once on the whole (or three at most): categories. */
function isEnumeration(distinct: number, count: number): boolean {
  if (distinct > ENUM_MAX_DISTINCT) return false;
  return distinct <= 3 || distinct * 2 <= count;
}
