import { metricById, METRICS, SIMILAR_ID_CHARS, similarMetricIds } from '../../../shared/metrics/catalog';

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

  it('compares only the start of a huge id, so a 1 MB one is answered with catalog ids', () => {
    // A 150 MB id once pinned the process for over 10 minutes here (docs/security.md, finding 7).
    expect(Math.max(...METRICS.map((m) => m.id.length))).toBeLessThan(SIMILAR_ID_CHARS);
    const ids = new Set(METRICS.map((m) => m.id));
    const junk = similarMetricIds('x'.repeat(1024 * 1024));
    expect(junk).toHaveLength(3);
    for (const id of junk) expect(ids.has(id)).toBe(true);
    // The same suggestions as for its first SIMILAR_ID_CHARS characters; a misspelling followed
    // by a megabyte still finds its metric.
    expect(junk).toEqual(similarMetricIds('x'.repeat(SIMILAR_ID_CHARS)));
    expect(similarMetricIds(`net_revenu${'x'.repeat(1024 * 1024)}`)[0]).toBe('net_revenue');
    expect(similarMetricIds(`NEW_PATIENT_SECOND_VISIT_RAT${'e'.repeat(1024 * 1024)}`)[0]).toBe(
      'new_patient_second_visit_rate',
    );
  });
});
