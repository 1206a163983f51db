import path from 'node:path';

import { metricById, METRICS } from '../../../shared/metrics/catalog';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { returnFigures } from '../../../shared/metrics/patients/returnVisits';
import { trailingTwelveMonths } from '../../../shared/metrics/patients/trailingWindow';
import { vipPatientCount } from '../../../shared/metrics/patients/vipRevenue';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

// The fixtures (tests/fixtures/metrics/patients/east, west, plain), by hand. Three systems:
// east = L1 (Zenoti), west = L2 (Boulevard), plain = L3 (no booked_at at all) and L4 (a kiosk
// with sales but no appointments). Every location's last sale is a gift card on 2025-06-30,
// so the as-of month is 2025-06 and the as-of date 2025-06-30.
//
// Persons (matched by pseudonymized email, else phone, else patient id):
//   Ana = E-1 ana@example.com (L1) = W-1 ANA@Example.COM (L2)   Jo = E-5 +1 214 555 0199 (L1) = W-3 (214) 555-0199 (L2)
//   Bea E-2, Cy E-3, Di E-4 (phone only), Ivy E-6 at L1; Eve W-2 at L2; Kim W-4 and Lee W-5 (no email or phone)
//   buy retail at L2 and never visit; Fay P-1, Gus P-2, Hal P-3 at L3.
//
// Visits (completed), by date — BTX neurotoxin, FIL filler, HF facial, LSR laser, CON consultation:
//   2024-01-15 Ivy L1 BTX     2024-02-01 Di L1 HF      2024-02-01 Jo L2 BTX     2024-03-01 Ana L1 BTX
//   2024-04-01 Bea L1 BTX     2024-05-01 Ana L2 BTX    2024-06-10 Fay L3 HF     2024-11-01 Ana L2 BTX
//   2025-01-10 Ana L1 BTX     2025-01-15 Hal L3 BTX    2025-01-20 Eve L2 BTX    2025-02-01 Bea L1 BTX
//   2025-02-10 Cy L1 BTX      2025-02-15 Gus L3 BTX    2025-03-03 Ana L1 BTX    2025-03-04 Bea L1 BTX
//   2025-03-05 Cy L1 FIL      2025-03-06 09:00 Di L1 CON, 14:00 Di L1 HF       2025-03-10 Eve L2 BTX
//   2025-03-12 Ana L2 BTX     2025-03-15 10:00 Fay L3 HF, 14:00 Fay L3 LSR      2025-03-25 Eve L2 BTX
//   2025-04-01 Jo L1 BTX      2025-04-15 Ana L2 BTX    2025-05-16 Hal L3 BTX    2025-06-14 Fay L3 HF
//   2025-06-15 Gus L3 BTX
// Other appointments: E13 Cy L1 2025-03-20 cancelled (no booked_at); E14 Bea L1 2025-07-02, E15 Cy L1
// 2025-07-03, E17 Jo L1 2025-07-15, W05 Ana L2 2025-07-01 scheduled; P09 Gus L3 2025-03-20 and P10 Hal L3
// 2025-04-01 no-shows. booked_at of each appointment is given where a test needs it.

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  const bundles = path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'patients');
  await t.ingest(['east', 'west', 'plain'].map((name) => path.join(bundles, name)));
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

it('takes 2025-06 as the as-of month, the last month every location has complete', () => {
  expect(ctx.asOfMonth()).toBe('2025-06');
});

