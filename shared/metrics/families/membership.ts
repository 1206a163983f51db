import { Fraction } from '../../engine/fraction';
import { addDays, daysInclusive, firstDayOfMonth, lastDayOfMonth } from '../../model/localDate';
import { monthsOf, type ResolvedPeriod } from '../../periods/period';
import { absentFacts } from '../factCoverage';
import { memberRevenueCents } from '../membership/memberRevenue';
import { isActiveOn, isMemberOn, membershipBook, membershipsAt } from '../membership/membershipBook';
import type { MetricContext } from '../metricContext';
import type { MembershipInfo } from '../metricData';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, type MetricResult, notAvailable, ratio } from '../metricValue';
import { visitsBetween } from '../patients/patientFacts';
import type { Scope } from '../scope';

const LOCATION_SCOPES = ['location', 'portfolio'] as const;

const ACTIVE =
  'a membership is active on day d when started_on ≤ d and (cancelled_on is empty or cancelled_on > d), so cancelled_on is its first inactive day';
const SCOPE_RULE =
  'at location scope only that location’s memberships count; at portfolio scope every location’s, so a person with memberships at two locations holds two';

interface ScopeMemberships {
  memberships: MembershipInfo[];
  locations: ReadonlySet<string>;
}

/**
 * The scope's memberships, or "not available" when it has none at all: a location without a
 * membership export has unknown membership figures, not zero members.
 */
function withMemberships(
  ctx: MetricContext,
  scope: Scope,
  formula: string,
  compute: (facts: ScopeMemberships) => MetricResult,
): MetricResult {
  const locationIds = ctx.locationIdsOf(scope);
  const memberships = membershipsAt(ctx, locationIds);
  if (memberships.length === 0) return notAvailable('no memberships were ingested for this scope', formula);
  return compute({ memberships, locations: new Set(locationIds) });
}

function activeOn(memberships: readonly MembershipInfo[], day: string): MembershipInfo[] {
  return memberships.filter((m) => isActiveOn(m, day));
}

const sumFees = (memberships: readonly MembershipInfo[]) =>
  memberships.reduce((total, m) => total + m.monthly_fee, 0);

/** The no-facts rule of the state metrics (active_members, mrr), stated in their definitions. */
const NO_FACTS_RULE =
  "null when the scope has no memberships at all, when none of its locations operated in P, or when the location's data (its first to its last sale line, appointment or membership start or cancellation) covers none of P";

/**
 * active_members and mrr count the memberships of P's last day: a state, so a location with
 * memberships still has none to count in a period it was not operating or its data does not
 * reach (metrics.md: absent facts are null, never 0).
 */
function withCoveredMemberships(
  ctx: MetricContext,
  scope: Scope,
  period: ResolvedPeriod,
  formula: string,
  compute: (facts: ScopeMemberships) => MetricResult,
): MetricResult {
  return withMemberships(ctx, scope, formula, (facts) => {
    const absent = absentFacts(ctx, scope, period, 'memberships');
    return absent === null ? compute(facts) : notAvailable(absent, formula);
  });
}

/** Months in P as an exact fraction: whole months, or for a range days covered / days in each month (period.ts). */
function exactMonths(period: ResolvedPeriod): Fraction {
  if (Number.isInteger(period.months)) return Fraction.of(period.months);
  let total = Fraction.ZERO;
  for (const month of monthsOf(period)) {
    const first = firstDayOfMonth(month);
    const last = lastDayOfMonth(month);
    const from = period.start > first ? period.start : first;
    const to = period.end < last ? period.end : last;
    total = total.plus(Fraction.of(daysInclusive(from, to), daysInclusive(first, last)));
  }
  return total;
}

