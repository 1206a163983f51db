import type { MetricContext } from '../metrics/metricContext';
import { eachRevenueRowBetween } from '../metrics/patients/patientFacts';
import { type DateWindow, trailingTwelveMonths } from '../metrics/patients/trailingWindow';
import { vipPatientCount } from '../metrics/patients/vipRevenue';
import type { ServiceCategory } from '../model/canonicalBundle';
import { type LocalDate, monthOf } from '../model/localDate';
import { formatCents } from '../model/money';
import type { PatientChurn } from '../models/churnRisk';
import type { Action, ActionFact, ActionRule, FactSource, OutreachDraft } from './action';
import { actionId } from './actionIds';
import { outreachDraft, templateOf, timeInWords } from './outreachDrafts';

/**
 * The front desk's rules, over the churn score of a location's patients (shared/models/churnRisk.ts):
 *
 * - **VIP past due**: a patient among the location's top ⌈10 %⌉ by net revenue over the 12 months
 *   ending on `asOf` (metrics.md, `vip_revenue_share`), past their usual interval (days overdue
 *   > 0: their own median gap, or their last treatment's cycle) with nothing booked.
 * - **Cadence broken**: a patient with a rhythm of their own (≥ 2 gaps between visit days), now
 *   at least `CADENCE_BROKEN_RATIO` × that interval since the last visit, nothing booked, and
 *   last seen within `CADENCE_WITHIN_DAYS` (longer gone is lapsed, not late); the rhythm is at
 *   least `CADENCE_MIN_INTERVAL_DAYS` (a shorter one is a course of sessions).
 *
 * Both are worth the churn model's value at risk: churn risk × the value of the patient's next
 * 12 months if retained. Each rule gives its own action; triggers.ts keeps one per patient.
 */

/** Since the last visit, as a multiple of the patient's own typical interval. */
export const CADENCE_BROKEN_RATIO = 1.5;
/** A patient last seen longer ago than this has lapsed; outreach about a rhythm no longer fits. */
export const CADENCE_WITHIN_DAYS = 365;
/**
 * A rhythm shorter than four weeks is a course of sessions (a laser or body-contouring series a
 * week or two apart), not a habit: its end is the course finishing, not a broken cadence. On the
 * 3-location demo, counting such rhythms flagged 831 patients, most of them between courses.
 */
export const CADENCE_MIN_INTERVAL_DAYS = 28;

/** The location's VIPs on a day: the metrics.md definition, with the patients named by person key. */
export interface VipRanking {
  locationId: string;
  window: DateWindow;
  /** n: patients with positive net revenue at the location over the window. */
  patientsWithRevenue: number;
  /** ⌈0.1 × n⌉. */
  topPatients: number;
  /**
   * The revenue of the ⌈0.1 × n⌉-th patient; null when nobody has revenue. Patients tied with
   * that patient are VIPs too: equal revenue cannot rank one in and the other out.
   */
  thresholdCents: number | null;
  /** Each VIP's revenue over the window and rank (1 = most; tied patients share a rank). */
  vips: ReadonlyMap<string, { revenueCents: number; rank: number }>;
}

