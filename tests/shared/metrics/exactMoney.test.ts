import fs from 'node:fs';
import path from 'node:path';

import { Fraction } from '../../../shared/engine/fraction';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { centsToReportedDollars, roundCents } from '../../../shared/metrics/metricValue';
import { addDays } from '../../../shared/model/localDate';
import { at, metricsOf, provider, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

/*
 * Money is exact until it is reported, then rounded once, half a cent away from zero. The
 * fixture, written below and ingested into a real store (so the aggregates go through the
 * REAL column and back), by hand:
 *
 * H1 and H2, open since 2020.
 * P1 (E1) at H1: one line 2024-03-31..2024-04-01 (2 days), wages 1,000.01, 16 h
 *   → March: 100,001 / 2 = 50,000.5 cents = 500.005 → 500.01; April the same; 2024: 1,000.01.
 *   and a correction 2024-06-30..2024-07-01, wages −0.05 → June −2.5 cents = −0.025 → −0.03.
 *   P1 sells 1,000.00 of service at H1 on 2024-03-15.
 * P2 (E2) works at H1 and H2; one line without location 2024-03-31..2024-04-01, wages 0.05;
 *   P2's production in that pay period: H1 100.00 (03-31), H2 100.00 (04-01) → half each:
 *   2.5 cents at each location (1.25 a day).
 * P3 (E3) at H1: 79 bi-weekly lines, Monday to Sunday from 2022-12-26, each wages 2,637.12 +
 *   commission 72.00 + employer taxes 46.57 = 2,755.69 (275,569 cents).
 *   2025: 2024-12-23..2025-01-05 has 5 of its 14 days in 2025, 2025-12-22..2026-01-04 has 10;
 *   the 25 lines between (2025-01-06..2025-12-21, 350 days) are whole:
 *   25 × 275,569 + 275,569 × 15 / 14 = 6,889,225 + 295,252.5 = 7,184,477.5 cents → 71,844.78.
 *   (Running totals of doubles made it 7,184,477.4999… → 71,844.77.)
 *   2025-Q1: 6 whole lines (2025-01-06..2025-03-30) + 5/14 + 1/14 (2025-03-31 of
 *   2025-03-31..2025-04-13) = 6 × 275,569 + 275,569 × 6/14 = 1,653,414 + 118,101 = 17,715.15.
 * P4 (E4) at H1: a line of $0 and 0 hours 2024-05-01..2024-05-14; sells 200.00 on 2024-05-10.
 * H2 visits: 2024-08 two completed appointments and 0.50 + 0.51 of service (1.01 / 2 = 50.5
 *   cents → 0.51); 2024-09 two completed appointments and a −1.01 refund (−50.5 → −0.51).
 */

function writeBundle(dir: string, files: Record<string, string[]>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, lines] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), lines.map((l) => `${l}\n`).join(''));
  }
  return dir;
}