describe('new_patients', () => {
  it('counts a patient seen at two locations once, at the location of the first visit anywhere', () => {
    // First visits in 2024: Ivy L1 01-15, Di L1 02-01, Jo L2 02-01, Ana L1 03-01, Bea L1 04-01, Fay L3 06-10.
    // Ana's 2024-05-01 visit at L2 (same email in another case) is not new: her first visit was at L1.
    expect(valueOf(ctx, 'new_patients', PORTFOLIO, '2024').value).toBe(6);
    expect(valueOf(ctx, 'new_patients', at('L1'), '2024').value).toBe(4); // Ivy, Di, Ana, Bea
    expect(valueOf(ctx, 'new_patients', at('L2'), '2024').value).toBe(1); // Jo
    expect(valueOf(ctx, 'new_patients', at('L3'), '2024').value).toBe(1); // Fay
  });

  it('answers 0, not null, when the only first-time visitor of a location had been seen elsewhere', () => {
    // 2025-Q1: Hal L3 01-15, Eve L2 01-20, Cy L1 02-10, Gus L3 02-15 = 4.
    expect(valueOf(ctx, 'new_patients', PORTFOLIO, '2025-Q1').value).toBe(4);
    expect(valueOf(ctx, 'new_patients', at('L3'), '2025-Q1').value).toBe(2);
    // 2025-Q2: Jo's first L1 visit (04-01) is not new — he was matched by phone to his 2024 L2 visit.
    expect(valueOf(ctx, 'new_patients', at('L1'), '2025-Q2').value).toBe(0);
    expect(valueOf(ctx, 'new_patients', PORTFOLIO, '2025-Q2').value).toBe(0);
  });

  it('says where the history starts, since the first months of data make everybody look new', () => {
    expect(valueOf(ctx, 'new_patients', PORTFOLIO, '2024').details).toEqual({
      first_visit_on_record: '2024-01-15',
    });
  });

  it('is null with a reason for a location that has no appointments at all', () => {
    const kiosk = valueOf(ctx, 'new_patients', at('L4'), '2024');
    expect(kiosk.value).toBeNull();
    expect(kiosk.reason).toBe('no appointments were ingested for the location L4');
  });
});

describe('rebooking_rate', () => {
  it('counts a rebooking at another location and one booked 7 days after, not 8 days after nor one starting earlier', () => {
    // L1, 2025-03, visits of a rebookable category (Di's CON consultation is not one):
    //   Ana BTX 03-03 10:00 → W05 at L2 booked 03-05, starts 07-01: rebooked (another location, any status)
    //   Bea BTX 03-04 10:00 → E14 booked 03-11 = 03-04 + 7 days, starts 07-02: rebooked (inclusive)
    //   Cy FIL 03-05 10:00 → E15 booked 03-13 = 03-05 + 8 days: not; E13 has no booked_at: never counts
    //   Di HF 03-06 14:00 → E11 booked 03-06 but starts 09:00, before the visit: not
    // 2 / 4 = 0.5
    const l1 = valueOf(ctx, 'rebooking_rate', at('L1'), '2025-03');
    expect(l1.value).toBe(0.5);
    expect(l1.formula).toBe('rebooked_visits / eligible_visits');
    // Appointments starting in March at L1: E08, E09, E10, E11, E12, E13 = 6, of which E13 has no booked_at.
    expect(l1.operands).toEqual([
      { name: 'rebooked_visits', value: 2, unit: 'count' },
      { name: 'eligible_visits', value: 4, unit: 'count' },
      { name: 'appointments', value: 6, unit: 'count' },
      { name: 'appointments_without_booked_at', value: 1, unit: 'count' },
    ]);
  });

  it('computes the rate where only some appointments carry booked_at, and shows how many lack it', () => {
    // L2, 2025-03: Eve BTX 03-10 (itself without booked_at) → W07 booked 03-10 11:00, starts 03-25: rebooked
    //   (booked on the visit's own date counts); Ana BTX 03-12 → W05 was booked 03-05, before the visit,
    //   and W09 (04-15) has no booked_at: not; Eve BTX 03-25 → nothing later: not. 1 / 3.
    const l2 = valueOf(ctx, 'rebooking_rate', at('L2'), '2025-03');
    expect(l2.value).toBeCloseTo(1 / 3, 12);
    expect(l2.operands).toContainEqual({ name: 'appointments_without_booked_at', value: 1, unit: 'count' });
    expect(l2.details).toEqual({ locations_without_booked_at: [], unmapped_service_visits: 0 });
  });

  it('is null with a reason, not 0, where none of the scope’s appointments carries booked_at', () => {
    const l3 = valueOf(ctx, 'rebooking_rate', at('L3'), '2025-03');
    expect(l3.value).toBeNull();
    // March at L3: Fay HF, Fay LSR, Gus's FIL no-show — none with booked_at.
    expect(l3.reason).toBe(
      'none of the 3 appointments of the location L3 in the period carries booked_at, so rebookings cannot be seen',
    );
    expect(valueOf(ctx, 'rebooking_rate', at('L4'), '2025-03').reason).toBe(
      'no appointments were ingested for the location L4',
    );
  });

  it('at portfolio scope keeps the visits of a location without booked_at in the denominator and names it', () => {
    // Rebooked 2 (L1) + 1 (L2) + 0 (L3) = 3; eligible 4 + 3 + 2 (Fay HF and LSR) = 9 → 3 / 9.
    const portfolio = valueOf(ctx, 'rebooking_rate', PORTFOLIO, '2025-03');
    expect(portfolio.value).toBeCloseTo(1 / 3, 12);
    // Appointments in March 6 + 3 + 3 = 12; without booked_at 1 + 1 + 3 = 5.
    expect(portfolio.operands).toEqual([
      { name: 'rebooked_visits', value: 3, unit: 'count' },
      { name: 'eligible_visits', value: 9, unit: 'count' },
      { name: 'appointments', value: 12, unit: 'count' },
      { name: 'appointments_without_booked_at', value: 5, unit: 'count' },
    ]);
    expect(portfolio.details).toEqual({ locations_without_booked_at: ['L3'], unmapped_service_visits: 0 });
  });
});

