/*
 * The builder's choices as one call: the formula to insert (addin/excel/formulas.ts'
 * `caliperCall`, so never the deprecated metric-first order and never a name outside its
 * literal), the values Excel would hand the custom function for it (what the preview
 * evaluates), and what is still wrong with the choices, by field. Pure, so it is unit-tested.
 */
import type { CaliperFormula } from '../../../shared/model/spreadsheetCells';
import type { CatalogEntry } from '../../api/caliperClient';
import { caliperCall, type CaliperFunctionName, type FormulaArgument, scopeText } from '../../excel/formulas';
import {
  type ArgumentField,
  type FunctionSpec,
  functionSpec,
  type MetricFilter,
  type OptionField,
  type ScopeKind,
} from './functionSpecs';
import { checkPeriod, type PeriodCheck } from './periodCheck';

export interface BuilderState {
  fn: CaliperFunctionName;
  scope: ScopeKind;
  locationId: string;
  providerId: string;
  metricId: string;
  /** Period, start, end, n, months and category, as typed or picked. */
  texts: Readonly<Record<string, string>>;
  /** Option name → value ('' = the default); `as_of` for the as-of date or month. */
  options: Readonly<Record<string, string>>;
}

export interface BuiltCall {
  spec: FunctionSpec;
  /** Null while something is missing or wrong. */
  formula: CaliperFormula | null;
  /** The arguments as the cell passes them to the function: texts, numbers, the options text. */
  values: (string | number)[];
  /** What is wrong, by field name (scope, location, provider, metric, period, n, as_of…). */
  problems: Readonly<Record<string, string>>;
  /** Each period field's check (its dates, or the grammar's message). */
  periods: Readonly<Record<string, PeriodCheck>>;
}

/** The scope kinds a function takes, in order; the state's kind when allowed, else the first. */
export function allowedScope(spec: FunctionSpec, wanted: ScopeKind): ScopeKind {
  const field = spec.fields.find((f) => f.kind === 'scope');
  if (field === undefined || field.scopes.includes(wanted)) return wanted;
  return field.scopes[0] ?? 'portfolio';
}

/** The catalog metrics a metric argument offers for a scope kind. */
export function offeredMetrics(
  catalog: readonly CatalogEntry[],
  filter: MetricFilter,
  scope: ScopeKind,
): CatalogEntry[] {
  return catalog.filter((m) => {
    if (!m.scopes.includes(scope)) return false;
    if (filter === 'sameStore') return m.family === 'same_store';
    if (filter === 'benchmarkable') return m.direction !== 'none';
    return true;
  });
}

const AS_OF_FORMS = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/ } as const;

/** The options text, `name=value` joined by `;`, defaults left out. */
function optionsText(
  options: readonly OptionField[],
  state: BuilderState,
  problems: Record<string, string>,
): string {
  const parts: string[] = [];
  for (const option of options) {
    if (option.kind === 'asOf') {
      const value = (state.options.as_of ?? '').trim();
      if (value === '') continue;
      if (!AS_OF_FORMS[option.form].test(value)) {
        problems.as_of = `Write it as ${option.form === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'}, or leave it blank`;
        continue;
      }
      parts.push(`as_of=${value}`);
      continue;
    }
    const value = state.options[option.name] ?? '';
    if (value !== '' && option.choices.some((c) => c.value === value)) parts.push(`${option.name}=${value}`);
  }
  return parts.join(';');
}

interface FieldResult {
  argument: FormulaArgument | null;
  problem?: string;
  period?: PeriodCheck;
}

function scopeArgument(state: BuilderState, catalogScopes: ScopeKind): FieldResult {
  if (catalogScopes === 'portfolio') return { argument: { text: 'PORTFOLIO' } };
  if (state.locationId === '') return { argument: null, problem: 'Choose a location' };
  if (catalogScopes === 'location') return { argument: { text: state.locationId } };
  if (state.providerId === '') return { argument: null, problem: 'Choose a provider' };
  return { argument: { text: scopeText({ location: state.locationId, provider: state.providerId }) } };
}

function fieldArgument(
  field: ArgumentField,
  state: BuilderState,
  catalog: readonly CatalogEntry[],
  asOfMonth: string | null,
): FieldResult {
  switch (field.kind) {
    case 'scope':
      return scopeArgument(state, state.scope);
    case 'metric': {
      const offered = offeredMetrics(catalog, field.metrics, state.scope);
      if (!offered.some((m) => m.id === state.metricId))
        return { argument: null, problem: 'Choose a metric' };
      return { argument: { text: state.metricId } };
    }
    case 'period': {
      const text = state.texts[field.name] ?? field.initial;
      const period = checkPeriod(text, asOfMonth, field.series === true ? field.label : undefined);
      return period.ok
        ? { argument: { text: text.trim() }, period }
        : { argument: null, problem: period.message, period };
    }
    case 'number': {
      const text = (state.texts[field.name] ?? String(field.initial)).trim();
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < field.min || value > field.max) {
        return { argument: null, problem: `A whole number from ${field.min} to ${field.max}` };
      }
      return { argument: { number: value } };
    }
    case 'choice': {
      const value = state.texts[field.name] ?? '';
      if (value !== '' && !field.values.includes(value))
        return { argument: null, problem: 'Not one of the choices' };
      return { argument: { text: value } };
    }
  }
}

function problemKey(field: ArgumentField, scope: ScopeKind, state: BuilderState): string {
  if (field.kind === 'scope')
    return scope !== 'portfolio' && state.locationId === '' ? 'location' : 'provider';
  return field.kind === 'metric' ? 'metric' : field.name;
}

/** The call the builder's state stands for. */
export function buildCall(
  state: BuilderState,
  catalog: readonly CatalogEntry[],
  asOfMonth: string | null,
): BuiltCall {
  const spec = functionSpec(state.fn);
  const problems: Record<string, string> = {};
  const periods: Record<string, PeriodCheck> = {};
  const args: FormulaArgument[] = [];
  for (const field of spec.fields) {
    const result = fieldArgument(field, state, catalog, asOfMonth);
    if (result.period !== undefined && field.kind === 'period') periods[field.name] = result.period;
    if (result.argument === null)
      problems[problemKey(field, state.scope, state)] = result.problem ?? 'Required';
    else args.push(result.argument);
  }
  const options = optionsText(spec.options, state, problems);
  if (spec.options.length > 0) args.push({ text: options });
  if (Object.keys(problems).length > 0) return { spec, formula: null, values: [], problems, periods };
  const formula = caliperCall(state.fn, args);
  // Blank optional arguments at the end are not written, so the cell passes nothing for them.
  const values = args.map(valueOf);
  while (values.at(-1) === '') values.pop();
  return { spec, formula, values, problems, periods };
}

/** An argument as the function receives it from the cell: a literal's text, a number as is. */
function valueOf(arg: FormulaArgument): string | number {
  if ('number' in arg) return arg.number;
  if ('text' in arg) return arg.text;
  throw new TypeError('The builder writes no references');
}
