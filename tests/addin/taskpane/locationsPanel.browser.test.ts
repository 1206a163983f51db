/*
 * The Locations view in a real headless Chromium, as taskpane.browser.test.ts drives the pane:
 * the built bundle, served by the real local host over a real store. A Zenoti export uploaded
 * alone creates its location; the upload report leads to the Locations view, where the missing
 * opening date is flagged, set through the form (checked in the store), and where a date the API
 * refuses shows the API's own reason. Screenshots go to test-artifacts/addin/.
 */
import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { buildAddin } from '../../../scripts/build-addin';
import { openTestStore, type TestStore } from '../../support/testStore';
import { standInScript } from '../support/standInScript';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'addin');
/** The narrowest task pane Excel opens. */
const PANE = { width: 320, height: 900 };
const ZENOTI_SALES = path.join(__dirname, '..', '..', 'fixtures', 'vendors', 'zenoti', 'employee_sales.csv');

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `Skipping the Locations view browser test: ${CHROMIUM} is absent (CI installs Debian's chromium).`,
  );
}
const describeInBrowser = hasChromium ? describe : describe.skip;

describeInBrowser('the Locations view in a headless browser', () => {
  let t: TestStore;
  let host: LocalHost;
  let key: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const screenshot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const stored = async (locationId: string) =>
    (await t.store.locationIdentities('t1')).find((l) => l.location_id === locationId);
  const row = (locationId: string) => page.locator(`tr[data-location="${locationId}"]`);
  const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  beforeAll(async () => {
    t = openTestStore();
    const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
    key = (await createKey(t.store, 't1', 'browser test')).key;
    const built = await buildAddin({ outDir: path.join(t.dir, 'addin'), functionsJson: false, entra: null });
    host = await startLocalHost({ port: 0, runtime, staticDir: built.outDir, corsOrigins: [] });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: PANE, reducedMotion: 'reduce' });
    page.setDefaultTimeout(15000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The empty tenant's 404 on /api/portfolio and the refused PATCH's 422 are expected.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
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

  it('leads from an upload that created a location to the Locations view, its opening date flagged', async () => {
    await page.getByLabel('API URL').fill(host.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Connected: no data yet').waitFor();
    // A Zenoti export with no locations.csv: its center becomes a new location.
    await page.getByLabel('Export files (.zip, .csv or .json)').setInputFiles(ZENOTI_SALES);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('New locations').waitFor();
    await page
      .getByText(
        'Caliper created 1 location the exports named: Evolve Austin (evolve-austin). It is not in same-store growth or peer cohorts until its opening date is set.',
      )
      .waitFor();
    await screenshot('locations-1-upload-created');

    await page.getByRole('button', { name: 'Set opening dates' }).click();
    expect(await page.getByRole('tab', { name: 'Locations' }).getAttribute('aria-selected')).toBe('true');
    await row('evolve-austin').waitFor();
    expect(await row('evolve-austin').textContent()).toBe(
      'Evolve Austin (evolve-austin) EditZenoti——Not set——',
    );
    expect(await page.getByRole('list', { name: 'Locations without an opening date' }).textContent()).toBe(
      'Evolve Austin (evolve-austin): not in same-store growth or peer cohorts until its opening date is set. Set opening date',
    );
    expect(await sideways()).toBe(0);
    await screenshot('locations-2-flagged');
  });

  it('checks a date before sending it, then sets the opening date: the store has it', async () => {
    await page.getByRole('button', { name: 'Set opening date', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit Evolve Austin (evolve-austin)' });
    await form.waitFor();
    await form.getByLabel('Opened', { exact: true }).fill('2021-02-30');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('"2021-02-30" is not a calendar date in YYYY-MM-DD form').waitFor();
    expect((await stored('evolve-austin'))?.opened_on).toBeNull();

    await form.getByLabel('Opened', { exact: true }).fill('2021-03-01');
    await form.getByLabel('Region', { exact: true }).fill('Texas');
    await form.getByLabel('Time zone', { exact: true }).fill('America/Chicago');
    await form.getByRole('button', { name: 'Save' }).click();
    const changed = page.getByRole('list', { name: 'What changed' });
    await changed.waitFor();
    expect(await changed.locator('li').allTextContents()).toEqual([
      'Region: not set → Texas',
      'Time zone: not set → America/Chicago',
      'Opened: not set → 2021-03-01',
    ]);
    await page.getByText('Saved Evolve Austin (evolve-austin)').waitFor();
    expect(await stored('evolve-austin')).toMatchObject({
      opened_on: '2021-03-01',
      region: 'Texas',
      timezone: 'America/Chicago',
    });
    expect(await row('evolve-austin').textContent()).toBe(
      'Evolve Austin (evolve-austin) EditZenotiTexasAmerica/Chicago2021-03-01——',
    );
    expect(await page.getByRole('list', { name: 'Locations without an opening date' }).count()).toBe(0);
    await screenshot('locations-3-saved');
  });

  it("shows the API's refusal of a date word for word, and writes nothing", async () => {
    await page.getByRole('button', { name: 'Edit Evolve Austin (evolve-austin)' }).click();
    const form = page.getByRole('form', { name: 'Edit Evolve Austin (evolve-austin)' });
    // A well-formed date the API refuses: the location closing before it opened.
    await form.getByLabel('Closed', { exact: true }).fill('2020-01-01');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Not saved: the API refused the change').waitFor();
    expect(await form.getByRole('list', { name: 'Why the change was refused' }).textContent()).toBe(
      'closed_on: closed_on 2020-01-01 is before opened_on 2021-03-01',
    );
    expect((await stored('evolve-austin'))?.closed_on).toBeNull();
    expect(await sideways()).toBe(0);
    await screenshot('locations-4-refused');
  });

  it('adds an alias that later ingests resolve to the location', async () => {
    const form = page.getByRole('form', { name: 'Edit Evolve Austin (evolve-austin)' });
    await form.getByLabel('Add alias', { exact: true }).fill('Evolve – South Congress');
    await form.getByRole('button', { name: 'Add alias' }).click();
    await page.getByText('Alias added: Evolve – South Congress').waitFor();
    expect((await stored('evolve-austin'))?.aliases).toEqual(['Evolve – South Congress']);
    expect(await row('evolve-austin').locator('td').last().textContent()).toBe('Evolve – South Congress');
    expect(pageErrors).toEqual([]);
    await screenshot('locations-5-alias');
  });
});