export function vipRanking(ctx: MetricContext, locationId: string, asOf: LocalDate): VipRanking {
  const window = trailingTwelveMonths(asOf);
  const byPerson = new Map<string, number>();
  const revenue = ctx.data.revenue;
  eachRevenueRowBetween(ctx, [locationId], window.start, window.end, (row) => {
    const personKey = revenue.personKeys[revenue.person[row]!]!;
    byPerson.set(personKey, (byPerson.get(personKey) ?? 0) + revenue.netCents[row]!);
  });
  const ranked = [...byPerson]
    .filter(([, cents]) => cents > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const topPatients = vipPatientCount(ranked.length);
  const thresholdCents = ranked[topPatients - 1]?.[1] ?? null;
  const vips = new Map<string, { revenueCents: number; rank: number }>();
  ranked.forEach(([personKey, revenueCents], i) => {
    if (thresholdCents === null || revenueCents < thresholdCents) return;
    const previous = ranked[i - 1];
    const rank =
      previous !== undefined && previous[1] === revenueCents ? (vips.get(previous[0])?.rank ?? i + 1) : i + 1;
    vips.set(personKey, { revenueCents, rank });
  });
  return { locationId, window, patientsWithRevenue: ranked.length, topPatients, thresholdCents, vips };
}

export interface PatientTriggerInput {
  locationId: string;
  asOf: LocalDate;
  horizonDays: number;
  /** The churn score's patients of the location on `asOf`. */
  patients: readonly PatientChurn[];
  vip: VipRanking;
}

const dollars = (cents: number) => `$${formatCents(cents)}`;
const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;
const count = (n: number) => n.toLocaleString('en-US');
const categoryWords = (category: ServiceCategory | null) =>
  (category ?? 'unknown service').replace(/_/g, ' ');

function usualInterval(p: PatientChurn): string {
  return p.intervalSource === 'own_history'
    ? `their usual ${p.typicalIntervalDays} days`
    : `the ${p.typicalIntervalDays}-day ${categoryWords(p.lastVisit.category)} cycle`;
}

/** The churn model's fields a patient action cites, each fact's source. */
const CHURN_FIELDS = [
  'lastVisit.day',
  'lastVisit.category',
  'daysSinceLast',
  'typicalIntervalDays',
  'intervalSource',
  'daysOverdue',
  'nextBooked',
  'churnRisk',
  'valueIfRetainedCents',
  'valueAtRiskCents',
] as const;

type ChurnSources = Readonly<Record<(typeof CHURN_FIELDS)[number], FactSource>>;

/**
 * What every patient action of one location and day shares: the churn model's sources, the VIP
 * ranking's, the reason a next visit is absent, and the drafts by template and time in words.
 * Made once per location, not per action (at 200 locations the 0.1 M actions' million facts each
 * held a copy of its source, and each draft its own text), and frozen: many actions hold each.
 */
interface SharedParts {
  churn: ChurnSources;
  ranking: FactSource;
  vipMetric: FactSource;
  nothingBooked: string;
  draft: (category: ServiceCategory | null, daysSinceLast: number) => OutreachDraft;
}

function sharedParts(input: PatientTriggerInput): SharedParts {
  const { asOf, horizonDays, vip } = input;
  const churn = Object.fromEntries(
    CHURN_FIELDS.map((field) => [
      field,
      Object.freeze({ kind: 'churn_model' as const, field, asOf, horizonDays }),
    ]),
  ) as ChurnSources;
  const drafts = new Map<string, OutreachDraft>();
  return {
    churn,
    ranking: Object.freeze({ kind: 'patient_revenue', window: Object.freeze({ ...vip.window }) }),
    // vip_revenue_share over the same 12 months answers n and ⌈0.1 × n⌉ as operands, with source rows.
    vipMetric: Object.freeze({
      kind: 'metric',
      metric: 'vip_revenue_share',
      scope: Object.freeze({ kind: 'location', locationId: vip.locationId }),
      period: `${vip.window.start}..${vip.window.end}`,
    }),
    nothingBooked: `nothing on the book after ${asOf}`,
    draft: (category, daysSinceLast) => {
      // The draft says only the template and the time in words: many patients share each.
      const key = `${templateOf(category)}\u0000${timeInWords(daysSinceLast)}`;
      let draft = drafts.get(key);
      if (draft === undefined) {
        draft = Object.freeze(outreachDraft(category, daysSinceLast));
        drafts.set(key, draft);
      }
      return draft;
    },
  };
}

/** The churn score's facts about a patient, each named by the field it comes from. */
function churnFacts(p: PatientChurn, shared: SharedParts): ActionFact[] {
  const source = shared.churn;
  return [
    { name: 'last_visit_on', value: p.lastVisit.day, unit: 'date', source: source['lastVisit.day'] },
    {
      name: 'last_visit_category',
      value: p.lastVisit.category,
      unit: 'text',
      ...(p.lastVisit.category === null ? { reason: 'the service of the last visit has no category' } : {}),
      source: source['lastVisit.category'],
    },
    { name: 'days_since_last_visit', value: p.daysSinceLast, unit: 'days', source: source.daysSinceLast },
    {
      name: 'typical_interval_days',
      value: p.typicalIntervalDays,
      unit: 'days',
      source: source.typicalIntervalDays,
    },
    { name: 'interval_source', value: p.intervalSource, unit: 'text', source: source.intervalSource },
    { name: 'days_overdue', value: p.daysOverdue, unit: 'days', source: source.daysOverdue },
    {
      name: 'next_booked',
      value: p.nextBooked,
      unit: 'date',
      ...(p.nextBooked === null ? { reason: shared.nothingBooked } : {}),
      source: source.nextBooked,
    },
    { name: 'churn_risk', value: p.churnRisk, unit: 'ratio', source: source.churnRisk },
    {
      name: 'value_if_retained',
      value: p.valueIfRetainedCents,
      unit: 'cents',
      ...(p.valueIfRetainedCents === null ? { reason: p.valueReason ?? 'not valued' } : {}),
      source: source.valueIfRetainedCents,
    },
    {
      name: 'value_at_risk',
      value: p.valueAtRiskCents,
      unit: 'cents',
      ...(p.valueAtRiskCents === null ? { reason: p.valueReason ?? 'not valued' } : {}),
      source: source.valueAtRiskCents,
    },
  ];
}

function vipFacts(
  vip: VipRanking,
  standing: { revenueCents: number; rank: number },
  shared: SharedParts,
): ActionFact[] {
  const { ranking, vipMetric: metric } = shared;
  return [
    { name: 'net_revenue_12m', value: standing.revenueCents, unit: 'cents', source: ranking },
    { name: 'revenue_rank', value: standing.rank, unit: 'count', source: ranking },
    { name: 'vip_threshold', value: vip.thresholdCents, unit: 'cents', source: ranking },
    { name: 'patients_with_revenue', value: vip.patientsWithRevenue, unit: 'count', source: metric },
    { name: 'top_patients', value: vip.topPatients, unit: 'count', source: metric },
  ];
}

function dollarsOf(p: PatientChurn): { dollarsCents: number | null; dollarsBasis: string } {
  if (p.valueAtRiskCents === null || p.valueIfRetainedCents === null) {
    return { dollarsCents: null, dollarsBasis: `no value at risk: ${p.valueReason ?? 'not valued'}` };
  }
  return {
    dollarsCents: p.valueAtRiskCents,
    dollarsBasis: `churn model value at risk: churn risk ${percent(p.churnRisk)} × ${dollars(p.valueIfRetainedCents)} expected over the next 12 months if retained`,
  };
}

function patientAction(
  rule: ActionRule,
  input: PatientTriggerInput,
  p: PatientChurn,
  sentence: string,
  facts: ActionFact[],
  shared: SharedParts,
): Action {
  const period = monthOf(input.asOf);
  return {
    id: actionId({ rule, locationId: input.locationId, subjectId: p.patientId, period }),
    rule,
    audience: 'front_desk',
    locationId: input.locationId,
    subject: { kind: 'patient', patientId: p.patientId },
    period,
    asOf: input.asOf,
    ...dollarsOf(p),
    sentence,
    facts,
    alsoTrue: [],
    draft: shared.draft(p.lastVisit.category, p.daysSinceLast),
  };
}

export function isCadenceBroken(p: PatientChurn): boolean {
  return (
    p.intervalSource === 'own_history' &&
    p.typicalIntervalDays >= CADENCE_MIN_INTERVAL_DAYS &&
    p.nextBooked === null &&
    p.daysSinceLast <= CADENCE_WITHIN_DAYS &&
    p.daysSinceLast >= CADENCE_BROKEN_RATIO * p.typicalIntervalDays
  );
}

/** Every rule that holds for every patient: one action per patient and rule, before deduplication. */
export function patientActions(input: PatientTriggerInput): Action[] {
  const actions: Action[] = [];
  const shared = sharedParts(input);
  for (const p of input.patients) {
    const standing = input.vip.vips.get(p.personKey);
    const vipPastDue = standing !== undefined && p.daysOverdue > 0 && p.nextBooked === null;
    const cadenceBroken = isCadenceBroken(p);
    // Most scored patients fire no rule: their facts are not made.
    if (!vipPastDue && !cadenceBroken) continue;
    const base = churnFacts(p, shared);
    if (vipPastDue) {
      const sentence = `VIP, #${count(standing.rank)} of ${count(input.vip.patientsWithRevenue)} patients by net revenue over the last 12 months (${dollars(standing.revenueCents)}): last seen ${p.lastVisit.day} (${categoryWords(p.lastVisit.category)}), ${p.daysOverdue} days past ${usualInterval(p)}; nothing booked.`;
      const facts = [...base, ...vipFacts(input.vip, standing, shared)];
      actions.push(patientAction('vip_past_due', input, p, sentence, facts, shared));
    }
    if (cadenceBroken) {
      const times = (p.daysSinceLast / p.typicalIntervalDays).toFixed(1);
      const sentence = `Rhythm broken: usually back every ${p.typicalIntervalDays} days, now ${p.daysSinceLast} days (${times}×) since the last visit on ${p.lastVisit.day} (${categoryWords(p.lastVisit.category)}); nothing booked.`;
      actions.push(patientAction('cadence_broken', input, p, sentence, base, shared));
    }
  }
  return actions;
}
