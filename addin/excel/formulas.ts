/*
 * The text of `=CALIPER.*` formulas, written in one place so the formula builder, the board
 * pack and the snapshot agree on the function's name and argument order.
 */

/** An argument: a literal (quoted) or a cell reference such as `$B$1` (written as is). */
export type FormulaArgument = { text: string } | { ref: string };

export interface KpiFormulaParts {
  metric: string;
  period: FormulaArgument;
  /** Omitted (or empty) for the portfolio. */
  location?: string;
  provider?: string;
}

function quoted(text: string): string {
  // Excel escapes a double quote inside a string literal by doubling it.
  return `"${text.replace(/"/g, '""')}"`;
}

function argument(arg: FormulaArgument): string {
  return 'ref' in arg ? arg.ref : quoted(arg.text);
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

/** `=CALIPER.KPI(metric, scope, period)`, e.g. `=CALIPER.KPI("net_revenue","L001","LTM")`. */
export function kpiFormula(parts: KpiFormulaParts): string {
  return `=CALIPER.KPI(${quoted(parts.metric)},${quoted(scopeText(parts))},${argument(parts.period)})`;
}

/** Whether a cell's formula calls any CALIPER function (and so needs the add-in to compute). */
export function isCaliperFormula(formula: unknown): boolean {
  return typeof formula === 'string' && formula.startsWith('=') && /\bCALIPER\./i.test(formula);
}
