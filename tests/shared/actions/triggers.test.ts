import { ACTION_RULES, compareActions } from '../../../shared/actions/action';
import { findAction } from '../../../shared/actions/findAction';
import {
  CADENCE_BROKEN_RATIO,
  CADENCE_MIN_INTERVAL_DAYS,
  CADENCE_WITHIN_DAYS,
  vipRanking,
} from '../../../shared/actions/patientTriggers';
import { locationActions, portfolioActions } from '../../../shared/actions/triggers';
import { EventRows } from '../../../shared/engine/eventRows';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { MetricContext } from '../../../shared/metrics/metricContext';
import { addDays } from '../../../shared/model/localDate';
import { scoreChurnRisk } from '../../../shared/models/churnRisk';
import { ChurnCache } from '../../../shared/models/churnTraining';
import { location, metricData } from '../../support/metricData';
import { syntheticBook } from '../models/churnData';

/*
 * The triggers on the real churn model: a synthetic book of 400 patients (tests/shared/models/
 * churnData.ts) with three patients added by hand, scored on 2025-12-31.
 *   vip: a neurotoxin visit every 30 days from 2025-05-01 to 2025-08-29, $4,000 a visit ($20,000):
 *        far above anyone else, 124 days since the last visit, nothing booked → VIP past due, and
 *        rhythm broken (124 ≥ 1.5 × 30) folded into it.
 *   lapsing: a facial every 30 days, 2025-09-01 … 10-31, $100 a visit: 61 days since (≥ 45) →
 *        rhythm broken.
 *   booked: as vip, but booked for 2026-01-05 on 2025-12-01 → nothing.
 * The dollars are the model's value at risk for the patient, to the cent.
 */

const ASOF = '2025-12-31';
const book = syntheticBook('BIG', 400, 1);
let serial = 0;
const hand: PatientEvent[] = [];
const handRevenue: PatientRevenue[] = [];
function visits(
  personKey: string,
  first: string,
  every: number,
  count: number,
  cents: number,
  category: string,
) {
  for (let i = 0; i < count; i++) {
    const day = addDays(first, i * every);
    hand.push({
      locationId: 'BIG',
      appointmentId: `HAND-${++serial}`,
      personKey,
      patientId: `BIG-${personKey.toUpperCase()}`,
      providerId: 'BIG-PR1',
      category: category as PatientEvent['category'],
      status: 'completed',
      startAt: `${day}T10:00:00`,
      bookedOn: addDays(day, -7),
      durationMin: 30,
    });
    handRevenue.push({ locationId: 'BIG', personKey, day, netCents: cents });
  }
}
visits('vip', '2025-05-01', 30, 5, 400_000, 'neurotoxin');
visits('lapsing', '2025-09-01', 30, 3, 10_000, 'facial');
visits('booked', '2025-05-01', 30, 5, 400_000, 'neurotoxin');
hand.push({
  ...hand[hand.length - 1]!,
  appointmentId: 'HAND-booked-next',
  status: 'scheduled',
  startAt: '2026-01-05T10:00:00',
  bookedOn: '2025-12-01',
});

const data = {
  ...metricData([location('BIG')], [], { first: '2023-01-01', last: ASOF }),
  events: EventRows.from([...book.events, ...hand]),
  revenue: RevenueRows.from([...book.revenue, ...handRevenue]),
};
const ctx = new MetricContext(data);
const listed = locationActions(ctx, 'BIG', { today: '2026-01-02' });
const scores = scoreChurnRisk(data, 'BIG', { asOf: ASOF });
const scoreOf = (patientId: string) => scores.patients.find((p) => p.patientId === patientId)!;
const actionOf = (patientId: string) =>
  listed.actions.find((a) => a.subject.kind === 'patient' && a.subject.patientId === patientId);

