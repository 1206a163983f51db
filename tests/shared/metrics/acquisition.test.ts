import path from 'node:path';

import {
  attributedNewPatients,
  cohortFigures,
  lastDayWithTwelveMonthsBy,
  twelveMonthsEnd,
} from '../../../shared/metrics/acquisition/newPatientCohort';
import { metricById } from '../../../shared/metrics/catalog';
import { acquisitionChannels } from '../../../shared/metrics/families/acquisition';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { addDays } from '../../../shared/model/localDate';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

// The fixture (tests/fixtures/metrics/acquisition), by hand. Both locations' last sale is on
// 2025-06-30, so the as-of month is 2025-06 and the as-of date 2025-06-30.
//
// Patients (first visit anywhere = the first completed appointment):
//   PA ann  L1 first 2024-04-10; no-show 2024-05-20 (booked 05-15); visit 2024-07-01 (booked 06-20)
//   PB bea  L1 first 2024-05-01 (booked 04-20); visit 2024-10-28                 phone (214) 555-0202
//   PC cid  L1 cancelled appt booked 2024-05-08; first 2024-07-07 (booked 06-30)  referral "Google Ads"
//   PD dee  L2 first 2024-06-30 10:00 (booked 05-01), a consultation the same day; visit 2024-12-28
//   PE —    L2 first 2024-05-20, no booked_at exported                        phone (214) 555-0505
//   PF fin  L2 first 2024-04-15; visit at L1 2024-05-15                        referral "Friend"
//   PG gil  L1 first 2023-11-01 (an existing patient)
//   PH hal  L1 first 2025-02-10; visit 2025-03-01
//
// Leads:
//   LD8 L1 meta        2024-03-25 ANN@…  → PA first visit 04-10 = 16 days later: converts
//   LD1 L1 google_ads  2024-04-02 ann@…  → PA 04-10 = 8 days: converts; booked 04-03 (1 day)
//   LD2 L1 meta        2024-04-05 phone only +1 214 555 0202 → PB (matched by phone), 05-01 = 26 days:
//                                          converts; booked 04-20 (15 days)
//   LD3 L1 meta        2024-04-07 cid@…  → PC 07-07 = 23 + 31 + 30 + 7 = 91 days: does NOT convert;
//                                          bookings 05-08 (31 days) and 06-30 (84 days): not booked
//   LD4 L2 tiktok      2024-04-01 dee@…  → PD 06-30 = 29 + 31 + 30 = 90 days: converts; booked 05-01 (30 days)
//   LD5 L1 "Google Ads" 2024-04-20 nobody@… → matches no patient
//   LD6 L1 google_ads  2024-05-10 ann@…  → PA's first visit was before the lead: no conversion; the no-show
//                                          booked 05-15 (5 days) is a booking
//   LD7 L2 meta        2024-05-02 phone only → PE 05-20 = 18 days: converts; no booked_at, start 05-20 → booked

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  const report = await t.ingest([path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'acquisition')]);
  expect(report.totals.rows_rejected).toBe(0);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('leads', () => {
  it('counts the leads created in the period at their location, by normalized channel', () => {
    // 2024-Q2: LD1–LD7 = 7; L1: LD1, LD2, LD3, LD5, LD6 = 5; L2: LD4, LD7 = 2
    expect(valueOf(ctx, 'leads', PORTFOLIO, '2024-Q2').value).toBe(7);
    const l1 = valueOf(ctx, 'leads', at('L1'), '2024-Q2');
    expect(l1.value).toBe(5);
    // "Google Ads" (LD5) is google_ads.
    expect(l1.details).toEqual({ by_channel: { google_ads: 3, meta: 2 } });
    expect(valueOf(ctx, 'leads', at('L2'), '2024-Q2').value).toBe(2);
  });

  it('is zero in a period without leads, and lists the channels found in the data', () => {
    expect(valueOf(ctx, 'leads', PORTFOLIO, '2024-01').value).toBe(0);
    // Spend: google_ads, meta ("Meta"), tiktok; leads: the same three.
    expect(acquisitionChannels(ctx)).toEqual(['google_ads', 'meta', 'tiktok']);
  });
});

