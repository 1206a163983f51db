import {
  type CallList,
  callList,
  type CallListData,
  CATEGORY_LABELS,
  isEligible,
} from '../../../shared/actions/callList';
import { callListJson } from '../../../shared/actions/callListJson';
import { EventRows } from '../../../shared/engine/eventRows';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import type { ProviderInfo } from '../../../shared/metrics/metricData';
import { type PatientChurn, scoreChurnRisk } from '../../../shared/models/churnRisk';
import { ChurnCache } from '../../../shared/models/churnTraining';
import { location } from '../../support/metricData';
import { syntheticBook } from '../models/churnData';

const ASOF = '2025-12-31';

let serial = 0;
function visit(personKey: string, day: string, more: Partial<PatientEvent> = {}): PatientEvent {
  return {
    locationId: 'BIG',
    appointmentId: `HAND-${++serial}`,
    personKey,
    patientId: `BIG-${personKey.toUpperCase()}`,
    providerId: 'BIG-PR1',
    category: 'neurotoxin',
    status: 'completed',
    startAt: `${day}T11:00:00`,
    bookedOn: day,
    durationMin: 30,
    ...more,
  };
}
const paid = (personKey: string, day: string, netCents: number): PatientRevenue => ({
  locationId: 'BIG',
  personKey,
  day,
  netCents,
});

/**
 * Four patients of BIG added by hand, each at an edge of the list. hand-due: neurotoxin every
 * three months with BIG-PR1 ($1,200 a visit), last on 2025-09-01, nothing booked: on the list.
 * hand-booked: the same rhythm, the next visit booked for 2026-01-15: no call needed.
 * hand-edge: last seen 2025-01-01, 364 days before asOf, by BIG-PR9 (in the directory at SMALL
 * only): still on the list, with no provider name. hand-gone: last seen 2024-12-31, 365 days
 * before: has left, not on the list.
 */
const hand = {
  events: [
    visit('hand-due', '2025-03-01'),
    visit('hand-due', '2025-06-01'),
    visit('hand-due', '2025-09-01'),
    visit('hand-booked', '2025-03-02'),
    visit('hand-booked', '2025-06-02'),
    visit('hand-booked', '2025-09-02'),
    visit('hand-booked', '2026-01-15', { status: 'scheduled', bookedOn: '2025-12-01' }),
    visit('hand-edge', '2024-07-01', { category: 'filler' }),
    visit('hand-edge', '2025-01-01', { category: 'filler', providerId: 'BIG-PR9' }),
    visit('hand-gone', '2024-07-02', { category: 'filler' }),
    visit('hand-gone', '2024-12-31', { category: 'filler' }),
  ],
  revenue: [
    ...['2025-03-01', '2025-06-01', '2025-09-01'].map((d) => paid('hand-due', d, 120_000)),
    ...['2025-03-02', '2025-06-02', '2025-09-02'].map((d) => paid('hand-booked', d, 120_000)),
    paid('hand-edge', '2024-07-01', 80_000),
    paid('hand-edge', '2025-01-01', 80_000),
    paid('hand-gone', '2024-07-02', 80_000),
    paid('hand-gone', '2024-12-31', 80_000),
  ],
};

const big = syntheticBook('BIG', 400, 1);
const small = syntheticBook('SMALL', 60, 2);
// Every patient seen once, no revenue: scored, but with no money at stake.
const young = syntheticBook('YOUNG', 40, 3, { from: '2025-09-01', maxVisits: 1, revenue: false });
const closed = syntheticBook('CLOSED', 80, 4, { to: '2024-06-30' });

const providers: ProviderInfo[] = [
  { provider_id: 'BIG-PR1', location_id: 'BIG', display_name: 'Jane Smith, NP', role: 'injector' },
  { provider_id: 'BIG-PR2', location_id: 'BIG', display_name: 'Amy Lee', role: null },
  { provider_id: 'BIG-PR9', location_id: 'SMALL', display_name: 'Not At Big', role: null },
];

