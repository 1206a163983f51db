import fc from 'fast-check';

import {
  isCaliperFormula,
  kpiCaliperFormula,
  kpiFormula,
  kpiFormulaFromText,
  scopeText,
} from '../../../addin/excel/formulas';
import { CaliperFormula } from '../../../shared/model/spreadsheetCells';

describe('kpiFormula', () => {
  it('writes metric, scope and period as CALIPER.KPI reads them', () => {
    expect(kpiFormula({ metric: 'net_revenue', location: 'L001', period: { text: 'LTM' } })).toBe(
      '=CALIPER.KPI("net_revenue","L001","LTM")',
    );
    expect(kpiFormula({ metric: 'visits', period: { ref: '$B$2' } })).toBe(
      '=CALIPER.KPI("visits","PORTFOLIO",$B$2)',
    );
  });

  it('names a provider at a location as <location>/<provider>, across locations as provider:<id>', () => {
    expect(scopeText({ location: 'L1', provider: 'PR1' })).toBe('L1/PR1');
    expect(scopeText({ provider: 'PR1' })).toBe('provider:PR1');
    expect(scopeText({ location: '' })).toBe('PORTFOLIO');
  });

  it('doubles a double quote inside a text argument', () => {
    expect(kpiFormula({ metric: 'x', location: 'The "Spa"', period: { text: '2024' } })).toBe(
      '=CALIPER.KPI("x","The ""Spa""","2024")',
    );
  });
});

describe('kpiCaliperFormula', () => {
  it('is the same formula as a CaliperFormula, the only kind a workbook writes as a formula', () => {
    const f = kpiCaliperFormula({ metric: 'visits', location: 'L1', period: { ref: '$B$2' } });
    expect(f).toBeInstanceOf(CaliperFormula);
    expect(f.text).toBe('=CALIPER.KPI("visits","L1",$B$2)');
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
          return text.replace(/"(?:[^"]|"")*"/g, '') === '=CALIPER.KPI(,,)';
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

describe('kpiFormulaFromText', () => {
  it('rebuilds the formula builder’s preview from its parts', () => {
    for (const text of [
      '=CALIPER.KPI("net_revenue","L001","LTM")',
      '=CALIPER.KPI("visits","PORTFOLIO",$B$2)',
      '=CALIPER.KPI("x","The ""Spa""","2024")',
    ]) {
      expect(kpiFormulaFromText(text).text).toBe(text);
    }
  });

  it('round-trips every kpiFormula (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        fc.string(),
        (metric, location, period) => {
          const text = kpiFormula({ metric, location, period: { text: period } });
          return kpiFormulaFromText(text).text === text;
        },
      ),
    );
  });

  it('refuses any other formula', () => {
    for (const text of [
      '=HYPERLINK("http://evil","x")',
      '=CALIPER.KPI("a","b","c")+HYPERLINK("http://evil","x")',
      '=CALIPER.KPI("a","b",A1:B2)',
      '=CALIPER.KPI("a"),HYPERLINK("x","b","c")',
      'CALIPER.KPI("a","b","c")',
    ]) {
      expect(() => kpiFormulaFromText(text)).toThrow(/Not a CALIPER.KPI formula/);
    }
  });
});

describe('isCaliperFormula', () => {
  it('finds CALIPER calls in any case, inside larger formulas, and nothing else', () => {
    expect(isCaliperFormula('=CALIPER.KPI("a","L1","LTM")')).toBe(true);
    expect(isCaliperFormula('=caliper.kpi("a","L1","LTM")/1000')).toBe(true);
    expect(isCaliperFormula('=SUM(B1:B4)')).toBe(false);
    expect(isCaliperFormula('CALIPER.KPI is great')).toBe(false);
    expect(isCaliperFormula('=MYCALIPER.KPI()')).toBe(false);
    expect(isCaliperFormula(42)).toBe(false);
  });
});
