/*
 * The briefing panel in a real headless Chromium: the built bundle, served by the real local
 * host over a store holding the 3-location demo. The items the pane shows (dollars and
 * sentences, in order) and its notes must be the API's answer, for the portfolio and a location.
 */
import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import type { BriefingBody } from '../../../addin/api/caliperClient';
import { itemDollars, wholeDollars } from '../../../addin/taskpane/BriefingPanel';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { buildAddin } from '../../../scripts/build-addin';
import { ingestCallListDemo } from '../../support/callListDemo';
import { openTestStore, type TestStore } from '../../support/testStore';
import { standInScript } from '../support/standInScript';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'addin');
const PANE = { width: 320, height: 900 };

const hasChromium = fs.existsSync(CHROMIUM);
const describeInBrowser = hasChromium ? describe : describe.skip;

describe('the briefing dollars', () => {
  it('are whole dollars, a fall with a minus sign, none as a dash with the reason', () => {
    expect(wholeDollars(123456)).toBe('$1,235');
    expect(wholeDollars(-123400)).toBe('\u2212$1,234');
    expect(wholeDollars(0)).toBe('$0');
    expect(itemDollars({ dollars_cents: null, dollars_basis: 'nothing prices it' })).toBe(
      '— nothing prices it',
    );
  });
});

describeInBrowser('the briefing panel in a headless browser', () => {
  let t: TestStore;
  let host: LocalHost;
  let key: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  async function api(query: string): Promise<BriefingBody> {
    const response = await fetch(`${host.url}/api/briefing${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as BriefingBody;
  }

  /** The pane's items: [dollars, sentence]. */
  const shownItems = () =>
    page
      .getByRole('list', { name: 'Briefing items' })
      .locator(':scope > li')
      .evaluateAll((items) =>
        items.map((li) => [
          li.querySelector('[data-role="dollars"]')?.textContent,
          li.querySelector('[data-role="sentence"]')?.textContent,
        ]),
      );

  const facts = () =>
    page
      .getByRole('definition')
      .evaluateAll((dds) => dds.map((dd) => [dd.previousElementSibling?.textContent, dd.textContent]));

  /** Shows the scope's briefing of the day in the date field; that day. */
  async function show(scope: string): Promise<string> {
    await page.getByRole('combobox', { name: 'Scope' }).click();
    await page.getByRole('option', { name: scope }).click();
    const date = await page.getByLabel('Date').inputValue();
    await page.getByRole('button', { name: 'Show briefing' }).click();
    await page.getByRole('list', { name: 'Briefing items' }).waitFor({ timeout: 90_000 });
    return date;
  }

  function expectShown(body: BriefingBody) {
    expect(body.items.length).toBeGreaterThan(0);
    return shownItems().then((items) =>
      expect(items).toEqual(body.items.map((item) => [itemDollars(item), item.sentence])),
    );
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

  it("shows the portfolio's briefing as the API answers it, largest dollars first, with its notes", async () => {
    await page.getByRole('tab', { name: 'Briefing' }).click();
    const date = await show('Portfolio');
    await page.screenshot({ path: path.join(ARTIFACTS, 'briefing.png'), fullPage: true });
    const body = await api(`?date=${date}`);
    await expectShown(body);
    expect(await facts()).toEqual([
      ['Scope', 'The portfolio'],
      ['Date', body.date],
      ['Month', body.as_of_month ?? '— no complete month'],
    ]);
    const sizes = body.items.filter((i) => i.dollars_cents !== null).map((i) => Math.abs(i.dollars_cents!));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(await page.getByRole('list', { name: 'Notes' }).getByRole('listitem').allTextContents()).toEqual(
      body.notes,
    );
  }, 120_000);

  it("opens an item's trace: the figures behind it", async () => {
    const body = await api(`?date=${await page.getByLabel('Date').inputValue()}`);
    const first = page.getByRole('list', { name: 'Briefing items' }).locator(':scope > li').first();
    await first.getByText('Trace', { exact: true }).click();
    const rows = await first
      .getByRole('table', { name: 'Trace' })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    expect(rows).toEqual(body.items[0]!.trace.map((f) => f.metric ?? f.name));
  }, 60_000);

  it("shows a location's briefing on a chosen day as the API answers it", async () => {
    await page.getByLabel('Date').fill('2025-11-15');
    const date = await show('Radiance');
    expect(date).toBe('2025-11-15');
    const body = await api('?location=L001&date=2025-11-15');
    expect(body.scope).toMatchObject({ kind: 'location', location_id: 'L001' });
    expect((await facts())[1]).toEqual(['Date', '2025-11-15']);
    await expectShown(body);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
