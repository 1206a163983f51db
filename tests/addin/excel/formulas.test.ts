import fc from 'fast-check';

import {
  CALIPER_FUNCTION_NAMES,
  CALIPER_SIGNATURES,
  caliperCall,
  caliperFormulaFromText,
  type CaliperFunctionName,
  type FormulaArgument,
  isCaliperFormula,
  kpiCaliperFormula,
  kpiFormula,
  kpiFormulaFromText,
  scopeText,
} from '../../../addin/excel/formulas';
import { CaliperFormula } from '../../../shared/model/spreadsheetCells';

const HOSTILE = `=cmd|'/c calc'!A1`;

/** The formula with every string literal taken out: what Excel would read as code. */
function outsideLiterals(text: string): string {
  return text.replace(/"(?:[^"]|"")*"/g, '');
}

/** One call of every function as the builder writes it, every option given. */
const EVERY_FUNCTION: Record<CaliperFunctionName, { args: FormulaArgument[]; text: string }> = {
  KPI: {
    args: [{ text: 'L1' }, { text: 'net_revenue' }, { text: 'LTM' }, { text: 'units=K;na=blank' }],
    text: '=CALIPER.KPI("L1","net_revenue","LTM","units=K;na=blank")',
  },
  SERIES: {
    args: [
      { text: 'PORTFOLIO' },
      { text: 'visits' },
      { text: '2025-01' },
      { text: '2025-12' },
      { text: 'grain=quarter' },
    ],
    text: '=CALIPER.SERIES("PORTFOLIO","visits","2025-01","2025-12","grain=quarter")',
  },
  SAMESTORE: {
    args: [
      { text: 'PORTFOLIO' },
      { text: '2025' },
      { text: 'same_store_revenue_growth' },
      { text: 'na=zero' },
    ],
    text: '=CALIPER.SAMESTORE("PORTFOLIO","2025","same_store_revenue_growth","na=zero")',
  },
  SAMESTORESET: {
    args: [{ text: 'PORTFOLIO' }, { text: '2025' }, { text: 'headers=false' }],
    text: '=CALIPER.SAMESTORESET("PORTFOLIO","2025","headers=false")',
  },
  PROVIDERS: {
    args: [{ text: 'L1' }, { text: 'LTM' }, { text: 'units=K' }],
    text: '=CALIPER.PROVIDERS("L1","LTM","units=K")',
  },
  MEMBERSHIP: {
    args: [{ text: 'L1' }, { text: 'LTM' }, { text: 'field=mrr' }],
    text: '=CALIPER.MEMBERSHIP("L1","LTM","field=mrr")',
  },
  BENCHMARK: {
    args: [{ text: 'L1' }, { text: 'net_revenue' }, { text: 'LTM' }, { text: 'cohort=region' }],
    text: '=CALIPER.BENCHMARK("L1","net_revenue","LTM","cohort=region")',
  },
  LOCATIONS: { args: [{ text: 'headers=false' }], text: '=CALIPER.LOCATIONS("headers=false")' },
  METRICS: { args: [], text: '=CALIPER.METRICS()' },
  TRACE: {
    args: [{ text: 'L1/PR1' }, { text: 'provider_production' }, { text: '2025-Q3' }],
    text: '=CALIPER.TRACE("L1/PR1","provider_production","2025-Q3")',
  },
  CALLLIST: {
    args: [{ text: 'L1' }, { number: 25 }, { text: 'as_of=2026-10-31' }],
    text: '=CALIPER.CALLLIST("L1",25,"as_of=2026-10-31")',
  },
  FORECAST: {
    args: [{ text: 'PORTFOLIO' }, { number: 6 }, { text: '' }, { text: 'as_of=2026-09' }],
    text: '=CALIPER.FORECAST("PORTFOLIO",6,"","as_of=2026-09")',
  },
  ASOF: { args: [], text: '=CALIPER.ASOF()' },
  PERIODS: { args: [{ text: 'field=asof' }], text: '=CALIPER.PERIODS("field=asof")' },
};

