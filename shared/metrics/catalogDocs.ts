import { ACCEPTED_PERIOD_FORMS, parsePeriodOrThrow, resolvePeriod } from '../periods/period';
import { COHORT_ATTRIBUTES, MIN_COHORT_SIZE } from './benchmarks';
import { METRICS } from './catalog';
import { plainDefinition } from './catalogPlain';
import { ABSENT_FACTS_RULE } from './factCoverage';
import { FAMILY_TITLES } from './familyTitles';
import { DEFAULT_SETTINGS } from './metricContext';
import { ROUNDING_RULE } from './metricValue';
import { REFERENCE_RANGE_LABEL, REFERENCE_RANGES } from './referenceRanges';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The as-of month of the examples in the periods table. */
const EXAMPLE_AS_OF = '2026-10';

interface PeriodRow {
  /** Written as the user types it; its first spelling is resolved for the example columns. */
  form: string;
  meaning: string;
  ciq: string;
  factset: string;
}

/**
 * The periods table: every form, what it means, its resolution at the example as-of month for a
 * fiscal year starting in January and one starting in July (computed by resolvePeriod, so the
 * examples cannot drift from the code), and the nearest Capital IQ and FactSet requests.
 */
const PERIOD_ROWS: readonly PeriodRow[] = [
  {
    form: '2025-09, Sep-25, Sep 2025, September 2025',
    meaning: 'calendar month (a two-digit year is 20yy)',
    ciq: '—',
    factset: '—',
  },
  {
    form: '2025-Q3, 2025Q3, 2025 Q3, Q3 2025, Q3-2025, 3Q25',
    meaning: 'calendar quarter',
    ciq: '—',
    factset: '—',
  },
  { form: '2025, CY2025', meaning: 'calendar year', ciq: '—', factset: '—' },
  {
    form: 'FY2025, FY 2025',
    meaning: 'fiscal year named by the calendar year it ends in',
    ciq: 'FY2025',
    factset: '—',
  },
  {
    form: 'FY2027-Q1, FY2027 Q1, Q1 FY2027, FQ1 2027',
    meaning:
      'quarter 1 of fiscal year 2027; fiscal quarters are 3-month blocks from the fiscal year’s first month',
    ciq: '—',
    factset: '—',
  },
  {
    form: 'FY0',
    meaning:
      'the latest completed fiscal year: the last one ending on or before the end of the as-of month (never a part-year)',
    ciq: 'FY0 (latest reported fiscal year): same',
    factset: '0 (ANN): same',
  },
  {
    form: 'FY-1',
    meaning: 'the fiscal year before FY0 (FY-n: n years before it)',
    ciq: 'FY-1: same',
    factset: '-1 (ANN): same',
  },
  {
    form: 'FY1',
    meaning:
      'the fiscal year containing the as-of month, to the end of the as-of month (as YTD), labelled “(to YYYY-MM)”; when the as-of month closes the year it is the whole year, equal to FY0',
    ciq: 'FY1 is the next, unreported year (an estimate); Caliper has no estimates and gives the actuals to date',
    factset: '+1 is the next, unreported year (an estimate)',
  },
  {
    form: 'FQ0',
    meaning: 'the latest completed fiscal quarter',
    ciq: 'FQ0 (latest reported fiscal quarter): same',
    factset: '0 (QTR): same',
  },
  {
    form: 'FQ-1',
    meaning: 'the fiscal quarter before FQ0 (FQ-n: n quarters before it)',
    ciq: 'FQ-1: same',
    factset: '-1 (QTR): same',
  },
  {
    form: 'FQ1',
    meaning: 'the fiscal quarter containing the as-of month, to date (as QTD), labelled “(to YYYY-MM)”',
    ciq: 'FQ1 is the next quarter’s estimate',
    factset: '+1 is the next quarter’s estimate',
  },
  { form: 'CY0', meaning: 'the latest completed calendar year', ciq: '—', factset: '—' },
  { form: 'CY-1', meaning: 'the calendar year before CY0 (CY-n: n years before it)', ciq: '—', factset: '—' },
  { form: 'CY1', meaning: 'the calendar year containing the as-of month, to date', ciq: '—', factset: '—' },
  { form: 'CQ0', meaning: 'the latest completed calendar quarter', ciq: '—', factset: '—' },
  {
    form: 'CQ-1',
    meaning: 'the calendar quarter before CQ0 (CQ-n: n quarters before it)',
    ciq: '—',
    factset: '—',
  },
  {
    form: 'CQ1',
    meaning: 'the calendar quarter containing the as-of month, to date',
    ciq: '—',
    factset: '—',
  },
  {
    form: 'M0',
    meaning: 'the as-of month: the latest month every open location has complete data for',
    ciq: '—',
    factset: '—',
  },
  { form: 'M-1', meaning: 'the month before M0 (M-n: n months before it)', ciq: '—', factset: '—' },
  {
    form: 'LTM',
    meaning: 'the twelve months ending with the as-of month',
    ciq: 'LTM ends at the latest reported quarter',
    factset: 'LTM ends at the latest reported quarter',
  },
  {
    form: 'LTM-1',
    meaning: 'the twelve months ending a year before the as-of month (LTM-n: n years; LTM-1Y is the same)',
    ciq: '— (Caliper’s LTM-n counts years; LTM-nQ / LTM-nM count quarters / months)',
    factset: '—',
  },
  {
    form: 'LTM-3M',
    meaning: 'the twelve months ending 3 months before the as-of month',
    ciq: '—',
    factset: '—',
  },
  {
    form: 'LTM-1Q',
    meaning: 'the twelve months ending a quarter (3 months) before the as-of month',
    ciq: '—',
    factset: '—',
  },
  { form: 'YTD', meaning: 'fiscal year to date at the as-of month', ciq: '—', factset: '—' },
  { form: 'QTD', meaning: 'fiscal quarter to date at the as-of month', ciq: '—', factset: '—' },
  { form: 'MTD', meaning: 'the as-of month', ciq: '—', factset: '—' },
  {
    form: 'YTD-1',
    meaning: 'fiscal year to date a year before the as-of month (YTD-n: n years)',
    ciq: '—',
    factset: '—',
  },
  {
    form: 'LTM@2025-06, YTD@2025-06, QTD@2025-06, MTD@2025-06',
    meaning: 'the same windows ending at the named month',
    ciq: '—',
    factset: '—',
  },
  { form: '2025-01-01..2025-03-31', meaning: 'inclusive date range', ciq: '—', factset: '—' },
];

