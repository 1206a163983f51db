/*
 * What the formula builder asks for, per function, as data: the arguments in the order
 * addin/excel/formulas.ts' CALIPER_SIGNATURES writes them, and the options each function's
 * parser accepts (addin/functions/caliperFunctions.ts). The form, the formula and the preview
 * are all derived from this one table; a test holds it equal to the signatures.
 */
import type { CaliperFunctionName } from '../../excel/formulas';
import { FORECAST_CATEGORY_IDS } from '../../functions/forecastTable';

export type ScopeKind = 'portfolio' | 'location' | 'provider';

/** Which catalog metrics a metric argument offers (beside the chosen scope's kind). */
export type MetricFilter = 'any' | 'sameStore' | 'benchmarkable';

export type ArgumentField =
  /** The identifier: the portfolio, a location or a provider, as the function takes them. */
  | { kind: 'scope'; scopes: readonly ScopeKind[] }
  | { kind: 'metric'; metrics: MetricFilter }
  /** A period of the grammar; `series` only calendar months, quarters, years or ranges. */
  | { kind: 'period'; name: 'period' | 'start' | 'end'; label: string; initial: string; series?: true }
  | { kind: 'number'; name: 'n' | 'months'; label: string; min: number; max: number; initial: number }
  /** An optional choice among fixed values, '' for none. */
  | { kind: 'choice'; name: 'category'; label: string; values: readonly string[] };

export interface OptionChoice {
  /** What the option is set to; '' = the function's default, not written. */
  value: string;
  label: string;
}

export type OptionField =
  | { kind: 'choice'; name: string; label: string; choices: readonly OptionChoice[] }
  /** `as_of=` a day (CALLLIST) or a month (FORECAST); blank = the function's default. */
  | { kind: 'asOf'; label: string; form: 'day' | 'month' };

export interface FunctionSpec {
  fn: CaliperFunctionName;
  /** What it answers, in a few words (the function picker). */
  summary: string;
  fields: readonly ArgumentField[];
  options: readonly OptionField[];
  /** One value, or a table that spills. */
  result: 'value' | 'table';
}

const ALL_SCOPES: readonly ScopeKind[] = ['portfolio', 'location', 'provider'];
const PORTFOLIO_OR_LOCATION: readonly ScopeKind[] = ['portfolio', 'location'];

const PERIOD: ArgumentField = { kind: 'period', name: 'period', label: 'Period', initial: 'LTM' };

const UNITS: OptionField = {
  kind: 'choice',
  name: 'units',
  label: 'Money in',
  choices: [
    { value: '', label: 'Dollars' },
    { value: 'K', label: 'Thousands (K)' },
    { value: 'M', label: 'Millions (M)' },
  ],
};
const NA: OptionField = {
  kind: 'choice',
  name: 'na',
  label: 'When there is no value',
  choices: [
    { value: '', label: '#N/A with the reason' },
    { value: 'blank', label: 'Blank' },
    { value: 'zero', label: 'Zero' },
  ],
};
const HEADERS: OptionField = {
  kind: 'choice',
  name: 'headers',
  label: 'Header row',
  choices: [
    { value: '', label: 'Shown' },
    { value: 'false', label: 'Left out' },
  ],
};

function fieldChoice(label: string, first: string, values: readonly string[]): OptionField {
  return {
    kind: 'choice',
    name: 'field',
    label,
    choices: [
      { value: '', label: first },
      ...values.map((value) => ({ value, label: value.replace(/_/g, ' ') })),
    ],
  };
}