describe('caliperCall', () => {
  it('writes every function identifier first, as functions.ts declares it', () => {
    for (const fn of CALIPER_FUNCTION_NAMES) {
      const { args, text } = EVERY_FUNCTION[fn];
      const written = caliperCall(fn, args);
      expect(written).toBeInstanceOf(CaliperFormula);
      expect(written.text).toBe(text);
    }
  });

  it('drops optional arguments left blank at the end, writes "" for one before a given one', () => {
    expect(caliperCall('KPI', [{ text: 'L1' }, { text: 'visits' }, { text: 'LTM' }, { text: '' }]).text).toBe(
      '=CALIPER.KPI("L1","visits","LTM")',
    );
    expect(caliperCall('FORECAST', [{ text: 'L1' }, { number: 3 }, { text: '' }, { text: '' }]).text).toBe(
      '=CALIPER.FORECAST("L1",3)',
    );
    expect(caliperCall('FORECAST', [{ text: 'L1' }, { number: 3 }, { text: 'filler' }]).text).toBe(
      '=CALIPER.FORECAST("L1",3,"filler")',
    );
    expect(caliperCall('LOCATIONS', [{ text: '' }]).text).toBe('=CALIPER.LOCATIONS()');
  });

  it('refuses a missing required argument, a wrong kind or too many', () => {
    expect(() => caliperCall('KPI', [{ text: 'L1' }, { text: 'visits' }])).toThrow(/needs its period/);
    expect(() => caliperCall('CALLLIST', [{ text: 'L1' }, { text: '25' }])).toThrow(TypeError);
    expect(() => caliperCall('KPI', [{ ref: 'B2' }, { text: 'visits' }, { text: 'LTM' }])).toThrow(TypeError);
    expect(() => caliperCall('ASOF', [{ text: 'x' }])).toThrow(/at most 0/);
    expect(() => caliperCall('CALLLIST', [{ text: 'L1' }, { number: Number.NaN }])).toThrow(TypeError);
    expect(() => caliperCall('CALLLIST', [{ text: 'L1' }, { number: -1 }])).toThrow(TypeError);
  });

  it('keeps hostile names in every text argument of every function inside their literals (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CALIPER_FUNCTION_NAMES),
        fc.array(fc.oneof(fc.constant(HOSTILE), fc.string({ maxLength: 40 })), {
          minLength: 5,
          maxLength: 5,
        }),
        (fn, texts) => {
          const slots = CALIPER_SIGNATURES[fn];
          const args = slots.map((slot, i): FormulaArgument =>
            slot.kind === 'number' ? { number: 7 } : { text: texts[i] === '' ? 'x' : (texts[i] ?? 'x') },
          );
          const text = caliperCall(fn, args).text;
          const numbers = slots.map((slot) => (slot.kind === 'number' ? '7' : '')).join(',');
          return outsideLiterals(text) === `=CALIPER.${fn}(${numbers})`;
        },
      ),
    );
  });

  it('keeps =cmd|… inside its literal', () => {
    const text = caliperCall('TRACE', [{ text: HOSTILE }, { text: 'visits' }, { text: 'LTM' }]).text;
    expect(text).toBe(`=CALIPER.TRACE("${HOSTILE}","visits","LTM")`);
    expect(outsideLiterals(text)).toBe('=CALIPER.TRACE(,,)');
  });
});

describe('kpiFormula', () => {
  it('writes scope, metric and period in the identifier-first order CALIPER.KPI reads', () => {
    expect(kpiFormula({ metric: 'net_revenue', location: 'L001', period: { text: 'LTM' } })).toBe(
      '=CALIPER.KPI("L001","net_revenue","LTM")',
    );
    expect(kpiFormula({ metric: 'visits', period: { ref: '$B$2' } })).toBe(
      '=CALIPER.KPI("PORTFOLIO","visits",$B$2)',
    );
  });

  it('names a provider at a location as <location>/<provider>, across locations as provider:<id>', () => {
    expect(scopeText({ location: 'L1', provider: 'PR1' })).toBe('L1/PR1');
    expect(scopeText({ provider: 'PR1' })).toBe('provider:PR1');
    expect(scopeText({ location: '' })).toBe('PORTFOLIO');
  });

  it('doubles a double quote inside a text argument', () => {
    expect(kpiFormula({ metric: 'x', location: 'The "Spa"', period: { text: '2024' } })).toBe(
      '=CALIPER.KPI("The ""Spa""","x","2024")',
    );
  });
});

