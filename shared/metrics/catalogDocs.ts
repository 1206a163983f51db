import { ACCEPTED_PERIOD_FORMS } from '../periods/period';
import { COHORT_ATTRIBUTES, MIN_COHORT_SIZE } from './benchmarks';
import { METRICS } from './catalog';
import { ABSENT_FACTS_RULE } from './factCoverage';
import { DEFAULT_SETTINGS } from './metricContext';
import type { MetricFamily } from './metricDefinition';
import { ROUNDING_RULE } from './metricValue';
import { REFERENCE_RANGE_LABEL, REFERENCE_RANGES } from './referenceRanges';

const FAMILY_TITLES: Record<MetricFamily, string> = {
  revenue: 'Revenue',
  same_store: 'Same-store growth',
  providers: 'Providers',
  scheduling: 'Scheduling',
  patients: 'Patients',
  membership: 'Membership',
  acquisition: 'Acquisition',
  gaps: 'Gap dollars',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/metrics.md, generated from the catalog so the documentation never drifts from the code. */
export function renderMetricCatalog(): string {
  const lines = [
    '# Caliper metric catalog',
    '',
    '<!-- Generated from shared/metrics/catalog.ts by `npm run docs:metrics`; a test fails when it is stale. -->',
    '',
    'The contract is `../shared/docs/metrics.md`; this page lists every metric Caliper computes, with',
    'the choices the contract leaves open stated in each definition. Money is reported in dollars',
    'rounded to the cent (computed in cents), ratios as fractions, counts as integers. A value whose',
    'denominator is zero or whose facts are absent is `null` with a reason — never 0. Every value',
    'carries its coverage: the share of the scope’s operating days (opened_on … closed_on) that the',
    'data covers (between each location’s first and last sale line), over the dates the metric reads —',
    'P itself, or more where its definition reads more: the trailing 12 months (active patients, VIP',
    'share), 24 months (retention), the prior year (same-store), the days after P (rebooking, lead',
    'booking and conversion) or through the as-of month (return rates, second visits, 12-month LTV).',
    'The trace lists the source rows of those same dates.',
    '',
    '## Money and rounding',
    '',
    `${ROUNDING_RULE}. A figure derived from a reported amount uses it as reported: provider_contribution is provider_production − the reported provider_compensation, and comp_to_production_ratio and provider_comp_gap_dollars start from the reported compensation, so the figures foot to the cent.`,
    '',
    '## Absent facts: null, never 0',
    '',
    `${ABSENT_FACTS_RULE}.`,
    '',
    '## Periods',
    '',
    'Every metric is asked for a period, in the API, the CLI and `=CALIPER.*` alike. Accepted forms:',
    '',
    ...ACCEPTED_PERIOD_FORMS.map((form) => `- ${form}`),
    '',
    'The as-of month is the latest month for which every included location has complete data.',
    'Relative forms (`FY0`, `FY-1`, `LTM-1`, `YTD-1`) count back from it, so a roll-forward template',
    'keeps working as new months arrive. In Excel, a date given as the period means the twelve',
    'months ending with its month (`LTM@YYYY-MM`).',
    '',
  ];
  for (const [family, title] of Object.entries(FAMILY_TITLES)) {
    const metrics = METRICS.filter((m) => m.family === family);
    if (metrics.length === 0) continue;
    lines.push(`## ${title}`, '', '| id | unit | scopes | better | definition |', '|---|---|---|---|---|');
    for (const m of metrics) {
      const better = m.direction === 'none' ? '—' : m.direction;
      lines.push(`| \`${m.id}\` | ${m.unit} | ${m.scopes.join(', ')} | ${better} | ${cell(m.definition)} |`);
    }
    lines.push('');
  }
  const t = DEFAULT_SETTINGS.targets;
  lines.push(
    '## Targets (tenant settings)',
    '',
    `Gap dollars measure the distance to these targets (defaults: the midpoints of the top reference ranges): rebooking ${t.rebooking_rate}, capacity utilization ${t.capacity_utilization}, no-show ${t.no_show_rate}, comp-to-production ${t.comp_to_production_ratio}, patient retention ${t.patient_retention_12m}. Fiscal years start in month ${DEFAULT_SETTINGS.fiscalYearStartMonth} unless the tenant sets another.`,
    '',
    '## Benchmarks and cohorts',
    '',
    `A location is ranked among the peer locations that share the chosen attributes (${COHORT_ATTRIBUTES.join(', ')}):`,
    'size band by net revenue over the twelve months ending at the period’s last month (<$1M, $1–3M, $3–6M, >$6M),',
    'region, dominant category (largest share of service revenue over the same months) and age band (years open at',
    'the period’s end: <2, 2–5, 5+). The rank is Excel’s PERCENTRANK.INC × 100 turned so that 100 is the best',
    `value (for metrics where lower is better, the lowest). A cohort with fewer than ${MIN_COHORT_SIZE} locations that have a value is`,
    'never shown; the answer names the next wider cohort (dropping the last attribute asked for first) and, when',
    `even the whole portfolio is too small, the ${REFERENCE_RANGE_LABEL}:`,
    '',
    '| metric | average | top | healthy |',
    '|---|---|---|---|',
    ...Object.entries(REFERENCE_RANGES).map(([id, r]) => {
      const range = (x?: readonly [number, number]) => (x ? `${x[0]}–${x[1]}` : '—');
      return `| \`${id}\` | ${range(r.average)} | ${range(r.top)} | ${range(r.healthy)} |`;
    }),
    '',
  );
  return lines.join('\n');
}
