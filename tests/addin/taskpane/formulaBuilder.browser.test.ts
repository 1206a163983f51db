/*
 * The formula builder in a real headless Chromium (tests/addin/support/paneHarness.ts): the
 * built pane over a store holding a 3-location, two-year demo, with the Excel stand-in
 * recording every write. For each of the 14 functions: pick its arguments, see the preview
 * appear and equal what the API answers for the same request (formatted by the pane's own
 * formatters), Insert, and find exactly that formula in the selected cell. An invalid period
 * shows the grammar's message and disables Insert. Screenshots at 350 and 800 px go to
 * test-artifacts/addin/.
 */
import type {
  BatchResponse,
  BenchmarkBody,
  CallListBody,
  CatalogEntry,
  ForecastBody,
  Portfolio,
  TraceBody,
} from '../../../addin/api/caliperClient';
import type { CaliperFunctionName } from '../../../addin/excel/formulas';
import { cohortName } from '../../../addin/functions/caliperFunctions';
import { excelDateSerial } from '../../../addin/functions/callListTable';
import { cellText, formattedNumber, serialDate } from '../../../addin/taskpane/formulaBuilder/previewText';
import { lastDayOfMonth } from '../../../shared/model/localDate';
import { parsePeriod } from '../../../shared/periods/period';
import { ingestCallListDemo } from '../../support/callListDemo';
import { hasChromium, openPane, type Pane } from '../support/paneHarness';

/** Two years, so same-store growth has a prior year. */
const DEMO = { locations: 3, years: 2, seed: 5, end: '2025-12' };
const NARROW = { width: 350, height: 1100 };
const WIDE = { width: 800, height: 1100 };
/** The stand-in's selected cell. */
const SELECTED = { sheet: 'Sheet1', address: 'B3' };

if (!hasChromium) console.warn('Skipping the formula builder browser test: no /usr/bin/chromium.');
const describeInBrowser = hasChromium ? describe : describe.skip;

const number = (value: number) => formattedNumber(value, { kind: 'number' });

