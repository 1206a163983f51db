import { openMetricsAsReported } from '../../shared/metrics/asReported';
import { benchmark, COHORT_ATTRIBUTES, type CohortAttribute } from '../../shared/metrics/benchmarks';
import { metricById } from '../../shared/metrics/catalog';
import { computeMetric } from '../../shared/metrics/computeMetric';
import { sourceQueriesFor } from '../../shared/metrics/lineage';
import { DEFAULT_SETTINGS, type MetricSettings } from '../../shared/metrics/metricContext';
import { listMetricValues, type MetricRecord } from '../../shared/metrics/metricListing';
import type { MetricUnit } from '../../shared/metrics/metricValue';
import { openMetrics } from '../../shared/metrics/openMetrics';
import type { Scope } from '../../shared/metrics/scope';
import { isYearMonth } from '../../shared/model/localDate';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { type CliConfig, UsageError } from '../config';
import { createProgress } from '../progress';

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a';
  if (unit === 'usd') {
    const sign = value < 0 ? '-' : '';
    return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'hours') return `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} h`;
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function settingsFor(asOf: string | undefined): MetricSettings {
  if (asOf === undefined) return DEFAULT_SETTINGS;
  if (!isYearMonth(asOf))
    throw new UsageError(`--as-of ${JSON.stringify(asOf)}: expected a month as YYYY-MM`);
  return { ...DEFAULT_SETTINGS, asOfMonth: asOf };
}

async function withMetrics<T>(
  config: CliConfig,
  options: { json: boolean; asOf?: string },
  run: (ctx: Awaited<ReturnType<typeof openMetrics>>, store: SqliteStore) => Promise<T>,
): Promise<T> {
  const settings = settingsFor(options.asOf);
  const store = SqliteStore.open(config.storeFile);
  const progress = createProgress('Refreshing aggregates', 'items', !options.json && process.stderr.isTTY);
  try {
    const ctx = await openMetrics(store, config.tenant, settings, (done, total, id) =>
      progress.update(done, total, id),
    );
    progress.stop();
    return await run(ctx, store);
  } finally {
    progress.stop();
    await store.close();
  }
}

interface MetricsListingOptions {
  period: string;
  metric?: string;
  location?: string;
  json: boolean;
  asOf?: string;
  /** An ingest id or a date: the figures as they stood right after that ingest. */
  asReportedAt?: string;
}

export async function runMetrics(
  config: CliConfig,
  options: MetricsListingOptions,
  out: (text: string) => void,
): Promise<number> {
  if (options.asReportedAt !== undefined) {
    return runMetricsAsReported(config, { ...options, asReportedAt: options.asReportedAt }, out);
  }
  return withMetrics(config, options, (ctx) => {
    const listed = listMetricValues(ctx, options.period, {
      ...(options.metric === undefined ? {} : { metric: options.metric }),
      ...(options.location === undefined ? {} : { locationId: options.location }),
    });
    if (!listed.ok) throw new UsageError(listed.error.message);
    out(options.json ? JSON.stringify(listed.records, null, 2) : formatRecords(listed.records));
    return Promise.resolve(0);
  });
}

/**
 * `caliper metrics --as-reported-at INGEST|DATE`: the listing as it stood right after that
 * ingest, computed from the facts of then; the stored (current) aggregates are neither read nor
 * refreshed.
 */
