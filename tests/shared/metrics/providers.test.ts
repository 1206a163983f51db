import path from 'node:path';

import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, PORTFOLIO, provider, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'providers');

// tests/fixtures/metrics/providers/worked (tenant "worked"), by hand:
// W1, 2024. PW1 (payroll EW1) sells one 40,000.00 service line on the 15th of every month and is
// paid monthly (pay period = the calendar month, paid on the 5th of the next month):
//   wages 15,000.00 + commission 4,000.00 + bonus 500.00 + employer taxes 1,300.00 = 20,800.00, 160 h.
// PW2 (EW2): March only, a 10,000.00 service line; March payroll 4,000.00 + 500.00 = 4,500.00, 120 h.
// E9 is on no provider row (front desk): March payroll 3,000.00 at W1.
//
// tests/fixtures/metrics/providers/split (tenant "split"), by hand:
// PS1 (payroll EP1) works at S1 and S2; PS2 (EP2) at S1 only.
// Sales: X1 S1 2024-03-28 PS1 service 1,100.00 − 100.00 discount (+80.00 tax, +150.00 tip) = 1,000.00
//        X2 S1 2024-03-28 PS1 retail 200.00                  → not production
//        X3 S2 2024-04-02 PS1 package 3,000.00               → production
//        X4 S2 2024-04-05 PS1 package refund −500.00         → production −500.00
//        X5 S1 2024-04-02 PS2 service 1,500.00
//        X6 S2 2024-03-30 gift card 100.00, no provider       → not production (S2 has a sale in Q1)
// Payroll: PL1 EP1, no location, 2024-03-25..2024-04-07 (14 days, 7 in March, 7 in April), 70 h,
//            2,800.00 + 700.00 + 350.00 = 3,850.00.
//            PS1's production in that pay period: S1 1,000.00, S2 3,000.00 − 500.00 = 2,500.00 → total 3,500.00
//            → S1 gets 1,000/3,500 = 2/7: 3,850.00 × 2/7 = 1,100.00 and 70 h × 2/7 = 20 h
//              S2 gets 2,500/3,500 = 5/7: 3,850.00 × 5/7 = 2,750.00 and 70 h × 5/7 = 50 h
//            and each half in March, half in April (7/14 of the days each).
//          PL2 EP1, no location, 2024-04-08..2024-04-21, 28 h, 1,400.00; PS1 has no production then
//            → equally: 700.00 and 14 h at each location.
//          PL3 EP2 at S1, 2024-04-01..2024-04-14, 80 h, 4,000.00.
// Shifts: PS2 at S1 2024-04-02 09:00–17:00 (8 h) and 2024-04-03 09:00–13:30 (4.5 h) = 12.5 h.

let t: TestStore;
let worked: MetricContext;
let split: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([path.join(FIXTURES, 'worked')], 'worked');
  await t.ingest([path.join(FIXTURES, 'split')], 'split');
  worked = await metricsOf(t, 'worked');
  split = await metricsOf(t, 'split');
});
afterAll(async () => {
  await t.close();
});

