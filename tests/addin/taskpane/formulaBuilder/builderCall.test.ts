import type { CatalogEntry } from '../../../../addin/api/caliperClient';
import {
  CALIPER_FUNCTION_NAMES,
  CALIPER_SIGNATURES,
  caliperFormulaFromText,
} from '../../../../addin/excel/formulas';
import { refusalReason } from '../../../../addin/taskpane/formulaBuilder/ArgumentFields';
import {
  buildCall,
  type BuilderState,
  offeredMetrics,
} from '../../../../addin/taskpane/formulaBuilder/builderCall';
import { FUNCTION_SPECS, functionSpec } from '../../../../addin/taskpane/formulaBuilder/functionSpecs';
import { checkPeriod } from '../../../../addin/taskpane/formulaBuilder/periodCheck';
import { METRICS } from '../../../../shared/metrics/catalog';
import { plainDefinition } from '../../../../shared/metrics/catalogPlain';
import { parsePeriod } from '../../../../shared/periods/period';

const CATALOG: CatalogEntry[] = METRICS.map((m) => ({
  id: m.id,
  label: m.label,
  unit: m.unit,
  family: m.family,
  scopes: [...m.scopes],
  facts: [...m.facts],
  definition: m.definition,
  plain: plainDefinition(m.id) ?? '',
  direction: m.direction,
}));
const AS_OF = '2025-11';

function state(fn: BuilderState['fn'], more: Partial<BuilderState> = {}): BuilderState {
  return {
    fn,
    scope: 'location',
    locationId: 'L1',
    providerId: '',
    metricId: 'net_revenue',
    texts: {},
    options: {},
    ...more,
  };
}

describe('the function specs', () => {
  it('cover every CALIPER function once, in the signatures’ order of arguments', () => {
    expect(FUNCTION_SPECS.map((s) => s.fn).sort()).toEqual([...CALIPER_FUNCTION_NAMES].sort());
    for (const spec of FUNCTION_SPECS) {
      const names = spec.fields.map((f) =>
        f.kind === 'scope'
          ? spec.fn === 'PROVIDERS'
            ? 'location'
            : 'scope'
          : f.kind === 'metric'
            ? 'metric'
            : f.name,
      );
      const signature = CALIPER_SIGNATURES[spec.fn].map((slot) => slot.name);
      expect([spec.fn, [...names, ...(spec.options.length > 0 ? ['options'] : [])]]).toEqual([
        spec.fn,
        signature,
      ]);
    }
  });
});

