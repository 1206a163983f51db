import { parsePeriod, type ResolvedPeriod, resolvePeriod } from '../periods/period';
import { quoteId } from '../privacy/redact';
import { metricById, similarMetricIds } from './catalog';
import { readPeriodOf } from './dataWindow';
import type { MetricContext } from './metricContext';
import type { MetricValue } from './metricValue';
import { type Scope, scopeLabel } from './scope';

export type MetricErrorCode =
  | 'unknown_metric'
  | 'invalid_period'
  | 'no_data'
  | 'unknown_location'
  | 'unknown_provider'
  | 'scope_not_supported';

/** A request the engine cannot answer at all (unlike a value that is "not available"). */
export interface MetricError {
  code: MetricErrorCode;
  message: string;
}

export type MetricAnswer = { ok: true; value: MetricValue } | { ok: false; error: MetricError };

/** Resolves a period string against the tenant's fiscal year and as-of month. */
export function resolvePeriodText(
  ctx: MetricContext,
  text: string,
): { ok: true; period: ResolvedPeriod } | { ok: false; error: MetricError } {
  const parsed = parsePeriod(text);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_period', message: parsed.error.message } };
  const asOfMonth = ctx.asOfMonth();
  const resolved = resolvePeriod(parsed.period, {
    fiscalYearStartMonth: ctx.settings.fiscalYearStartMonth,
    ...(asOfMonth === null ? {} : { asOfMonth }),
  });
  if (!resolved.success) {
    return {
      ok: false,
      error: { code: 'no_data', message: `${resolved.error.message} (the store has no sales yet)` },
    };
  }
  return { ok: true, period: resolved.period };
}

function checkScope(ctx: MetricContext, scope: Scope): MetricError | null {
  if (scope.kind === 'location' || (scope.kind === 'provider' && scope.locationId !== null)) {
    const locationId = scope.locationId;
    if (locationId !== null && !ctx.location(locationId)) {
      return { code: 'unknown_location', message: `Unknown location ${quoteId(locationId)}` };
    }
  }
  if (scope.kind === 'provider' && ctx.locationIdsOf(scope).length === 0) {
    return { code: 'unknown_provider', message: `Unknown provider ${quoteId(scope.providerId)}` };
  }
  return null;
}

/**
 * Answers already given by a context. A context is one tenant at one data version, so an
 * answer stays right for as long as the context lives; a workbook recalculating the same
 * cells is then answered from memory. Bounded so a long-lived API process cannot grow without
 * limit.
 */
const answered = new WeakMap<MetricContext, Map<string, MetricAnswer>>();
const MAX_ANSWERS_PER_CONTEXT = 100_000;

function scopeKey(scope: Scope): string {
  if (scope.kind === 'portfolio') return 'portfolio';
  if (scope.kind === 'location') return `location:${scope.locationId}`;
  return `provider:${scope.providerId}@${scope.locationId ?? '*'}`;
}

function answerKey(metricId: string, scope: Scope, periodText: string): string {
  return `${metricId}\u0000${scopeKey(scope)}\u0000${periodText}`;
}

/**
 * Computes one metric for one scope and period, with its unit, coverage and lineage. The
 * answer is kept for the context's later questions unless `remember` is false: a caller that
 * asks each cell once (the precompute's 506 k at 200 locations) would only cycle the memo's
 * 100,000 answers, each with its lineage, for nothing.
 */
export function computeMetric(
  ctx: MetricContext,
  metricId: string,
  scope: Scope,
  periodText: string,
  { remember = true }: { remember?: boolean } = {},
): MetricAnswer {
  if (!remember)
    return (
      answered.get(ctx)?.get(answerKey(metricId, scope, periodText)) ??
      computeMetricUncached(ctx, metricId, scope, periodText)
    );
  let memo = answered.get(ctx);
  if (!memo) {
    memo = new Map();
    answered.set(ctx, memo);
  }
  const key = answerKey(metricId, scope, periodText);
  const known = memo.get(key);
  if (known) return known;
  const answer = computeMetricUncached(ctx, metricId, scope, periodText);
  if (memo.size >= MAX_ANSWERS_PER_CONTEXT) memo.clear();
  memo.set(key, answer);
  return answer;
}

function computeMetricUncached(
  ctx: MetricContext,
  metricId: string,
  scope: Scope,
  periodText: string,
): MetricAnswer {
  const definition = metricById(metricId);
  if (!definition) {
    return {
      ok: false,
      error: {
        code: 'unknown_metric',
        message: `Unknown metric ${quoteId(metricId)}; did you mean ${similarMetricIds(metricId).join(', ')}?`,
      },
    };
  }
  const period = resolvePeriodText(ctx, periodText);
  if (!period.ok) return period;
  if (ctx.allLocationIds().length === 0) {
    // An empty tenant has no value at all, not a portfolio total of 0.
    return {
      ok: false,
      error: { code: 'no_data', message: 'The tenant has no data yet: ingest a bundle first' },
    };
  }
  const scopeError = checkScope(ctx, scope);
  if (scopeError) return { ok: false, error: scopeError };
  if (!definition.scopes.includes(scope.kind)) {
    return {
      ok: false,
      error: {
        code: 'scope_not_supported',
        message: `${metricId} is defined for ${definition.scopes.join(' and ')} scope, not for ${scopeLabel(scope)}`,
      },
    };
  }
  const result = definition.compute(ctx, scope, period.period);
  return {
    ok: true,
    value: {
      metric: definition.id,
      scope,
      period: period.period,
      unit: definition.unit,
      // Over the dates the metric reads, which for some metrics reach beyond P.
      coverage: ctx.coverage(scope, readPeriodOf(definition, ctx, period.period)),
      ...result,
    },
  };
}
