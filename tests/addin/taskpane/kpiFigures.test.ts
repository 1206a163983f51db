import type { BatchResponse, CaliperClient } from '../../../addin/api/caliperClient';
import { dollarsText, figureText, monthText, percentText } from '../../../addin/taskpane/figureText';
import { fetchKpiStrip, KPI_STRIP_METRICS, kpiFigureText } from '../../../addin/taskpane/kpiFigures';

describe('figures for people', () => {
  it('shortens dollars, gives percentages one decimal and groups counts', () => {
    expect(dollarsText(20_612_345)).toBe('$20.6M');
    expect(dollarsText(845_300)).toBe('$845K');
    expect(dollarsText(9_870.4)).toBe('$9,870');
    expect(dollarsText(-1_234_567)).toBe('−$1.2M');
    expect(percentText(0.0421)).toBe('4.2 %');
    expect(percentText(-0.013)).toBe('−1.3 %');
    expect(percentText(-0.0001)).toBe('0.0 %');
    expect(figureText(34_571, 'count')).toBe('34,571');
    expect(monthText('2025-11')).toBe('Nov 2025');
    expect(monthText('2024-12-01')).toBe('Dec 2024');
  });
});

describe('the KPI strip', () => {
  it('asks the four portfolio figures for LTM in one batch, an absent one with its reason', async () => {
    const asked: unknown[] = [];
    const answer: BatchResponse = {
      results: [
        { value: 20_612_345.67, unit: 'usd', coverage: 1 },
        { value: null, unit: 'ratio', coverage: null, reason: 'no location is comparable' },
        { value: 34_571, unit: 'count', coverage: 1 },
        { error: { code: 'no_data', message: 'no memberships uploaded' } },
      ],
    };
    const client: Pick<CaliperClient, 'metricsBatch'> = {
      metricsBatch: (requests) => {
        asked.push(requests);
        return Promise.resolve(answer);
      },
    };
    const figures = await fetchKpiStrip(client);
    expect(asked).toEqual([KPI_STRIP_METRICS.map((m) => ({ metric: m.metric, period: 'LTM' }))]);
    expect(figures.map((f) => [f.label, kpiFigureText(f), f.reason])).toEqual([
      ['Net revenue', '$20.6M', ''],
      ['Same-store growth', '—', 'no location is comparable'],
      ['Visits', '34,571', ''],
      ['Active members', '—', 'no memberships uploaded'],
    ]);
  });
});