describe('lead-to-booking rate', () => {
  it('counts a lead as booked when a matched patient books any appointment within 30 days', () => {
    // Booked: LD1, LD2, LD4 (30 days, inclusive), LD6 (a no-show counts), LD7 (start, no booked_at) = 5
    // Not: LD3 (31 and 84 days), LD5 (no patient). 5 / 7 = 0.714…
    const rate = valueOf(ctx, 'lead_to_booking_rate', PORTFOLIO, '2024-Q2');
    expect(rate.value).toBeCloseTo(5 / 7, 10);
    expect(rate.operands).toEqual([
      { name: 'booked_leads', value: 5, unit: 'count' },
      { name: 'leads', value: 7, unit: 'count' },
    ]);
    expect(rate.details).toEqual({ booked_by_start_without_booked_at: 1 });
  });

  it('counts the leads of the location', () => {
    // L1: LD1, LD2, LD6 of 5 = 0.6; L2: LD4, LD7 of 2 = 1
    expect(valueOf(ctx, 'lead_to_booking_rate', at('L1'), '2024-Q2').value).toBe(0.6);
    expect(valueOf(ctx, 'lead_to_booking_rate', at('L2'), '2024-Q2').value).toBe(1);
  });

  it('is not available when no lead was created in the period', () => {
    const rate = valueOf(ctx, 'lead_to_booking_rate', PORTFOLIO, '2024-01');
    expect(rate.value).toBeNull();
    expect(rate.reason).toBe('no leads were created in the period');
  });
});

describe('lead-to-visit rate', () => {
  it('converts a lead whose matched patient first visits within 90 days, by email or by phone alone', () => {
    // Converted: LD1, LD2 (phone only), LD4 (day 90), LD7 (phone only) = 4
    // Not: LD3 (day 91), LD5 (unmatched), LD6 (patient had visited before). 4 / 7 = 0.571…
    const rate = valueOf(ctx, 'lead_to_visit_rate', PORTFOLIO, '2024-Q2');
    expect(rate.value).toBeCloseTo(4 / 7, 10);
    expect(rate.operands).toEqual([
      { name: 'converted_leads', value: 4, unit: 'count' },
      { name: 'leads', value: 7, unit: 'count' },
    ]);
    expect(rate.details).toEqual({ unmatched_leads: 1, window_open_at_as_of: 0, as_of: '2025-06-30' });
  });

  it('counts the leads of the location, whatever location the first visit is at', () => {
    // L1: LD1, LD2 of 5 = 0.4; L2: LD4, LD7 of 2 = 1
    expect(valueOf(ctx, 'lead_to_visit_rate', at('L1'), '2024-Q2').value).toBe(0.4);
    expect(valueOf(ctx, 'lead_to_visit_rate', at('L2'), '2024-Q2').value).toBe(1);
    // March: LD8 alone, converted by PA's first visit 16 days later → 1 / 1
    expect(valueOf(ctx, 'lead_to_visit_rate', PORTFOLIO, '2024-03').value).toBe(1);
  });
});

