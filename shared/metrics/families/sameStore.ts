import type { ResolvedPeriod } from '../../periods/period';
import { withPriorYear } from '../dataWindow';
import type { MetricContext } from '../metricContext';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, notAvailable, type Operand } from '../metricValue';
import { comparableSet } from '../sameStore/comparableSet';
import type { Scope } from '../scope';
import { netRevenueCents, visitsOf } from './revenue';

const COMPARABLE_RULE =
  'a location is comparable when opened_on ≤ the first day of PY, closed_on is empty or after the last day of P, and it has at least one sale line (of any kind) in every calendar month of PY and of P; acquired_on does not matter (pre-acquisition history counts)';

const SCOPE_RULE =
  "at portfolio scope over the comparable set; at location scope the location's own growth when it is comparable, else null with the reason it is not";

function growthMetric(
  id: string,
  label: string,
  measureName: string,
  unit: 'usd' | 'count',
  facts: readonly string[],
  measure: (ctx: MetricContext, scope: Scope, period: ResolvedPeriod) => number,
): MetricDefinition {
  return {
    id,
    label,
    unit: 'ratio',
    family: 'same_store',
    scopes: ['portfolio', 'location'],
    reads: withPriorYear,
    facts: ['locations.csv', 'sales.csv', ...facts],
    // Every sale line kind matters to comparability, so sales are never narrowed; visits are.
    ...(unit === 'count' ? { sourceFilter: { appointmentStatuses: ['completed'] } } : {}),
    definition: `Σ ${measureName}(P) / Σ ${measureName}(PY) − 1 over the same comparable set, PY = P shifted back 12 months; ${COMPARABLE_RULE}; ${SCOPE_RULE}; details give the comparable location ids, their number and each excluded location with its reason; null when no location is comparable or Σ ${measureName}(PY) is not positive`,
    direction: 'higher',
    compute(ctx, scope, period) {
      const set = comparableSet(ctx, ctx.locationIdsOf(scope), period);
      const formula = `Σ ${measureName}(P) / Σ ${measureName}(PY) − 1 over the comparable set`;
      const sumOver = (p: ResolvedPeriod) =>
        set.comparable.reduce(
          (total, locationId) => total + measure(ctx, { kind: 'location', locationId }, p),
          0,
        );
      const current = sumOver(period);
      const prior = sumOver(set.priorYear);
      const shown = (value: number) => (unit === 'usd' ? centsToReportedDollars(value) : value);
      const operands: Operand[] = [
        { name: `${measureName}(P ${period.label})`, value: shown(current), unit },
        {
          name: `${measureName}(PY ${set.priorYear.start}..${set.priorYear.end})`,
          value: shown(prior),
          unit,
        },
      ];
      const details = {
        details: { comparable: set.comparable, size: set.comparable.length, excluded: set.excluded },
      };
      if (set.comparable.length === 0) {
        const why =
          scope.kind === 'location' && set.excluded[0] !== undefined
            ? `not comparable: ${set.excluded[0].reason}`
            : 'no location is comparable for the period';
        return { ...notAvailable(why, formula, operands), ...details };
      }
      if (prior <= 0) {
        return { ...notAvailable(`${measureName} in PY is not positive`, formula, operands), ...details };
      }
      // (P − PY) / PY rather than P / PY − 1: the same number without the cancellation error.
      return { value: (current - prior) / prior, formula, operands, ...details };
    },
  };
}

export const SAME_STORE_METRICS: readonly MetricDefinition[] = [
  growthMetric(
    'same_store_revenue_growth',
    'Same-store revenue growth',
    'net_revenue',
    'usd',
    [],
    netRevenueCents,
  ),
  growthMetric(
    'same_store_visits_growth',
    'Same-store visits growth',
    'visits',
    'count',
    ['appointments.csv'],
    visitsOf,
  ),
];