export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  {
    fn: 'KPI',
    summary: 'One metric for a scope and period',
    fields: [{ kind: 'scope', scopes: ALL_SCOPES }, { kind: 'metric', metrics: 'any' }, PERIOD],
    options: [fieldChoice('Answer', 'The value', ['coverage', 'unit']), UNITS, NA],
    result: 'value',
  },
  {
    fn: 'SERIES',
    summary: 'A metric month by month, quarter or year',
    fields: [
      { kind: 'scope', scopes: ALL_SCOPES },
      { kind: 'metric', metrics: 'any' },
      { kind: 'period', name: 'start', label: 'From', initial: '2025-01', series: true },
      { kind: 'period', name: 'end', label: 'To', initial: '2025-12', series: true },
    ],
    options: [
      {
        kind: 'choice',
        name: 'grain',
        label: 'Step',
        choices: [
          { value: '', label: 'Month' },
          { value: 'quarter', label: 'Quarter' },
          { value: 'year', label: 'Year' },
        ],
      },
      UNITS,
      NA,
      HEADERS,
    ],
    result: 'table',
  },
  {
    fn: 'SAMESTORE',
    summary: 'Same-store growth over the comparable locations',
    fields: [
      { kind: 'scope', scopes: PORTFOLIO_OR_LOCATION },
      PERIOD,
      { kind: 'metric', metrics: 'sameStore' },
    ],
    options: [NA],
    result: 'value',
  },
  {
    fn: 'SAMESTORESET',
    summary: 'Which locations are comparable, and why not',
    fields: [{ kind: 'scope', scopes: PORTFOLIO_OR_LOCATION }, PERIOD],
    options: [HEADERS],
    result: 'table',
  },
  {
    fn: 'PROVIDERS',
    summary: 'Provider P&L of one location',
    fields: [{ kind: 'scope', scopes: ['location'] }, PERIOD],
    options: [UNITS, NA, HEADERS],
    result: 'table',
  },
  {
    fn: 'MEMBERSHIP',
    summary: 'Members, MRR, churn, spend per member, conversion',
    fields: [{ kind: 'scope', scopes: PORTFOLIO_OR_LOCATION }, PERIOD],
    options: [
      fieldChoice('Answer', 'The whole table', [
        'active_members',
        'mrr',
        'membership_churn_rate',
        'arpm',
        'membership_conversion_rate',
      ]),
      UNITS,
      NA,
      HEADERS,
    ],
    result: 'table',
  },
  {
    fn: 'BENCHMARK',
    summary: "A location's percentile among its peers",
    fields: [{ kind: 'scope', scopes: ['location'] }, { kind: 'metric', metrics: 'benchmarkable' }, PERIOD],
    options: [
      {
        kind: 'choice',
        name: 'cohort',
        label: 'Peers',
        choices: [
          { value: '', label: 'The whole portfolio' },
          { value: 'size_band', label: 'Same size band' },
          { value: 'region', label: 'Same region' },
          { value: 'dominant_category', label: 'Same main treatment' },
          { value: 'age_band', label: 'Same age band' },
        ],
      },
      fieldChoice('Answer', 'The percentile', ['cohort']),
      NA,
      HEADERS,
    ],
    result: 'table',
  },
  { fn: 'LOCATIONS', summary: "The portfolio's locations", fields: [], options: [HEADERS], result: 'table' },
  { fn: 'METRICS', summary: 'The metric catalog', fields: [], options: [HEADERS], result: 'table' },
  {
    fn: 'TRACE',
    summary: 'How a value is computed, and from which files',
    fields: [{ kind: 'scope', scopes: ALL_SCOPES }, { kind: 'metric', metrics: 'any' }, PERIOD],
    options: [HEADERS],
    result: 'table',
  },
  {
    fn: 'CALLLIST',
    summary: 'Patients to call, most money at stake first',
    fields: [
      { kind: 'scope', scopes: PORTFOLIO_OR_LOCATION },
      { kind: 'number', name: 'n', label: 'Patients', min: 1, max: 500, initial: 25 },
    ],
    options: [{ kind: 'asOf', label: 'Scored on (YYYY-MM-DD, blank: the last day of data)', form: 'day' }],
    result: 'table',
  },
  {
    fn: 'FORECAST',
    summary: 'Revenue forecast of the coming months',
    fields: [
      { kind: 'scope', scopes: PORTFOLIO_OR_LOCATION },
      { kind: 'number', name: 'months', label: 'Months ahead', min: 1, max: 12, initial: 6 },
      { kind: 'choice', name: 'category', label: 'Treatment category', values: FORECAST_CATEGORY_IDS },
    ],
    options: [
      { kind: 'asOf', label: 'Forecast from (YYYY-MM, blank: the last complete month)', form: 'month' },
    ],
    result: 'table',
  },
  {
    fn: 'ASOF',
    summary: 'The latest month with complete data',
    fields: [],
    options: [],
    result: 'value',
  },
  {
    fn: 'PERIODS',
    summary: 'The months with data',
    fields: [],
    options: [fieldChoice('Answer', 'Every month', ['first', 'last', 'asof']), HEADERS],
    result: 'table',
  },
];

export function functionSpec(fn: CaliperFunctionName): FunctionSpec {
  const spec = FUNCTION_SPECS.find((s) => s.fn === fn);
  if (spec === undefined) throw new Error(`No formula builder spec for ${fn}`);
  return spec;
}
