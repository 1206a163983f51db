import { openMetricsAsReported } from '../../shared/metrics/asReported';
import {
  type BenchmarkAnswer,
  benchmarkOrWider,
  COHORT_ATTRIBUTES,
  cohortFromText,
} from '../../shared/metrics/benchmarks';
import { metricById, similarMetricIds } from '../../shared/metrics/catalog';
import { computeMetric, resolvePeriodText } from '../../shared/metrics/computeMetric';
import { sourceQueriesFor } from '../../shared/metrics/lineage';
import {
  DEFAULT_SETTINGS,
  type MetricContext,
  type MetricSettings,
} from '../../shared/metrics/metricContext';
import { listMetricValues, type MetricRecord } from '../../shared/metrics/metricListing';
import type { MetricUnit } from '../../shared/metrics/metricValue';
import { openMetrics } from '../../shared/metrics/openMetrics';
import type { Scope } from '../../shared/metrics/scope';
import { isYearMonth } from '../../shared/model/localDate';
import type { ResolvedPeriod } from '../../shared/periods/period';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { type CliConfig, UsageError } from '../config';
import { csvLines, type OutputFormat, outputFormat, printable, unknownIdMessage } from '../outputFormats';
import { createProgress } from '../progress';

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a';
  if (unit === 'usd') {
    const sign = value < 0 ? '-' : '';
    return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'hours') return `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} h`;
  if (unit === 'minutes') return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} min`;
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
  options: { format: OutputFormat; asOf?: string },
  run: (ctx: Awaited<ReturnType<typeof openMetrics>>, store: SqliteStore) => Promise<T>,
): Promise<T> {
  const settings = settingsFor(options.asOf);
  const store = SqliteStore.open(config.storeFile);
  const progress = createProgress(
    'Refreshing aggregates',
    'items',
    options.format === 'table' && process.stderr.isTTY,
  );
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
  /** `--format`; `--json` is `--format json`. */
  format?: string;
  json?: boolean;
  asOf?: string;
  /** An ingest id or a date: the figures as they stood right after that ingest. */
  asReportedAt?: string;
}

const errLine = (text: string) => process.stderr.write(`${text}\n`);

export async function runMetrics(
  config: CliConfig,
  options: MetricsListingOptions,
  out: (text: string) => void,
  err: (text: string) => void = errLine,
): Promise<number> {
  const format = outputFormat(options);
  if (options.asReportedAt !== undefined) {
    return runMetricsAsReported(config, { ...options, asReportedAt: options.asReportedAt }, format, out, err);
  }
  return withMetrics(
    config,
    { format, ...(options.asOf === undefined ? {} : { asOf: options.asOf }) },
    (ctx) => {
      const { records, period } = listing(ctx, options);
      if (format === 'json') out(JSON.stringify(records, null, 2));
      else if (format === 'csv') out(metricsCsv(ctx, records, period));
      else out(formatRecords(records, { names: namesOf(ctx), period }));
      return Promise.resolve(0);
    },
  );
}

/**
 * `caliper metrics --as-reported-at INGEST|DATE`: the listing as it stood right after that
 * ingest, computed from the facts of then; the stored (current) aggregates are neither read nor
 * refreshed.
 */
async function runMetricsAsReported(
  config: CliConfig,
  options: MetricsListingOptions & { asReportedAt: string },
  format: OutputFormat,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const settings = settingsFor(options.asOf);
  const store = SqliteStore.open(config.storeFile);
  try {
    const opened = await openMetricsAsReported(store, config.tenant, options.asReportedAt, settings);
    if (!opened.ok) {
      throw new UsageError(`--as-reported-at ${JSON.stringify(options.asReportedAt)}: ${opened.message}`);
    }
    const { records, period } = listing(opened.ctx, options);
    const { ingest } = opened;
    const asReported = `As reported at ingest #${ingest.ingest_id}, committed ${ingest.finished_at}`;
    if (format === 'json') out(JSON.stringify({ as_reported: ingest, records }, null, 2));
    else if (format === 'csv') {
      // The CSV stays one table; which ingest it stands at goes to stderr, as calllist's notes do.
      err(`# ${asReported}`);
      out(metricsCsv(opened.ctx, records, period));
    } else out(`${asReported}:\n${formatRecords(records, { names: namesOf(opened.ctx), period })}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The listing, after every id typed was checked ("did you mean" for one that is unknown). */
function listing(
  ctx: MetricContext,
  options: MetricsListingOptions,
): { records: MetricRecord[]; period: ResolvedPeriod } {
  const period = resolvePeriodText(ctx, options.period);
  if (!period.ok) throw new UsageError(period.error.message);
  checkIds(ctx, options);
  const listed = listMetricValues(ctx, options.period, {
    ...(options.metric === undefined ? {} : { metric: options.metric }),
    ...(options.location === undefined ? {} : { locationId: options.location }),
  });
  if (!listed.ok) throw new UsageError(listed.error.message);
  return { records: listed.records, period: period.period };
}

/** Each id typed (metric, location, provider) is known, or a usage error names the close ones. */
function checkIds(ctx: MetricContext, ids: { metric?: string; location?: string; provider?: string }): void {
  if (ids.metric !== undefined && metricById(ids.metric) === undefined) {
    throw new UsageError(
      `Unknown metric ${JSON.stringify(ids.metric.slice(0, 200))}; did you mean ${similarMetricIds(ids.metric).join(', ')}?`,
    );
  }
  if (ids.location !== undefined && ctx.location(ids.location) === undefined) {
    const candidates = ctx.data.locations.map((l) => ({ id: l.location_id, names: [l.name] }));
    throw new UsageError(unknownIdMessage('location', ids.location, candidates));
  }
  if (
    ids.provider !== undefined &&
    ctx.locationIdsOf({ kind: 'provider', providerId: ids.provider, locationId: null }).length === 0
  ) {
    const names = namesOf(ctx);
    const known = new Set([...ctx.data.providers.map((p) => p.provider_id), ...ctx.data.daily.providers()]);
    const candidates = [...known].map((id) => {
      const name = names.provider(id);
      return { id, names: name === undefined ? [] : [name] };
    });
    throw new UsageError(unknownIdMessage('provider', ids.provider, candidates));
  }
}

/** Names of locations and providers, for people. */
export interface Names {
  location(id: string): string | undefined;
  provider(id: string): string | undefined;
}

function namesOf(ctx: MetricContext): Names {
  const providers = new Map<string, string>();
  for (const p of ctx.data.providers)
    if (!providers.has(p.provider_id)) providers.set(p.provider_id, p.display_name);
  return { location: (id) => ctx.location(id)?.name, provider: (id) => providers.get(id) };
}

const METRICS_CSV_HEADER = [
  'metric_id',
  'label',
  'scope',
  'location_id',
  'location_name',
  'provider_id',
  'period',
  'start',
  'end',
  'value',
  'unit',
  'coverage',
  'reason',
] as const;

/**
 * The listing as CSV: one row per record of `--json`, in its order, with the same values. The
 * scope is portfolio, location, provider (at the row's location) or provider_all_locations (the
 * provider across all of their locations: for a provider at one location, the same figures as
 * their row there).
 */
export function metricsCsv(
  ctx: MetricContext,
  records: readonly MetricRecord[],
  period: ResolvedPeriod,
): string {
  const rows = records.map((r) => [
    r.metric,
    metricById(r.metric)?.label ?? '',
    r.provider_id === null
      ? r.location_id === null
        ? 'portfolio'
        : 'location'
      : r.location_id === null
        ? 'provider_all_locations'
        : 'provider',
    r.location_id,
    r.location_id === null ? null : (ctx.location(r.location_id)?.name ?? null),
    r.provider_id,
    r.period,
    period.start,
    period.end,
    r.value,
    r.unit,
    r.coverage,
    r.reason ?? null,
  ]);
  return csvLines([METRICS_CSV_HEADER, ...rows]);
}

/** `Portfolio`, `L1 · North Dallas`, `provider PR1 · Smith, Jane NP at L1 · North Dallas`. */
function traceScopeText(scope: Scope, names: Names): string {
  const named = (id: string, name: string | undefined) =>
    name === undefined ? id : `${id} · ${printable(name)}`;
  if (scope.kind === 'portfolio') return 'Portfolio';
  const location =
    scope.locationId === null ? 'all locations' : named(scope.locationId, names.location(scope.locationId));
  if (scope.kind === 'location') return location;
  return `provider ${named(scope.providerId, names.provider(scope.providerId))} at ${location}`;
}

interface Section {
  title: string;
  /** Sort key: portfolio, locations in the order given, then providers by id. */
  order: [number, string, number];
  records: MetricRecord[];
}

function coverageText(coverage: number | null): string {
  return coverage === null ? '—' : `${Math.round(coverage * 100)}%`;
}

/**
 * The listing for people: a section per scope — the portfolio, each location by name, each
 * provider at each of their locations — with the metrics' labels, values by unit, and "—" with
 * the reason where there is no value. A provider across all their locations is shown only when
 * they work at more than one (for one it is the same figures as their row at that location).
 */
export function formatRecords(
  records: readonly MetricRecord[],
  context: { names?: Names; period?: ResolvedPeriod } = {},
): string {
  if (records.length === 0) return 'No metric values.';
  const names = context.names ?? { location: () => undefined, provider: () => undefined };
  const locationText = (id: string) => {
    const name = names.location(id);
    return name === undefined ? id : `${id} · ${printable(name)}`;
  };
  const providerText = (id: string) => {
    const name = names.provider(id);
    return name === undefined ? `Provider ${id}` : `Provider ${id} · ${printable(name)}`;
  };
  const providerLocations = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.provider_id === null || r.location_id === null) continue;
    const set = providerLocations.get(r.provider_id) ?? new Set<string>();
    set.add(r.location_id);
    providerLocations.set(r.provider_id, set);
  }
  const locationOrder = new Map<string, number>();
  for (const r of records) {
    if (r.location_id !== null && !locationOrder.has(r.location_id)) {
      locationOrder.set(r.location_id, locationOrder.size);
    }
  }
  const sections = new Map<string, Section>();
  for (const r of records) {
    let key: string;
    let title: string;
    let order: Section['order'];
    if (r.provider_id === null && r.location_id === null) {
      [key, title, order] = ['portfolio', 'Portfolio', [0, '', 0]];
    } else if (r.provider_id === null) {
      const at = r.location_id ?? '';
      [key, title, order] = [`location:${at}`, locationText(at), [1, '', locationOrder.get(at) ?? 0]];
    } else if (r.location_id !== null) {
      key = `provider:${r.provider_id}@${r.location_id}`;
      title = `${providerText(r.provider_id)} — at ${locationText(r.location_id)}`;
      order = [2, r.provider_id, locationOrder.get(r.location_id) ?? 0];
    } else {
      const theirs = [...(providerLocations.get(r.provider_id) ?? [])];
      // One location: the same figures as the provider's row there; none listed: keep it.
      if (theirs.length === 1) continue;
      key = `provider:${r.provider_id}@*`;
      title =
        theirs.length === 0
          ? `${providerText(r.provider_id)} — all locations`
          : `${providerText(r.provider_id)} — all locations (${theirs.join(', ')})`;
      order = [2, r.provider_id, Number.MAX_SAFE_INTEGER];
    }
    const section = sections.get(key) ?? { title, order, records: [] };
    section.records.push(r);
    sections.set(key, section);
  }
  const sorted = [...sections.values()].sort(
    (a, b) => a.order[0] - b.order[0] || a.order[1].localeCompare(b.order[1]) || a.order[2] - b.order[2],
  );
  const shown = sorted.flatMap((s) => s.records);
  const label = (r: MetricRecord) => printable(metricById(r.metric)?.label ?? r.metric);
  const value = (r: MetricRecord) => (r.value === null ? '—' : formatValue(r.value, r.unit));
  const labelWidth = Math.max(6, ...shown.map((r) => label(r).length));
  const idWidth = Math.max(2, ...shown.map((r) => r.metric.length));
  const valueWidth = Math.max(5, ...shown.map((r) => value(r).length));
  const line = (cells: [string, string, string, string, string]) =>
    `  ${cells[0].padEnd(labelWidth)}  ${cells[1].padEnd(idWidth)}  ${cells[2].padStart(valueWidth)}  ${cells[3].padStart(8)}  ${cells[4]}`.trimEnd();
  const period = context.period;
  const lines = [
    period === undefined
      ? `Metrics for ${records[0]?.period ?? ''}`
      : `Metrics for ${period.label} (${period.start} … ${period.end})`,
    line(['metric', 'id', 'value', 'coverage', 'note']),
  ];
  for (const section of sorted) {
    lines.push('', section.title);
    const first = section.records[0];
    if (
      section.records.length > 1 &&
      first !== undefined &&
      section.records.every((r) => r.value === null && r.reason !== undefined && r.reason === first.reason)
    ) {
      // A closed location, a provider without data: one line, not the same reason for every metric.
      lines.push(
        `  — no value for any of the ${section.records.length} metrics: ${printable(first.reason ?? '')}`,
      );
      continue;
    }
    for (const r of section.records) {
      const note = r.value === null ? (r.reason ?? 'no value') : (r.reason ?? '');
      lines.push(line([label(r), r.metric, value(r), coverageText(r.coverage), printable(note)]));
    }
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
  options: {
    period: string;
    location?: string;
    provider?: string;
    format?: string;
    json?: boolean;
    asOf?: string;
  },
  out: (text: string) => void,
): Promise<number> {
  const format = outputFormat(options);
  return withMetrics(config, { ...options, format }, async (ctx, store) => {
    const scope = scopeFrom(options);
    const period = resolvePeriodText(ctx, options.period);
    if (!period.ok) throw new UsageError(period.error.message);
    checkIds(ctx, { metric, ...options });
    const answer = computeMetric(ctx, metric, scope, options.period);
    if (!answer.ok) throw new UsageError(answer.error.message);
    const value = answer.value;
    const definition = metricById(metric);
    const sources = [];
    for (const query of definition ? sourceQueriesFor(ctx, definition, scope, value.period) : []) {
      sources.push(...(await store.sourceRecords(config.tenant, query)));
    }
    if (format === 'json') {
      out(JSON.stringify({ ...value, definition: definition?.definition, sources }, null, 2));
      return 0;
    }
    if (format === 'csv') {
      // The value as a row of `caliper metrics --format csv`; the lineage is the table's and json's.
      const record: MetricRecord = {
        metric: value.metric,
        period: value.period.label,
        location_id: scope.kind === 'portfolio' ? null : scope.locationId,
        provider_id: scope.kind === 'provider' ? scope.providerId : null,
        value: value.value,
        unit: value.unit,
        coverage: value.coverage,
        ...(value.reason === undefined ? {} : { reason: value.reason }),
      };
      out(metricsCsv(ctx, [record], value.period));
      return 0;
    }
    const lines = [
      `${value.metric} — ${definition?.label ?? ''}`,
      `  scope:      ${traceScopeText(scope, namesOf(ctx))}`,
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
  options: {
    period: string;
    location: string;
    cohort: string;
    format?: string;
    json?: boolean;
    asOf?: string;
  },
  out: (text: string) => void,
): Promise<number> {
  const format = outputFormat(options);
  const read = cohortFromText(options.cohort);
  if (!read.ok) {
    throw new UsageError(
      `--cohort ${read.unknown.join(', ')}: expected some of ${COHORT_ATTRIBUTES.join(', ')}, or portfolio`,
    );
  }
  const cohort = read.cohort;
  return withMetrics(config, { ...options, format }, (ctx) => {
    const period = resolvePeriodText(ctx, options.period);
    if (!period.ok) throw new UsageError(period.error.message);
    checkIds(ctx, { metric, location: options.location });
    const answer = benchmarkOrWider(ctx, metric, options.location, options.period, cohort);
    if (!answer.ok) throw new UsageError(answer.error.message);
    const b = answer.value;
    if (format === 'json') {
      out(JSON.stringify(b, null, 2));
      return Promise.resolve(0);
    }
    if (format === 'csv') {
      out(benchmarkCsv(ctx, b, period.period));
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
    if (b.asked_cohort)
      lines.push(`  (asked: ${cohortText(b.asked_cohort)}: too small, ranked in the wider cohort)`);
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

const BENCHMARK_CSV_HEADER = [
  'metric_id',
  'label',
  'location_id',
  'location_name',
  'period',
  'start',
  'end',
  'value',
  'unit',
  'cohort',
  'cohort_size',
  'shown',
  'percentile',
  'p25',
  'median',
  'p75',
  'reason',
] as const;

/** A benchmark as one CSV row, with the same numbers as `--json`. */
export function benchmarkCsv(ctx: MetricContext, b: BenchmarkAnswer, period: ResolvedPeriod): string {
  const cohort = Object.entries(b.cohort.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  return csvLines([
    BENCHMARK_CSV_HEADER,
    [
      b.metric,
      metricById(b.metric)?.label ?? '',
      b.location_id,
      ctx.location(b.location_id)?.name ?? null,
      b.period,
      period.start,
      period.end,
      b.value,
      metricById(b.metric)?.unit ?? null,
      cohort,
      b.cohort.size,
      b.shown ? 'true' : 'false',
      b.percentile,
      b.peers?.p25 ?? null,
      b.peers?.median ?? null,
      b.peers?.p75 ?? null,
      b.reason ?? null,
    ],
  ]);
}