describe('return_rate.<category>', () => {
  it('counts only visits whose window has elapsed by the as-of date, with the window end inclusive', () => {
    // neurotoxin (120 days), 2025-Q1, as-of 2025-06-30: a visit counts when its date + 120 ≤ 06-30,
    // i.e. on or before 03-02 (03-02 + 29 + 30 + 31 + 30 = 06-30).
    //   Ana L1 01-10 → Ana L1 03-03 ≤ 05-10: returned        Hal L3 01-15 → 05-16 = day 121 (window ends 05-15): not
    //   Eve L2 01-20 → Eve L2 03-10: returned                 Bea L1 02-01 → Bea L1 03-04: returned
    //   Cy L1 02-10 → Cy L1 03-05 filler: returned (any category)   Gus L3 02-15 → 06-15 = day 120: returned
    //   Window still open: Ana 03-03, Bea 03-04, Eve 03-10, Ana 03-12, Eve 03-25 (03-03 + 120 = 07-01).
    // 5 / 6
    const portfolio = valueOf(ctx, 'return_rate.neurotoxin', PORTFOLIO, '2025-Q1');
    expect(portfolio.value).toBeCloseTo(5 / 6, 12);
    expect(portfolio.operands).toEqual([
      { name: 'returned_visits', value: 5, unit: 'count' },
      { name: 'eligible_visits', value: 6, unit: 'count' },
      { name: 'open_window_visits', value: 5, unit: 'count' },
    ]);
    expect(portfolio.details).toEqual({ window_days: 120, as_of_date: '2025-06-30' });
    expect(valueOf(ctx, 'return_rate.neurotoxin', at('L1'), '2025-Q1').value).toBe(1); // 3 / 3
    expect(valueOf(ctx, 'return_rate.neurotoxin', at('L3'), '2025-Q1').value).toBe(0.5); // Gus yes, Hal no
  });

  it('at location scope needs the return at that location; the portfolio takes it at any location', () => {
    // Ana L2 2024-11-01, window to 2025-03-01: her next visit is at L1 on 2025-01-10; at L2 not until 03-12.
    expect(valueOf(ctx, 'return_rate.neurotoxin', PORTFOLIO, '2024-11').value).toBe(1);
    expect(valueOf(ctx, 'return_rate.neurotoxin', at('L2'), '2024-11').value).toBe(0);
  });

  it('takes a return at any location of a set that is neither one location nor the portfolio', () => {
    // Ana L2 2024-11-01, window to 2025-03-01 (as-of 2025-06-30, elapsed): L1 on 2025-01-10 is in the
    // set {L1, L2}; for {L2, L3} her next visit there is L2 on 2025-03-12, after the window.
    const november = { label: '2024-11', start: '2024-11-01', end: '2024-11-30', months: 1 };
    expect(returnFigures(ctx, ['L1', 'L2'], 'neurotoxin', november, '2025-06-30')).toEqual({
      visits: 1,
      eligibleVisits: 1,
      returnedVisits: 1,
      openWindowVisits: 0,
    });
    expect(returnFigures(ctx, ['L2', 'L3'], 'neurotoxin', november, '2025-06-30').returnedVisits).toBe(0);
  });

  it('does not take a second visit the same day as a return', () => {
    // facial (60 days), 2025-Q1: Di HF 03-06 14:00 → no later visit; Fay HF 03-15 10:00 → her LSR at 14:00
    // the same day is the same trip, and 06-14 is after the window's end 05-14. 0 / 2.
    const facial = valueOf(ctx, 'return_rate.facial', PORTFOLIO, '2025-Q1');
    expect(facial.value).toBe(0);
    expect(facial.operands).toContainEqual({ name: 'eligible_visits', value: 2, unit: 'count' });
  });

  it('is null with a reason when no window has elapsed or there is no visit of the category', () => {
    // Cy FIL 2025-03-05 + 365 days = 2026-03-05, after the as-of date.
    const filler = valueOf(ctx, 'return_rate.filler', PORTFOLIO, '2025-Q1');
    expect(filler.value).toBeNull();
    expect(filler.reason).toBe(
      'none of the 1 filler visits in the period has a 365-day return window that has elapsed by the as-of date 2025-06-30',
    );
    expect(valueOf(ctx, 'return_rate.body_contouring', PORTFOLIO, '2025-Q1').reason).toBe(
      'no body_contouring visit in the period',
    );
  });

  it('exists for every rebookable category and not for consultation', () => {
    expect(METRICS.filter((m) => m.id.startsWith('return_rate.')).map((m) => m.id)).toEqual([
      'return_rate.neurotoxin',
      'return_rate.filler',
      'return_rate.laser',
      'return_rate.energy_device',
      'return_rate.body_contouring',
      'return_rate.skin_treatment',
      'return_rate.facial',
      'return_rate.other_service',
    ]);
    expect(metricById('return_rate.consultation')).toBeUndefined();
  });
});

