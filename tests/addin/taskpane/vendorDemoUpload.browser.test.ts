/*
 * The vendor demo, zipped as `caliper demo --formats vendor` writes it, uploaded through the task
 * pane in a real headless Chromium to the real local host: one upload, no option, and every
 * portfolio and location metric equals the canonical demo's of the same seed (provider-level
 * figures are compared by tests/cli/demo/vendorRoundTrip.test.ts, which maps the EMRs' provider
 * ids).
 */
import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { main } from '../../../cli/caliper';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { buildAddin } from '../../../scripts/build-addin';
import { CALL_LIST_DEMO, cliIngestDemo } from '../../support/callListDemo';
import { openTestStore, type TestStore } from '../../support/testStore';
import { zipFolder } from '../../support/zipFolder';
import { standInScript } from '../support/standInScript';

const CHROMIUM = '/usr/bin/chromium';
const PANE = { width: 320, height: 900 };
const DEMO = ['--locations', '3', '--years', '1', '--seed', '5', '--end', '2025-12'];

const hasChromium = fs.existsSync(CHROMIUM);
const describeInBrowser = hasChromium ? describe : describe.skip;

interface MetricRow {
  metric: string;
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
}

let stdout = '';

async function cli(args: string[]): Promise<string> {
  stdout = '';
  const code = await main(args);
  if (code !== 0) throw new Error(`caliper ${args.join(' ')} exited ${code}: ${stdout}`);
  return stdout;
}

/** Portfolio and location metrics of a period, keyed by metric and scope. */
async function metricsOf(store: string, tenant: string, period: string): Promise<Record<string, unknown>> {
  const rows = JSON.parse(
    await cli(['metrics', '--period', period, '--json', '--store', store, '--tenant', tenant]),
  ) as MetricRow[];
  return Object.fromEntries(
    rows
      .filter((r) => r.provider_id === null)
      .map((r) => [`${r.metric} @${r.location_id ?? 'portfolio'}`, r.value]),
  );
}

describeInBrowser('the vendor demo uploaded as its zip through the task pane', () => {
  let t: TestStore;
  let host: LocalHost;
  let key: string;
  let browser: Browser;
  let page: Page;
  let canonicalStore: string;
  let vendorFolder: string;

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    t = openTestStore();
    canonicalStore = path.join(t.dir, 'canonical.db');
    vendorFolder = path.join(t.dir, 'vendor');
    // `caliper demo` of DEMO (CALL_LIST_DEMO) and `caliper ingest` of it, made once per run.
    await cliIngestDemo(canonicalStore, CALL_LIST_DEMO);
    await cli(['demo', ...DEMO, '--formats', 'vendor', '--out', vendorFolder]);

    const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
    key = (await createKey(t.store, 't1', 'browser test')).key;
    const built = await buildAddin({ outDir: path.join(t.dir, 'addin'), functionsJson: false, entra: null });
    host = await startLocalHost({ port: 0, runtime, staticDir: built.outDir, corsOrigins: [] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: PANE, reducedMotion: 'reduce' });
    await page.route('https://appsforoffice.microsoft.com/**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: '/* office.js: see excelStandIn.ts */' }),
    );
    await page.addInitScript({ content: await standInScript() });
    await page.goto(`${host.url}/taskpane.html`);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await browser?.close();
    await host?.close();
    setRuntimeForTests(undefined);
    await t?.close();
  });

  it('commits the whole zip in one upload with no option, rejecting nothing', async () => {
    await page.getByLabel('API URL').fill(host.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Connected: no data yet').waitFor();
    await page.getByLabel('Export files (.zip, .csv or .json)').setInputFiles({
      name: 'vendor-demo.zip',
      mimeType: 'application/zip',
      buffer: await zipFolder(vendorFolder),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Data-quality report').waitFor({ timeout: 120_000 });

    const recognized = await page.getByRole('list', { name: 'Recognized exports' }).textContent();
    for (const report of [
      'L001/zenoti_appointments.csv: Zenoti · Appointments',
      'L001/square_items.csv: Square · Items',
      'L001/service_categories.csv: Caliper · service categories',
      'L002/boulevard_appointments.json: Boulevard · appointments',
      'L003/mindbody_sales.json: Mindbody · sales',
      'payroll/L001_gusto_payrolls.json: Gusto · payrolls',
      'payroll/L002_adp_payroll.csv: ADP Workforce Now · Payroll export',
    ]) {
      expect(recognized).toContain(`vendor-demo.zip:${report}`);
    }
    expect(await page.getByText('Nothing was written').count()).toBe(0);
    const store = t.store.db.prepare('SELECT COUNT(*) AS n FROM data_quality_issues WHERE severity = ?');
    expect(store.get('error')).toEqual({ n: 0 });
  }, 180_000);

  it.each(['2025', 'LTM'])(
    'gives every portfolio and location metric of %s the canonical demo’s value',
    async (period) => {
      const expected = await metricsOf(canonicalStore, 'default', period);
      expect(Object.keys(expected).length).toBeGreaterThan(200);
      expect(await metricsOf(t.file, 't1', period)).toEqual(expected);
    },
    120_000,
  );
});
