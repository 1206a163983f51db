/*
 * The text of `=CALIPER.*` formulas, written in one place so the formula builder, the board
 * pack and the snapshot agree on each function's name and argument order: identifier first,
 * `=CALIPER.KPI(scope, metric, period, options)`, as addin/functions/functions.ts declares them.
 * Formulas are made with shared/model/spreadsheetCells.ts' `formula` tag: every argument is a
 * quoted literal, a checked reference or a finite number, so no name or id can ever leave its
 * string literal. The function name is part of each template's own source text, never data.
 */
import {
  type CaliperFormula,
  cellRef,
  formula,
  type FormulaPart,
  textLiteral,
} from '../../shared/model/spreadsheetCells';

/** Every `=CALIPER.*` function, as addin/functions/register.ts associates them. */
export const CALIPER_FUNCTION_NAMES = [
  'KPI',
  'SERIES',
  'SAMESTORE',
  'SAMESTORESET',
  'PROVIDERS',
  'MEMBERSHIP',
  'BENCHMARK',
  'LOCATIONS',
  'METRICS',
  'TRACE',
  'CALLLIST',
  'FORECAST',
  'ASOF',
  'PERIODS',
] as const;
export type CaliperFunctionName = (typeof CALIPER_FUNCTION_NAMES)[number];

/** An argument: a literal (quoted), a cell reference such as `$B$2` (checked) or a number. */
export type FormulaArgument = { text: string } | { ref: string } | { number: number };

/**
 * What an argument slot takes: `text` a literal only; `period` a literal or a cell reference
 * (the board pack points every KPI at one period cell); `number` a number; `options` one
 * literal of `name=value` options joined by `;` (addin/functions/options.ts reads that form).
 */
export type SlotKind = 'text' | 'period' | 'number' | 'options';

export interface ArgumentSlot {
  name: string;
  kind: SlotKind;
  /** May be left out when nothing after it is given. */
  optional?: true;
}

const scope: ArgumentSlot = { name: 'scope', kind: 'text' };
const metric: ArgumentSlot = { name: 'metric', kind: 'text' };
const period: ArgumentSlot = { name: 'period', kind: 'period' };
const options: ArgumentSlot = { name: 'options', kind: 'options', optional: true };

/**
 * The formulas Caliper writes, per function: the arguments in order. These are the only
 * shapes the writer makes and the parser accepts (the functions themselves read more).
 */
export const CALIPER_SIGNATURES: Record<CaliperFunctionName, readonly ArgumentSlot[]> = {
  KPI: [scope, metric, period, options],
  SERIES: [scope, metric, { name: 'start', kind: 'period' }, { name: 'end', kind: 'period' }, options],
  SAMESTORE: [scope, period, metric, options],
  SAMESTORESET: [scope, period, options],
  PROVIDERS: [{ name: 'location', kind: 'text' }, period, options],
  MEMBERSHIP: [scope, period, options],
  BENCHMARK: [scope, metric, period, options],
  LOCATIONS: [options],
  METRICS: [options],
  TRACE: [scope, metric, period, options],
  CALLLIST: [scope, { name: 'n', kind: 'number' }, options],
  FORECAST: [
    scope,
    { name: 'months', kind: 'number' },
    { name: 'category', kind: 'text', optional: true },
    options,
  ],
  ASOF: [],
  PERIODS: [options],
};

type Part = (index: number) => FormulaPart;
type Writer = (part: Part) => CaliperFormula;