function p3Lines(): string[] {
  const lines: string[] = [];
  for (let start = '2022-12-26', i = 1; start <= '2025-12-31'; start = addDays(start, 14), i += 1) {
    lines.push(`PL3-${i},E3,H1,${start},${addDays(start, 13)},,80,2637.12,72.00,,46.57`);
  }
  return lines;
}

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  const dir = writeBundle(path.join(t.dir, 'half'), {
    'locations.csv': [
      'location_id,name,region,timezone,opened_on,closed_on,acquired_on,emr_system,rooms',
      'H1,Half One,Southwest,America/Chicago,2020-01-01,,,Zenoti,4',
      'H2,Half Two,Southwest,America/Chicago,2020-01-01,,,Zenoti,4',
    ],
    'services.csv': ['service_code,service_name,category,default_duration_min', 'BTX,Botox,neurotoxin,30'],
    'patients.csv': [
      'patient_id,home_location_id,email,phone,referral_source,created_on',
      'PT1,H2,pt1@example.com,,,2024-01-01',
    ],
    'providers.csv': [
      'provider_id,location_id,display_name,role,payroll_employee_id,started_on,ended_on',
      'P1,H1,Pat One,NP,E1,2020-01-01,',
      'P2,H1,Pat Two,NP,E2,2020-01-01,',
      'P2,H2,Pat Two,NP,E2,2020-01-01,',
      'P3,H1,Pat Three,NP,E3,2020-01-01,',
      'P4,H1,Pat Four,NP,E4,2020-01-01,',
    ],
    'sales.csv': [
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
      'S1,H1,2024-03-15,,P1,,service,BTX,1000.00,,,',
      'S2,H1,2024-03-31,,P2,,service,BTX,100.00,,,',
      'S3,H2,2024-04-01,,P2,,service,BTX,100.00,,,',
      'S4,H1,2024-05-10,,P4,,service,BTX,200.00,,,',
      'S5,H2,2024-08-05,PT1,,AP1,service,BTX,0.50,,,',
      'S6,H2,2024-08-06,PT1,,AP2,service,BTX,0.51,,,',
      'S7,H2,2024-09-05,PT1,,,service,BTX,-1.01,,,',
      'S8,H1,2025-12-31,,,,retail,,10.00,,,',
    ],
    'appointments.csv': [
      'appointment_id,location_id,patient_id,provider_id,service_code,booked_at,start_at,duration_min,status',
      'AP1,H2,PT1,,BTX,,2024-08-05T10:00,30,completed',
      'AP2,H2,PT1,,BTX,,2024-08-06T10:00,30,completed',
      'AP3,H2,PT1,,BTX,,2024-09-05T10:00,30,completed',
      'AP4,H2,PT1,,BTX,,2024-09-06T10:00,30,completed',
    ],
    'payroll.csv': [
      'payroll_line_id,payroll_employee_id,location_id,period_start,period_end,pay_date,hours,wages,commission,bonus,employer_taxes_benefits',
      'PL1,E1,H1,2024-03-31,2024-04-01,,16,1000.01,,,',
      'PL1C,E1,H1,2024-06-30,2024-07-01,,0,-0.05,,,',
      'PL2,E2,,2024-03-31,2024-04-01,,0,0.05,,,',
      ...p3Lines(),
      'PL4,E4,H1,2024-05-01,2024-05-14,,0,0.00,0.00,0.00,0.00',
    ],
  });
  const report = await t.ingest([dir]);
  expect(report.totals.rows_rejected).toBe(0);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('the rounding rule', () => {
  it('rounds cents once, a half cent away from zero', () => {
    expect(roundCents(Fraction.of(100_001, 2))).toBe(50_001);
    expect(roundCents(Fraction.of(-5, 2))).toBe(-3);
    expect(roundCents(Fraction.of(1, 3))).toBe(0);
    expect(roundCents(12_345)).toBe(12_345);
    expect(centsToReportedDollars(Fraction.of(100_001, 2))).toBe(500.01);
    expect(centsToReportedDollars(Fraction.of(-5, 2))).toBe(-0.03);
    expect(centsToReportedDollars(Fraction.of(14_368_955, 2))).toBe(71_844.78);
    expect(centsToReportedDollars(-101)).toBe(-1.01);
  });
});

