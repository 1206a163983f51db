import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { conditionalExpectedTransactions } from '../../../shared/models/bgnbd';
import { CHURN_FEATURES } from '../../../shared/models/churnFeatures';
import { type ChurnScores, type PatientChurn, scoreChurnRisk } from '../../../shared/models/churnRisk';
import { ChurnCache, trainChurnModel } from '../../../shared/models/churnTraining';
import { churnData, syntheticBook } from './churnData';

const ASOF = '2025-12-31';
const big = { ...syntheticBook('BIG', 400, 1), locationId: 'BIG', first: '2023-01-01', last: ASOF };
const small = { ...syntheticBook('SMALL', 60, 2), locationId: 'SMALL', first: '2023-01-01', last: ASOF };

let serial = 0;
function visit(
  personKey: string,
  day: string,
  status: PatientEvent['status'],
  more: Partial<PatientEvent> = {},
) {
  return {
    locationId: 'BIG',
    appointmentId: `HAND-${++serial}`,
    personKey,
    patientId: `BIG-${personKey.toUpperCase()}`,
    providerId: 'BIG-PR1',
    category: 'neurotoxin',
    status,
    startAt: `${day}T11:00:00`,
    bookedOn: day,
    durationMin: 30,
    ...more,
  } satisfies PatientEvent;
}
const paid = (personKey: string, day: string, netCents: number): PatientRevenue => ({
  locationId: 'BIG',
  personKey,
  day,
  netCents,
});

/**
 * Three patients whose features are worked out by hand below, added to the synthetic book.
 * hand-1: visits 2025-01-05, 03-05, 05-04, 07-03 (gaps 59, 60, 60 days: usual 60); a no-show
 * on 09-01 and a late cancel on 10-01; nothing booked; spend $300, $200, $250 + $50 retail on
 * 05-20, $150. hand-2: one filler visit on 2025-11-15 ($500). hand-3: facials on 10-01 and
 * 11-01, the next one booked for 2026-01-10.
 */
const hand = {
  events: [
    visit('hand-1', '2025-01-05', 'completed'),
    visit('hand-1', '2025-03-05', 'completed'),
    visit('hand-1', '2025-05-04', 'completed'),
    visit('hand-1', '2025-07-03', 'completed', { category: 'laser', providerId: 'BIG-PR9' }),
    visit('hand-1', '2025-09-01', 'no_show', { bookedOn: '2025-08-01' }),
    visit('hand-1', '2025-10-01', 'late_cancelled', { bookedOn: '2025-09-02' }),
    visit('hand-2', '2025-11-15', 'completed', { category: 'filler' }),
    visit('hand-3', '2025-10-01', 'completed', { category: 'facial' }),
    visit('hand-3', '2025-11-01', 'completed', { category: 'facial' }),
    visit('hand-3', '2026-01-10', 'scheduled', { category: 'facial', bookedOn: '2025-11-01' }),
  ],
  revenue: [
    paid('hand-1', '2025-01-05', 30000),
    paid('hand-1', '2025-03-05', 20000),
    paid('hand-1', '2025-05-04', 25000),
    paid('hand-1', '2025-05-20', 5000),
    paid('hand-1', '2025-07-03', 15000),
    paid('hand-2', '2025-11-15', 50000),
    paid('hand-3', '2025-10-01', 12000),
    paid('hand-3', '2025-11-01', 13000),
  ],
};
const bigWithHand = {
  ...big,
  events: [...big.events, ...hand.events],
  revenue: [...big.revenue, ...hand.revenue],
};
const data = churnData([bigWithHand, small]);

function patient(scores: ChurnScores, personKey: string): PatientChurn {
  const p = scores.patients.find((q) => q.personKey === personKey);
  if (p === undefined) throw new Error(`no ${personKey}`);
  return p;
}

