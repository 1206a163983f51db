import { metricById, METRICS, similarMetricIds } from '../../../shared/metrics/catalog';

describe('looking metrics up', () => {
  it('finds every catalog metric by its id', () => {
    for (const metric of METRICS) expect(metricById(metric.id)).toBe(metric);
  });

  it('builds cac.<channel> for any channel a tenant uses, not only the listed ones', () => {
    const cac = metricById('cac.podium');
    expect(cac).toMatchObject({ id: 'cac.podium', unit: 'usd', family: 'acquisition' });
    expect(metricById('cac.')).toBeUndefined();
    expect(metricById('net_revenu')).toBeUndefined();
  });

  it('suggests the closest ids for a misspelt metric', () => {
    expect(similarMetricIds('net_revenu')[0]).toBe('net_revenue');
    expect(similarMetricIds('rebooking')[0]).toBe('rebooking_rate');
  });
});