describe('buildCall', () => {
  it('writes each function identifier first, with the values the cell passes', () => {
    const cases: [BuilderState, string, (string | number)[]][] = [
      [
        state('KPI', { options: { units: 'K' } }),
        '=CALIPER.KPI("L1","net_revenue","LTM","units=K")',
        ['L1', 'net_revenue', 'LTM', 'units=K'],
      ],
      [
        state('SERIES', { scope: 'portfolio', metricId: 'visits', options: { grain: 'quarter' } }),
        '=CALIPER.SERIES("PORTFOLIO","visits","2025-01","2025-12","grain=quarter")',
        ['PORTFOLIO', 'visits', '2025-01', '2025-12', 'grain=quarter'],
      ],
      [
        state('SAMESTORE', {
          scope: 'portfolio',
          metricId: 'same_store_revenue_growth',
          texts: { period: '2025' },
        }),
        '=CALIPER.SAMESTORE("PORTFOLIO","2025","same_store_revenue_growth")',
        ['PORTFOLIO', '2025', 'same_store_revenue_growth'],
      ],
      [state('PROVIDERS'), '=CALIPER.PROVIDERS("L1","LTM")', ['L1', 'LTM']],
      [
        state('TRACE', { scope: 'provider', providerId: 'PR1', metricId: 'provider_production' }),
        '=CALIPER.TRACE("L1/PR1","provider_production","LTM")',
        [],
      ],
      [state('CALLLIST', { texts: { n: '10' } }), '=CALIPER.CALLLIST("L1",10)', ['L1', 10]],
      [
        state('FORECAST', { scope: 'portfolio', options: { as_of: '2025-09' } }),
        '=CALIPER.FORECAST("PORTFOLIO",6,"","as_of=2025-09")',
        ['PORTFOLIO', 6, '', 'as_of=2025-09'],
      ],
      [state('ASOF'), '=CALIPER.ASOF()', []],
      [state('PERIODS', { options: { field: 'first' } }), '=CALIPER.PERIODS("field=first")', ['field=first']],
    ];
    for (const [s, text, values] of cases) {
      const call = buildCall(s, CATALOG, AS_OF);
      expect([s.fn, call.problems, call.formula?.text]).toEqual([s.fn, {}, text]);
      if (values.length > 0) expect(call.values).toEqual(values);
      // Insert reads the text back: every builder formula is one the parser accepts.
      expect(caliperFormulaFromText(text).text).toBe(text);
    }
  });

  it('refuses 2025-Q5 with the grammar’s own message, and writes no formula', () => {
    const call = buildCall(state('KPI', { texts: { period: '2025-Q5' } }), CATALOG, AS_OF);
    const grammar = parsePeriod('2025-Q5');
    expect(grammar.success).toBe(false);
    expect(call.formula).toBeNull();
    expect(call.problems.period).toBe(grammar.success ? '' : grammar.error.message);
    // Shown without the grammar's list of every form, which the hint's examples stand for.
    expect(refusalReason(call.problems.period ?? '')).toBe(
      'Unrecognized period "2025-Q5": quarter 5 does not exist (quarters are Q1–Q4)',
    );
  });

  it('shows the dates a period stands for at the as-of month', () => {
    expect(checkPeriod('LTM', '2025-11')).toEqual({ ok: true, dates: 'Dec 2024 – Nov 2025' });
    expect(checkPeriod('2025-Q3', null)).toEqual({ ok: true, dates: 'Jul 2025 – Sep 2025' });
    expect(checkPeriod('2025-09', null)).toEqual({ ok: true, dates: 'Sep 2025' });
    expect(checkPeriod('2025-01-05..2025-02-10', null)).toEqual({
      ok: true,
      dates: '5 Jan 2025 – 10 Feb 2025',
    });
    expect(checkPeriod('LTM', null)).toEqual({ ok: true, dates: null });
    expect(checkPeriod('FY2025', null, 'From')).toEqual({
      ok: false,
      message:
        'From "FY2025" must be a month (2024-01), quarter (2024-Q1), year (2024), date range or Excel date',
    });
  });

  it('asks for what is missing or wrong, by field', () => {
    expect(buildCall(state('KPI', { locationId: '' }), CATALOG, AS_OF).problems).toEqual({
      location: 'Choose a location',
    });
    expect(
      buildCall(state('KPI', { scope: 'provider', metricId: 'provider_production' }), CATALOG, AS_OF)
        .problems,
    ).toEqual({
      provider: 'Choose a provider',
    });
    expect(buildCall(state('KPI', { metricId: '' }), CATALOG, AS_OF).problems).toEqual({
      metric: 'Choose a metric',
    });
    expect(buildCall(state('CALLLIST', { texts: { n: '501' } }), CATALOG, AS_OF).problems).toEqual({
      n: 'A whole number from 1 to 500',
    });
    expect(buildCall(state('CALLLIST', { options: { as_of: '2025-13' } }), CATALOG, AS_OF).problems).toEqual({
      as_of: 'Write it as YYYY-MM-DD, or leave it blank',
    });
  });

  it('keeps a hostile location id inside its literal', () => {
    const hostile = `=cmd|'/c calc'!A1`;
    const call = buildCall(state('KPI', { locationId: hostile }), CATALOG, AS_OF);
    expect(call.formula?.text).toBe(`=CALIPER.KPI("${hostile}","net_revenue","LTM")`);
  });

  it('offers the metrics of the scope, same-store ones to SAMESTORE, ones with a better direction to BENCHMARK', () => {
    expect(offeredMetrics(CATALOG, 'any', 'portfolio')).toHaveLength(
      CATALOG.filter((m) => m.scopes.includes('portfolio')).length,
    );
    expect(offeredMetrics(CATALOG, 'sameStore', 'portfolio').map((m) => m.id)).toEqual([
      'same_store_revenue_growth',
      'same_store_visits_growth',
    ]);
    expect(offeredMetrics(CATALOG, 'benchmarkable', 'location').every((m) => m.direction !== 'none')).toBe(
      true,
    );
    expect(functionSpec('BENCHMARK').fields[0]).toEqual({ kind: 'scope', scopes: ['location'] });
  });
});