describe('active_patients', () => {
  it('counts distinct patients with a visit in the trailing 12 months, a patient of two locations once', () => {
    // 2024-07-01..2025-06-30: L1 Ana, Bea, Cy, Di, Jo = 5; L2 Ana, Eve = 2; L3 Hal, Gus, Fay = 3.
    // Portfolio: Ana is at L1 and L2 → 5 + 2 + 3 − 1 = 9 (Ivy's last visit was 2024-01-15; Kim and Lee never visited).
    expect(valueOf(ctx, 'active_patients', PORTFOLIO, '2025-06').value).toBe(9);
    expect(valueOf(ctx, 'active_patients', at('L1'), '2025-06').value).toBe(5);
    expect(valueOf(ctx, 'active_patients', at('L2'), '2025-06').value).toBe(2);
    expect(valueOf(ctx, 'active_patients', at('L3'), '2025-06').value).toBe(3);
    // 2023-07-01..2024-06-30: Ivy, Di, Jo, Ana (L1 and L2), Bea, Fay = 6.
    const june2024 = valueOf(ctx, 'active_patients', PORTFOLIO, '2024-06');
    expect(june2024.value).toBe(6);
    expect(june2024.details).toEqual({ window: { start: '2023-07-01', end: '2024-06-30' } });
  });

  it('is null with a reason for a location without appointments', () => {
    expect(valueOf(ctx, 'active_patients', at('L4'), '2025-06').value).toBeNull();
  });
});

