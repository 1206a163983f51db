/*
 * Trailing `name=value` options, as Bloomberg's BDP takes overrides: `units=K`, `na=blank`,
 * `headers=false`, `field=coverage`, `cohort=region`… Each option is its own argument (Excel
 * passes them as one repeating parameter), or several in one argument separated by `;`. Names
 * and values are any case. An unknown option or value is #VALUE! naming it and listing the
 * accepted ones; an option given twice keeps the last.
 */
import { optionalText } from './arguments';
import { invalidArgument } from './excelErrors';

export type NaChoice = 'error' | 'blank' | 'zero';

/** Every option a function may accept, parsed. */
export interface ParsedOptions {
  /** Money is divided by this: 1, 1,000 (`units=K`) or 1,000,000 (`units=M`). */
  divisor: number;
  /** What an absent value shows: #N/A with the reason (default), "" or 0. */
  na: NaChoice;
  /** A header row above a spilled table (default true). */
  headers: boolean;
  field?: string;
  cohort?: string;
  grain?: string;
}

export type OptionName = 'units' | 'na' | 'headers' | 'field' | 'cohort' | 'grain';

/** What each option accepts, as shown in messages; `null` = free text checked elsewhere. */
const ACCEPTED: Record<OptionName, readonly string[] | null> = {
  units: ['K', 'M'],
  na: ['error', 'blank', 'zero'],
  headers: ['true', 'false'],
  field: null,
  cohort: null,
  grain: ['month', 'quarter', 'year'],
};

const UNIT_DIVISORS: Record<string, number> = {
  k: 1_000,
  thousands: 1_000,
  m: 1_000_000,
  millions: 1_000_000,
};
const HEADER_VALUES: Record<string, boolean> = {
  true: true,
  yes: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
};

export interface OptionsSpec {
  /** The function's name, for messages (KPI, SERIES…). */
  fn: string;
  /** The options it accepts. */
  accepts: readonly OptionName[];
  /** The `field=` values it accepts, when it accepts `field`. */
  fields?: readonly string[];
  /** A bare value (no `=`) is this option's value: the old positional argument (`coverage`, `quarter`). */
  bare?: OptionName;
}

function describe(spec: OptionsSpec, name: OptionName): string {
  const values = name === 'field' ? (spec.fields ?? []) : ACCEPTED[name];
  if (name === 'cohort') return 'cohort=size_band,region,dominant_category,age_band';
  return `${name}=${(values ?? []).join('|')}`;
}

function acceptedList(spec: OptionsSpec): string {
  return spec.accepts.map((name) => describe(spec, name)).join(', ');
}

/** The option arguments as single texts: strings, arrays of them (a repeating parameter), blanks dropped. */
function optionTexts(values: readonly unknown[]): string[] {
  const texts: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const text = optionalText(value, 'option');
    if (text === undefined) return;
    for (const part of text.split(';')) if (part.trim() !== '') texts.push(part.trim());
  };
  for (const value of values) visit(value);
  return texts;
}

export function parseOptions(spec: OptionsSpec, ...values: unknown[]): ParsedOptions {
  const options: ParsedOptions = { divisor: 1, na: 'error', headers: true };
  for (const part of optionTexts(values)) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? (spec.bare ?? '') : part.slice(0, eq)).trim().toLowerCase();
    const given = (eq < 0 ? part : part.slice(eq + 1)).trim();
    const shownPart = part.slice(0, 60);
    if (!(spec.accepts as readonly string[]).includes(key)) {
      throw invalidArgument(`Unknown ${spec.fn} option "${shownPart}": accepted ${acceptedList(spec)}`);
    }
    const name = key as OptionName;
    const value = given.toLowerCase();
    const refuse = () =>
      invalidArgument(
        `${spec.fn} option ${name} "${given.slice(0, 40)}" is not accepted: ${describe(spec, name)}`,
      );
    switch (name) {
      case 'units': {
        const divisor = UNIT_DIVISORS[value];
        if (divisor === undefined) throw refuse();
        options.divisor = divisor;
        break;
      }
      case 'na':
        if (value !== 'error' && value !== 'blank' && value !== 'zero') throw refuse();
        options.na = value;
        break;
      case 'headers': {
        const headers = HEADER_VALUES[value];
        if (headers === undefined) throw refuse();
        options.headers = headers;
        break;
      }
      case 'field':
        if (!(spec.fields ?? []).includes(value)) throw refuse();
        options.field = value;
        break;
      case 'cohort':
        if (given === '') throw refuse();
        options.cohort = given;
        break;
      case 'grain':
        options.grain = given;
        break;
    }
  }
  return options;
}
