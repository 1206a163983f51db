import { createHash } from 'node:crypto';

import type { BatchResult } from '../contract/metrics';
import { standardPeriods } from '../periods/standardPeriods';
import { capEcho, MAX_ECHO_CHARS } from '../privacy/redact';
import type { StoredKey } from '../store/store.port';
import { METRICS } from './catalog';
import { computeMetric } from './computeMetric';
import type { MetricContext, MetricSettings } from './metricContext';
import type { Scope } from './scope';

/**
 * A workbook cell's answer, as `POST /api/metrics/batch` gives it, and the cells whose answers
 * are computed ahead of the first question: one definition of both, for the API's batch and for
 * the step that stores the standard periods' answers (shared/metrics/storedAnswers.ts).
 */

/** One cell: a metric for a scope and a period, as the batch names them (trimmed, blanks absent). */
export interface CellRequest {
  metric: string;
  period: string;
  location?: string;
  provider?: string;
}

/**
 * The scope a request names: a provider (at one location, or across all of theirs when no
 * location is given), else a location, else the portfolio. Same rule as the CLI's flags.
 */
export function scopeOf(location: string | undefined, provider: string | undefined): Scope {
  if (provider !== undefined) return { kind: 'provider', providerId: provider, locationId: location ?? null };
  if (location !== undefined) return { kind: 'location', locationId: location };
  return { kind: 'portfolio' };
}

/** The cell's identity among a batch's requests: equal requests are answered once. */
export function cellKey(r: CellRequest): string {
  return JSON.stringify([r.metric, r.period, r.location ?? null, r.provider ?? null]);
}

/**
 * What a stored answer is an answer of, beside the tenant and data version (the store's own
 * keys): the settings it was answered under (a fiscal year or a target changes answers) and the
 * engine that answered it (a fingerprint of the core's code, io/engineFingerprint.ts), so an
 * answer is only ever read back for the same question under the same settings and code.
 */
export interface AnswerBasis {
  settings: MetricSettings;
  engine: string;
}

/**
 * The cell's identity among stored answers under the basis it is answered on: its group is the
 * basis, period and scope (a sheet asks many metrics of one scope and period together: a store
 * keeps them side by side), the cell within it the metric.
 */
export function storedCellKey(basis: AnswerBasis, r: CellRequest): StoredKey {
  let digest = basisDigests.get(basis);
  if (digest === undefined) {
    digest = createHash('sha256')
      .update(JSON.stringify([basis.engine, basis.settings]))
      .digest('base64url');
    basisDigests.set(basis, digest);
  }
  return {
    group: `${digest}\u0000${JSON.stringify([r.period, r.location ?? null, r.provider ?? null])}`,
    cell: r.metric,
  };
}

/**
 * Each basis as the SHA-256 of its JSON, computed once: hundreds of thousands of keys share it,
 * and a short prefix keeps the key a store hashes short.
 */
const basisDigests = new WeakMap<AnswerBasis, string>();

/** `message` with every long value of `values` it quotes cut to `capEcho`'s form. */
export function capEchoes(message: string, values: readonly (string | undefined)[]): string {
  let capped = message;
  for (const value of values) {
    if (value !== undefined && value.length > MAX_ECHO_CHARS)
      capped = capped.split(value).join(capEcho(value));
  }
  return capped;
}

/**
 * The cell computed from a context: its value, unit and coverage, or the error in its slot.
 * `remember: false` leaves the context's memo of answers as it is (computeMetric).
 */
export function answerCell(
  ctx: MetricContext,
  r: CellRequest,
  options?: { remember?: boolean },
): BatchResult {
  const answer = computeMetric(ctx, r.metric, scopeOf(r.location, r.provider), r.period, options);
  if (!answer.ok) {
    // A message quotes no more of an id than capEcho's form.
    return {
      error: {
        ...answer.error,
        message: capEchoes(answer.error.message, [r.metric, r.period, r.location, r.provider]),
      },
    };
  }
  const { value, unit, coverage, reason } = answer.value;
  return { value, unit, coverage, ...(reason === undefined ? {} : { reason }) };
}

/**
 * The cells a portfolio workbook asks first: every metric a location can be asked for (the
 * heatmap is a grid, not a cell) for the portfolio and each location, over the standard
 * periods ending at the context's as-of month — a metric the portfolio is not asked for is
 * answered with its error, as the batch would. None without an as-of month (no sales yet).
 */
export function standardCells(ctx: MetricContext): CellRequest[] {
  const asOf = ctx.asOfMonth();
  if (asOf === null) return [];
  const metrics = METRICS.filter((m) => m.scopes.includes('location') && m.id !== 'utilization_heatmap');
  const scopes = [undefined, ...ctx.allLocationIds()];
  const cells: CellRequest[] = [];
  for (const period of standardPeriods(asOf, ctx.settings.fiscalYearStartMonth)) {
    for (const location of scopes) {
      for (const m of metrics) {
        cells.push({ metric: m.id, period, ...(location === undefined ? {} : { location }) });
      }
    }
  }
  return cells;
}