describe('patient_retention_12m', () => {
  it('divides the patients of the earlier 12 months who came back in the last 12 by all of them', () => {
    // At the end of 2025-06: earlier = 2023-07-01..2024-06-30, last = 2024-07-01..2025-06-30.
    // Portfolio base: Ivy, Di, Jo, Ana, Bea, Fay = 6; back: Di, Jo (at L1), Ana, Bea, Fay = 5 → 5 / 6.
    const portfolio = valueOf(ctx, 'patient_retention_12m', PORTFOLIO, '2025-06');
    expect(portfolio.value).toBeCloseTo(5 / 6, 12);
    expect(portfolio.operands).toEqual([
      { name: 'retained_patients', value: 5, unit: 'count' },
      { name: 'base_patients', value: 6, unit: 'count' },
    ]);
    expect(portfolio.details).toMatchObject({
      prior_window: { start: '2023-07-01', end: '2024-06-30' },
      last_window: { start: '2024-07-01', end: '2025-06-30' },
    });
    // L1 base Ivy, Di, Ana, Bea; back Di, Ana, Bea → 3 / 4.
    expect(valueOf(ctx, 'patient_retention_12m', at('L1'), '2025-06').value).toBe(0.75);
    // L2 base Jo, Ana; Jo came back only at L1, so L2 kept Ana alone → 1 / 2.
    expect(valueOf(ctx, 'patient_retention_12m', at('L2'), '2025-06').value).toBe(0.5);
    // At the end of 2025-03: base 2023-04-01..2024-03-31 = Ivy, Di, Jo, Ana; back by 2025-03-31: Di, Ana → 2 / 4.
    expect(valueOf(ctx, 'patient_retention_12m', PORTFOLIO, '2025-03').value).toBe(0.5);
  });

  it('counts a window that ends mid-month visit by visit, as at a month end', () => {
    // Ending 2025-03-09: earlier = 2023-03-10..2024-03-09 = Ivy, Di, Jo, Ana (03-01); last =
    // 2024-03-10..2025-03-09: Di (2025-03-06) and Ana are back, Jo not until 04-01 → 2 / 4. Active in the
    // last: Ana, Bea, Fay, Hal, Eve, Cy, Gus, Di = 8 (Ivy and Jo not).
    const retention = valueOf(ctx, 'patient_retention_12m', PORTFOLIO, '2024-06-20..2025-03-09');
    expect(retention.operands).toEqual([
      { name: 'retained_patients', value: 2, unit: 'count' },
      { name: 'base_patients', value: 4, unit: 'count' },
    ]);
    expect(valueOf(ctx, 'active_patients', PORTFOLIO, '2024-06-20..2025-03-09').value).toBe(8);
  });

  it('is null with a reason when nobody visited in the earlier 12 months', () => {
    // L3's first visit is 2024-06-10, after 2023-04-01..2024-03-31.
    const l3 = valueOf(ctx, 'patient_retention_12m', at('L3'), '2025-03');
    expect(l3.value).toBeNull();
    expect(l3.reason).toBe('no patient visited in the earlier 12 months (2023-04-01..2024-03-31)');
  });
});

