import { isCaliperFormula, kpiFormula, scopeText } from '../../../addin/excel/formulas';

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