describe('pro-rated compensation is exact until it is reported', () => {
  it('rounds a pay period share of exactly x.5 cents up, away from zero', () => {
    // 1,000.01 over 2 days: 500.005 in March and in April.
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024-03').value).toBe(500.01);
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024-04').value).toBe(500.01);
    expect(valueOf(ctx, 'provider_compensation', provider('P1', 'H1'), '2024-Q1').value).toBe(500.01);
    // The whole line (1,000.01) less the −0.05 correction: 999.96, rounded once, not 500.01 + 500.01 − 0.05.
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024').value).toBe(999.96);
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024-03-31..2024-04-01').value).toBe(
      1000.01,
    );
  });

  it('rounds a negative half cent away from zero', () => {
    // −0.05 over 2 days: −0.025 in June and in July.
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024-06').value).toBe(-0.03);
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024-07').value).toBe(-0.03);
  });

  it('lists each component rounded from its exact amount', () => {
    expect(valueOf(ctx, 'provider_compensation', provider('P1'), '2024-03').operands).toEqual([
      { name: 'wages', value: 500.01, unit: 'usd' },
      { name: 'commission', value: 0, unit: 'usd' },
      { name: 'bonus', value: 0, unit: 'usd' },
      { name: 'employer_taxes_benefits', value: 0, unit: 'usd' },
    ]);
  });

  it('derives the ratio and the contribution from the reported compensation, so the figures foot', () => {
    // March: production 1,000.00, compensation 500.01 → ratio 0.50001, contribution 499.99.
    expect(valueOf(ctx, 'provider_production', provider('P1'), '2024-03').value).toBe(1000);
    expect(valueOf(ctx, 'comp_to_production_ratio', provider('P1'), '2024-03').value).toBe(0.50001);
    expect(valueOf(ctx, 'provider_contribution', provider('P1'), '2024-03').value).toBe(499.99);
    // 0.50001 > 0.50: gap = 500.01 − 0.40 × 1,000.00 = 100.01
    expect(valueOf(ctx, 'provider_comp_gap_dollars', provider('P1'), '2024-03').value).toBe(100.01);
  });

  it('adds a year of bi-weekly pay periods without losing the half cent', () => {
    // 7,184,477.5 cents (see the fixture): 71,844.775 → 71,844.78.
    expect(valueOf(ctx, 'provider_compensation', provider('P3'), '2025').value).toBe(71844.78);
    expect(valueOf(ctx, 'provider_compensation', provider('P3', 'H1'), 'FY2025').value).toBe(71844.78);
    expect(valueOf(ctx, 'provider_compensation', provider('P3'), '2025-Q1').value).toBe(17715.15);
    // One whole pay period: 2,755.69.
    expect(valueOf(ctx, 'provider_compensation', provider('P3'), '2025-01-06..2025-01-19').value).toBe(
      2755.69,
    );
  });

  it('splits a location-less line by production exactly, and rounds each scope once', () => {
    // 0.05 split half and half: 2.5 cents at each location → 0.03 each; 0.05 for the provider.
    const days = '2024-03-31..2024-04-01';
    expect(valueOf(ctx, 'provider_compensation', provider('P2', 'H1'), days).value).toBe(0.03);
    expect(valueOf(ctx, 'provider_compensation', provider('P2', 'H2'), days).value).toBe(0.03);
    expect(valueOf(ctx, 'provider_compensation', provider('P2'), days).value).toBe(0.05);
    // March 31 alone: 1.25 cents at each location → 0.01; 2.5 cents for the provider → 0.03.
    expect(valueOf(ctx, 'provider_compensation', provider('P2', 'H1'), '2024-03').value).toBe(0.01);
    expect(valueOf(ctx, 'provider_compensation', provider('P2'), '2024-03').value).toBe(0.03);
    // H2 in 2024-Q2 (April 1): P2's 1.25 cents is all the compensation there → 0.01.
    expect(valueOf(ctx, 'provider_compensation', at('H2'), '2024-Q2').value).toBe(0.01);
  });
});

describe('a payroll line of $0 and 0 hours', () => {
  it('is compensation $0 for its period, not "no payroll"', () => {
    const comp = valueOf(ctx, 'provider_compensation', provider('P4'), '2024-05');
    expect(comp.value).toBe(0);
    expect(comp.reason).toBeUndefined();
    // Production 200.00: ratio 0 / 200 = 0, contribution 200.00 − 0.00.
    expect(valueOf(ctx, 'comp_to_production_ratio', provider('P4'), '2024-05').value).toBe(0);
    expect(valueOf(ctx, 'provider_contribution', provider('P4'), '2024-05').value).toBe(200);
    // The pay period runs 05-01..05-14: a range that touches one of its days has the line too.
    expect(valueOf(ctx, 'provider_compensation', provider('P4'), '2024-05-14..2024-05-20').value).toBe(0);
  });

  it('leaves a period no line reaches without payroll', () => {
    const june = valueOf(ctx, 'provider_compensation', provider('P4'), '2024-06');
    expect(june.value).toBeNull();
    expect(june.reason).toBe('no payroll accrues to the scope’s providers in the period');
    expect(valueOf(ctx, 'provider_compensation', provider('P4'), '2024-05-15..2024-05-31').value).toBeNull();
  });
});

describe('other amounts that divide', () => {
  it('rounds an average ticket of x.5 cents away from zero, refunds included', () => {
    // August: 1.01 / 2 visits = 0.505 → 0.51; September: −1.01 / 2 = −0.505 → −0.51.
    expect(valueOf(ctx, 'avg_ticket', at('H2'), '2024-08').value).toBe(0.51);
    expect(valueOf(ctx, 'avg_ticket', at('H2'), '2024-09').value).toBe(-0.51);
  });
});
