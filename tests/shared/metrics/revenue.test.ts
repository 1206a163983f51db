import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';

// The fixtures (tests/fixtures/bundles/north and south), by hand:
// L1 sales: S1 2024-01-05 service 520.00 − 20.00 discount (+50.00 tip, 0 tax) = 500.00
//           S2 2024-01-05 retail 80.00 (+6.60 tax)                              =  80.00
//           S3 2024-01-20 service refund                                         = −100.00
//           S4 2024-02-01 gift card 250.00                                       → never revenue
//           S5 2024-04-12 service 520.00                                         = 520.00
//           S6 2024-03-22 service (consultation) 0.00                            =   0.00
// L2 sales: blvd-1 2024-05-03 service 480.00 (+40.00 tip); blvd-2 membership fee 99.00.
// Visits (completed): L1 A1 2024-01-05, A2 2024-04-12, A5 2024-03-22; L2 appointment 1 2024-05-03.

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([fixture('north'), fixture('south')]);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('revenue metrics', () => {
  it('net revenue excludes gift cards, tax and tips, and counts a refund in the month it is made', () => {
    // January: 500.00 + 80.00 − 100.00 = 480.00
    expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-01').value).toBe(480);
    // February: only the 250.00 gift card, which is not revenue.
    expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-02').value).toBe(0);
    // 2024: 480.00 + 0.00 + 520.00 = 1,000.00
    expect(valueOf(ctx, 'net_revenue', at('L1'), '2024').value).toBe(1000);
    // Portfolio 2024: 1,000.00 + 480.00 + 99.00 = 1,579.00
    expect(valueOf(ctx, 'net_revenue', PORTFOLIO, '2024').value).toBe(1579);
  });

  it('splits service, retail and membership revenue by line kind', () => {
    // Service 2024-Q1 at L1: 500.00 − 100.00 + 0.00 = 400.00
    expect(valueOf(ctx, 'service_revenue', at('L1'), '2024-Q1').value).toBe(400);
    expect(valueOf(ctx, 'retail_revenue', at('L1'), '2024-Q1').value).toBe(80);
    expect(valueOf(ctx, 'membership_revenue', PORTFOLIO, '2024-05').value).toBe(99);
  });

  it('counts completed appointments as visits and divides net revenue by them for the average ticket', () => {
    expect(valueOf(ctx, 'visits', at('L1'), '2024-Q1').value).toBe(2);
    // 2024-Q1: 480.00 / 2 visits = 240.00
    expect(valueOf(ctx, 'avg_ticket', at('L1'), '2024-Q1').value).toBe(240);
    // Portfolio 2024: 1,579.00 / 4 visits = 394.75
    expect(valueOf(ctx, 'avg_ticket', PORTFOLIO, '2024').value).toBe(394.75);
  });

  it('answers null with a reason, never 0, when there are no visits', () => {
    const ticket = valueOf(ctx, 'avg_ticket', at('L1'), '2024-02');
    expect(ticket.value).toBeNull();
    expect(ticket.reason).toBe('no visits in the period');
  });

  it('divides by shift hours where shifts exist and falls back to payroll hours spread over the pay period', () => {
    // January at L1: one shift, PR1 09:00–17:00 = 8 h; 480.00 / 8 = 60.00
    expect(valueOf(ctx, 'revenue_per_available_hour', at('L1'), '2024-01').value).toBe(60);
    // April at L1 has no shift: payroll PY1 80 h and PY2 72.5 h cover 2024-03-25..04-07 (14 days),
    // 7 of which fall in April: 80 × 7/14 + 72.5 × 7/14 = 40 + 36.25 = 76.25 h; 520.00 / 76.25 = 6.8197 → 6.82
    const april = valueOf(ctx, 'revenue_per_available_hour', at('L1'), '2024-04');
    expect(april.value).toBe(6.82);
    expect(april.operands).toContainEqual({ name: 'available_hours (payroll)', value: 76.25, unit: 'hours' });
  });

  it('gives the treatment mix as a share of service revenue by category', () => {
    // 2024 service revenue: L1 500 − 100 + 520 + 0 (consultation) = 920, L2 480 → 1,400, all neurotoxin but the 0.00 consult.
    expect(valueOf(ctx, 'treatment_mix.neurotoxin', PORTFOLIO, '2024').value).toBe(1);
    expect(valueOf(ctx, 'treatment_mix.consultation', at('L1'), '2024').value).toBe(0);
    expect(valueOf(ctx, 'treatment_mix.filler', at('L2'), '2024-02').value).toBeNull();
  });

  it('states the coverage of the data: L1 has sales from 2024-01-05, so January is 27/31 covered', () => {
    expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-01').coverage).toBeCloseTo(27 / 31, 10);
    expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-03').coverage).toBe(1);
  });

  it('shows the formula and its operands', () => {
    const net = valueOf(ctx, 'net_revenue', at('L1'), '2024-01');
    expect(net.formula).toBe(
      'Σ (gross − discount) of sale lines of kind service, package, retail, membership_fee, other',
    );
    expect(net.operands).toEqual([
      { name: 'net.service', value: 400, unit: 'usd' },
      { name: 'net.package', value: 0, unit: 'usd' },
      { name: 'net.retail', value: 80, unit: 'usd' },
      { name: 'net.membership_fee', value: 0, unit: 'usd' },
      { name: 'net.other', value: 0, unit: 'usd' },
    ]);
  });

  it('resolves LTM and YTD at the as-of month: the latest month every open location has complete', () => {
    // L1's last sale is 2024-04-12 → complete through 2024-03; L2 through 2024-04 → as-of 2024-03.
    expect(ctx.asOfMonth()).toBe('2024-03');
    const ytd = valueOf(ctx, 'net_revenue', at('L1'), 'YTD');
    expect(ytd.period).toMatchObject({ label: 'YTD@2024-03', start: '2024-01-01', end: '2024-03-31' });
    expect(ytd.value).toBe(480);
  });
});