describe('scoreChurnRisk on a location with enough history of its own', () => {
  const scores = scoreChurnRisk(data, 'BIG');
  const model = scores.model!;
  const { r, alpha, a, b } = model.bgnbd.params;
  const logistic = model.logistic!;
  /** BG/NBD P(alive) and P(≥ 1 visit in h days), straight from the published formulas. */
  const pAlive = (x: number, tx: number, T: number) =>
    x === 0 ? 1 : 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
  const pReturn = (x: number, tx: number, T: number, h: number) =>
    pAlive(x, tx, T) * (1 - ((alpha + T) / (alpha + T + h)) ** (r + x));
  const score = (row: number[]) =>
    1 / (1 + Math.exp(-(logistic.intercept + logistic.coefficients.reduce((s, c, j) => s + c * row[j]!, 0))));

  it('scores as of the last day of data, trained on its own history 90 days earlier', () => {
    expect(scores.scored).toBe(true);
    expect(scores.asOf).toBe(ASOF);
    expect(scores.horizonDays).toBe(90);
    expect(model.trainedOn).toBe('location');
    expect(model.trainingCutoff).toBe('2025-10-02');
    expect(model.fallbacks).toEqual([]);
    expect(model.bgnbd.fittedOn).toBe('location');
    expect(model.training).toHaveLength(1);
    expect(model.training[0]).toMatchObject({ locationId: 'BIG', cutoff: '2025-10-02' });
    expect(logistic.converged).toBe(true);
    expect(logistic.features).toEqual([...CHURN_FEATURES]);
    expect(logistic.rows).toBe(model.training[0]!.patients);
    expect(scores.patients).toHaveLength(403);
    expect(model.counts).toEqual({
      patients: 403,
      active: scores.patients.filter((p) => p.daysSinceLast < 365).length,
      booked: scores.patients.filter((p) => p.nextBooked !== null).length,
      trainingRows: logistic.rows,
      trainingReturned: logistic.positives,
    });
    for (let i = 1; i < scores.patients.length; i++) {
      expect(scores.patients[i - 1]!.churnRisk).toBeGreaterThanOrEqual(scores.patients[i]!.churnRisk);
    }
  });

  it("computes a regular patient's features, score and reasons as worked out by hand", () => {
    const p = patient(scores, 'hand-1');
    expect(p.patientId).toBe('BIG-HAND-1');
    expect(p.lastVisit).toEqual({ day: '2025-07-03', category: 'laser', providerId: 'BIG-PR9' });
    expect(p.visitDays).toBe(4);
    expect(p.daysSinceLast).toBe(181);
    expect(p.typicalIntervalDays).toBe(60);
    expect(p.intervalSource).toBe('own_history');
    expect(p.daysOverdue).toBe(121);
    expect(p.nextBooked).toBeNull();
    // x = 3 repeat visit days, tₓ = 179 (Jan 5 → Jul 3), T = 360 (Jan 5 → Dec 31).
    expect(p.pAlive).toBeCloseTo(pAlive(3, 179, 360), 12);
    expect(p.bgnbdReturnProbability).toBeCloseTo(pReturn(3, 179, 360, 90), 12);
    // Features: logit P(return), ln(1 + 181/60), 2 missed (Sep 1, Oct 1 > Jul 4), no booking,
    // spend: $0 in (Jul 4, Dec 31] against $650 in (Jan 5, Jul 4] → ln(100/65100) bounded to −3,
    // ln 4 visit days.
    const q = pReturn(3, 179, 360, 90);
    const row = [Math.log(q / (1 - q)), Math.log(1 + 181 / 60), 2, 1, -3, Math.log(4)];
    expect(p.returnProbability).toBeCloseTo(score(row), 12);
    expect(p.churnRisk).toBeCloseTo(1 - score(row), 12);

    const words: Record<string, string | null> = {
      bgnbd_return_logit: `P(alive) ${Math.round(p.pAlive * 100)} % (BG/NBD), ${Math.round(q * 100)} % chance of a visit within 90 days`,
      log1p_overdue_ratio: '181 days since the last visit, 3.0× the usual 60 days',
      missed_180d: '2 no-shows or late cancels in the last 6 months',
      no_booking: 'no appointment booked',
      spend_trend: 'no spend in the last 6 months, after $650 in the 6 before',
      log_visit_days: Math.log(4) > logistic.means[5]! ? null : 'only 4 visit days on record',
    };
    const expected = CHURN_FEATURES.map((feature, j) => ({
      text: words[feature],
      risk: (-logistic.standardized.coefficients[j]! * (row[j]! - logistic.means[j]!)) / logistic.sds[j]!,
    }))
      .filter((c) => c.risk >= 0.1 && c.text !== null)
      .sort((x, y) => y.risk - x.risk)
      .slice(0, 4)
      .map((c) => c.text);
    expect(p.reasons).toEqual(expected);
    // Far overdue with nothing booked: those two are among the reasons whatever the rest.
    expect(p.reasons).toContain('181 days since the last visit, 3.0× the usual 60 days');
    expect(p.reasons).toContain('no appointment booked');
  });

  it('values a retained year at E[visits | alive] × the Gamma-Gamma spend, to the cent', () => {
    const gg = model.gammaGamma;
    if (!gg.fitted) throw new Error(gg.reason);
    const { p: shape, q, gamma } = gg.params;
    const p = patient(scores, 'hand-1');
    // Repeat spend: the days after the first visit day, $200 + $250 + $50 + $150 = $650 over 3 repeat visit days.
    const zbar = 65000 / 3;
    const spend = (shape * (gamma + 3 * zbar)) / (shape * 3 + q - 1);
    const visits =
      conditionalExpectedTransactions(model.bgnbd.params, 365, { x: 3, tx: 179, T: 360 }) /
      pAlive(3, 179, 360);
    expect(p.spendBasis).toBe('own_history');
    expect(p.spendPerVisitCents).toBeCloseTo(spend, 6);
    expect(p.expectedVisitsIfAlive).toBeCloseTo(visits, 9);
    expect(p.valueIfRetainedCents).toBe(Math.round(visits * spend));
    expect(p.valueAtRiskCents).toBe(Math.round(p.churnRisk * Math.round(visits * spend)));
    expect(Number.isInteger(p.valueAtRiskCents)).toBe(true);

    // One visit only: no repeat spend, so the population mean pγ/(q − 1).
    const once = patient(scores, 'hand-2');
    expect(once.spendBasis).toBe('population_mean');
    expect(gg.populationMeanCents).toBeCloseTo((shape * gamma) / (q - 1), 6);
    const onceVisits = conditionalExpectedTransactions(model.bgnbd.params, 365, { x: 0, tx: 0, T: 46 });
    expect(once.valueIfRetainedCents).toBe(Math.round(onceVisits * gg.populationMeanCents!));
    expect(once.valueAtRiskCents).toBe(Math.round(once.churnRisk * once.valueIfRetainedCents!));
  });

  it("falls back on the treatment's cycle, and sees what is booked", () => {
    const once = patient(scores, 'hand-2');
    expect(once.pAlive).toBe(1);
    expect(once.daysSinceLast).toBe(46);
    expect(once.typicalIntervalDays).toBe(273); // filler 180–365 days
    expect(once.intervalSource).toBe('category_cycle');
    expect(once.daysOverdue).toBe(0);
    const q = pReturn(0, 0, 46, 90);
    // New within 6 months: no spend trend (0 in the regression).
    expect(once.returnProbability).toBeCloseTo(
      score([Math.log(q / (1 - q)), Math.log(1 + 46 / 273), 0, 1, 0, 0]),
      12,
    );

    const booked = patient(scores, 'hand-3');
    expect(booked.nextBooked).toBe('2026-01-10');
    expect(booked.typicalIntervalDays).toBe(35); // facial 28–42 days: one gap is not a rhythm
    expect(booked.intervalSource).toBe('category_cycle');
    expect(booked.daysSinceLast).toBe(60);
    expect(booked.daysOverdue).toBe(25);
    expect(booked.reasons).not.toContain('no appointment booked');
    expect(booked.churnRisk).toBeLessThan(patient(scores, 'hand-1').churnRisk);
  });

  it('reads nothing after asOf but the bookings on the book', () => {
    const asOf = '2025-09-30';
    // The book as an export made on asOf would show it: later appointments only if booked by
    // then (and still scheduled), no later revenue.
    const cut = churnData([
      {
        ...bigWithHand,
        last: asOf,
        events: bigWithHand.events
          .filter((e) => e.startAt.slice(0, 10) <= asOf || (e.bookedOn !== null && e.bookedOn <= asOf))
          .map((e) => (e.startAt.slice(0, 10) > asOf ? { ...e, status: 'scheduled' as const } : e)),
        revenue: bigWithHand.revenue.filter((r) => r.day <= asOf),
      },
    ]);
    const full = churnData([bigWithHand]);
    expect(scoreChurnRisk(cut, 'BIG', { asOf })).toEqual(scoreChurnRisk(full, 'BIG', { asOf }));
  });

  it('writes reasons about visits and money only', () => {
    const all = scores.patients.flatMap((p) => p.reasons);
    expect(all.length).toBeGreaterThan(100);
    for (const reason of all) expect(reason).not.toMatch(/\b(he|she|his|her|him|hers)\b/i);
    for (const p of scores.patients) {
      expect(p.reasons.length).toBeLessThanOrEqual(4);
      expect(Object.keys(p)).not.toEqual(expect.arrayContaining(['name']));
    }
  });
});