/** One template per function and argument count: the function's name stays template text. */
const WRITERS: Record<CaliperFunctionName, Partial<Record<number, Writer>>> = {
  KPI: {
    3: (p) => formula`=CALIPER.KPI(${p(0)},${p(1)},${p(2)})`,
    4: (p) => formula`=CALIPER.KPI(${p(0)},${p(1)},${p(2)},${p(3)})`,
  },
  SERIES: {
    4: (p) => formula`=CALIPER.SERIES(${p(0)},${p(1)},${p(2)},${p(3)})`,
    5: (p) => formula`=CALIPER.SERIES(${p(0)},${p(1)},${p(2)},${p(3)},${p(4)})`,
  },
  SAMESTORE: {
    3: (p) => formula`=CALIPER.SAMESTORE(${p(0)},${p(1)},${p(2)})`,
    4: (p) => formula`=CALIPER.SAMESTORE(${p(0)},${p(1)},${p(2)},${p(3)})`,
  },
  SAMESTORESET: {
    2: (p) => formula`=CALIPER.SAMESTORESET(${p(0)},${p(1)})`,
    3: (p) => formula`=CALIPER.SAMESTORESET(${p(0)},${p(1)},${p(2)})`,
  },
  PROVIDERS: {
    2: (p) => formula`=CALIPER.PROVIDERS(${p(0)},${p(1)})`,
    3: (p) => formula`=CALIPER.PROVIDERS(${p(0)},${p(1)},${p(2)})`,
  },
  MEMBERSHIP: {
    2: (p) => formula`=CALIPER.MEMBERSHIP(${p(0)},${p(1)})`,
    3: (p) => formula`=CALIPER.MEMBERSHIP(${p(0)},${p(1)},${p(2)})`,
  },
  BENCHMARK: {
    3: (p) => formula`=CALIPER.BENCHMARK(${p(0)},${p(1)},${p(2)})`,
    4: (p) => formula`=CALIPER.BENCHMARK(${p(0)},${p(1)},${p(2)},${p(3)})`,
  },
  LOCATIONS: {
    0: () => formula`=CALIPER.LOCATIONS()`,
    1: (p) => formula`=CALIPER.LOCATIONS(${p(0)})`,
  },
  METRICS: {
    0: () => formula`=CALIPER.METRICS()`,
    1: (p) => formula`=CALIPER.METRICS(${p(0)})`,
  },
  TRACE: {
    3: (p) => formula`=CALIPER.TRACE(${p(0)},${p(1)},${p(2)})`,
    4: (p) => formula`=CALIPER.TRACE(${p(0)},${p(1)},${p(2)},${p(3)})`,
  },
  CALLLIST: {
    2: (p) => formula`=CALIPER.CALLLIST(${p(0)},${p(1)})`,
    3: (p) => formula`=CALIPER.CALLLIST(${p(0)},${p(1)},${p(2)})`,
  },
  FORECAST: {
    2: (p) => formula`=CALIPER.FORECAST(${p(0)},${p(1)})`,
    3: (p) => formula`=CALIPER.FORECAST(${p(0)},${p(1)},${p(2)})`,
    4: (p) => formula`=CALIPER.FORECAST(${p(0)},${p(1)},${p(2)},${p(3)})`,
  },
  ASOF: { 0: () => formula`=CALIPER.ASOF()` },
  PERIODS: {
    0: () => formula`=CALIPER.PERIODS()`,
    1: (p) => formula`=CALIPER.PERIODS(${p(0)})`,
  },
};

function isBlankText(arg: FormulaArgument | undefined): boolean {
  return arg === undefined || ('text' in arg && arg.text === '');
}

function partOf(fn: CaliperFunctionName, slot: ArgumentSlot, arg: FormulaArgument): FormulaPart {
  const wrong = () => new TypeError(`CALIPER.${fn}'s ${slot.name} is not ${JSON.stringify(arg)}`);
  if ('number' in arg) {
    if (slot.kind !== 'number' || !Number.isFinite(arg.number) || arg.number < 0) throw wrong();
    return arg.number;
  }
  if ('ref' in arg) {
    if (slot.kind !== 'period') throw wrong();
    return cellRef(arg.ref);
  }
  if (slot.kind === 'number') throw wrong();
  return textLiteral(arg.text);
}

/**
 * `=CALIPER.<fn>(args…)` as a formula Caliper may write. Optional arguments left blank at the
 * end are dropped; one left blank before a given one is written `""` (what the functions read
 * as omitted). Throws on a missing required argument, an argument of the wrong kind or too many.
 */
export function caliperCall(fn: CaliperFunctionName, args: readonly FormulaArgument[]): CaliperFormula {
  const slots = CALIPER_SIGNATURES[fn];
  if (args.length > slots.length)
    throw new TypeError(`CALIPER.${fn} takes at most ${slots.length} arguments`);
  let count = args.length;
  while (count > 0 && slots[count - 1]?.optional === true && isBlankText(args[count - 1])) count--;
  const parts = slots.slice(0, count).map((slot, i) => {
    const arg = args[i];
    if (arg === undefined) throw new TypeError(`CALIPER.${fn} needs its ${slot.name}`);
    return partOf(fn, slot, arg);
  });
  const write = WRITERS[fn][count];
  if (write === undefined) {
    const missing = slots[count]?.name ?? 'arguments';
    throw new TypeError(`CALIPER.${fn} needs its ${missing}`);
  }
  return write((i) => {
    const part = parts[i];
    if (part === undefined) throw new TypeError(`CALIPER.${fn}: no argument ${i + 1}`);
    return part;
  });
}

