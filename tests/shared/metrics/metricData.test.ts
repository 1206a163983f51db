import { lastTouchRanks } from '../../../shared/metrics/metricData';

/*
 * A lead's last-touch rank (metrics.md, Acquisition: the converting lead created last; of leads
 * created at the same time, the lower lead_id): the load ranks the leads once, so the metric data
 * keeps neither their creation times nor their ids.
 */

describe('the last-touch ranks of leads', () => {
  it('rank a later creation higher, and of leads created at the same time the lower lead id', () => {
    const createdAt = [
      '2024-04-02T10:00:00',
      '2024-03-25T09:00:00',
      '2024-04-02T10:00:00',
      '2024-04-02T10:00:00',
    ];
    const leadIds = ['LD2', 'LD9', 'LD10', 'LD1'];
    // Order of touch: LD9 (03-25), then 04-02's leads from the highest id to the lowest: LD2, LD10, LD1.
    expect([...lastTouchRanks(createdAt, leadIds)]).toEqual([1, 0, 2, 3]);
  });

  it('compare by code unit, never by locale', () => {
    // 'B' (U+0042) < 'a' (U+0061) < 'é' (U+00E9) in code units: 'B' is the last touch.
    const at = '2024-01-01T00:00:00';
    expect([...lastTouchRanks([at, at, at], ['a', 'é', 'B'])]).toEqual([1, 0, 2]);
  });

  it('rank nothing when there are no leads', () => {
    expect(lastTouchRanks([], []).length).toBe(0);
  });
});
