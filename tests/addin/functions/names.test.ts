/*
 * Names forgiving, answers strict: the catalog's one metric-name resolver (used by the add-in,
 * and by anything else that reads a person's metric name) and the add-in's location look-up.
 */
import type { Portfolio } from '../../../addin/api/caliperClient';
import { identifierFirst } from '../../../addin/functions/caliperFunctions';
import { CaliperFunctionError } from '../../../addin/functions/excelErrors';
import { findLocation } from '../../../addin/functions/scopeResolver';
import { METRICS, resolveMetricName } from '../../../shared/metrics/catalog';

describe('resolveMetricName', () => {
  it('reads an id exactly, then in any case with spaces, underscores and dashes alike, then a label', () => {
    expect(resolveMetricName('net_revenue')).toBe('net_revenue');
    expect(resolveMetricName('NET_REVENUE')).toBe('net_revenue');
    expect(resolveMetricName('net revenue')).toBe('net_revenue');
    expect(resolveMetricName('Net Revenue')).toBe('net_revenue');
    expect(resolveMetricName('net-revenue')).toBe('net_revenue');
    expect(resolveMetricName('  Net   revenue ')).toBe('net_revenue');
    expect(resolveMetricName('Average ticket')).toBe('avg_ticket');
    expect(resolveMetricName('same–store revenue growth')).toBe('same_store_revenue_growth');
    expect(resolveMetricName('Monthly recurring revenue (memberships)')).toBe('mrr');
    expect(resolveMetricName('MRR')).toBe('mrr');
    expect(resolveMetricName('Treatment mix: neurotoxin')).toBe('treatment_mix.neurotoxin');
    expect(resolveMetricName('TREATMENT_MIX.NEUROTOXIN')).toBe('treatment_mix.neurotoxin');
  });

  it("reads any channel's CAC, which the catalog builds on demand", () => {
    expect(resolveMetricName('cac.walk_in')).toBe('cac.walk_in');
    expect(resolveMetricName('CAC.Walk In')).toBe('cac.walk_in');
  });

  it('is null for a name that is no metric', () => {
    for (const text of ['', '   ', 'revenue', 'L1', 'North Dallas', 'net_revenue_x', 'PORTFOLIO']) {
      expect(resolveMetricName(text)).toBeNull();
    }
  });

  it('reads every catalog id and label, in any case, as that metric', () => {
    for (const m of METRICS) {
      expect(resolveMetricName(m.id)).toBe(m.id);
      expect(resolveMetricName(m.id.toUpperCase())).toBe(m.id);
      expect(resolveMetricName(m.label)).toBe(m.id);
      expect(resolveMetricName(m.label.toLowerCase())).toBe(m.id);
    }
  });
});

describe('identifierFirst', () => {
  it('reads a known metric followed by anything else as the old (metric, scope) order', () => {
    expect(identifierFirst('net_revenue', 'L1')).toEqual({ scope: 'L1', metric: 'net_revenue' });
    expect(identifierFirst('Net Revenue', '')).toEqual({ scope: '', metric: 'Net Revenue' });
    expect(identifierFirst('L1', 'net_revenue')).toEqual({ scope: 'L1', metric: 'net_revenue' });
    // Neither a metric: the new order, whose scope look-up then names what it could not find.
    expect(identifierFirst('no_such', 'L1')).toEqual({ scope: 'no_such', metric: 'L1' });
    // Both metrics: the new order.
    expect(identifierFirst('visits', 'net_revenue')).toEqual({ scope: 'visits', metric: 'net_revenue' });
  });
});

describe('findLocation', () => {
  const location = (location_id: string, name: string) => ({
    location_id,
    name,
    region: null,
    emr_system: null,
    opened_on: null,
    closed_on: null,
    providers: 0,
    patients: 0,
    first_sale_on: null,
    last_sale_on: null,
  });
  const portfolio: Portfolio = {
    tenant: 't',
    locations: [
      location('L1', 'Contour Clinic – Charleston'),
      location('L2', 'Contour Clinic — Charlotte'),
      location('L3', 'Glow Med Spa'),
    ],
    providers: [],
    data_freshness: [],
    periods: { first_month: null, last_month: null, as_of_month: null },
  };

  it('finds by id, full name or an unambiguous part, any case, any dash', () => {
    expect(findLocation(portfolio, 'l3')?.location_id).toBe('L3');
    expect(findLocation(portfolio, 'contour clinic - charleston')?.location_id).toBe('L1');
    expect(findLocation(portfolio, 'Charleston')?.location_id).toBe('L1');
    expect(findLocation(portfolio, 'CHARLOTTE')?.location_id).toBe('L2');
    expect(findLocation(portfolio, 'glow')?.location_id).toBe('L3');
    expect(findLocation(portfolio, 'Nowhere')).toBeUndefined();
  });

  it('is #N/A naming the candidates, ids and names, when a part matches several', () => {
    let thrown: unknown;
    try {
      findLocation(portfolio, 'Charl');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CaliperFunctionError);
    expect((thrown as CaliperFunctionError).kind).toBe('notAvailable');
    expect((thrown as CaliperFunctionError).message).toBe(
      "Ambiguous location 'Charl': 2 locations match (L1 Contour Clinic – Charleston; L2 Contour Clinic — Charlotte); use the id or the full name",
    );
  });
});
