/*
 * The call list panel in a real headless Chromium: the built bundle, served by the real local
 * host over a store holding the 3-location demo, with the Excel stand-in recording every write.
 * The rows and facts the pane shows must be the API's answer; "Insert into sheet" must write
 * that answer to a new sheet as values only.
 */
import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import type { CallListBody } from '../../../addin/api/caliperClient';
import { excelDateSerial } from '../../../addin/functions/callListTable';
import { dollars } from '../../../addin/taskpane/CallListPanel';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { buildAddin } from '../../../scripts/build-addin';
import { ingestCallListDemo } from '../../support/callListDemo';
import { openTestStore, type TestStore } from '../../support/testStore';
import type { StandInWindow } from '../support/excelStandIn';
import { standInScript } from '../support/standInScript';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'addin');
const PANE = { width: 320, height: 900 };

const hasChromium = fs.existsSync(CHROMIUM);
const describeInBrowser = hasChromium ? describe : describe.skip;

describeInBrowser('the call list panel in a headless browser', () => {
  let t: TestStore;
  let host: LocalHost;
  let key: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  async function api(query: string): Promise<CallListBody> {
    const response = await fetch(`${host.url}/api/calllist${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as CallListBody;
  }

  /** The rows of the pane's table, cell texts. */
  const shownRows = () =>
    page
      .getByRole('table', { name: 'Patients to call' })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));

  const facts = () =>
    page
      .getByRole('definition')
      .evaluateAll((dds) => dds.map((dd) => [dd.previousElementSibling?.textContent, dd.textContent]));

  async function show(location: string, n: string) {
    await page.getByRole('combobox', { name: 'Location' }).click();
    await page.getByRole('option', { name: location }).click();
    await page.getByRole('textbox', { name: 'Patients' }).fill(n);
    await page.getByRole('button', { name: 'Show call list' }).click();
    await page.getByRole('table', { name: 'Patients to call' }).waitFor({ timeout: 60_000 });
  }

  beforeAll(async () => {
    t = openTestStore();
    await ingestCallListDemo(t, 't1');
    const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
    key = (await createKey(t.store, 't1', 'browser test')).key;
    const built = await buildAddin({ outDir: path.join(t.dir, 'addin'), functionsJson: false, entra: null });
    host = await startLocalHost({ port: 0, runtime, staticDir: built.outDir, corsOrigins: [] });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: PANE, reducedMotion: 'reduce' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.route('https://appsforoffice.microsoft.com/**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: '/* office.js: see excelStandIn.ts */' }),
    );
    await page.addInitScript({ content: await standInScript() });
    await page.goto(`${host.url}/taskpane.html`);
    await page.getByLabel('API URL').fill(host.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Tenant t1').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    setRuntimeForTests(undefined);
    await t?.close();
  });

  it("shows a location's list as the API answers it, with the facts above it", async () => {
    await page.getByRole('tab', { name: 'Call list' }).click();
    await show('Radiance', '10');
    await page.screenshot({ path: path.join(ARTIFACTS, 'call-list.png'), fullPage: true });
    const body = await api('?location=L001&n=10');
    expect(await shownRows()).toEqual(
      body.rows.map((r) => [
        String(r.rank),
        r.patient_id,
        r.last_treatment ?? '—',
        r.last_visit_on,
        r.provider_name ?? '—',
        String(r.days_overdue),
        `${Math.round(r.churn_risk * 100)}%`,
        dollars(r.value_at_risk_cents),
        r.reasons === '' ? '—' : r.reasons,
      ]),
    );
    expect(await facts()).toEqual([
      ['As of', body.as_of],
      ['Patients scored', body.patients_scored.toLocaleString('en-US')],
      ['With nothing booked, seen in the last year', body.eligible.toLocaleString('en-US')],
      ['Total at risk', dollars(body.eligible_value_at_risk_cents)],
      ['At risk in the 10 listed', dollars(body.shown_value_at_risk_cents)],
    ]);
    expect(body.fallbacks).toEqual([]);
    expect(await page.getByRole('list', { name: 'Fallbacks' }).count()).toBe(0);
  }, 90_000);

  it('shows the portfolio with a location column and every fallback in words', async () => {
    await show('Portfolio (every open location)', '5');
    const body = await api('?n=5');
    expect((await shownRows()).map((r) => r.slice(0, 3))).toEqual(
      body.rows.map((r) => [String(r.rank), r.location_id, r.patient_id]),
    );
    expect(body.fallbacks.length).toBeGreaterThan(0);
    expect(
      await page.getByRole('list', { name: 'Fallbacks' }).getByRole('listitem').allTextContents(),
    ).toEqual(body.fallbacks);
  }, 90_000);

  it('inserts the list into a new sheet as values: text as text, dates as dates, dollars as numbers', async () => {
    const body = await api('?n=5');
    await page.getByRole('button', { name: 'Insert into sheet' }).click();
    await page.getByText('Added the sheet Call list').waitFor();
    const model = await page.evaluate(() => (window as unknown as StandInWindow).__excelModel());
    const sheet = model.find((s) => s.name === 'Call list');
    expect(sheet).toBeDefined();
    const cells = sheet!.cells;
    expect(cells.A1?.value).toBe('Call list — the portfolio');
    const top = 3 + 6 + body.fallbacks.length;
    expect(sheet!.tables).toEqual([
      { address: `A${top}:M${top + 5}`, hasHeaders: true, name: null, style: 'TableStyleMedium2' },
    ]);
    expect(cells[`C${top}`]?.value).toBe('Patient ID');
    body.rows.forEach((r, i) => {
      const row = top + 1 + i;
      expect(cells[`A${row}`]?.value).toBe(r.rank);
      expect(cells[`C${row}`]).toMatchObject({ value: r.patient_id, formula: null });
      expect(cells[`E${row}`]).toMatchObject({
        value: excelDateSerial(r.last_visit_on),
        numberFormat: 'yyyy-mm-dd',
      });
      expect(cells[`K${row}`]).toMatchObject({
        value: r.value_at_risk_cents / 100,
        numberFormat: '$#,##0.00',
      });
    });
    const writes = await page.evaluate(() => (window as unknown as StandInWindow).__excelWrites);
    expect(writes.filter((w) => w.op === 'formulas')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
