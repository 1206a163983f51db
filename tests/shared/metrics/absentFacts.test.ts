import fs from 'node:fs';
import path from 'node:path';

import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, PORTFOLIO, provider, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

/*
 * "A metric whose facts are absent for the scope is null with a reason — never 0." The
 * fixture, written below and ingested, by hand:
 *
 * A1 open since 2020-01-01. Sale lines 2024-01-05 … 2024-06-20: 01-05 service 100.00,
 *    02-10 a gift card 50.00 (never revenue: February is covered and its revenue 0),
 *    03-15 retail 20.00, 06-20 membership fee 30.00 (no line at all in April and May).
 *    Completed visits 2024-01-05 (PT1) and 2024-06-20 (PT2); PT1 is booked (scheduled) for
 *    2024-12-01, which does not stretch the appointments into the autumn.
 *    Lead LD1 2024-01-10. Membership MB1 (PT1) from 2024-01-05, 100.00 a month.
 *    Payroll of PA1 (E1): 2023-06-01..2023-06-14, 80 h, 2,000.00 (hours, but no appointment yet).
 * A2 opened 2024-04-01. Sale lines 2024-04-02 service 200.00 and 2024-06-20 service 10.00;
 *    a visit on 2024-04-02 (PT3).
 * A3 closed on 2024-03-01 (its first day closed). Sale lines 2024-01-03 service 300.00 and
 *    2024-02-28 service 10.00; a visit on 2024-01-03 (PT4); membership MB2 (PT4) from
 *    2024-01-03, cancelled 2024-03-01.
 */

function writeBundle(dir: string, files: Record<string, string[]>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, lines] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), lines.map((l) => `${l}\n`).join(''));
  }
  return dir;
}

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  const dir = writeBundle(path.join(t.dir, 'absent'), {
    'locations.csv': [
      'location_id,name,region,timezone,opened_on,closed_on,acquired_on,emr_system,rooms',
      'A1,Always,Southwest,America/Chicago,2020-01-01,,,Zenoti,4',
      'A2,Newcomer,Southwest,America/Chicago,2024-04-01,,,Zenoti,4',
      'A3,Closer,Southwest,America/Chicago,2019-01-01,2024-03-01,,Zenoti,4',
    ],
    'services.csv': ['service_code,service_name,category,default_duration_min', 'BTX,Botox,neurotoxin,30'],
    'patients.csv': [
      'patient_id,home_location_id,email,phone,referral_source,created_on',
      'PT1,A1,pt1@example.com,,,2024-01-05',
      'PT2,A1,pt2@example.com,,,2024-06-20',
      'PT3,A2,pt3@example.com,,,2024-04-02',
      'PT4,A3,pt4@example.com,,,2024-01-03',
    ],
    'providers.csv': [
      'provider_id,location_id,display_name,role,payroll_employee_id,started_on,ended_on',
      'PA1,A1,Pat Always,NP,E1,2020-01-01,',
    ],
    'sales.csv': [
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
      'S1,A1,2024-01-05,PT1,PA1,V1,service,BTX,100.00,,,',
      'S2,A1,2024-02-10,PT1,,,gift_card,,50.00,,,',
      'S3,A1,2024-03-15,PT1,,,retail,,20.00,,,',
      'S4,A1,2024-06-20,PT1,,,membership_fee,,30.00,,,',
      'S5,A2,2024-04-02,PT3,,V3,service,BTX,200.00,,,',
      'S6,A2,2024-06-20,PT3,,,service,BTX,10.00,,,',
      'S7,A3,2024-01-03,PT4,,V4,service,BTX,300.00,,,',
      'S8,A3,2024-02-28,PT4,,,service,BTX,10.00,,,',
    ],
    'appointments.csv': [
      'appointment_id,location_id,patient_id,provider_id,service_code,booked_at,start_at,duration_min,status',
      'V1,A1,PT1,PA1,BTX,,2024-01-05T10:00,30,completed',
      'V2,A1,PT2,PA1,BTX,,2024-06-20T10:00,30,completed',
      'V5,A1,PT1,PA1,BTX,2024-06-20T11:00,2024-12-01T10:00,30,scheduled',
      'V3,A2,PT3,,BTX,,2024-04-02T10:00,30,completed',
      'V4,A3,PT4,,BTX,,2024-01-03T10:00,30,completed',
    ],
    'leads.csv': [
      'lead_id,location_id,channel,created_at,email,phone',
      'LD1,A1,google_ads,2024-01-10T09:00,,',
    ],
    'memberships.csv': [
      'membership_id,patient_id,location_id,plan,monthly_fee,started_on,cancelled_on',
      'MB1,PT1,A1,Glow,100.00,2024-01-05,',
      'MB2,PT4,A3,Glow,100.00,2024-01-03,2024-03-01',
    ],
    'payroll.csv': [
      'payroll_line_id,payroll_employee_id,location_id,period_start,period_end,pay_date,hours,wages,commission,bonus,employer_taxes_benefits',
      'PL1,E1,A1,2023-06-01,2023-06-14,,80,2000.00,,,',
    ],
  });
  const report = await t.ingest([dir]);
  expect(report.totals.rows_rejected).toBe(0);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

const REVENUE = ['net_revenue', 'service_revenue', 'retail_revenue', 'membership_revenue'];