describe('new-patient second-visit rate', () => {
  // New patients of 2024-Q2 (first visit anywhere in Q2): PA 04-10 L1, PF 04-15 L2, PB 05-01 L1,
  // PE 05-20 L2, PD 06-30 L2. All have had 180 days by 2025-06-30 (06-30 + 180 = 2024-12-27).
  //   PA: 2024-07-01 = 20 (to 04-30) + 31 + 30 + 1 = 82 days → returned
  //   PF: 2024-05-15 at L1 = 30 days → returned at portfolio scope, not at L2
  //   PB: 2024-10-28 = 30 + 30 + 31 + 31 + 30 + 28 = 180 days → returned (inclusive)
  //   PE: no other visit → no
  //   PD: the same-day consultation is the same trip; 2024-12-28 = 181 days → no

  it('counts a later-day visit within 180 days, at any location for the portfolio', () => {
    // 3 / 5 = 0.6
    const rate = valueOf(ctx, 'new_patient_second_visit_rate', PORTFOLIO, '2024-Q2');
    expect(rate.value).toBe(0.6);
    expect(rate.operands).toEqual([
      { name: 'returned', value: 3, unit: 'count' },
      { name: 'eligible_new_patients', value: 5, unit: 'count' },
    ]);
  });

  it('counts at a location only the new patients first seen there and their visits there', () => {
    // L1: PA, PB = 2 / 2; L2: PF (returned to L1 only), PE, PD = 0 / 3
    expect(valueOf(ctx, 'new_patient_second_visit_rate', at('L1'), '2024-Q2').value).toBe(1);
    expect(valueOf(ctx, 'new_patient_second_visit_rate', at('L2'), '2024-Q2').value).toBe(0);
  });

  it('leaves out new patients whose 180 days have not elapsed by the as-of date', () => {
    // 2025-Q1: PH first visits 2025-02-10; + 180 days = 2025-08-09 > 2025-06-30 → no eligible patient.
    const rate = valueOf(ctx, 'new_patient_second_visit_rate', PORTFOLIO, '2025-Q1');
    expect(rate.value).toBeNull();
    expect(rate.reason).toBe('no new patient of the period has had 180 days by the as-of date 2025-06-30');
    expect(rate.details).toEqual({ new_patients: 1, not_yet_elapsed: 1, as_of: '2025-06-30' });
  });

  it('is not available in a period without new patients', () => {
    const rate = valueOf(ctx, 'new_patient_second_visit_rate', PORTFOLIO, '2024-01');
    expect(rate.value).toBeNull();
    expect(rate.reason).toBe('no new patients in the period');
  });
});

