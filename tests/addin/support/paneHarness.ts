/*
 * The pieces every task-pane browser test sets up: a test store (filled by `fill`), the real
 * local host serving the built pane over it, headless Chromium with the Excel stand-in, and
 * the pane connected with a fresh API key. Screenshots go to test-artifacts/addin/.
 */
import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { buildAddin } from '../../../scripts/build-addin';
import { openTestStore, type TestStore } from '../../support/testStore';
import type { StandInSheet, StandInWindow, StandInWrite } from './excelStandIn';
import { standInScript } from './standInScript';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'addin');
export const hasChromium = fs.existsSync(CHROMIUM);

export interface Pane {
  t: TestStore;
  host: LocalHost;
  key: string;
  browser: Browser;
  page: Page;
  /** Page errors and console errors (other than failed resource loads) seen so far. */
  pageErrors: string[];
  /** GET or POST on the API with the key; answers the JSON body, failing on anything but 200. */
  api<T>(route: string, body?: unknown): Promise<T>;
  writes(): Promise<StandInWrite[]>;
  model(): Promise<StandInSheet[]>;
  sheet(name: string): Promise<StandInSheet>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPane(
  fill: (t: TestStore) => Promise<void>,
  viewport = { width: 350, height: 900 },
): Promise<Pane> {
  const t = openTestStore();
  await fill(t);
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  const key = (await createKey(t.store, 't1', 'browser test')).key;
  const built = await buildAddin({ outDir: path.join(t.dir, 'addin'), functionsJson: false, entra: null });
  const host = await startLocalHost({ port: 0, runtime, staticDir: built.outDir, corsOrigins: [] });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  // Reduced motion: Fluent skips its animations, so screenshots show settled states.
  const page = await browser.newPage({ viewport, reducedMotion: 'reduce' });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
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
  await page.getByLabel('API URL').fill(host.url);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Connect' }).click();

  const model = () => page.evaluate(() => (window as unknown as StandInWindow).__excelModel());
  return {
    t,
    host,
    key,
    browser,
    page,
    pageErrors,
    async api<T>(route: string, body?: unknown): Promise<T> {
      const response = await fetch(`${host.url}${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status !== 200) throw new Error(`${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    writes: () => page.evaluate(() => (window as unknown as StandInWindow).__excelWrites),
    model,
    async sheet(name: string) {
      const found = (await model()).find((s) => s.name === name);
      if (found === undefined) throw new Error(`no sheet ${name}`);
      return found;
    },
    async screenshot(name: string) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await host.close();
      setRuntimeForTests(undefined);
      await t.close();
    },
  };
}
