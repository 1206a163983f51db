import path from 'node:path';

import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

// The fixture (tests/fixtures/metrics/membership), by hand. A membership is active on d when
// started_on ≤ d < cancelled_on.
//   MB1 alice L1 100.00  2024-01-10 … cancelled 2024-03-16 (mid-March: last member day 03-15)
//   MB2 bob   L1 150.00  2024-02-01 …
//   MB3 bob   L2  80.00  2024-03-10 …  (bob's second membership, on his L2 EMR record P2B, same email)
//   MB4 carol L1 120.00  2024-03-18 …  (carol becomes a member mid-March)
//   MB5 erin  L2  99.00  2023-06-01 …
//   MB6 fay   L1 100.00  2023-11-01 … cancelled 2024-03-01 (plan switch on March's first day)
//   MB7 fay   L1 200.00  2024-03-01 …
//   MB8 gus   L1  50.00  2024-03-05 … cancelled 2024-03-25 (started and cancelled inside March)
//   L3 has no memberships at all.
// Active on 2024-03-01: MB1, MB2, MB5, MB7 → portfolio 4, L1 3 (MB1, MB2, MB7), L2 1 (MB5).
// Active on 2024-03-31: MB2, MB3, MB4, MB5, MB7 → portfolio 5, L1 3 (MB2, MB4, MB7), L2 2 (MB3, MB5).
// Active on 2024-01-01: MB5, MB6 → portfolio 2, L1 1 (MB6).

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  const report = await t.ingest([path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'membership')]);
  expect(report.totals.rows_rejected).toBe(0);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('active members and MRR', () => {
  it('counts memberships active on the last day, so a cancellation mid-period drops the membership', () => {
    // March 31: MB2, MB3, MB4, MB5, MB7 = 5; MB1 (cancelled 03-16) and MB8 (03-25) are gone.
    const march = valueOf(ctx, 'active_members', PORTFOLIO, '2024-03');
    expect(march.value).toBe(5);
    expect(march.operands).toEqual([{ name: 'active_on_last_day', value: 5, unit: 'count' }]);
    // February 29: MB1, MB2, MB5, MB6 = 4 (MB6 is cancelled on 03-01, so still active on 02-29).
    expect(valueOf(ctx, 'active_members', PORTFOLIO, '2024-02').value).toBe(4);
  });

  it('counts a member with two memberships twice, and says how many distinct members that is', () => {
    // bob holds MB2 (L1) and MB3 (L2): 5 memberships, 4 members (bob, carol, erin, fay).
    expect(valueOf(ctx, 'active_members', PORTFOLIO, '2024-03').details).toEqual({
      day: '2024-03-31',
      distinct_members: 4,
    });
  });

  it('counts at a location only the memberships held there', () => {
    // L1: MB2, MB4, MB7 = 3; L2: MB3, MB5 = 2.
    expect(valueOf(ctx, 'active_members', at('L1'), '2024-03').value).toBe(3);
    expect(valueOf(ctx, 'active_members', at('L2'), '2024-03').value).toBe(2);
  });

  it('sums the monthly fees of the memberships active on the last day as MRR', () => {
    // Portfolio: 150 + 80 + 120 + 99 + 200 = 649.00; L1: 150 + 120 + 200 = 470.00; L2: 80 + 99 = 179.00.
    expect(valueOf(ctx, 'mrr', PORTFOLIO, '2024-03').value).toBe(649);
    expect(valueOf(ctx, 'mrr', at('L1'), '2024-03').value).toBe(470);
    expect(valueOf(ctx, 'mrr', at('L2'), '2024-03').value).toBe(179);
    // February: 100 (MB1) + 150 (MB2) + 99 (MB5) + 100 (MB6) = 449.00
    expect(valueOf(ctx, 'mrr', PORTFOLIO, '2024-02').value).toBe(449);
  });

  it('is not available, not zero, at a location without any membership', () => {
    const l3 = valueOf(ctx, 'active_members', at('L3'), '2024-03');
    expect(l3.value).toBeNull();
    expect(l3.reason).toBe('no memberships were ingested for this scope');
    expect(valueOf(ctx, 'mrr', at('L3'), '2024-03').value).toBeNull();
  });
});