describe('customer acquisition cost by channel', () => {
  // New patients of 2024-Q2 and their channel:
  //   PA (L1): leads LD8 meta (03-25) and LD1 google_ads (04-02) both converted her → last touch: google_ads
  //            (her EMR referral source "Yelp" is not used: a converting lead comes first)
  //   PB (L1): LD2 meta;  PE (L2): LD7 meta;  PD (L2): LD4 tiktok;  PF (L2): no lead → referral "Friend" = friend
  // Spend in 2024-Q2 (month rows count fully):
  //   google_ads L1: 2024-04 3,000.00 + 2024-05 2,000.00 + day 2024-06-15 500.00 = 5,500.00 (2024-07 is Q3)
  //   meta: L1 day 2024-04-10 400.00 + L2 month 2024-05 ("Meta") 1,200.00 = 1,600.00
  //   tiktok L2: 2024-06 900.00

  it('divides the channel’s spend by the new patients attributed to it, from the converting lead', () => {
    // google_ads: 5,500.00 / 1 (PA) = 5,500.00
    const google = valueOf(ctx, 'cac.google_ads', PORTFOLIO, '2024-Q2');
    expect(google.value).toBe(5500);
    expect(google.operands).toEqual([
      { name: 'spend.google_ads', value: 5500, unit: 'usd' },
      { name: 'attributed_new_patients', value: 1, unit: 'count' },
    ]);
    expect(google.details).toEqual({ attributed_by_lead: 1, attributed_by_referral_source: 0 });
    // meta: 1,600.00 / 2 (PB, PE) = 800.00; tiktok: 900.00 / 1 (PD) = 900.00
    expect(valueOf(ctx, 'cac.meta', PORTFOLIO, '2024-Q2').value).toBe(800);
    expect(valueOf(ctx, 'cac.tiktok', PORTFOLIO, '2024-Q2').value).toBe(900);
  });

  it('counts at a location its own spend and the new patients first seen there', () => {
    // L1 meta: 400.00 / 1 (PB) = 400.00; L2 meta: 1,200.00 / 1 (PE) = 1,200.00
    expect(valueOf(ctx, 'cac.meta', at('L1'), '2024-Q2').value).toBe(400);
    expect(valueOf(ctx, 'cac.meta', at('L2'), '2024-Q2').value).toBe(1200);
  });

  it('spreads a month row over its days in a period that covers part of the month', () => {
    // 2024-04-01..2024-04-15: 3,000.00 × 15/30 = 1,500.00 of April; new patient PA (google_ads) → 1,500.00
    expect(valueOf(ctx, 'cac.google_ads', PORTFOLIO, '2024-04-01..2024-04-15').value).toBe(1500);
    // 2024-07-01..2024-07-10: 3,100.00 × 10/31 = 1,000.00; new patient PC: LD3 did not convert her, so her
    // EMR referral source "Google Ads" = google_ads → 1,000.00
    const july = valueOf(ctx, 'cac.google_ads', PORTFOLIO, '2024-07-01..2024-07-10');
    expect(july.value).toBe(1000);
    expect(july.details).toEqual({ attributed_by_lead: 0, attributed_by_referral_source: 1 });
  });

  it('is not available without attributed new patients or without spend', () => {
    // 2024-04-16..2024-04-30: 3,000.00 × 15/30 = 1,500.00 of spend, but no google_ads new patient.
    const none = valueOf(ctx, 'cac.google_ads', PORTFOLIO, '2024-04-16..2024-04-30');
    expect(none.value).toBeNull();
    expect(none.reason).toBe('no new patient of the period is attributed to google_ads');
    expect(none.operands).toContainEqual({ name: 'spend.google_ads', value: 1500, unit: 'usd' });
    // L2 has no google_ads spend at all.
    const l2 = valueOf(ctx, 'cac.google_ads', at('L2'), '2024-Q2');
    expect(l2.value).toBeNull();
    expect(l2.reason).toBe('no marketing spend of google_ads was ingested for this scope and period');
  });

  it('registers the standard paid channels in the catalog', () => {
    for (const channel of ['google_ads', 'meta', 'tiktok', 'yelp', 'referral_program']) {
      expect(metricById(`cac.${channel}`)?.unit).toBe('usd');
    }
  });
});

describe('12-month patient value', () => {
  // 12 months from the first-visit day through the day before the same date a year later:
  //   PA 2024-04-10..2025-04-09: 500.00 − 50.00 + 300.00 + 100.00 (2025-04-09) = 850.00; 999.00 on 2025-04-10 is out
  //   PB 2024-05-01..2025-04-30: 400.00 + 400.00 = 800.00 (the tip and the gift card are not revenue)
  //   PE 2024-05-20..2025-05-19: 250.00 − 50.00 refund = 200.00
  //   PF 2024-04-15..2025-04-14: 600.00 at L2 + 200.00 at L1 = 800.00
  //   PD 2024-06-30..2025-06-29: 350.00 + 150.00 package = 500.00
  //   PC 2024-07-07..2025-07-06 ends after 2025-06-30: not elapsed, left out

  it('averages the first 12 months of revenue over the new patients whose 12 months have elapsed', () => {
    // 2024 cohort: (850 + 800 + 200 + 800 + 500) / 5 = 3,150.00 / 5 = 630.00
    const ltv = valueOf(ctx, 'ltv_12m', PORTFOLIO, '2024');
    expect(ltv.value).toBe(630);
    expect(ltv.operands).toEqual([
      { name: 'net_revenue_12m', value: 3150, unit: 'usd' },
      { name: 'eligible_new_patients', value: 5, unit: 'count' },
    ]);
    expect(ltv.details).toEqual({ new_patients: 6, not_yet_elapsed: 1, as_of: '2025-06-30' });
  });

  it('counts at a location the new patients first seen there and the revenue they bring there', () => {
    // L1: PA, PB (PC left out) = (850 + 800) / 2 = 825.00
    expect(valueOf(ctx, 'ltv_12m', at('L1'), '2024').value).toBe(825);
    // L2: PF 600.00 (her 200.00 at L1 is not L2's) + PE 200.00 + PD 500.00 = 1,300.00 / 3 = 433.333… → 433.33
    expect(valueOf(ctx, 'ltv_12m', at('L2'), '2024').value).toBe(433.33);
  });

  it('is not available when no cohort member has had 12 months', () => {
    // 2024-Q3 cohort: PC alone, not elapsed.
    const ltv = valueOf(ctx, 'ltv_12m', PORTFOLIO, '2024-Q3');
    expect(ltv.value).toBeNull();
    expect(ltv.reason).toBe('no new patient of the period has had 12 months by the as-of date 2025-06-30');
  });
});