// ---------------------------------------------------------------------------------------------
// KPI, as the board pack writes it

export interface KpiFormulaParts {
  metric: string;
  period: { text: string } | { ref: string };
  /** Omitted (or empty) for the portfolio. */
  location?: string;
  provider?: string;
}

/**
 * The scope argument as addin/functions/arguments.ts reads it: `PORTFOLIO`, a location id,
 * `<location>/<provider>` for a provider at one location, `provider:<id>` across all of theirs.
 */
export function scopeText(parts: Pick<KpiFormulaParts, 'location' | 'provider'>): string {
  const location = parts.location ?? '';
  const provider = parts.provider ?? '';
  if (provider !== '') return location === '' ? `provider:${provider}` : `${location}/${provider}`;
  return location === '' ? 'PORTFOLIO' : location;
}

/** `=CALIPER.KPI(scope, metric, period)` as a formula Caliper may write. */
export function kpiCaliperFormula(parts: KpiFormulaParts): CaliperFormula {
  return caliperCall('KPI', [{ text: scopeText(parts) }, { text: parts.metric }, parts.period]);
}

/** The formula's text, e.g. `=CALIPER.KPI("L001","net_revenue","LTM")`. */
export function kpiFormula(parts: KpiFormulaParts): string {
  return kpiCaliperFormula(parts).text;
}

// ---------------------------------------------------------------------------------------------
// Reading the builder's text back

const LITERAL = '"(?:[^"]|"")*"';
/** A text over 255 characters, written as literals joined with `&` in parentheses. */
const JOINED = `\\(${LITERAL}(?:&${LITERAL})+\\)`;
const REFERENCE = '\\$?[A-Z]{1,3}\\$?[1-9][0-9]{0,6}';
const NUMBER = '[0-9]+(?:\\.[0-9]+)?';
const ARGUMENT = `(?:${LITERAL}|${JOINED}|${REFERENCE}|${NUMBER})`;
const CALL = new RegExp(`^=CALIPER\\.([A-Z]+)\\(((?:${ARGUMENT}(?:,${ARGUMENT})*)?)\\)$`);
const ARGUMENTS = new RegExp(ARGUMENT, 'g');

function unquoted(literal: string): string {
  return literal.slice(1, -1).replace(/""/g, '"');
}

function argumentOf(token: string): FormulaArgument {
  if (token.startsWith('"')) return { text: unquoted(token) };
  if (token.startsWith('('))
    return { text: (token.slice(1, -1).match(new RegExp(LITERAL, 'g')) ?? []).map(unquoted).join('') };
  if (/^[0-9]/.test(token)) return { number: Number(token) };
  return { ref: token };
}

function isFunctionName(name: string): name is CaliperFunctionName {
  return (CALIPER_FUNCTION_NAMES as readonly string[]).includes(name);
}

/**
 * A formula text made by `caliperCall` (the formula builder's) back as a CaliperFormula,
 * rebuilt from its parts; any other text is refused, so inserting cannot write an arbitrary
 * formula.
 */
export function caliperFormulaFromText(text: string): CaliperFormula {
  const refuse = () => new Error(`Not a CALIPER formula of the formula builder: ${text.slice(0, 200)}`);
  const match = CALL.exec(text);
  const name = match?.[1] ?? '';
  if (match === null || !isFunctionName(name)) throw refuse();
  const args = (match[2] ?? '').match(ARGUMENTS) ?? [];
  try {
    const rebuilt = caliperCall(name, args.map(argumentOf));
    if (rebuilt.text !== text) throw refuse();
    return rebuilt;
  } catch {
    throw refuse();
  }
}

/** A KPI formula text made by `kpiFormula` back as a CaliperFormula; anything else is refused. */
export function kpiFormulaFromText(text: string): CaliperFormula {
  if (!text.startsWith('=CALIPER.KPI('))
    throw new Error(`Not a CALIPER.KPI formula of the formula builder: ${text}`);
  try {
    return caliperFormulaFromText(text);
  } catch {
    throw new Error(`Not a CALIPER.KPI formula of the formula builder: ${text.slice(0, 200)}`);
  }
}

/** Whether a cell's formula calls any CALIPER function (and so needs the add-in to compute). */
export function isCaliperFormula(formula: unknown): boolean {
  return typeof formula === 'string' && formula.startsWith('=') && /\bCALIPER\./i.test(formula);
}