const data: CallListData = {
  events: EventRows.from([...big.events, ...hand.events, ...small.events, ...young.events, ...closed.events]),
  revenue: RevenueRows.from([
    ...big.revenue,
    ...hand.revenue,
    ...small.revenue,
    ...young.revenue,
    ...closed.revenue,
  ]),
  locations: [
    location('BIG', { name: 'Big Spa' }),
    location('SMALL'),
    location('YOUNG'),
    location('CLOSED', { closed_on: '2024-06-30' }),
    location('EMPTY'),
  ],
  providers,
  dataRange: new Map([
    ['BIG', { first: '2023-01-01', last: ASOF }],
    ['SMALL', { first: '2023-01-01', last: ASOF }],
    ['YOUNG', { first: '2025-09-01', last: ASOF }],
    ['CLOSED', { first: '2023-01-01', last: '2024-06-30' }],
  ]),
};

function ok(answer: ReturnType<typeof callList>): CallList {
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.list;
}

const bigScores = scoreChurnRisk(data, 'BIG');
const eligibleAtBig = bigScores.patients.filter(
  (p) => p.nextBooked === null && p.daysSinceLast < 365 && p.valueAtRiskCents !== null,
);
const all = ok(callList(data, 'BIG', { n: 100_000 }));
const top = ok(callList(data, 'BIG', { n: 10 }));

function rowOf(list: CallList, patientId: string) {
  return list.rows.find((r) => r.patientId === patientId);
}

