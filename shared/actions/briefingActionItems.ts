import type { Action, ActionRule } from './action';
import type { BriefingItem } from './briefing';
import { dollarsWords, percentWords, plural, type TraceFigure } from './briefingFigures';
import {
  COMP_BAND_HIGH,
  COMP_BAND_LOW,
  monthsWindow,
  NO_SHOW_BASELINE_MONTHS,
  PROVIDER_WINDOW_MONTHS,
} from './locationTriggers';

/**
 * The briefing's items read from the day's open actions (triggers.ts, after snoozed and done ones
 * are left out): patients are only counted and their value at risk summed per location and rule —
 * no patient id, name or date of a visit reaches the briefing; the trace points at the actions
 * list, where the front desk finds whom to call. Owner alerts become one item each, reworded so a
 * provider is named by display name and a location by its name, never by an id.
 */

const PATIENT_WORDS: Partial<Record<ActionRule, (n: number) => string>> = {
  vip_past_due: (n) => `${plural(n, 'VIP is', 'VIPs are')} past due with nothing booked`,
  cadence_broken: (n) =>
    `${plural(n, 'patient has', 'patients have')} broken their usual rhythm with nothing booked`,
};

/** The metric facts of the actions, once each (the VIP ranking's totals, the alert's figures). */
function metricFacts(actions: readonly Action[]): TraceFigure[] {
  const seen = new Map<string, TraceFigure>();
  for (const a of actions)
    for (const f of a.facts) {
      if (f.source.kind !== 'metric' || typeof f.value === 'string') continue;
      const key = `${f.name}\u0000${f.source.metric}\u0000${f.source.period}`;
      if (!seen.has(key))
        seen.set(key, {
          kind: 'metric',
          name: f.name,
          metric: f.source.metric,
          scope: f.source.scope,
          period: f.source.period,
          value: f.value,
          unit: f.unit,
          ...(f.reason === undefined ? {} : { reason: f.reason }),
        });
    }
  return [...seen.values()];
}

/** Front-desk actions of one location, as a count and a sum per rule. */
export function patientItems(locationId: string, name: string, actions: readonly Action[]): BriefingItem[] {
  return (['vip_past_due', 'cadence_broken'] as const).flatMap((rule) => {
    const mine = actions.filter((a) => a.rule === rule && a.locationId === locationId);
    const first = mine[0];
    if (first === undefined) return [];
    const valued = mine.filter((a) => a.dollarsCents !== null);
    const sum = valued.reduce((s, a) => s + (a.dollarsCents ?? 0), 0);
    const unvalued = mine.length - valued.length;
    const dollarsCents = valued.length === 0 ? null : sum;
    const atRisk = dollarsCents === null ? '' : `: ${dollarsWords(sum)} at risk`;
    const without =
      unvalued > 0 && dollarsCents !== null ? ` (${plural(unvalued, 'has', 'have')} no value)` : '';
    const asOf = first.asOf;
    return [
      {
        kind: rule,
        locationId,
        sentence: `${name}: ${PATIENT_WORDS[rule]?.(mine.length) ?? rule}${atRisk}${without} — see the call list.`,
        dollarsCents,
        dollarsBasis:
          dollarsCents === null
            ? `no value at risk: the churn model valued none of them (${first.dollarsBasis})`
            : `Σ the churn model's value at risk of the ${plural(valued.length, 'patient', 'patients')} valued (churn risk × the next 12 months' expected revenue if retained)`,
        trace: [
          {
            kind: 'actions',
            name: `${rule}_patients`,
            rule,
            locationId,
            asOf,
            value: mine.length,
            unit: 'count',
          },
          {
            kind: 'actions',
            name: 'value_at_risk',
            rule,
            locationId,
            asOf,
            value: dollarsCents,
            unit: 'cents',
            ...(dollarsCents === null ? { reason: 'no patient valued' } : {}),
          },
          ...metricFacts(mine),
        ],
      },
    ];
  });
}

const factValue = (a: Action, name: string) => {
  const v = a.facts.find((f) => f.name === name)?.value;
  return typeof v === 'number' ? v : null;
};
const points = (fraction: number) => Math.round(fraction * 100);

/** A provider-out-of-band alert, said with the provider's display name and the location's name. */
export function providerItem(action: Action, name: string): BriefingItem {
  const who =
    action.subject.kind === 'provider' && action.subject.displayName !== null
      ? action.subject.displayName
      : 'A provider without a display name';
  const ratio = factValue(action, 'comp_to_production_ratio') ?? 0;
  const comp = factValue(action, 'provider_compensation');
  const production = factValue(action, 'provider_production');
  const window = monthsWindow(action.period, PROVIDER_WINDOW_MONTHS).label;
  const amounts =
    comp === null || production === null ? '' : ` (${dollarsWords(comp)} on ${dollarsWords(production)})`;
  const band = `${points(COMP_BAND_LOW)}–${points(COMP_BAND_HIGH)} % band`;
  const judgement =
    ratio > COMP_BAND_HIGH
      ? `above the ${band}${action.dollarsCents === null ? '' : `: ${dollarsWords(action.dollarsCents)} more than at the target`}`
      : `below the ${band}: pay that trails production is a retention risk${production === null ? '' : `, with ${dollarsWords(production)} of production exposed`}`;
  return {
    kind: 'provider_out_of_band',
    locationId: action.locationId,
    sentence: `${name}: ${who}'s pay was ${percentWords(ratio)} of production over ${window}${amounts}, ${judgement}.`,
    dollarsCents: action.dollarsCents,
    dollarsBasis: action.dollarsBasis,
    trace: metricFacts([action]),
  };
}

/** A no-show spike, with the month's rate against the location's own months before. */
export function noShowItem(action: Action, name: string): BriefingItem {
  const rate = factValue(action, 'no_show_rate') ?? 0;
  const noShows = factValue(action, 'no_show');
  const baseline = factValue(action, 'no_show_rate_baseline') ?? 0;
  const counted = noShows === null ? '' : ` (${plural(noShows, 'no-show', 'no-shows')})`;
  const worth =
    action.dollarsCents === null
      ? ''
      : action.dollarsCents === 0
        ? ': still within the target, so no dollars beyond it'
        : `: ${dollarsWords(action.dollarsCents)} lost beyond the target`;
  return {
    kind: 'no_show_spike',
    locationId: action.locationId,
    sentence: `${name}: no-shows rose to ${percentWords(rate)} in ${action.period}${counted}, from ${percentWords(baseline)} over the ${NO_SHOW_BASELINE_MONTHS} months before${worth}.`,
    dollarsCents: action.dollarsCents,
    dollarsBasis: action.dollarsBasis,
    trace: metricFacts([action]),
  };
}