describe('membership churn rate', () => {
  it('divides the cancellations of memberships started before P by those active on P’s first day', () => {
    // Cancelled in March: MB1 (started 01-10) and MB6 (started 2023-11-01, cancelled on 03-01) count;
    // MB8 started and cancelled inside March does not. 2 / 4 active on 03-01 = 0.5
    const churn = valueOf(ctx, 'membership_churn_rate', PORTFOLIO, '2024-03');
    expect(churn.value).toBe(0.5);
    expect(churn.operands).toEqual([
      { name: 'cancelled_in_period', value: 2, unit: 'count' },
      { name: 'active_on_first_day', value: 4, unit: 'count' },
    ]);
    expect(churn.details).toEqual({
      cancelled_on_first_day: 1,
      started_and_cancelled_in_period_not_counted: 1,
    });
  });

  it('counts at a location only its own cancellations and base', () => {
    // L1: MB1 + MB6 = 2 / 3 (MB1, MB2, MB7 active on 03-01) = 0.666…
    expect(valueOf(ctx, 'membership_churn_rate', at('L1'), '2024-03').value).toBeCloseTo(2 / 3, 10);
    // L2: nothing cancelled / 1 (MB5) = 0
    expect(valueOf(ctx, 'membership_churn_rate', at('L2'), '2024-03').value).toBe(0);
  });

  it('leaves out memberships started inside a longer period too', () => {
    // 2024-Q1 at L1: active on 01-01 = MB6 alone; cancelled in Q1 and started before it = MB6 → 1 / 1.
    // MB1 (started 01-10) and MB8 (03-05) were cancelled in Q1 but started inside it.
    const q1 = valueOf(ctx, 'membership_churn_rate', at('L1'), '2024-Q1');
    expect(q1.value).toBe(1);
    expect(q1.details).toEqual({ cancelled_on_first_day: 0, started_and_cancelled_in_period_not_counted: 2 });
  });

  it('is not available when no membership was active on the first day', () => {
    // L2 in 2023-05: MB5 starts 2023-06-01, MB3 in 2024.
    const churn = valueOf(ctx, 'membership_churn_rate', at('L2'), '2023-05');
    expect(churn.value).toBeNull();
    expect(churn.reason).toBe('no membership was active on the first day of the period');
  });
});