async function runMetricsAsReported(
  config: CliConfig,
  options: MetricsListingOptions & { asReportedAt: string },
  out: (text: string) => void,
): Promise<number> {
  const settings = settingsFor(options.asOf);
  const store = SqliteStore.open(config.storeFile);
  try {
    const opened = await openMetricsAsReported(store, config.tenant, options.asReportedAt, settings);
    if (!opened.ok) {
      throw new UsageError(`--as-reported-at ${JSON.stringify(options.asReportedAt)}: ${opened.message}`);
    }
    const listed = listMetricValues(opened.ctx, options.period, {
      ...(options.metric === undefined ? {} : { metric: options.metric }),
      ...(options.location === undefined ? {} : { locationId: options.location }),
    });
    if (!listed.ok) throw new UsageError(listed.error.message);
    const { ingest } = opened;
    out(
      options.json
        ? JSON.stringify({ as_reported: ingest, records: listed.records }, null, 2)
        : `As reported at ingest #${ingest.ingest_id}, committed ${ingest.finished_at}:\n${formatRecords(listed.records)}`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function scopeText(r: MetricRecord): string {
  if (r.provider_id !== null) return `${r.provider_id} @ ${r.location_id ?? 'all locations'}`;
  return r.location_id ?? 'Portfolio';
}

export function formatRecords(records: readonly MetricRecord[]): string {
  if (records.length === 0) return 'No metric values.';
  const period = records[0]?.period ?? '';
  const metricWidth = Math.max(6, ...records.map((r) => r.metric.length));
  const scopeWidth = Math.max(5, ...records.map((r) => scopeText(r).length));
  const lines = [
    `Metrics for ${period}`,
    `${'metric'.padEnd(metricWidth)}  ${'scope'.padEnd(scopeWidth)}  ${'value'.padStart(16)}  ${'coverage'.padStart(8)}  note`,
  ];
  for (const r of records) {
    const coverage = r.coverage === null ? '—' : `${(r.coverage * 100).toFixed(0)}%`;
    lines.push(
      `${r.metric.padEnd(metricWidth)}  ${scopeText(r).padEnd(scopeWidth)}  ${formatValue(r.value, r.unit).padStart(16)}  ${coverage.padStart(8)}  ${r.reason ?? ''}`.trimEnd(),
    );
  }
  return lines.join('\n');
}

function scopeFrom(options: { location?: string; provider?: string }): Scope {
  if (options.provider !== undefined) {
    return { kind: 'provider', providerId: options.provider, locationId: options.location ?? null };
  }
  if (options.location !== undefined) return { kind: 'location', locationId: options.location };
  return { kind: 'portfolio' };
}

export async function runTrace(
  config: CliConfig,
  metric: string,
  options: { period: string; location?: string; provider?: string; json: boolean; asOf?: string },
  out: (text: string) => void,
): Promise<number> {
  return withMetrics(config, options, async (ctx, store) => {
    const scope = scopeFrom(options);
    const answer = computeMetric(ctx, metric, scope, options.period);
    if (!answer.ok) throw new UsageError(answer.error.message);
    const value = answer.value;
    const definition = metricById(metric);
    const sources = [];
    for (const query of definition ? sourceQueriesFor(ctx, definition, scope, value.period) : []) {
      sources.push(...(await store.sourceRecords(config.tenant, query)));
    }
    if (options.json) {
      out(JSON.stringify({ ...value, definition: definition?.definition, sources }, null, 2));
      return 0;
    }
    const lines = [
      `${value.metric} — ${definition?.label ?? ''}`,
      `  scope:      ${scopeText({ location_id: scope.kind === 'portfolio' ? null : scope.locationId, provider_id: scope.kind === 'provider' ? scope.providerId : null } as MetricRecord)}`,
      `  period:     ${value.period.label} (${value.period.start} … ${value.period.end})`,
      `  value:      ${formatValue(value.value, value.unit)}${value.reason ? ` — ${value.reason}` : ''}`,
      `  coverage:   ${value.coverage === null ? '—' : `${(value.coverage * 100).toFixed(1)}% of operating days have data`}`,
      `  definition: ${definition?.definition ?? ''}`,
      `  formula:    ${value.formula}`,
      ...value.operands.map((o) => `    ${o.name} = ${formatValue(o.value, o.unit)}`),
      '  source records:',
      ...(sources.length === 0
        ? ['    (none)']
        : sources.map(
            (s) =>
              `    ${s.file} (ingest #${s.ingest_id}): ${s.rows.toLocaleString('en-US')} row${s.rows === 1 ? '' : 's'}, e.g. rows ${s.sample_rows.slice(0, 10).join(', ')}${s.rows > 10 ? ', …' : ''}`,
          )),
    ];
    out(lines.join('\n'));
    return 0;
  });
}

export async function runBenchmark(
  config: CliConfig,
  metric: string,
  options: { period: string; location: string; cohort: string; json: boolean; asOf?: string },
  out: (text: string) => void,
): Promise<number> {
  const cohort = options.cohort === '' ? [] : options.cohort.split(',').map((c) => c.trim());
  const unknown = cohort.filter((c) => !(COHORT_ATTRIBUTES as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new UsageError(`--cohort ${unknown.join(', ')}: expected some of ${COHORT_ATTRIBUTES.join(', ')}`);
  }
  return withMetrics(config, options, (ctx) => {
    const answer = benchmark(ctx, metric, options.location, options.period, cohort as CohortAttribute[]);
    if (!answer.ok) throw new UsageError(answer.error.message);
    const b = answer.value;
    if (options.json) {
      out(JSON.stringify(b, null, 2));
      return Promise.resolve(0);
    }
    const unit = metricById(metric)?.unit ?? 'count';
    const cohortText = (c: { attributes: Record<string, string | undefined>; size: number }) =>
      `${
        Object.entries(c.attributes)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || 'whole portfolio'
      } (${c.size} locations)`;
    const lines = [
      `${metric} at ${b.location_id}, ${b.period}: ${formatValue(b.value, unit)}`,
      `  cohort: ${cohortText(b.cohort)}`,
    ];
    if (b.shown && b.peers) {
      lines.push(
        `  percentile: ${b.percentile?.toFixed(1)} (100 = best)`,
        `  peers: p25 ${formatValue(b.peers.p25, unit)}, median ${formatValue(b.peers.median, unit)}, p75 ${formatValue(b.peers.p75, unit)}`,
      );
    } else {
      lines.push(`  not shown: ${b.reason ?? ''}`);
      if (b.wider_cohort) lines.push(`  next wider cohort: ${cohortText(b.wider_cohort)}`);
      if (b.reference) {
        const r = b.reference;
        const range = (name: string, x?: readonly [number, number]) => (x ? `${name} ${x[0]}–${x[1]}` : null);
        lines.push(
          `  ${r.label}: ${[range('average', r.average), range('top', r.top), range('healthy', r.healthy)].filter(Boolean).join('; ')}`,
        );
      }
    }
    out(lines.join('\n'));
    return Promise.resolve(0);
  });
}