describe('provider metrics: the worked example of metrics.md', () => {
  it('gives production 40,000.00, compensation 20,800.00, ratio 0.52 and contribution 19,200.00 in a month', () => {
    expect(valueOf(worked, 'provider_production', provider('PW1'), '2024-03').value).toBe(40000);
    // 15,000.00 + 4,000.00 + 500.00 + 1,300.00 = 20,800.00
    expect(valueOf(worked, 'provider_compensation', provider('PW1'), '2024-03').value).toBe(20800);
    // 20,800 / 40,000 = 0.52
    expect(valueOf(worked, 'comp_to_production_ratio', provider('PW1'), '2024-03').value).toBe(0.52);
    // 40,000 − 20,800 = 19,200 (at the 0.40 midpoint it would be 40,000 − 16,000 = 24,000)
    expect(valueOf(worked, 'provider_contribution', provider('PW1'), '2024-03').value).toBe(19200);
  });

  it('puts the compensation gap at 4,800.00 a month and 57,600.00 over the twelve months', () => {
    // (0.52 − 0.40) × 40,000 = 4,800
    expect(valueOf(worked, 'provider_comp_gap_dollars', provider('PW1'), '2024-03').value).toBe(4800);
    // 2024: production 12 × 40,000 = 480,000, compensation 12 × 20,800 = 249,600, ratio 0.52
    //       → (0.52 − 0.40) × 480,000 = 57,600 = 12 × 4,800
    expect(valueOf(worked, 'provider_production', provider('PW1'), '2024').value).toBe(480000);
    expect(valueOf(worked, 'provider_compensation', provider('PW1'), '2024').value).toBe(249600);
    expect(valueOf(worked, 'comp_to_production_ratio', provider('PW1'), '2024').value).toBe(0.52);
    expect(valueOf(worked, 'provider_contribution', provider('PW1'), '2024').value).toBe(230400);
    expect(valueOf(worked, 'provider_comp_gap_dollars', provider('PW1', 'W1'), '2024').value).toBe(57600);
  });

  it('lists the compensation components as operands', () => {
    expect(valueOf(worked, 'provider_compensation', provider('PW1'), '2024-03').operands).toEqual([
      { name: 'wages', value: 15000, unit: 'usd' },
      { name: 'commission', value: 4000, unit: 'usd' },
      { name: 'bonus', value: 500, unit: 'usd' },
      { name: 'employer_taxes_benefits', value: 1300, unit: 'usd' },
    ]);
  });

  it('sums a location over its providers and never counts the payroll of an employee who is no provider', () => {
    // March at W1: production 40,000 (PW1) + 10,000 (PW2) = 50,000
    expect(valueOf(worked, 'provider_production', at('W1'), '2024-03').value).toBe(50000);
    // Compensation 20,800 (PW1) + 4,500 (PW2) = 25,300; E9's 3,000 front-desk payroll is not in it.
    expect(valueOf(worked, 'provider_compensation', at('W1'), '2024-03').value).toBe(25300);
    // 25,300 / 50,000 = 0.506
    expect(valueOf(worked, 'comp_to_production_ratio', at('W1'), '2024-03').value).toBe(0.506);
    // 50,000 − 25,300 = 24,700
    expect(valueOf(worked, 'provider_contribution', PORTFOLIO, '2024-03').value).toBe(24700);
  });

  it('counts only the providers above 0.50 in the gap, each at their own ratio', () => {
    // PW2: 4,500 / 10,000 = 0.45 is inside the band → no gap. PW1: 4,800. The location's pooled
    // ratio 0.506 would give (0.506 − 0.40) × 50,000 = 5,300, which is not the definition.
    const gap = valueOf(worked, 'provider_comp_gap_dollars', at('W1'), '2024-03');
    expect(gap.value).toBe(4800);
    expect(gap.details).toEqual({
      providers: [
        { provider_id: 'PW1', production: 40000, compensation: 20800, ratio: 0.52, gap: 4800 },
        { provider_id: 'PW2', production: 10000, compensation: 4500, ratio: 0.45, gap: 0 },
      ],
    });
    // 2024 at portfolio scope: PW1 57,600; PW2 (March only) 0.45 → 57,600
    expect(valueOf(worked, 'provider_comp_gap_dollars', PORTFOLIO, '2024').value).toBe(57600);
  });

  it('divides production by payroll hours when the provider has no shifts', () => {
    // 40,000 / 160 h = 250.00 an hour
    const perHour = valueOf(worked, 'provider_revenue_per_hour', provider('PW1'), '2024-03');
    expect(perHour.value).toBe(250);
    expect(perHour.operands).toContainEqual({ name: 'provider_hours (payroll)', value: 160, unit: 'hours' });
  });

  it('answers null with a reason when there is no payroll or no sale line in the period', () => {
    // PW2 has no payroll in April.
    const comp = valueOf(worked, 'provider_compensation', provider('PW2'), '2024-04');
    expect(comp.value).toBeNull();
    expect(comp.reason).toBe('no payroll accrues to the scope’s providers in the period');
    expect(valueOf(worked, 'comp_to_production_ratio', provider('PW2'), '2024-04').value).toBeNull();
    expect(valueOf(worked, 'provider_comp_gap_dollars', provider('PW2'), '2024-04').value).toBeNull();
    // No sale line at W1 in 2023.
    const production = valueOf(worked, 'provider_production', provider('PW1'), '2023');
    expect(production.value).toBeNull();
    expect(production.reason).toBe('no sale lines at the scope’s locations in the period');
  });
});