describe('callList of one location', () => {
  it('lists exactly the patients with nothing booked, seen within the year, with a value at risk', () => {
    expect(eligibleAtBig.length).toBeGreaterThan(50);
    expect(eligibleAtBig.length).toBeLessThan(bigScores.patients.length);
    expect(all.rows.map((r) => r.patientId).sort()).toEqual(eligibleAtBig.map((p) => p.patientId).sort());
    expect(rowOf(all, 'BIG-HAND-DUE')).toBeDefined();
    expect(rowOf(all, 'BIG-HAND-BOOKED')).toBeUndefined();
    expect(rowOf(all, 'BIG-HAND-EDGE')).toMatchObject({ daysSinceLast: 364 });
    expect(rowOf(all, 'BIG-HAND-GONE')).toBeUndefined();
    expect(bigScores.patients.find((p) => p.patientId === 'BIG-HAND-GONE')?.daysSinceLast).toBe(365);
    expect(bigScores.patients.find((p) => p.patientId === 'BIG-HAND-BOOKED')?.nextBooked).toBe('2026-01-15');
    for (const p of bigScores.patients) {
      expect(isEligible(p)).toBe(eligibleAtBig.includes(p));
    }
  });

  it('orders by value at risk, then churn risk, then patient id, and ranks from 1', () => {
    expect(all.rows.map((r) => r.rank)).toEqual(all.rows.map((_, i) => i + 1));
    for (let i = 1; i < all.rows.length; i++) {
      const [a, b] = [all.rows[i - 1]!, all.rows[i]!];
      expect(
        a.valueAtRiskCents > b.valueAtRiskCents ||
          (a.valueAtRiskCents === b.valueAtRiskCents &&
            (a.churnRisk > b.churnRisk || (a.churnRisk === b.churnRisk && a.patientId < b.patientId))),
      ).toBe(true);
    }
    expect(top.rows).toEqual(all.rows.slice(0, 10));
  });

  it('totals the value at risk of the eligible patients and of the rows shown, to the cent', () => {
    const expectedEligible = eligibleAtBig.reduce((s, p) => s + p.valueAtRiskCents!, 0);
    const topTen = [...eligibleAtBig]
      .sort((a, b) => b.valueAtRiskCents! - a.valueAtRiskCents! || b.churnRisk - a.churnRisk)
      .slice(0, 10)
      .reduce((s, p) => s + p.valueAtRiskCents!, 0);
    expect(Number.isInteger(expectedEligible)).toBe(true);
    expect(top).toMatchObject({
      scope: { kind: 'location', locationId: 'BIG', name: 'Big Spa' },
      asOf: ASOF,
      horizonDays: 90,
      n: 10,
      patientsScored: bigScores.patients.length,
      eligible: eligibleAtBig.length,
      eligibleValueAtRiskCents: expectedEligible,
      shownValueAtRiskCents: topTen,
      fallbacks: [],
    });
    expect(top.locations).toEqual([
      {
        locationId: 'BIG',
        name: 'Big Spa',
        asOf: ASOF,
        scored: true,
        reason: null,
        trainedOn: 'location',
        patientsScored: bigScores.patients.length,
        eligible: eligibleAtBig.length,
        eligibleValueAtRiskCents: expectedEligible,
        fallbacks: [],
      },
    ]);
  });

  it("copies the score's facts into each row, with the treatment and provider in words", () => {
    const score = bigScores.patients.find((p) => p.patientId === 'BIG-HAND-DUE') as PatientChurn;
    expect(rowOf(all, 'BIG-HAND-DUE')).toEqual({
      rank: expect.any(Number),
      locationId: 'BIG',
      patientId: 'BIG-HAND-DUE',
      lastTreatment: 'Neurotoxin',
      lastVisitOn: '2025-09-01',
      providerName: 'Jane Smith, NP',
      daysSinceLast: 121,
      typicalIntervalDays: score.typicalIntervalDays,
      daysOverdue: score.daysOverdue,
      churnRisk: score.churnRisk,
      reasons: score.reasons.join('; '),
      valueAtRiskCents: score.valueAtRiskCents,
      valueIfRetainedCents: score.valueIfRetainedCents,
    });
    expect(score.reasons).toContain('no appointment booked');
    // BIG-PR9 is in the directory at SMALL, not at BIG: no name rather than another location's.
    expect(rowOf(all, 'BIG-HAND-EDGE')).toMatchObject({ lastTreatment: 'Filler', providerName: null });
  });

  it('scores as of another day and on another horizon when asked', () => {
    const earlier = ok(callList(data, 'BIG', { asOf: '2025-10-31', horizonDays: 60, n: 3 }));
    expect(earlier).toMatchObject({ asOf: '2025-10-31', horizonDays: 60, n: 3 });
    expect(earlier.rows).toHaveLength(3);
    expect(earlier.rows.every((r) => r.lastVisitOn <= '2025-10-31')).toBe(true);
  });

  it('answers an unknown location, a location it cannot score and a bad n as errors with the reason', () => {
    expect(callList(data, 'NOWHERE')).toEqual({
      ok: false,
      error: { code: 'unknown_location', message: 'Unknown location "NOWHERE"' },
    });
    expect(callList(data, 'x'.repeat(500))).toMatchObject({
      ok: false,
      error: { code: 'unknown_location', message: expect.stringMatching(/…\(500 characters\)"$/) },
    });
    expect(callList(data, 'EMPTY')).toEqual({
      ok: false,
      error: {
        code: 'not_scored',
        message:
          'Location "EMPTY" could not be scored: location EMPTY has no sales data to take the day from',
      },
    });
    expect(() => callList(data, 'BIG', { n: 0 })).toThrow(RangeError);
    expect(() => callList(data, 'BIG', { n: 2.5 })).toThrow(RangeError);
    expect(() => callList(data, 'BIG', { asOf: '2025-13-01' })).toThrow(RangeError);
    expect(() => callList(data, null, { horizonDays: 0 })).toThrow(RangeError);
  });
});

describe('callList of the portfolio', () => {
  const portfolio = ok(callList(data, null, { n: 40 }));

  it('takes the top n across every open location, each scored with its own model', () => {
    expect(portfolio.scope).toEqual({ kind: 'portfolio' });
    expect(portfolio.locations.map((l) => l.locationId)).toEqual(['BIG', 'SMALL', 'YOUNG', 'EMPTY']);
    const everyone = ['BIG', 'SMALL', 'YOUNG'].flatMap((id) => ok(callList(data, id, { n: 100_000 })).rows);
    everyone.sort(
      (a, b) =>
        b.valueAtRiskCents - a.valueAtRiskCents ||
        b.churnRisk - a.churnRisk ||
        (a.locationId < b.locationId ? -1 : 1),
    );
    expect(portfolio.rows.map((r) => [r.locationId, r.patientId, r.valueAtRiskCents])).toEqual(
      everyone.slice(0, 40).map((r) => [r.locationId, r.patientId, r.valueAtRiskCents]),
    );
    expect(portfolio.rows.map((r) => r.rank)).toEqual(portfolio.rows.map((_, i) => i + 1));
    expect(new Set(portfolio.rows.map((r) => r.locationId))).toEqual(new Set(['BIG', 'SMALL']));
    expect(portfolio.eligible).toBe(everyone.length);
    expect(portfolio.eligibleValueAtRiskCents).toBe(everyone.reduce((s, r) => s + r.valueAtRiskCents, 0));
    expect(portfolio.shownValueAtRiskCents).toBe(
      everyone.slice(0, 40).reduce((s, r) => s + r.valueAtRiskCents, 0),
    );
    expect(portfolio.asOf).toBe(ASOF);
  });

  it("lists the same whether the snapshots are kept (a caller's cache) or let go (its own)", () => {
    // SMALL and YOUNG fall back to the portfolio's model: the training sets are shared either way.
    expect(ok(callList(data, null, { n: 100_000, cache: new ChurnCache() }))).toEqual(
      ok(callList(data, null, { n: 100_000 })),
    );
    const keeping = new ChurnCache({ keepSnapshots: true });
    const once = ok(callList(data, null, { n: 40, cache: keeping }));
    expect(ok(callList(data, null, { n: 40, cache: keeping }))).toEqual(once);
    expect(once).toEqual(portfolio);
  });

  it('states every fallback and every location it could not score, by location', () => {
    const smallAlone = scoreChurnRisk(data, 'SMALL');
    expect(portfolio.fallbacks).toEqual([
      ...smallAlone.model!.fallbacks.map((f) => `SMALL: ${f}`),
      ...scoreChurnRisk(data, 'YOUNG').model!.fallbacks.map((f) => `YOUNG: ${f}`),
      'EMPTY: not scored: location EMPTY has no sales data to take the day from',
    ]);
    expect(portfolio.fallbacks).toContain(
      'YOUNG: no money at stake: Gamma-Gamma: no patient has a repeat visit with positive spend',
    );
    expect(portfolio.locations.find((l) => l.locationId === 'YOUNG')).toMatchObject({
      scored: true,
      eligible: 0,
      eligibleValueAtRiskCents: 0,
    });
    expect(portfolio.locations.find((l) => l.locationId === 'EMPTY')).toMatchObject({
      scored: false,
      asOf: null,
      reason: 'location EMPTY has no sales data to take the day from',
    });
  });

  it('counts a location closed after the day asked for as open on that day', () => {
    const then = ok(callList(data, null, { asOf: '2024-03-31', n: 5 }));
    expect(then.locations.map((l) => l.locationId)).toContain('CLOSED');
  });
});

describe('what a call list can carry', () => {
  const ROW_FIELDS = [
    'rank',
    'locationId',
    'patientId',
    'lastTreatment',
    'lastVisitOn',
    'providerName',
    'daysSinceLast',
    'typicalIntervalDays',
    'daysOverdue',
    'churnRisk',
    'reasons',
    'valueAtRiskCents',
    'valueIfRetainedCents',
  ];
  // Every form of shared/models/churnReasons.ts: facts about visits and money, nothing else.
  const PERCENT = String.raw`(<1|>99|\d+) %`;
  const REASON = new RegExp(
    '^(' +
      [
        String.raw`P\(alive\) ${PERCENT} \(BG/NBD\), ${PERCENT} chance of a visit within \d+ days`,
        String.raw`\d+ days? since the last visit, \d+\.\d× (the usual \d+ days|the \d+-day [a-z ]+ cycle)`,
        String.raw`\d+ (no-show or late cancel|no-shows or late cancels) in the last 6 months`,
        'no appointment booked',
        String.raw`spend (down|up) \d+ % on the prior 6 months`,
        'spend unchanged on the prior 6 months',
        String.raw`no spend in the last 6 months, after \$[\d,]+ in the 6 before`,
        String.raw`spend of \$[\d,]+ in the last 6 months, none in the 6 before`,
        String.raw`only \d+ visit days? on record`,
      ].join('|') +
      ')$',
  );

  it('holds the listed fields only, each an id, a date, a number or words from a closed set', () => {
    const patientIds = new Set(data.events.toArray().map((e) => `${e.locationId} ${e.patientId}`));
    const names = new Set(providers.map((p) => p.display_name));
    const labels = new Set(Object.values(CATEGORY_LABELS));
    const lists = [all, ok(callList(data, null, { n: 100_000 }))];
    for (const list of lists) {
      expect(list.rows.length).toBeGreaterThan(50);
      for (const r of list.rows) {
        expect(Object.keys(r).sort()).toEqual([...ROW_FIELDS].sort());
        expect(patientIds.has(`${r.locationId} ${r.patientId}`)).toBe(true);
        expect(r.lastTreatment === null || labels.has(r.lastTreatment)).toBe(true);
        expect(r.providerName === null || names.has(r.providerName)).toBe(true);
        expect(r.lastVisitOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        for (const reason of r.reasons === '' ? [] : r.reasons.split('; ')) expect(reason).toMatch(REASON);
        for (const n of [r.daysSinceLast, r.typicalIntervalDays, r.daysOverdue, r.valueAtRiskCents]) {
          expect(Number.isInteger(n)).toBe(true);
        }
        expect(Number.isInteger(r.valueIfRetainedCents)).toBe(true);
      }
    }
  });

  it('never carries the person key the score is computed on', () => {
    const text = JSON.stringify(callListJson(ok(callList(data, null, { n: 100_000 }))));
    const keys = new Set(data.events.personKeys);
    expect(keys.size).toBeGreaterThan(500);
    for (const key of keys) expect(text).not.toContain(key);
  });

  it('is answered in JSON with the same facts, snake_case, money in cents', () => {
    const json = callListJson(top);
    expect(json).toMatchObject({
      scope: 'location',
      location_id: 'BIG',
      location_name: 'Big Spa',
      as_of: ASOF,
      eligible_value_at_risk_cents: top.eligibleValueAtRiskCents,
      shown_value_at_risk_cents: top.shownValueAtRiskCents,
    });
    expect(json.rows[0]).toEqual({
      rank: 1,
      location_id: 'BIG',
      patient_id: top.rows[0]!.patientId,
      last_treatment: top.rows[0]!.lastTreatment,
      last_visit_on: top.rows[0]!.lastVisitOn,
      provider_name: top.rows[0]!.providerName,
      days_since_last: top.rows[0]!.daysSinceLast,
      typical_interval_days: top.rows[0]!.typicalIntervalDays,
      days_overdue: top.rows[0]!.daysOverdue,
      churn_risk: top.rows[0]!.churnRisk,
      reasons: top.rows[0]!.reasons,
      value_at_risk_cents: top.rows[0]!.valueAtRiskCents,
      value_if_retained_cents: top.rows[0]!.valueIfRetainedCents,
    });
  });
});