const activeMembers: MetricDefinition = {
  id: 'active_members',
  label: 'Active members',
  unit: 'count',
  family: 'membership',
  scopes: LOCATION_SCOPES,
  facts: ['memberships.csv'],
  definition: `count of memberships active on P's last day (${ACTIVE}); ${SCOPE_RULE} and counts twice (details give the distinct members); ${NO_FACTS_RULE}`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'count of memberships active on the last day of P';
    return withCoveredMemberships(ctx, scope, period, formula, ({ memberships }) => {
      const active = activeOn(memberships, period.end);
      return {
        value: active.length,
        formula,
        operands: [{ name: 'active_on_last_day', value: active.length, unit: 'count' }],
        details: { day: period.end, distinct_members: new Set(active.map((m) => m.person_key)).size },
      };
    });
  },
};

const mrr: MetricDefinition = {
  id: 'mrr',
  label: 'Monthly recurring revenue (memberships)',
  unit: 'usd',
  family: 'membership',
  scopes: LOCATION_SCOPES,
  facts: ['memberships.csv'],
  definition: `Σ monthly_fee of the memberships active on P's last day (as active_members); the contracted fee, not the fees collected; ${NO_FACTS_RULE}`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'Σ monthly_fee of memberships active on the last day of P';
    return withCoveredMemberships(ctx, scope, period, formula, ({ memberships }) => {
      const active = activeOn(memberships, period.end);
      const cents = sumFees(active);
      return {
        value: centsToReportedDollars(cents),
        formula,
        operands: [
          { name: 'active_on_last_day', value: active.length, unit: 'count' },
          { name: 'monthly_fees', value: centsToReportedDollars(cents), unit: 'usd' },
        ],
        details: { day: period.end },
      };
    });
  },
};

const membershipChurnRate: MetricDefinition = {
  id: 'membership_churn_rate',
  label: 'Membership churn rate',
  unit: 'ratio',
  family: 'membership',
  scopes: LOCATION_SCOPES,
  facts: ['memberships.csv'],
  definition:
    "memberships cancelled in P (cancelled_on in P) that started before P / memberships active on P's first day. " +
    'A membership started and cancelled inside P does not count (it was never in the base P opened with); one cancelled ' +
    "on P's first day does (it was active the day before P, though not on P's first day), so no cancellation of a " +
    'pre-existing membership falls between two periods. A plan switch (one membership cancelled, another started) counts as a cancellation',
  direction: 'lower',
  compute(ctx, scope, period) {
    const formula = 'cancelled_in_period / active_on_first_day';
    return withMemberships(ctx, scope, formula, ({ memberships }) => {
      const cancelledInPeriod = memberships.filter(
        (m) => m.cancelled_on !== null && m.cancelled_on >= period.start && m.cancelled_on <= period.end,
      );
      const cancelled = cancelledInPeriod.filter((m) => m.started_on < period.start);
      const base = activeOn(memberships, period.start).length;
      const r = ratio(cancelled.length, base);
      return {
        ...r,
        ...(r.reason === undefined
          ? {}
          : { reason: 'no membership was active on the first day of the period' }),
        formula,
        operands: [
          { name: 'cancelled_in_period', value: cancelled.length, unit: 'count' },
          { name: 'active_on_first_day', value: base, unit: 'count' },
        ],
        details: {
          cancelled_on_first_day: cancelled.filter((m) => m.cancelled_on === period.start).length,
          started_and_cancelled_in_period_not_counted: cancelledInPeriod.length - cancelled.length,
        },
      };
    });
  },
};