describe('the triggers on the churn score of a location', () => {
  it('score the location on its last day of data and find patient actions', () => {
    expect(listed).toMatchObject({ evaluated: true, asOf: ASOF, month: '2025-12' });
    expect(listed.patientsScored).toBe(scores.patients.length);
    expect(listed.actions.length).toBeGreaterThan(20);
  });

  it('raise VIP past due for the big spender, worth the model’s value at risk, rhythm broken folded in', () => {
    const vip = actionOf('BIG-VIP')!;
    expect(vip.id).toBe('vip_past_due:BIG:BIG-VIP:2025-12');
    expect(vip.dollarsCents).toBe(scoreOf('BIG-VIP').valueAtRiskCents);
    expect(vip.dollarsCents).toBeGreaterThan(0);
    expect(vip.alsoTrue.map((a) => a.id)).toEqual(['cadence_broken:BIG:BIG-VIP:2025-12']);
    expect(vip.sentence).toMatch(
      /^VIP, #1 of [\d,]+ patients by net revenue over the last 12 months \(\$20,000\.00\)/,
    );
    expect(vip.draft!.text).toContain('about four months since your last neurotoxin appointment');
  });

  it('raise rhythm broken for the lapsing patient, and nothing for the booked one', () => {
    const lapsing = actionOf('BIG-LAPSING')!;
    expect(lapsing.rule).toBe('cadence_broken');
    expect(lapsing.dollarsCents).toBe(scoreOf('BIG-LAPSING').valueAtRiskCents);
    expect(lapsing.draft!.template).toBe('facial');
    expect(actionOf('BIG-BOOKED')).toBeUndefined();
  });

  it('act on exactly the patients the definitions select, each rule on its own id', () => {
    const vips = vipRanking(ctx, 'BIG', ASOF).vips;
    const expected = scores.patients.flatMap((p) => {
      const rules: string[] = [];
      if (vips.has(p.personKey) && p.daysOverdue > 0 && p.nextBooked === null) rules.push('vip_past_due');
      if (
        p.intervalSource === 'own_history' &&
        p.nextBooked === null &&
        p.typicalIntervalDays >= CADENCE_MIN_INTERVAL_DAYS &&
        p.daysSinceLast <= CADENCE_WITHIN_DAYS &&
        p.daysSinceLast >= CADENCE_BROKEN_RATIO * p.typicalIntervalDays
      )
        rules.push('cadence_broken');
      return rules.map((rule) => `${rule}:BIG:${p.patientId}:2025-12`);
    });
    const found = listed.actions.flatMap((a) => [a.id, ...a.alsoTrue.map((t) => t.id)]);
    expect(found.sort()).toEqual(expected.sort());
    expect(expected.filter((id) => id.startsWith('vip_past_due')).length).toBeGreaterThan(3);
  });

  it('keep one action per patient and per id, largest dollars first', () => {
    const ids = listed.actions.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const patients = listed.actions.map((a) => (a.subject.kind === 'patient' ? a.subject.patientId : a.id));
    expect(new Set(patients).size).toBe(patients.length);
    expect([...listed.actions].sort(compareActions)).toEqual(listed.actions);
    for (const a of listed.actions) {
      expect(ACTION_RULES).toContain(a.rule);
      expect(a.dollarsCents === null || Number.isInteger(a.dollarsCents)).toBe(true);
    }
  });

  it('write drafts that hold no identifier: no patient id, no person key, no digit', () => {
    const identifiers = [...new Set([...data.events.patientIds, ...data.events.personKeys])];
    for (const a of listed.actions) {
      expect(a.draft).not.toBeNull();
      const text = a.draft!.text;
      expect(text).not.toMatch(/\d/);
      expect(identifiers.filter((id) => text.includes(id))).toEqual([]);
      expect(JSON.stringify(a.draft)).not.toMatch(/BIG|person/i);
    }
  });
});

describe('a portfolio of actions', () => {
  const small = syntheticBook('SMALL', 60, 2);
  const two = new MetricContext({
    ...data,
    locations: [location('BIG'), location('SMALL')],
    events: EventRows.merged([data.events, EventRows.from(small.events)]),
    revenue: RevenueRows.from([...data.revenue.toArray(), ...small.revenue]),
    dataRange: new Map([
      ['BIG', { first: '2023-01-01', last: ASOF }],
      ['SMALL', { first: '2023-01-01', last: '2025-11-30' }],
    ]),
  });

  it('runs every location on its own last day, with one list across them', () => {
    const all = portfolioActions(two, { today: '2026-01-02' });
    expect(all.locations.map((l) => [l.locationId, l.asOf, l.month])).toEqual([
      ['BIG', ASOF, '2025-12'],
      ['SMALL', '2025-11-30', '2025-11'],
    ]);
    expect(all.actions.length).toBe(all.locations[0]!.actions.length + all.locations[1]!.actions.length);
    expect([...all.actions].sort(compareActions)).toEqual(all.actions);
    expect(all.locations[1]!.notes.some((n) => n.startsWith('churn model: '))).toBe(true);
  });

  it('finds the same actions whether the churn snapshots are kept (a caller’s cache) or let go', () => {
    const options = { today: '2026-01-02' };
    expect(portfolioActions(two, { ...options, cache: new ChurnCache() })).toEqual(
      portfolioActions(two, options),
    );
  });

  it('finds an action by its id, an also-true id too, and refuses an unknown one by its head', () => {
    const options = { today: '2026-01-02' };
    expect(findAction(two, 'vip_past_due:BIG:BIG-VIP:2025-12', options)).toMatchObject({ ok: true });
    expect(findAction(two, 'cadence_broken:BIG:BIG-VIP:2025-12', options)).toMatchObject({
      ok: true,
      action: { id: 'vip_past_due:BIG:BIG-VIP:2025-12' },
    });
    expect(findAction(two, 'vip_past_due:BIG:BIG-BOOKED:2025-12', options)).toEqual({
      ok: false,
      message: `Unknown action "vip_past_due:BIG:BIG-BOOKED:2025-12": not among the location's actions on ${ASOF}`,
    });
    expect(findAction(two, 'vip_past_due:ELSEWHERE:X:2025-12', options)).toEqual({
      ok: false,
      message: 'Unknown action "vip_past_due:ELSEWHERE:X:2025-12": no such location',
    });
    const long = `vip_past_due:BIG:${'x'.repeat(500)}:2025-12`;
    const refused = findAction(two, long, options);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message.length).toBeLessThan(200);
  });
});