function examplePeriod(form: string, fiscalYearStartMonth: number): string {
  const resolved = resolvePeriod(parsePeriodOrThrow(form), {
    fiscalYearStartMonth,
    asOfMonth: EXAMPLE_AS_OF,
  });
  if (!resolved.success) throw new Error(resolved.error.message);
  const { label, start, end } = resolved.period;
  return `${label} (${start} … ${end})`;
}

function periodTable(): string[] {
  return [
    `| form | meaning | as of ${EXAMPLE_AS_OF}, fiscal year from January | as of ${EXAMPLE_AS_OF}, fiscal year from July | Capital IQ | FactSet |`,
    '|---|---|---|---|---|---|',
    ...PERIOD_ROWS.map((row) => {
      const first = row.form.split(', ')[0] ?? row.form;
      const forms = row.form
        .split(', ')
        .map((f) => `\`${f}\``)
        .join(', ');
      return `| ${forms} | ${cell(row.meaning)} | ${examplePeriod(first, 1)} | ${examplePeriod(first, 7)} | ${cell(row.ciq)} | ${cell(row.factset)} |`;
    }),
  ];
}

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
    'Every metric is asked for a period, in the API, the CLI and `=CALIPER.*` alike, in one grammar',
    '(`shared/periods/period.ts`), case-insensitive, spaces around it ignored. The as-of month is the latest',
    'month for which every included location has complete data. Relative forms (`FY0`, `FQ-1`, `M0`,',
    '`LTM-1`…) count from it, so a roll-forward template keeps working as new months arrive; a result’s',
    'label names what it covers (`FY2025`, `FY2027-Q1`, `LTM@2026-07`), and a period still running at the',
    'as-of month says so (`FY2026 (to 2026-10)`: such a label is for reading, not a period to type).',
    '`FY0` is the latest *completed* fiscal year, as in the finance plug-ins, so `FY0` against `FY-1` always',
    'compares two whole years (earlier versions made it the fiscal year containing the as-of month, a',
    'part-year). `LTM-n` counts years, as it always has; `LTM-nM` and `LTM-nQ` count months and quarters.',
    '',
    ...periodTable(),
    '',
    'Capital IQ and FactSet work on the periods a company has reported; Caliper’s “reported” period is the',
    'as-of month. The plug-in columns give their nearest request, “same” where it means what Caliper’s does.',
    '',
    'In Excel, a date (a date cell, or a number such as 45900) given as the period means the twelve months',
    'ending with its month (`LTM@YYYY-MM`): the add-in turns it into that text before the grammar sees it.',
    'The grammar itself takes no date serial numbers, so a number typed as text (`"45900"`) is refused with',
    'that hint, and a bare four-digit number is always a calendar year.',
    '',
    'A period that is not one of these is refused with a message that lists the accepted forms:',
    '',
    ...ACCEPTED_PERIOD_FORMS.map((form) => `- ${form}`),
    '',
  ];
  for (const [family, title] of Object.entries(FAMILY_TITLES)) {
    const metrics = METRICS.filter((m) => m.family === family);
    if (metrics.length === 0) continue;
    lines.push(
      `## ${title}`,
      '',
      '| id | unit | scopes | better | in plain words | definition |',
      '|---|---|---|---|---|---|',
    );
    for (const m of metrics) {
      const better = m.direction === 'none' ? '—' : m.direction;
      const plain = cell(plainDefinition(m.id) ?? '');
      lines.push(
        `| \`${m.id}\` | ${m.unit} | ${m.scopes.join(', ')} | ${better} | ${plain} | ${cell(m.definition)} |`,
      );
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