describe('scoreChurnRisk fallbacks, each stated', () => {
  it('trains on the portfolio when the location has too few patients', () => {
    const scores = scoreChurnRisk(data, 'SMALL');
    expect(scores.scored).toBe(true);
    expect(scores.model!.trainedOn).toBe('portfolio');
    expect(scores.model!.fallbacks).toEqual([
      expect.stringMatching(
        /^the location's own history at 2025-10-02 is too small to train on: \d+ patients seen in the year before \(needs 200\)$/,
      ),
      "trained on the portfolio's 2 locations instead",
    ]);
    expect(scores.model!.training.map((t) => t.locationId)).toEqual(['BIG', 'SMALL']);
    expect(scores.model!.logistic!.rows).toBe(scores.model!.training.reduce((s, t) => s + t.patients, 0));
  });

  it("fits the portfolio's model once per day and horizon: a second location falling back reads the same fit", () => {
    const cache = new ChurnCache();
    const first = trainChurnModel(data, 'SMALL', '2025-12-31', 90, cache);
    const again = trainChurnModel(data, 'SMALL', '2025-12-31', 90, cache);
    expect(first.trainedOn).toBe('portfolio');
    expect(again.fit).toBe(first.fit);
    expect(again).toEqual(first);
    // The same as fitted without the cache, and nothing of the first answer shared but the fit.
    expect(trainChurnModel(data, 'SMALL', '2025-12-31', 90)).toEqual(first);
    expect(again.locations).not.toBe(first.locations);
    expect(again.fallbacks).not.toBe(first.fallbacks);
  });

  it('scores by the BG/NBD return probability alone when the portfolio is too small as well', () => {
    const scores = scoreChurnRisk(churnData([small]), 'SMALL');
    expect(scores.model!.trainedOn).toBe('bgnbd_only');
    expect(scores.model!.logistic).toBeNull();
    expect(scores.model!.fallbacks).toEqual([
      expect.stringMatching(/too small to train on/),
      expect.stringMatching(/^the portfolio's history is too small to train on as well/),
      'scored by the BG/NBD return probability alone',
    ]);
    for (const p of scores.patients) {
      expect(p.returnProbability).toBe(p.bgnbdReturnProbability);
      expect(p.reasons).toEqual([expect.stringMatching(/\(no trained model: BG\/NBD alone\)$/)]);
    }
  });

  it("fits the BG/NBD on the portfolio when the location's own does not fit, and has no money without spend", () => {
    // A young location: every patient seen once, no revenue recorded.
    const young = {
      ...syntheticBook('YOUNG', 40, 3, { from: '2025-09-01', maxVisits: 1, revenue: false }),
      locationId: 'YOUNG',
      first: '2025-09-01',
      last: ASOF,
    };
    const scores = scoreChurnRisk(churnData([big, young]), 'YOUNG');
    expect(scores.scored).toBe(true);
    expect(scores.model!.bgnbd.fittedOn).toBe('portfolio');
    expect(scores.model!.trainedOn).toBe('portfolio');
    expect(scores.model!.fallbacks[0]).toMatch(
      /^the location's own BG\/NBD did not fit \(BG\/NBD fit on 2025-12-31: .+\): fitted on every location's patients instead$/,
    );
    expect(scores.model!.gammaGamma).toEqual({
      fitted: false,
      reason: 'Gamma-Gamma: no patient has a repeat visit with positive spend',
    });
    expect(scores.model!.fallbacks).toContain(
      'no money at stake: Gamma-Gamma: no patient has a repeat visit with positive spend',
    );
    for (const p of scores.patients) {
      expect(p.valueIfRetainedCents).toBeNull();
      expect(p.valueAtRiskCents).toBeNull();
      expect(p.valueReason).toBe('Gamma-Gamma: no patient has a repeat visit with positive spend');
    }

    const alone = scoreChurnRisk(churnData([young]), 'YOUNG');
    expect(alone.scored).toBe(false);
    expect(alone.reason).toMatch(/^BG\/NBD fit on 2025-12-31: .+; portfolio BG\/NBD fit on 2025-12-31: /);
    expect(alone.patients).toEqual([]);
  });

  it('says why a location without data is not scored', () => {
    const scores = scoreChurnRisk(data, 'NOWHERE');
    expect(scores).toMatchObject({ scored: false, model: null, patients: [] });
    expect(scores.reason).toBe('location NOWHERE has no sales data to take the day from');
    expect(() => scoreChurnRisk(data, 'BIG', { horizonDays: 0 })).toThrow(RangeError);
  });
});
