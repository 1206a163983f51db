/*
 * The text of `=CALIPER.*` formulas, written in one place so the formula builder, the board
 * pack and the snapshot agree on the function's name and argument order. Formulas are made
 * with shared/model/spreadsheetCells.ts' `formula` tag: every argument is a quoted literal or a
 * checked reference, so no name or id can ever leave its string literal.
 */
import {
  type CaliperFormula,
  cellRef,
  formula,
  type FormulaPart,
  textLiteral,
} from '../../shared/model/spreadsheetCells';

/** An argument: a literal (quoted) or a cell reference such as `$B$1` (checked, written as is). */
export type FormulaArgument = { text: string } | { ref: string };

export interface KpiFormulaParts {
  metric: string;
  period: FormulaArgument;
  /** Omitted (or empty) for the portfolio. */
  location?: string;
  provider?: string;
}

function argument(arg: FormulaArgument): FormulaPart {
  return 'ref' in arg ? cellRef(arg.ref) : textLiteral(arg.text);
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

function kpiCall(metric: string, scope: string, period: FormulaPart): CaliperFormula {
  return formula`=CALIPER.KPI(${textLiteral(metric)},${textLiteral(scope)},${period})`;
}

/** `=CALIPER.KPI(metric, scope, period)` as a formula Caliper may write. */
export function kpiCaliperFormula(parts: KpiFormulaParts): CaliperFormula {
  return kpiCall(parts.metric, scopeText(parts), argument(parts.period));
}

/** The formula's text, e.g. `=CALIPER.KPI("net_revenue","L001","LTM")` (the builder's preview). */
export function kpiFormula(parts: KpiFormulaParts): string {
  return kpiCaliperFormula(parts).text;
}

const LITERAL = '"(?:[^"]|"")*"';
const KPI_TEXT = new RegExp(
  `^=CALIPER\\.KPI\\((${LITERAL}),(${LITERAL}),(${LITERAL}|\\$?[A-Z]{1,3}\\$?[1-9][0-9]*)\\)$`,
);

function unquoted(literal: string): string {
  return literal.slice(1, -1).replace(/""/g, '"');
}

/**
 * The formula builder's preview text (made by `kpiFormula`) back as a CaliperFormula, rebuilt
 * from its parts; any other text is refused, so inserting cannot write an arbitrary formula.
 */
export function kpiFormulaFromText(text: string): CaliperFormula {
  const match = KPI_TEXT.exec(text);
  const [, metric, scope, period] = match ?? [];
  if (metric === undefined || scope === undefined || period === undefined) {
    throw new Error(`Not a CALIPER.KPI formula of the formula builder: ${text}`);
  }
  const periodPart = period.startsWith('"') ? textLiteral(unquoted(period)) : cellRef(period);
  return kpiCall(unquoted(metric), unquoted(scope), periodPart);
}

/** Whether a cell's formula calls any CALIPER function (and so needs the add-in to compute). */
export function isCaliperFormula(formula: unknown): boolean {
  return typeof formula === 'string' && formula.startsWith('=') && /\bCALIPER\./i.test(formula);
}