describe('vip_revenue_share', () => {
  it('takes the top ⌈0.1 × n⌉ patients by trailing-12-month revenue over all net revenue', () => {
    // 2024-07-01..2025-06-30, net revenue per patient (tax, tips and gift cards excluded, refunds netted):
    //   Ana L1 500 + 600, L2 480 + 500 + 500 + 99 membership = 2,679   Eve 500 × 3 = 1,500   Bea 500 + 400 + 300 = 1,200
    //   Cy 500 + 700 − 100 refund = 1,100   Hal 900   Gus 900   Fay 120 + 380 + 120 = 620   Jo 500   Di 0 + 150 + 80 = 230
    //   Kim 40   Lee 30 (retail only) → n = 11, ⌈1.1⌉ = 2: Ana + Eve = 4,179.
    // net_revenue: patients 9,699 + the 60.00 retail line without a patient = 9,759.
    const portfolio = valueOf(ctx, 'vip_revenue_share', PORTFOLIO, '2025-06');
    expect(portfolio.value).toBeCloseTo(4179 / 9759, 12);
    expect(portfolio.operands).toEqual([
      { name: 'top_patient_revenue', value: 4179, unit: 'usd' },
      { name: 'net_revenue', value: 9759, unit: 'usd' },
      { name: 'patients_with_revenue', value: 11, unit: 'count' },
      { name: 'top_patients', value: 2, unit: 'count' },
    ]);
    expect(portfolio.details).toEqual({
      window: { start: '2024-07-01', end: '2025-06-30' },
      revenue_without_patient: 60,
    });
    // L1: Bea 1,200, Ana 1,100, Cy 1,100, Jo 500, Di 230 → n = 5, ⌈0.5⌉ = 1: Bea; net revenue 4,130.
    expect(valueOf(ctx, 'vip_revenue_share', at('L1'), '2025-06').value).toBeCloseTo(1200 / 4130, 12);
    // L2: Ana 1,579, Eve 1,500, Kim 40, Lee 30 → n = 4 → Ana; net revenue 1,579 + 1,500 + 40 + 30 + 60 = 3,209.
    expect(valueOf(ctx, 'vip_revenue_share', at('L2'), '2025-06').value).toBeCloseTo(1579 / 3209, 12);
  });

  it('rounds the number of top patients up and never lets floating point add one', () => {
    expect([1, 9, 10, 11, 30, 31].map(vipPatientCount)).toEqual([1, 1, 1, 2, 3, 4]);
  });

  it('is null with a reason when no patient has revenue', () => {
    const kiosk = valueOf(ctx, 'vip_revenue_share', at('L4'), '2025-06');
    expect(kiosk.value).toBeNull();
    expect(kiosk.reason).toBe('no patient has positive net revenue in the 12 months 2024-07-01..2025-06-30');
  });
});

describe('rebooking_gap_dollars', () => {
  it('multiplies the rate gap by eligible visits and the net service revenue per eligible visit', () => {
    // L1 2025-03: rebookable service + package net = BTX 600 + BTX 450 − 50 + FIL package 300 + FIL 700 + HF 150
    //   = 2,150.00 (the 0.00 consultation and the 80.00 retail line are not in it) over 4 eligible visits = 537.50.
    //   (0.80 − 0.50) × 4 × 537.50 = 645.00
    const l1 = valueOf(ctx, 'rebooking_gap_dollars', at('L1'), '2025-03');
    expect(l1.value).toBe(645);
    expect(l1.operands).toEqual([
      { name: 'target', value: 0.8, unit: 'ratio' },
      { name: 'rebooking_rate', value: 0.5, unit: 'ratio' },
      { name: 'eligible_visits', value: 4, unit: 'count' },
      { name: 'net_service_revenue_per_eligible_visit', value: 537.5, unit: 'usd' },
      { name: 'rebookable_service_revenue', value: 2150, unit: 'usd' },
    ]);
    // L2: (0.80 − 1/3) × 3 × (1,500.00 / 3) = 0.4666… × 1,500.00 = 700.00
    expect(valueOf(ctx, 'rebooking_gap_dollars', at('L2'), '2025-03').value).toBe(700);
    // Portfolio: 2,150 + 1,500 + L3 (HF 120 + LSR 380) 500 = 4,150.00 over 9 visits;
    //   (0.80 − 3/9) × 4,150.00 = 1,936.666… → 1,936.67
    expect(valueOf(ctx, 'rebooking_gap_dollars', PORTFOLIO, '2025-03').value).toBe(1936.67);
  });

  it('is 0 when the rate meets the target and null when the rate is not available', () => {
    // L1 2025-04: Jo BTX 04-01 → E17 booked 04-01 11:00, starts 07-15: 1 / 1 ≥ 0.80 → max(0, −0.20) = 0.
    expect(valueOf(ctx, 'rebooking_gap_dollars', at('L1'), '2025-04').value).toBe(0);
    const l3 = valueOf(ctx, 'rebooking_gap_dollars', at('L3'), '2025-03');
    expect(l3.value).toBeNull();
    expect(l3.reason).toMatch(/^rebooking_rate is not available: none of the 3 appointments/);
  });
});