describe('kpiCaliperFormula', () => {
  it('is the same formula as a CaliperFormula, the only kind a workbook writes as a formula', () => {
    const f = kpiCaliperFormula({ metric: 'visits', location: 'L1', period: { ref: '$B$2' } });
    expect(f).toBeInstanceOf(CaliperFormula);
    expect(f.text).toBe('=CALIPER.KPI("L1","visits",$B$2)');
  });

  it('keeps hostile ids and periods inside their string literals (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 80 }),
        (metric, location, provider, period) => {
          const text = kpiFormula({ metric, location, provider, period: { text: period } });
          return outsideLiterals(text) === '=CALIPER.KPI(,,)';
        },
      ),
    );
  });

  it('refuses a period reference that is not a cell reference', () => {
    expect(() => kpiCaliperFormula({ metric: 'visits', period: { ref: '$B$2)+HYPERLINK("x"' } })).toThrow(
      TypeError,
    );
  });
});

describe('caliperFormulaFromText', () => {
  it('rebuilds every function the builder writes from its parts', () => {
    for (const fn of CALIPER_FUNCTION_NAMES) {
      const { text } = EVERY_FUNCTION[fn];
      expect(caliperFormulaFromText(text).text).toBe(text);
    }
    for (const text of [
      '=CALIPER.KPI("PORTFOLIO","visits",$B$2)',
      '=CALIPER.KPI("The ""Spa""","x","2024")',
      `=CALIPER.KPI("${HOSTILE}","x","2024")`,
      '=CALIPER.FORECAST("L1",12)',
    ]) {
      expect(caliperFormulaFromText(text).text).toBe(text);
    }
  });

  it('round-trips every call with any texts, long ones joined with & included (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CALIPER_FUNCTION_NAMES),
        fc.array(fc.string({ minLength: 1, maxLength: 300 }), { minLength: 5, maxLength: 5 }),
        fc.nat({ max: 500 }),
        (fn, texts, n) => {
          const args = CALIPER_SIGNATURES[fn].map((slot, i): FormulaArgument =>
            slot.kind === 'number' ? { number: n } : { text: texts[i] ?? 'x' },
          );
          const text = caliperCall(fn, args).text;
          return caliperFormulaFromText(text).text === text;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses any other formula', () => {
    for (const text of [
      '=HYPERLINK("http://evil","x")',
      '=CALIPER.KPI("a","b","c")+HYPERLINK("http://evil","x")',
      '=CALIPER.KPI("a","b",A1:B2)',
      '=CALIPER.KPI("a"),HYPERLINK("x","b","c")',
      'CALIPER.KPI("a","b","c")',
      '=CALIPER.KPI("a","b")',
      '=CALIPER.KPI("a","b","c","d","e")',
      '=CALIPER.KPI(A1,"b","c")',
      '=CALIPER.KPI("a","b","c","")',
      '=CALIPER.CALLLIST("L1","25")',
      '=CALIPER.CALLLIST("L1",-1)',
      '=CALIPER.CALLLIST("L1",2.50)',
      '=CALIPER.ASOF("x")',
      '=CALIPER.EVIL("a")',
      '=caliper.kpi("a","b","c")',
      '=CALIPER.KPI("a","b","c") ',
      `=CALIPER.KPI("a","b",'Sheet'!A1)`,
      "=cmd|'/c calc'!A1",
    ]) {
      expect(() => caliperFormulaFromText(text)).toThrow(/Not a CALIPER formula of the formula builder/);
    }
  });
});

describe('kpiFormulaFromText', () => {
  it('accepts the KPI formulas of the builder only', () => {
    expect(kpiFormulaFromText('=CALIPER.KPI("L001","net_revenue","LTM")').text).toBe(
      '=CALIPER.KPI("L001","net_revenue","LTM")',
    );
    for (const text of ['=CALIPER.TRACE("L1","visits","LTM")', '=HYPERLINK("http://evil","x")']) {
      expect(() => kpiFormulaFromText(text)).toThrow(/Not a CALIPER.KPI formula/);
    }
  });
});

describe('isCaliperFormula', () => {
  it('finds CALIPER calls in any case, inside larger formulas, and nothing else', () => {
    expect(isCaliperFormula('=CALIPER.KPI("L1","a","LTM")')).toBe(true);
    expect(isCaliperFormula('=caliper.kpi("L1","a","LTM")/1000')).toBe(true);
    expect(isCaliperFormula('=SUM(B1:B4)')).toBe(false);
    expect(isCaliperFormula('CALIPER.KPI is great')).toBe(false);
    expect(isCaliperFormula('=MYCALIPER.KPI()')).toBe(false);
    expect(isCaliperFormula(42)).toBe(false);
  });
});