const arpm: MetricDefinition = {
  id: 'arpm',
  label: 'Average revenue per member per month',
  unit: 'usd',
  family: 'membership',
  scopes: LOCATION_SCOPES,
  facts: ['memberships.csv', 'sales.csv', 'patients.csv'],
  sourceFilter: { saleKinds: ['service', 'package', 'retail', 'membership_fee', 'other'] },
  definition:
    "member_net_revenue / mean(memberships active on P's first day, on P's last day) / months in P. member_net_revenue = " +
    'net_revenue (every revenue kind, membership fees included) of sale lines with a patient, on the days that patient (matched across ' +
    'systems by person) held an active membership: at portfolio scope a membership at any location, at location scope a membership ' +
    'at that location and that location’s sales only. The denominator counts memberships as active_members does (a person with ' +
    'two counts twice, her revenue once); months in P is fractional for a date range that covers part of a month',
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'member_net_revenue / mean(active_on_first_day, active_on_last_day) / months';
    return withMemberships(ctx, scope, formula, ({ memberships }) => {
      const cents = memberRevenueCents(ctx, scope, period);
      const first = activeOn(memberships, period.start).length;
      const last = activeOn(memberships, period.end).length;
      const mean = (first + last) / 2;
      const operands = [
        { name: 'member_net_revenue', value: centsToReportedDollars(cents), unit: 'usd' as const },
        { name: 'active_on_first_day', value: first, unit: 'count' as const },
        { name: 'active_on_last_day', value: last, unit: 'count' as const },
        { name: 'months', value: period.months, unit: 'count' as const },
      ];
      if (mean === 0) {
        return notAvailable(
          'no membership was active on the first or the last day of the period',
          formula,
          operands,
        );
      }
      // cents / ((first + last) / 2) / months, exactly, rounded once.
      const perMemberMonth = Fraction.of(cents)
        .times(2)
        .dividedBy(first + last)
        .dividedBy(exactMonths(period));
      return { value: centsToReportedDollars(perMemberMonth), formula, operands };
    });
  },
};

/**
 * The numerator of membership_conversion_rate: the times in P a patient went from holding no
 * membership (at the scope) to holding one. Memberships started the same day by one person are
 * one conversion; a membership started while another was active the day before is a plan
 * switch or an add-on, not a conversion.
 */
function conversions(
  ctx: MetricContext,
  memberships: readonly MembershipInfo[],
  locations: ReadonlySet<string>,
  period: ResolvedPeriod,
): { conversions: number; started: number } {
  const book = membershipBook(ctx);
  const started = memberships.filter((m) => m.started_on >= period.start && m.started_on <= period.end);
  const events = new Set<string>();
  for (const m of started) {
    if (isMemberOn(book, m.person_key, addDays(m.started_on, -1), locations)) continue;
    events.add(`${m.person_key}\u0000${m.started_on}`);
  }
  return { conversions: events.size, started: started.length };
}

const membershipConversionRate: MetricDefinition = {
  id: 'membership_conversion_rate',
  label: 'Membership conversion rate',
  unit: 'ratio',
  family: 'membership',
  scopes: LOCATION_SCOPES,
  facts: ['memberships.csv', 'appointments.csv', 'patients.csv'],
  sourceFilter: { appointmentStatuses: ['completed'] },
  definition:
    'conversions in P / distinct patients with a visit in P on a day they held no active membership. A conversion is a membership ' +
    'started in P by a patient who held no active membership the day before it started (several started the same day count once; ' +
    'a plan switch or add-on is none). At location scope both "member" and the visits refer to that location only; at portfolio ' +
    'scope to any location, patients matched across systems by person',
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'conversions / non_member_visitors';
    return withMemberships(ctx, scope, formula, ({ memberships, locations }) => {
      const book = membershipBook(ctx);
      const converted = conversions(ctx, memberships, locations, period);
      const visitors = new Set<string>();
      const events = ctx.data.events;
      for (const visit of visitsBetween(ctx, [...locations], period.start, period.end)) {
        const personKey = events.personKeyOf(visit);
        if (visitors.has(personKey)) continue;
        if (!isMemberOn(book, personKey, events.dayOf(visit), locations)) visitors.add(personKey);
      }
      const r = ratio(converted.conversions, visitors.size);
      return {
        ...r,
        ...(r.reason === undefined
          ? {}
          : { reason: 'no patient visited in the period without being a member that day' }),
        formula,
        operands: [
          { name: 'conversions', value: converted.conversions, unit: 'count' },
          { name: 'non_member_visitors', value: visitors.size, unit: 'count' },
        ],
        details: { memberships_started: converted.started },
      };
    });
  },
};

export const MEMBERSHIP_METRICS: readonly MetricDefinition[] = [
  activeMembers,
  mrr,
  membershipChurnRate,
  arpm,
  membershipConversionRate,
];