describe('retention_gap_dollars', () => {
  it('multiplies the retention gap by the base cohort and the revenue per retained patient', () => {
    // L2 at the end of 2025-06: retention 0.5, base 2 (Jo, Ana), retained Ana, whose L2 revenue in
    //   2024-07-01..2025-06-30 is 480 + 500 + 500 + 99 = 1,579.00. (0.70 − 0.50) × 2 × 1,579.00 = 631.60
    const l2 = valueOf(ctx, 'retention_gap_dollars', at('L2'), '2025-06');
    expect(l2.value).toBe(631.6);
    expect(l2.operands).toEqual([
      { name: 'target', value: 0.7, unit: 'ratio' },
      { name: 'patient_retention_12m', value: 0.5, unit: 'ratio' },
      { name: 'base_patients', value: 2, unit: 'count' },
      { name: 'net_revenue_per_retained_patient', value: 1579, unit: 'usd' },
    ]);
    // Portfolio at the end of 2025-03: retention 2 / 4; retained Ana and Di, revenue 2024-04-01..2025-03-31:
    //   Ana 480 + 480 + 500 + 600 + 500 = 2,560, Di 0 + 150 + 80 = 230 → 2,790 / 2 = 1,395.00.
    //   (0.70 − 0.50) × 4 × 1,395.00 = 1,116.00
    expect(valueOf(ctx, 'retention_gap_dollars', PORTFOLIO, '2025-03').value).toBe(1116);
    // L1 at the end of 2025-03: base Ivy, Di, Ana; retained Di, Ana with L1 revenue 230 + 1,100 = 1,330 → 665.00.
    //   (0.70 − 2/3) × 3 × 665.00 = 0.0333… × 1,995.00 = 66.50
    expect(valueOf(ctx, 'retention_gap_dollars', at('L1'), '2025-03').value).toBe(66.5);
  });

  it('is 0 at or above the target and null when no patient was retained to value the gap', () => {
    // Portfolio at the end of 2025-06: 5/6 ≥ 0.70.
    expect(valueOf(ctx, 'retention_gap_dollars', PORTFOLIO, '2025-06').value).toBe(0);
    // L2 at the end of 2025-03: base Jo (2024-02-01), who never came back to L2 → retention 0.
    const l2 = valueOf(ctx, 'retention_gap_dollars', at('L2'), '2025-03');
    expect(l2.value).toBeNull();
    expect(l2.reason).toBe(
      'no patient was retained, so there is no revenue per retained patient to value the gap',
    );
  });
});

describe('trailing 12 months', () => {
  it('are the 12 whole months when they end at a month end, else start the day after the same date a year earlier', () => {
    expect(trailingTwelveMonths('2025-06-30')).toEqual({ start: '2024-07-01', end: '2025-06-30' });
    expect(trailingTwelveMonths('2024-02-29')).toEqual({ start: '2023-03-01', end: '2024-02-29' });
    expect(trailingTwelveMonths('2024-02-28')).toEqual({ start: '2023-03-01', end: '2024-02-28' });
    expect(trailingTwelveMonths('2025-03-15')).toEqual({ start: '2024-03-16', end: '2025-03-15' });
  });
});
