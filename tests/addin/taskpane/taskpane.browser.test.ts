/*
 * The task pane in a real headless Chromium: the built bundle, served by the real local host
 * over a real store, with an Excel stand-in (tests/addin/support/excelStandIn.ts) that records
 * every write. Driven like a user at the narrowest pane width: connect → upload → overview →
 * formula builder → board pack → refresh → snapshot. Screenshots go to test-artifacts/addin/.
 */
import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { COMMAND_NAMES } from '../../../addin/commands/commands';
import { CALIPER_FUNCTIONS } from '../../../addin/functions/register';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { buildAddin } from '../../../scripts/build-addin';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';
import { zipFolder } from '../../support/zipFolder';
import { STAND_IN_VALUE, type StandInWindow } from '../support/excelStandIn';
import { standInScript } from '../support/standInScript';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'addin');
/** The narrowest task pane Excel opens. */
const PANE = { width: 320, height: 900 };

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`Skipping the task pane browser test: ${CHROMIUM} is absent (CI installs Debian's chromium).`);
}
const describeInBrowser = hasChromium ? describe : describe.skip;

describeInBrowser('the task pane in a headless browser', () => {
  let t: TestStore;
  let host: LocalHost;
  let key: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const writes = () => page.evaluate(() => (window as unknown as StandInWindow).__excelWrites);
  const model = () => page.evaluate(() => (window as unknown as StandInWindow).__excelModel());
  const sheet = async (name: string) => {
    const found = (await model()).find((s) => s.name === name);
    if (found === undefined) throw new Error(`no sheet ${name}`);
    return found;
  };
  const screenshot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    t = openTestStore();
    const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
    key = (await createKey(t.store, 't1', 'browser test')).key;
    const built = await buildAddin({ outDir: path.join(t.dir, 'addin'), functionsJson: false, entra: null });
    host = await startLocalHost({ port: 0, runtime, staticDir: built.outDir, corsOrigins: [] });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // Reduced motion: Fluent skips its tab-indicator animation, so screenshots show settled states.
    page = await browser.newPage({ viewport: PANE, reducedMotion: 'reduce' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The empty tenant's 404 on /api/portfolio is expected; anything else logged as an error is not.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    // Office.js comes from Microsoft's CDN in production; here the stand-in plays its part.
    await page.route('https://appsforoffice.microsoft.com/**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: '/* office.js: see excelStandIn.ts */' }),
    );
    await page.addInitScript({ content: await standInScript() });
    await page.goto(`${host.url}/taskpane.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    setRuntimeForTests(undefined);
    await t?.close();
  });

  it('registers every CALIPER function and ribbon command in the shared runtime', async () => {
    await page.getByRole('button', { name: 'Connect' }).waitFor();
    const associations = await page.evaluate(
      () =>
        (window as unknown as { __officeAssociations: { functions: string[]; actions: string[] } })
          .__officeAssociations,
    );
    expect(associations.functions).toEqual(Object.keys(CALIPER_FUNCTIONS));
    expect(associations.actions).toEqual([...COMMAND_NAMES]);
  });

  it('connects with the API URL and key, uploads a bundle and shows its data-quality report', async () => {
    // Built without Entra settings: API keys only.
    expect(await page.getByRole('button', { name: 'Sign in with Microsoft' }).count()).toBe(0);
    await page.getByLabel('API URL').fill(host.url);
    await page.getByLabel('API key').fill(key);
    await screenshot('1-connect');
    await page.getByRole('button', { name: 'Connect' }).click();
    // A tenant without data yet is taken straight to the upload.
    await page.getByText('Connected: no data yet').waitFor();
    expect(await page.getByRole('tab', { name: 'Upload' }).getAttribute('aria-selected')).toBe('true');
    await page.getByLabel('Export files (.zip, .csv or .json)').setInputFiles({
      name: 'north.zip',
      mimeType: 'application/zip',
      buffer: await zipFolder(fixture('north')),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Data-quality report').waitFor();
    await screenshot('2-upload-report');
    // Long file names wrap: nothing scrolls sideways at 320 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(
      await page.getByRole('table', { name: 'Files in the upload' }).getByRole('row').count(),
    ).toBeGreaterThan(1);
  });

  it('lists the uploaded locations with their freshness in the overview', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    const row = page.locator('tr[data-location="L1"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/^North Dallas \(L1\)\d{4}-\d{2}-\d{2}Open$/);
    // Under two years of data: no same-store growth, a dash whose tooltip gives the API's reason.
    const response = await fetch(`${host.url}/api/metrics/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ metric: 'same_store_revenue_growth', period: 'LTM' }] }),
    });
    const [growth] = ((await response.json()) as { results: { value: null; reason?: string }[] }).results;
    expect(growth?.value).toBeNull();
    const dash = page.locator('[data-kpi="same_store_revenue_growth"] [data-kpi-value]');
    expect(await dash.textContent()).toBe('—');
    await screenshot('3-overview');
    await dash.hover();
    expect(await page.getByRole('tooltip').textContent()).toBe(growth?.reason);
    await screenshot('3-overview-kpi-reason');
    await page.mouse.move(0, 0);
    await page.getByRole('tooltip').waitFor({ state: 'hidden' });
  });

  it('inserts the built =CALIPER.KPI formula into the active cell', async () => {
    await page.getByRole('tab', { name: 'Formula' }).click();
    // By keyboard, as a user without a mouse would: focus the metric, choose it with Enter.
    await page.getByRole('option', { name: 'Net revenue', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Insert formula' }).click();
    await page.getByText('Inserted in Sheet1!B3').waitFor();
    await screenshot('4-formula');

    expect(await writes()).toEqual([
      { op: 'formulas', sheet: 'Sheet1', address: 'B3', data: [['=CALIPER.KPI("L1","net_revenue","LTM")']] },
    ]);
  });

  it('writes the board pack as four sheets of formatted Excel tables with charts', async () => {
    await page.getByRole('tab', { name: 'Board pack' }).click();
    await page.getByRole('button', { name: 'Build board pack' }).click();
    await page.getByText(/^Added Same-store, Provider P&L, Membership and Benchmarks for LTM — /).waitFor();
    await screenshot('5-board-pack');

    const sheets = await model();
    expect(sheets.map((s) => s.name)).toEqual([
      'Sheet1',
      'Same-store',
      'Provider P&L',
      'Membership',
      'Benchmarks',
    ]);
    // North has one location and under two years of sales: nothing is comparable, and the
    // exclusions table says why.
    expect(sheets.slice(1).map((s) => s.tables.map((tb) => [tb.name, tb.address, tb.hasHeaders]))).toEqual([
      [
        ['CaliperSameStore', 'A4:E5', true],
        ['CaliperSameStoreExcluded', 'A8:B9', true],
      ],
      [['CaliperProviderPnl', expect.stringMatching(/^A4:F\d+$/), true]],
      [['CaliperMembership', 'A4:F6', true]],
      [['CaliperBenchmarks', 'A4:I5', true]],
    ]);
    expect(sheets.slice(1).map((s) => s.charts.map((c) => [c.type, c.source, c.title]))).toEqual([
      [['ColumnClustered', 'A4:B5', 'Net revenue by comparable location']],
      [
        [
          'BarClustered',
          expect.stringMatching(/^A4:B\d+$/),
          expect.stringMatching(/^Production by provider, top \d+$/),
        ],
      ],
      [['ColumnClustered', 'A4:B5', 'MRR by location']],
      [['ColumnClustered', 'A4:E5', 'Average ticket against the peer range']],
    ]);

    const sameStore = await sheet('Same-store');
    expect(sameStore.cells.B2?.value).toMatch(/^LTM@\d{4}-\d{2}$/);
    expect(sameStore.cells.C2?.value).toMatch(/^LTM — \w{3} \d{4} to \w{3} \d{4} \(as of \w{3} \d{4}\)$/);
    expect(['A4', 'B4', 'C4', 'D4', 'E4'].map((a) => sameStore.cells[a]?.value)).toEqual([
      'Location',
      'Net revenue',
      'Same-store revenue growth',
      'Visits',
      'Same-store visits growth',
    ]);
    expect(sameStore.cells.A5?.value).toBe('(none)');
    expect(sameStore.cells.A7?.value).toBe('Left out of the comparable set, and why');
    expect(sameStore.cells.A9?.value).toBe('North Dallas');
    expect(sameStore.cells.B9?.value).toEqual(expect.stringMatching(/./));

    const pnl = await sheet('Provider P&L');
    expect(pnl.cells.B4?.value).toBe('Production');
    expect(pnl.cells.B5?.formula).toMatch(/^=CALIPER\.KPI\(.*"provider_production".*\$B\$2\)$/);
    expect(pnl.cells.B5?.numberFormat).toBe('$#,##0');
    expect(pnl.cells.E5?.numberFormat).toBe('0.0%');

    const membership = await sheet('Membership');
    expect(membership.cells.A5?.value).toBe('North Dallas');
    expect(membership.cells.B5).toEqual({
      formula: expect.stringMatching(/^=CALIPER\.KPI\(.*"mrr".*\$B\$2\)$/),
      value: STAND_IN_VALUE,
      numberFormat: '$#,##0',
    });
    expect(membership.cells.A6?.value).toBe('Portfolio');

    const benchmarks = await sheet('Benchmarks');
    expect(benchmarks.cells.A1?.value).toMatch(/data as of \w{3} \d{4}/);
    expect(benchmarks.cells.A5?.value).toBe('North Dallas');
    expect(benchmarks.cells.B4?.value).toBe('Average ticket');
    expect(benchmarks.cells.B5?.numberFormat).toBe('$#,##0');
    expect(Object.values(benchmarks.cells).some((c) => c.formula !== null)).toBe(false);

    const formatted = (await writes()).filter((w) => w.op === 'autofitColumns').map((w) => w.sheet);
    expect(formatted).toEqual(['Same-store', 'Same-store', 'Provider P&L', 'Membership', 'Benchmarks']);
  });

  it('refreshes the workbook with a full recalculation', async () => {
    await page.getByRole('tab', { name: 'Refresh & share' }).click();
    await page.getByRole('button', { name: 'Refresh workbook' }).click();
    await page.getByText('Refresh workbook: done').waitFor();
    expect((await writes()).at(-1)).toEqual({
      op: 'calculate',
      sheet: null,
      address: null,
      data: { application: 'Full' },
    });
  });

  it('snapshots the workbook: every CALIPER formula becomes its value, number formats kept', async () => {
    const before = await model();
    const caliperCells = before.flatMap((s) =>
      Object.values(s.cells).filter((c) => c.formula !== null && c.formula.includes('CALIPER.')),
    ).length;
    // Membership's 10, the providers' 8 and the inserted formula; Same-store has no comparable row here.
    expect(caliperCells).toBeGreaterThan(15);

    await page.getByRole('radio', { name: 'Whole workbook' }).check();
    await page.getByRole('button', { name: 'Snapshot to values' }).click();
    await screenshot('6-snapshot-confirm');
    await page.getByRole('button', { name: 'Replace with values' }).click();
    await page.getByText(`Replaced ${caliperCells} CALIPER formulas with values in 5 sheets.`).waitFor();
    await screenshot('7-snapshot-done');

    const after = await model();
    expect(after.flatMap((s) => Object.values(s.cells)).filter((c) => c.formula !== null)).toEqual([]);
    expect(after.find((s) => s.name === 'Sheet1')?.cells.B3).toEqual({
      formula: null,
      value: STAND_IN_VALUE,
      numberFormat: 'General',
    });
    expect(after.find((s) => s.name === 'Membership')?.cells.B5).toEqual({
      formula: null,
      value: STAND_IN_VALUE,
      numberFormat: '$#,##0',
    });
    // Labels and headers were never formulas: the snapshot leaves them alone.
    expect(after.find((s) => s.name === 'Same-store')?.cells.A4?.value).toBe('Location');
    expect(pageErrors).toEqual([]);
  });

  it('lays the panels out for a wider pane as well', async () => {
    await page.setViewportSize({ width: 640, height: 700 });
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.locator('tr[data-location="L1"]').waitFor();
    await screenshot('8-overview-wide');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBe(0);
  });

  it("uploads a practice's system exports together and says what it recognized", async () => {
    const vendors = path.join(__dirname, '..', '..', 'fixtures', 'vendors');
    await page.getByRole('tab', { name: 'Upload' }).click();
    await page
      .getByLabel('Export files (.zip, .csv or .json)')
      .setInputFiles([
        path.join(vendors, 'e2e', 'locations.csv'),
        path.join(vendors, 'zenoti', 'employee_sales.csv'),
      ]);
    await page.getByRole('button', { name: 'Upload' }).click();
    const recognized = page.getByRole('list', { name: 'Recognized exports' });
    await recognized.waitFor();
    expect(await recognized.textContent()).toBe('bundle/employee_sales.csv: Zenoti · Employee Sales');
    await page.getByText('Data-quality report').waitFor();
    await screenshot('9-vendor-upload');
  });

  it('asks before committing an upload with too many rejected rows, showing the reasons grouped', async () => {
    const sales = [
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
    ];
    for (let i = 1; i <= 10; i += 1) {
      sales.push(`C${i},L8,${i <= 6 ? '06/01/2024' : '2024-06-01'},,,,retail,,10.00,,,`);
    }
    await page.getByRole('tab', { name: 'Upload' }).click();
    await page.getByLabel('Export files (.zip, .csv or .json)').setInputFiles([
      {
        name: 'locations.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('location_id,name,opened_on\nL8,Eastside,2020-01-01\n'),
      },
      { name: 'sales.csv', mimeType: 'text/csv', buffer: Buffer.from(`${sales.join('\n')}\n`) },
    ]);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Nothing was written: too many rejected rows').waitFor();
    expect(await page.getByRole('list', { name: 'Files over the rejected-row limit' }).textContent()).toBe(
      'bundle/sales.csv: 6 of 10 rows rejected (60 %)',
    );
    const reasons = page.getByRole('list', { name: 'Data-quality issues by reason' });
    const reasonsText = await reasons.textContent();
    // One reason for the six rows, not six lines: its count, two example rows and the fix.
    expect(reasonsText).toContain('6 rejected · invalid_date in bundle/sales.csv');
    expect(reasonsText).toContain('row 2, sold_on: "06/01/2024" is not a calendar date in YYYY-MM-DD form');
    expect(reasonsText).toContain('… and 4 more like these');
    expect(reasonsText).toContain('Fix: dates as YYYY-MM-DD');
    expect(reasonsText?.split('is not a calendar date')).toHaveLength(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await screenshot('10-upload-confirm');

    await page.getByRole('button', { name: 'Commit the 5 accepted rows anyway' }).click();
    await page.getByText('Data-quality report').waitFor();
    await page.getByText('5 of 11 rows accepted, 6 rejected').first().waitFor();
    expect(await page.getByRole('button', { name: /accepted rows anyway/ }).count()).toBe(0);
    await screenshot('11-upload-accepted');
  });

  it('reconnects by itself with the saved key when the pane opens again', async () => {
    await page.reload();
    await page.locator('tr[data-location="L1"]').waitFor();
    expect(await page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
  });
});