describe('average revenue per member per month', () => {
  // Net revenue on member days in March (tips, tax and gift cards are never revenue):
  //   S1  alice 03-05 L1 200.00  member (MB1)                    → counts
  //   S2  alice 03-16 L1  50.00  MB1's cancellation day           → not a member day
  //   S3  alice 03-20 L1 300.00                                   → not a member day
  //   S4  bob   03-03 L1 400.00 (+40.00 tip)  member at L1 (MB2)   → counts
  //   S5  bob   03-05 L2  60.00  member at L1 only (MB3 from 03-10) → portfolio only
  //   S6  bob   03-12 L2 120.00  member at L2 (MB3)               → counts
  //   S7  carol 03-04 L1 250.00  before MB4                       → not a member day
  //   S8  carol 03-18 L1 120.00  membership fee on MB4's first day → counts
  //   S9  carol 03-25 L1 180.00 − 30.00 = 150.00                   → counts
  //   S10 dan   03-08 L1  90.00  never a member                   → no
  //   S11 fay   03-01 L1 200.00  membership fee (MB7)             → counts; S12 gift card 100.00 never revenue
  //   S13 gus   03-05 L1  50.00  membership fee (MB8)             → counts; S14 03-25 retail: cancellation day → no
  // Portfolio: 200 + 400 + 60 + 120 + 120 + 150 + 200 + 50 = 1,300.00
  // L1 (L1 memberships, L1 sales): 200 + 400 + 120 + 150 + 200 + 50 = 1,120.00
  // L2 (L2 memberships, L2 sales): 120.00

  it('divides member-day revenue by the mean of the first- and last-day memberships and by the months', () => {
    // 1,300.00 / ((4 + 5) / 2) / 1 = 288.888… → 288.89
    const arpm = valueOf(ctx, 'arpm', PORTFOLIO, '2024-03');
    expect(arpm.value).toBe(288.89);
    expect(arpm.operands).toEqual([
      { name: 'member_net_revenue', value: 1300, unit: 'usd' },
      { name: 'active_on_first_day', value: 4, unit: 'count' },
      { name: 'active_on_last_day', value: 5, unit: 'count' },
      { name: 'months', value: 1, unit: 'count' },
    ]);
  });

  it('counts at a location only its sales on days the patient held a membership there', () => {
    // L1: 1,120.00 / ((3 + 3) / 2) = 373.333… → 373.33
    expect(valueOf(ctx, 'arpm', at('L1'), '2024-03').value).toBe(373.33);
    // L2: 120.00 / ((1 + 2) / 2) = 80.00 (bob's 60.00 on 03-05 is before his L2 membership)
    expect(valueOf(ctx, 'arpm', at('L2'), '2024-03').value).toBe(80);
  });

  it('divides by the months of a longer period', () => {
    // Q1 adds erin's 210.00 on 2024-02-14 (MB5): 1,510.00 / ((2 + 5) / 2) / 3 = 143.8095… → 143.81
    expect(valueOf(ctx, 'arpm', PORTFOLIO, '2024-Q1').value).toBe(143.81);
  });

  it('is not available when no membership was active on the first or the last day', () => {
    const arpm = valueOf(ctx, 'arpm', at('L2'), '2023-05');
    expect(arpm.value).toBeNull();
    expect(arpm.reason).toBe('no membership was active on the first or the last day of the period');
  });
});

describe('membership conversion rate', () => {
  // Visits in March (completed) and whether the patient was a member that day:
  //   alice 03-05 L1 member; 03-20 L1 not (MB1 ended)      → non-member visitor
  //   bob   03-03 L1 member (MB2); 03-05 L2 member anywhere, not at L2; 03-12 L2 member (MB3)
  //   carol 03-04 L1 not; 03-25 L1 member (MB4)             → non-member visitor
  //   dan   03-08 L1 not                                    → non-member visitor
  //   gus   03-05 L1 member (MB8 starts that day); hal's 03-12 appointment is a no-show, not a visit.
  // Memberships started in March: MB3 (bob, already MB2's member the day before), MB4 (carol, converts),
  // MB7 (fay, MB6 active the day before: a plan switch), MB8 (gus, converts).

  it('counts a patient who becomes a member mid-period as a conversion and as a non-member visitor', () => {
    // Portfolio: conversions carol + gus = 2 / non-member visitors alice, carol, dan = 3
    const rate = valueOf(ctx, 'membership_conversion_rate', PORTFOLIO, '2024-03');
    expect(rate.value).toBeCloseTo(2 / 3, 10);
    expect(rate.operands).toEqual([
      { name: 'conversions', value: 2, unit: 'count' },
      { name: 'non_member_visitors', value: 3, unit: 'count' },
    ]);
    expect(rate.details).toEqual({ memberships_started: 4 });
  });

  it('judges membership at a location by that location’s memberships only', () => {
    // L2: bob visited on 03-05 without an L2 membership, then started MB3 → 1 / 1
    expect(valueOf(ctx, 'membership_conversion_rate', at('L2'), '2024-03').value).toBe(1);
    // L1: carol + gus = 2 / alice, carol, dan = 3
    expect(valueOf(ctx, 'membership_conversion_rate', at('L1'), '2024-03').value).toBeCloseTo(2 / 3, 10);
  });

  it('is not available when no non-member visited', () => {
    // L2 in January 2024: no visits at all.
    const rate = valueOf(ctx, 'membership_conversion_rate', at('L2'), '2024-01');
    expect(rate.value).toBeNull();
    expect(rate.reason).toBe('no patient visited in the period without being a member that day');
  });
});