describe('provider metrics: proration and location-less payroll', () => {
  it('excludes tax, tips, discounts and retail from production', () => {
    // X1 1,100.00 − 100.00 = 1,000.00; not the 80.00 tax, the 150.00 tip or the 200.00 retail line.
    expect(valueOf(split, 'provider_production', provider('PS1', 'S1'), '2024-03').value).toBe(1000);
  });

  it('reduces production by a refund in the period the refund is made', () => {
    // S2 April: package 3,000.00 − refund 500.00 = 2,500.00
    expect(valueOf(split, 'provider_production', provider('PS1', 'S2'), '2024-04').value).toBe(2500);
  });

  it('splits a pay period across a quarter boundary pro rata by calendar days', () => {
    // PL1 3,850.00 over 2024-03-25..04-07: 7/14 in Q1 = 1,925.00, 7/14 in Q2 = 1,925.00
    expect(valueOf(split, 'provider_compensation', provider('PS1'), '2024-Q1').value).toBe(1925);
    // Q2: 1,925.00 of PL1 + 1,400.00 of PL2 = 3,325.00
    expect(valueOf(split, 'provider_compensation', provider('PS1'), '2024-Q2').value).toBe(3325);
    // At S1: PL1's 1,100.00 share, half in each quarter → 550.00 in Q1
    //   (wages 2,800 × 2/7 × 1/2 = 400 + commission 700 × 2/7 × 1/2 = 100 + taxes 350 × 2/7 × 1/2 = 50)
    expect(valueOf(split, 'provider_compensation', provider('PS1', 'S1'), '2024-Q1').value).toBe(550);
    // 550 / 1,000 = 0.55 and 1,000 − 550 = 450
    expect(valueOf(split, 'comp_to_production_ratio', provider('PS1', 'S1'), '2024-Q1').value).toBe(0.55);
    expect(valueOf(split, 'provider_contribution', provider('PS1', 'S1'), '2024-Q1').value).toBe(450);
  });

  it('splits a location-less payroll line across the provider’s locations by production in its pay period', () => {
    // Over PL1's own days: S1 3,850 × 2/7 = 1,100.00, S2 3,850 × 5/7 = 2,750.00
    expect(
      valueOf(split, 'provider_compensation', provider('PS1', 'S1'), '2024-03-25..2024-04-07').value,
    ).toBe(1100);
    expect(
      valueOf(split, 'provider_compensation', provider('PS1', 'S2'), '2024-03-25..2024-04-07').value,
    ).toBe(2750);
  });

  it('splits it equally when the provider had no production in the pay period', () => {
    // PL2 1,400.00, no production 2024-04-08..04-21 → 700.00 each
    expect(
      valueOf(split, 'provider_compensation', provider('PS1', 'S1'), '2024-04-08..2024-04-21').value,
    ).toBe(700);
    expect(
      valueOf(split, 'provider_compensation', provider('PS1', 'S2'), '2024-04-08..2024-04-21').value,
    ).toBe(700);
  });

  it('pro-rates payroll hours like compensation for the revenue per hour', () => {
    // S1, Q1: production 1,000.00 / (20 h × 7/14 = 10 h) = 100.00
    expect(valueOf(split, 'provider_revenue_per_hour', provider('PS1', 'S1'), '2024-Q1').value).toBe(100);
    // S2, Q2: production 2,500.00 / (50 h × 7/14 + 28 h / 2 = 25 + 14 = 39 h) = 64.1025… → 64.10
    const s2 = valueOf(split, 'provider_revenue_per_hour', provider('PS1', 'S2'), '2024-Q2');
    expect(s2.value).toBe(64.1);
    expect(s2.operands).toEqual([
      { name: 'provider_production', value: 2500, unit: 'usd' },
      { name: 'provider_hours (payroll)', value: 39, unit: 'hours' },
    ]);
  });

  it('uses shift hours over payroll hours when the provider has shifts', () => {
    // PS2 at S1, April: 1,500.00 / 12.5 shift hours = 120.00 (not 1,500 / 80 payroll hours = 18.75)
    const perHour = valueOf(split, 'provider_revenue_per_hour', provider('PS2', 'S1'), '2024-04');
    expect(perHour.value).toBe(120);
    expect(perHour.operands).toContainEqual({ name: 'provider_hours (shifts)', value: 12.5, unit: 'hours' });
  });

  it('answers a null ratio, not 0 or infinity, where the provider had no production', () => {
    // S2 in Q1: 1,375.00 of compensation (2,750 × 7/14) against 0.00 production.
    expect(valueOf(split, 'provider_compensation', provider('PS1', 'S2'), '2024-Q1').value).toBe(1375);
    const r = valueOf(split, 'comp_to_production_ratio', provider('PS1', 'S2'), '2024-Q1');
    expect(r.value).toBeNull();
    expect(r.reason).toBe('provider_production is zero');
    // The contribution is still defined: 0 − 1,375 = −1,375
    expect(valueOf(split, 'provider_contribution', provider('PS1', 'S2'), '2024-Q1').value).toBe(-1375);
  });

  it('sums a location over every provider working there', () => {
    // S1 April: production PS1 0 + PS2 1,500 = 1,500;
    // compensation PS1 550 (PL1, April half) + 700 (PL2) + PS2 4,000 (PL3) = 5,250
    expect(valueOf(split, 'provider_production', at('S1'), '2024-04').value).toBe(1500);
    expect(valueOf(split, 'provider_compensation', at('S1'), '2024-04').value).toBe(5250);
    // Gap at S2 in Q2: PS1 2,075 / 2,500 = 0.83 → 2,075 − 0.40 × 2,500 = 1,075
    expect(valueOf(split, 'provider_comp_gap_dollars', at('S2'), '2024-Q2').value).toBe(1075);
  });
});