describe('a location that was not operating', () => {
  it('has no revenue before it opened: null with the reason and null coverage, for every revenue metric', () => {
    for (const metric of [...REVENUE, 'visits', 'treatment_mix.neurotoxin']) {
      const v = valueOf(ctx, metric, at('A2'), '2024-03');
      expect([metric, v.value, v.reason, v.coverage]).toEqual([
        metric,
        null,
        'location A2 was not operating in the period (it opened on 2024-04-01)',
        null,
      ]);
    }
  });

  it('has no revenue after it closed', () => {
    for (const metric of [...REVENUE, 'visits']) {
      const v = valueOf(ctx, metric, at('A3'), '2024-04');
      expect([metric, v.value, v.reason]).toEqual([
        metric,
        null,
        'location A3 was not operating in the period (it closed on 2024-03-01)',
      ]);
    }
  });

  it('has no members, MRR or leads to count either', () => {
    const members = valueOf(ctx, 'active_members', at('A3'), '2024-04');
    expect(members.value).toBeNull();
    expect(members.reason).toBe('location A3 was not operating in the period (it closed on 2024-03-01)');
    expect(valueOf(ctx, 'mrr', at('A3'), '2024-04').value).toBeNull();
  });
});

describe('a period the data does not reach', () => {
  it('is null for the portfolio far ahead of the data (LTM@2030-01), with coverage 0', () => {
    const net = valueOf(ctx, 'net_revenue', PORTFOLIO, 'LTM@2030-01');
    expect(net.value).toBeNull();
    expect(net.coverage).toBe(0);
    expect(net.reason).toBe(
      'no sale lines cover the period at the portfolio (they run from 2024-01-03 to 2024-06-20)',
    );
    for (const metric of [
      ...REVENUE,
      'visits',
      'new_patients',
      'active_patients',
      'leads',
      'active_members',
      'mrr',
    ]) {
      expect([metric, valueOf(ctx, metric, PORTFOLIO, 'LTM@2030-01').value]).toEqual([metric, null]);
    }
    // Appointments run from the first to the last visit, no-show or late cancel; a scheduled one
    // (2024-12-01) does not reach further.
    expect(valueOf(ctx, 'visits', PORTFOLIO, 'LTM@2030-01').reason).toBe(
      'no appointments cover the period at the portfolio (they run from 2024-01-03 to 2024-06-20)',
    );
    expect(valueOf(ctx, 'visits', at('A1'), '2024-12').reason).toBe(
      'no appointments cover the period at the location A1 (they run from 2024-01-05 to 2024-06-20)',
    );
  });

  it('is null for an open location in a year before its data starts', () => {
    const net = valueOf(ctx, 'net_revenue', at('A1'), '2023');
    expect(net.value).toBeNull();
    expect(net.coverage).toBe(0);
    expect(net.reason).toBe(
      'no sale lines cover the period at the location A1 (they run from 2024-01-05 to 2024-06-20)',
    );
    expect(valueOf(ctx, 'new_patients', at('A1'), '2023').value).toBeNull();
    const leads = valueOf(ctx, 'leads', at('A1'), '2023');
    expect(leads.value).toBeNull();
    expect(leads.reason).toBe(
      'no data (sale lines, appointments, leads) cover the period at the location A1 (they run from 2024-01-05 to 2024-06-20)',
    );
    expect(valueOf(ctx, 'mrr', at('A1'), '2023').value).toBeNull();
  });

  it('has no utilization where payroll gives hours but no appointment covers the period', () => {
    const june = valueOf(ctx, 'capacity_utilization', at('A1'), '2023-06');
    expect(june.value).toBeNull();
    expect(june.reason).toBe(
      'no appointments cover the period at the location A1 (they run from 2024-01-05 to 2024-06-20)',
    );
    expect(valueOf(ctx, 'booked_utilization', provider('PA1'), '2023-06').value).toBeNull();
  });
});

describe('a period the data covers', () => {
  it('stays 0 when it really had no revenue', () => {
    // February: only the gift card; April and May: no line at all, between lines of January and June.
    for (const period of ['2024-02', '2024-04', '2024-05']) {
      const net = valueOf(ctx, 'net_revenue', at('A1'), period);
      expect([period, net.value, net.reason, net.coverage]).toEqual([period, 0, undefined, 1]);
    }
    expect(valueOf(ctx, 'membership_revenue', at('A1'), '2024-02').value).toBe(0);
    expect(valueOf(ctx, 'visits', at('A1'), '2024-03').value).toBe(0);
    expect(valueOf(ctx, 'new_patients', at('A1'), '2024-03').value).toBe(0);
    expect(valueOf(ctx, 'leads', at('A1'), '2024-03').value).toBe(0);
  });

  it('sums the locations that operated and lets coverage say the rest', () => {
    // March: A1 20.00 (A2 not open yet, A3 closed from 03-01).
    const march = valueOf(ctx, 'net_revenue', PORTFOLIO, '2024-03');
    expect(march.value).toBe(20);
    expect(march.coverage).toBe(1);
    // 2024: A1 100 + 20 + 30, A2 200 + 10, A3 300 + 10 = 670.00
    expect(valueOf(ctx, 'net_revenue', PORTFOLIO, '2024').value).toBe(670);
    expect(valueOf(ctx, 'active_members', at('A1'), '2024-03').value).toBe(1);
    expect(valueOf(ctx, 'mrr', PORTFOLIO, '2024-02').value).toBe(200);
  });

  it('keeps the reasons ratios already had', () => {
    // No visit at A2 before it opened: the average ticket says so first.
    const ticket = valueOf(ctx, 'avg_ticket', at('A2'), '2024-03');
    expect(ticket.value).toBeNull();
    expect(ticket.reason).toBe('no visits in the period');
    // provider_production keeps its own rule: no sale line at the scope in the period.
    const production = valueOf(ctx, 'provider_production', provider('PA1'), '2023');
    expect(production.value).toBeNull();
    expect(production.reason).toBe('no sale lines at the scope’s locations in the period');
  });
});