describe('the new-patient cohort, added up by day or taken patient by patient', () => {
  // 2024-Q2's new patients: PA, PB (L1), PF, PE, PD (L2). Back within 180 days anywhere: PA, PB, PF = 3
  // (above). First 12 months anywhere: 850 + 800 + 800 + 200 + 500 = 3,150.00 (above), all elapsed.
  const q2 = { start: '2024-04-01', end: '2024-06-30' };
  const expected = {
    newPatients: 5,
    secondVisitEligible: 5,
    secondVisitReturned: 3,
    yearEligible: 5,
    yearCents: 315_000,
  };

  it('gives the same figures walking the patients and, once walking has cost what counting does, from the day totals', async () => {
    const key = 'day_totals\u0000new_patients';
    const fresh = await metricsOf(t);
    expect(cohortFigures(fresh, ['L2', 'L1'], q2, '2025-06-30')).toEqual(expected);
    expect(attributedNewPatients(fresh, ['L1', 'L2'], q2, 'meta')).toEqual({ lead: 2, referralSource: 0 });
    expect(fresh.holds(key)).toBe(false);
    const everything = { start: '2023-01-01', end: '2025-06-30' };
    for (let i = 0; i < 50 && !fresh.holds(key); i += 1)
      cohortFigures(fresh, ['L1', 'L2'], everything, '2025-06-30');
    expect(fresh.holds(key)).toBe(true);
    expect(cohortFigures(fresh, ['L2', 'L1'], q2, '2025-06-30')).toEqual(expected);
    expect(attributedNewPatients(fresh, ['L1', 'L2'], q2, 'meta')).toEqual({ lead: 2, referralSource: 0 });
    // A set that is neither one location nor the portfolio (L9 is no location) is taken patient by patient.
    expect(cohortFigures(fresh, ['L1', 'L2', 'L9'], q2, '2025-06-30')).toEqual(expected);
  });

  it('counts each new patient once under her channel, by lead or by referral source', () => {
    expect(attributedNewPatients(ctx, ['L1', 'L2'], q2, 'meta')).toEqual({ lead: 2, referralSource: 0 });
    expect(attributedNewPatients(ctx, ['L1'], q2, 'google_ads')).toEqual({ lead: 1, referralSource: 0 });
    expect(attributedNewPatients(ctx, ['L2'], q2, 'friend')).toEqual({ lead: 0, referralSource: 1 });
  });

  it('takes as elapsed exactly the first-visit days whose 12 months end by the as-of date, Feb 29 included', () => {
    for (const asOf of ['2025-02-27', '2025-02-28', '2025-03-01', '2024-02-29', '2025-06-30']) {
      const last = lastDayWithTwelveMonthsBy(asOf);
      for (let day = addDays(asOf, -400); day <= asOf; day = addDays(day, 1)) {
        expect([day, twelveMonthsEnd(day) <= asOf]).toEqual([day, day <= last]);
      }
    }
  });
});