describeInBrowser('the formula builder in a headless browser', () => {
  let pane: Pane;
  let portfolio: Portfolio;
  let location: Portfolio['locations'][number];

  /** One value of the API's batch, as the builder shows a single value of it. */
  async function batchValue(request: { metric: string; period: string; location?: string }): Promise<number> {
    const body = await pane.api<BatchResponse>('/api/metrics/batch', { requests: [request] });
    const result = body.results[0];
    if (result === undefined || 'error' in result || result.value === null) {
      throw new Error(`no value for ${JSON.stringify(request)}: ${JSON.stringify(result)}`);
    }
    return result.value;
  }

  const query = (params: Record<string, string | number>) =>
    `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;

  async function chooseFunction(fn: CaliperFunctionName) {
    const { page } = pane;
    await page.getByRole('combobox', { name: 'Function' }).click();
    await page.getByRole('option', { name: new RegExp(`^CALIPER\\.${fn} —`) }).click();
    await page
      .getByRole('combobox', { name: 'Function' })
      .getByText(`CALIPER.${fn}`, { exact: true })
      .waitFor();
  }

  async function chooseScope(kind: 'Portfolio' | 'Location' | 'Provider') {
    await pane.page.getByRole('radio', { name: kind }).check();
  }

  async function chooseFrom(label: string, option: string) {
    const { page } = pane;
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  async function chooseMetric(search: string, label: string) {
    const { page } = pane;
    await page.getByRole('textbox', { name: 'Search metrics' }).fill(search);
    await page
      .getByRole('listbox', { name: 'Metrics' })
      .getByRole('option', { name: label, exact: true })
      .click();
  }

  async function type(label: string, value: string) {
    await pane.page.getByRole('textbox', { name: label, exact: true }).fill(value);
  }

  /** The preview of `formula` once it is there: a single value's text, or the table's rows. */
  async function previewOf(formula: string): Promise<string | string[][]> {
    const { page } = pane;
    expect(await page.getByLabel('Formula', { exact: true }).textContent()).toBe(formula);
    const preview = page.locator(
      `section[aria-label="Preview"][data-formula="${formula.replace(/"/g, '\\"')}"]`,
    );
    await preview.waitFor({ timeout: 120_000 });
    const value = preview.locator('[data-preview-value]');
    if ((await value.count()) > 0) return (await value.textContent()) ?? '';
    return preview
      .locator('tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
  }

  /** Insert, then the stand-in must hold exactly the formula in the selected cell. */
  async function insertAndCheck(formula: string) {
    const { page } = pane;
    await page.getByRole('button', { name: 'Insert formula' }).click();
    await page.getByText(`Inserted in ${SELECTED.sheet}!${SELECTED.address}`).waitFor();
    expect((await pane.writes()).at(-1)).toEqual({
      op: 'formulas',
      sheet: SELECTED.sheet,
      address: SELECTED.address,
      data: [[formula]],
    });
    const cell = (await pane.sheet(SELECTED.sheet)).cells[SELECTED.address];
    expect(cell?.formula).toBe(formula);
  }

  beforeAll(async () => {
    pane = await openPane((t) => ingestCallListDemo(t, 't1', DEMO), NARROW);
    await pane.page.getByText('Tenant t1').waitFor();
    portfolio = await pane.api<Portfolio>('/api/portfolio');
    const first = portfolio.locations[0];
    if (first === undefined) throw new Error('the demo has no location');
    location = first;
    await pane.page.getByRole('tab', { name: 'Formula' }).click();
  }, 180_000);

  afterAll(async () => {
    await pane?.close();
  });

  it('KPI: a location’s net revenue in thousands, with the period’s dates', async () => {
    const { page } = pane;
    await chooseFunction('KPI');
    await chooseScope('Location');
    await chooseFrom('Location', location.name);
    await chooseMetric('money earned', 'Net revenue');
    await type('Period', 'LTM');
    const asOf = portfolio.periods.as_of_month ?? '';
    await page.getByText(/^Period → \w{3} \d{4} – \w{3} \d{4}$/).waitFor();
    await chooseFrom('Money in', 'Thousands (K)');
    const formula = `=CALIPER.KPI("${location.location_id}","net_revenue","LTM","units=K")`;
    const value = await batchValue({ metric: 'net_revenue', period: 'LTM', location: location.location_id });
    expect(await previewOf(formula)).toBe(formattedNumber(value / 1000, { kind: 'usd', units: 'K' }));
    expect(asOf).toMatch(/^\d{4}-\d{2}$/);
    await pane.screenshot('formula-builder-350');
    await insertAndCheck(formula);
  });

  it('refuses 2025-Q5 with the grammar’s message and disables Insert', async () => {
    const { page } = pane;
    await type('Period', '2025-Q5');
    const grammar = parsePeriod('2025-Q5');
    if (grammar.success) throw new Error('2025-Q5 parsed');
    await page.getByText(grammar.error.message.slice(0, 60)).waitFor();
    expect(await page.getByRole('button', { name: 'Insert formula' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Formula', { exact: true }).textContent()).toBe(
      'Complete the fields above to see the formula.',
    );
    await pane.screenshot('formula-builder-invalid-period-350');
    await type('Period', 'LTM');
    expect(await page.getByRole('button', { name: 'Insert formula' }).isDisabled()).toBe(false);
  });

  it('SERIES: the portfolio’s visits by quarter', async () => {
    await chooseFunction('SERIES');
    await chooseScope('Portfolio');
    await chooseMetric('visits', 'Visits');
    await type('From', '2025-01');
    await type('To', '2025-06');
    await chooseFrom('Step', 'Quarter');
    const formula = '=CALIPER.SERIES("PORTFOLIO","visits","2025-01","2025-06","grain=quarter")';
    const q1 = await batchValue({ metric: 'visits', period: '2025-Q1' });
    const q2 = await batchValue({ metric: 'visits', period: '2025-Q2' });
    expect(await previewOf(formula)).toEqual([
      ['Period', 'Visits'],
      ['2025-01-01', number(q1)],
      ['2025-04-01', number(q2)],
    ]);
    await insertAndCheck(formula);
  });

  it('SAMESTORE: the portfolio’s same-store revenue growth in 2025', async () => {
    await chooseFunction('SAMESTORE');
    await chooseScope('Portfolio');
    await type('Period', '2025');
    await chooseMetric('', 'Same-store revenue growth');
    const formula = '=CALIPER.SAMESTORE("PORTFOLIO","2025","same_store_revenue_growth")';
    const value = await batchValue({ metric: 'same_store_revenue_growth', period: '2025' });
    expect(await previewOf(formula)).toBe(formattedNumber(value, { kind: 'ratio' }));
    await insertAndCheck(formula);
  });

  it('SAMESTORESET: the comparable set of 2025', async () => {
    await chooseFunction('SAMESTORESET');
    await chooseScope('Portfolio');
    await type('Period', '2025');
    const formula = '=CALIPER.SAMESTORESET("PORTFOLIO","2025")';
    const trace = await pane.api<TraceBody>(
      `/api/trace${query({ metric: 'same_store_revenue_growth', period: '2025' })}`,
    );
    const comparable = (trace.details as { comparable?: string[] }).comparable ?? [];
    const rows = (await previewOf(formula)) as string[][];
    expect(rows[0]).toEqual(['Location ID', 'Name', 'Status', 'Reason']);
    expect(rows.slice(1, 1 + comparable.length).map((r) => [r[0], r[2]])).toEqual(
      comparable.slice(0, rows.length - 1).map((id) => [id, 'comparable']),
    );
    await insertAndCheck(formula);
  });

  it('PROVIDERS: the provider P&L of a location', async () => {
    await chooseFunction('PROVIDERS');
    await chooseFrom('Location', location.name);
    await type('Period', 'LTM');
    const formula = `=CALIPER.PROVIDERS("${location.location_id}","LTM")`;
    const first = portfolio.providers.find((p) => p.location_ids.includes(location.location_id));
    if (first === undefined) throw new Error('no provider at the location');
    const production = await pane.api<BatchResponse>('/api/metrics/batch', {
      requests: [
        {
          metric: 'provider_production',
          period: 'LTM',
          location: location.location_id,
          provider: first.provider_id,
        },
      ],
    });
    const result = production.results[0];
    const rows = (await previewOf(formula)) as string[][];
    expect(rows[0]?.slice(0, 3)).toEqual(['Provider ID', 'Provider', 'Provider production']);
    expect(rows[1]?.slice(0, 3)).toEqual([
      first.provider_id,
      first.display_name,
      result !== undefined && !('error' in result) && result.value !== null
        ? number(result.value)
        : 'no value',
    ]);
    await insertAndCheck(formula);
  });

  it('MEMBERSHIP: the MRR of a location alone', async () => {
    await chooseFunction('MEMBERSHIP');
    await chooseScope('Location');
    await chooseFrom('Location', location.name);
    await type('Period', 'LTM');
    await chooseFrom('Answer', 'mrr');
    const formula = `=CALIPER.MEMBERSHIP("${location.location_id}","LTM","field=mrr")`;
    const value = await batchValue({ metric: 'mrr', period: 'LTM', location: location.location_id });
    expect(await previewOf(formula)).toBe(formattedNumber(value, { kind: 'usd', units: '' }));
    await insertAndCheck(formula);
  });

  it('BENCHMARK: the peer cohort a location is ranked in', async () => {
    await chooseFunction('BENCHMARK');
    await chooseFrom('Location', location.name);
    await chooseMetric('ticket', 'Average ticket');
    await type('Period', 'LTM');
    await chooseFrom('Answer', 'cohort');
    const formula = `=CALIPER.BENCHMARK("${location.location_id}","avg_ticket","LTM","field=cohort")`;
    const body = await pane.api<BenchmarkBody>(
      `/api/benchmarks${query({ metric: 'avg_ticket', period: 'LTM', location: location.location_id })}`,
    );
    expect(await previewOf(formula)).toEqual([
      ['Cohort', 'Size'],
      [cohortName(body.cohort.attributes), number(body.cohort.size)],
    ]);
    await insertAndCheck(formula);
  });

  it('LOCATIONS: the portfolio’s locations', async () => {
    await chooseFunction('LOCATIONS');
    const formula = '=CALIPER.LOCATIONS()';
    const rows = (await previewOf(formula)) as string[][];
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual(
      portfolio.locations.slice(0, rows.length - 1).map((l) => [l.location_id, l.name]),
    );
    expect(rows[1]?.[4]).toBe(location.opened_on ?? '');
    await insertAndCheck(formula);
  });

  it('METRICS: the catalog, without its header row', async () => {
    await chooseFunction('METRICS');
    await chooseFrom('Header row', 'Left out');
    const formula = '=CALIPER.METRICS("headers=false")';
    const catalog = await pane.api<CatalogEntry[]>('/api/catalog');
    const rows = (await previewOf(formula)) as string[][];
    expect(rows.map((r) => r.slice(0, 2))).toEqual(catalog.slice(0, rows.length).map((m) => [m.id, m.label]));
    await insertAndCheck(formula);
  });

  it('TRACE: how a location’s visits of a quarter are computed', async () => {
    await chooseFunction('TRACE');
    await chooseScope('Location');
    await chooseFrom('Location', location.name);
    await chooseMetric('patient trips', 'Visits');
    await type('Period', '2025-Q3');
    const formula = `=CALIPER.TRACE("${location.location_id}","visits","2025-Q3")`;
    const trace = await pane.api<TraceBody>(
      `/api/trace${query({ metric: 'visits', period: '2025-Q3', location: location.location_id })}`,
    );
    const rows = (await previewOf(formula)) as string[][];
    expect(rows.find((r) => r[0] === 'value')).toEqual(['value', number(trace.value ?? Number.NaN)]);
    expect(rows.find((r) => r[0] === 'period')).toEqual(['period', trace.period.label]);
    // Excel holds the start as a date serial; the preview shows the date it stands for.
    expect(rows.find((r) => r[0] === 'start')).toEqual(['start', trace.period.start]);
    await insertAndCheck(formula);
  });

  it('CALLLIST: the ten patients to call first at a location', async () => {
    await chooseFunction('CALLLIST');
    await chooseScope('Location');
    await chooseFrom('Location', location.name);
    await type('Patients', '10');
    const formula = `=CALIPER.CALLLIST("${location.location_id}",10)`;
    const body = await pane.api<CallListBody>(
      `/api/calllist${query({ location: location.location_id, n: 10 })}`,
    );
    const rows = (await previewOf(formula)) as string[][];
    const first = body.rows[0];
    if (first === undefined) throw new Error('no patient to call');
    expect(rows[0]?.slice(0, 2)).toEqual(['Rank', 'Patient ID']);
    expect(rows[1]?.slice(0, 2)).toEqual(['1', first.patient_id]);
    expect(rows[1]?.[3]).toBe(serialDate(excelDateSerial(first.last_visit_on)));
    await insertAndCheck(formula);
  });

  it('FORECAST: three months of the portfolio', async () => {
    await chooseFunction('FORECAST');
    await chooseScope('Portfolio');
    await type('Months ahead', '3');
    const formula = '=CALIPER.FORECAST("PORTFOLIO",3)';
    const body = await pane.api<ForecastBody>(`/api/forecast${query({ months: 3 })}`);
    const month = body.months[0];
    if (month === undefined) throw new Error('no forecast month');
    const rows = (await previewOf(formula)) as string[][];
    expect(rows[0]?.slice(0, 2)).toEqual(['Month', 'Forecast']);
    expect(rows[1]?.slice(0, 2)).toEqual([`${month.month}-01`, number(month.total_cents / 100)]);
    await pane.screenshot('formula-builder-spill-350');
    await insertAndCheck(formula);
  });

  it('ASOF: the last day of the as-of month', async () => {
    await chooseFunction('ASOF');
    const formula = '=CALIPER.ASOF()';
    expect(await previewOf(formula)).toBe(lastDayOfMonth(portfolio.periods.as_of_month ?? ''));
    await insertAndCheck(formula);
  });

  it('PERIODS: the first month of data', async () => {
    await chooseFunction('PERIODS');
    await chooseFrom('Answer', 'first');
    const formula = '=CALIPER.PERIODS("field=first")';
    expect(await previewOf(formula)).toEqual([
      ['First month'],
      [`${portfolio.periods.first_month ?? ''}-01`],
    ]);
    await insertAndCheck(formula);
  });

  it('searches metrics by meaning and previews at 800 px too', async () => {
    const { page } = pane;
    await page.setViewportSize(WIDE);
    await chooseFunction('KPI');
    await chooseScope('Portfolio');
    await chooseMetric('churn', 'Membership churn rate');
    await type('Period', 'LTM');
    const listed = await page.getByRole('listbox', { name: 'Metrics' }).getByRole('option').count();
    expect(listed).toBeLessThan(5);
    const formula = '=CALIPER.KPI("PORTFOLIO","membership_churn_rate","LTM")';
    const value = await batchValue({ metric: 'membership_churn_rate', period: 'LTM' });
    expect(await previewOf(formula)).toBe(cellText(value, { kind: 'ratio' }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await pane.screenshot('formula-builder-800');
    await page.setViewportSize(NARROW);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(pane.pageErrors).toEqual([]);
  });
});
