import { CaliperClient, type CallListBody } from '../../../addin/api/caliperClient';
import { createCaliperFunctions } from '../../../addin/functions/caliperFunctions';
import { excelDateSerial } from '../../../addin/functions/callListTable';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { ingestCallListDemo } from '../../support/callListDemo';
import { openTestStore, type TestStore } from '../../support/testStore';
import { installCustomFunctionsRuntime, rejectionOf } from './customFunctionsRuntime';

/*
 * =CALIPER.CALLLIST against the real local host over HTTP, on the 3-location demo: the table it
 * spills is the API's answer, cell for cell, under a header row.
 */

let t: TestStore;
let host: LocalHost;
let key: string;

beforeAll(async () => {
  installCustomFunctionsRuntime();
  t = openTestStore();
  await ingestCallListDemo(t, 't1');
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  key = (await createKey(t.store, 't1', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
}, 120_000);

afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

/** The API's own answer, read with plain fetch: what the table must show. */
async function api(query: string): Promise<CallListBody> {
  const response = await fetch(`${host.url}/api/calllist${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as CallListBody;
}

function functions(apiKey = key) {
  return createCaliperFunctions(new CaliperClient({ baseUrl: host.url, apiKey }), { windowMs: 20 });
}

const HEADER = [
  'Rank',
  'Patient ID',
  'Last treatment',
  'Last visit',
  'Provider',
  'Days overdue',
  'Churn risk',
  'Value at risk',
  'Reasons',
];

describe('CALIPER.CALLLIST', () => {
  it("spills a location's list under a header row: dates as serials, dollars as numbers, risk a fraction", async () => {
    const table = await functions().calllist('L001', 10);
    const body = await api('?location=L001&n=10');
    expect(table[0]).toEqual(HEADER);
    expect(table.slice(1)).toEqual(
      body.rows.map((r) => [
        r.rank,
        r.patient_id,
        r.last_treatment ?? '',
        excelDateSerial(r.last_visit_on),
        r.provider_name ?? '',
        r.days_overdue,
        r.churn_risk,
        r.value_at_risk_cents / 100,
        r.reasons,
      ]),
    );
    expect(table).toHaveLength(11);
    for (const row of table.slice(1)) {
      expect(row[7]).toBe(Math.round((row[7] as number) * 100) / 100);
      expect(row[6]).toBeGreaterThan(0);
      expect(row[6]).toBeLessThan(1);
    }
  }, 60_000);

  it('turns a day into its Excel serial', () => {
    expect(excelDateSerial('1900-03-01')).toBe(61);
    expect(excelDateSerial('2025-01-01')).toBe(45658);
    expect(excelDateSerial('2025-12-31')).toBe(46022);
  });

  it('takes a location by name, and the portfolio with a Location column', async () => {
    const portfolio = await (
      await fetch(`${host.url}/api/portfolio`, { headers: { authorization: `Bearer ${key}` } })
    ).json();
    const name = (portfolio as { locations: { location_id: string; name: string }[] }).locations.find(
      (l) => l.location_id === 'L003',
    )!.name;
    const byName = await functions().calllist(name.toUpperCase(), 5, 'as_of=2025-11-30');
    expect(byName.slice(1).map((r) => r[1])).toEqual(
      (await api('?location=L003&n=5&as_of=2025-11-30')).rows.map((r) => r.patient_id),
    );
    const all = await functions().calllist('PORTFOLIO');
    expect(all[0]).toEqual(['Rank', 'Location', ...HEADER.slice(1)]);
    expect(all).toHaveLength(26);
    expect(all.slice(1).map((r) => [r[1], r[2]])).toEqual(
      (await api('')).rows.map((r) => [r.location_id, r.patient_id]),
    );
    expect(await functions().calllist('')).toEqual(all);
  }, 60_000);

  it('is #VALUE! with the reason for a malformed argument, before any request', async () => {
    const f = functions('no-key-needed');
    for (const n of [0, 501, 2.5, 'ten', true]) {
      expect(await rejectionOf(f.calllist('L001', n))).toEqual({
        code: '#VALUE!',
        message: `n must be a whole number from 1 to 500, got ${typeof n === 'number' ? n : typeof n}`,
      });
    }
    expect(await rejectionOf(f.calllist('L001', 5, 'as_of=yesterday'))).toEqual({
      code: '#VALUE!',
      message: 'Unknown CALLLIST option "as_of=yesterday": expected as_of=YYYY-MM-DD',
    });
    expect(await rejectionOf(f.calllist('provider:PR1'))).toEqual({
      code: '#VALUE!',
      message: 'CALLLIST takes PORTFOLIO or a location, not a provider',
    });
  });

  it('is #N/A with the reason for an unknown location, a list it cannot score, or no connection', async () => {
    expect(await rejectionOf(functions().calllist('Nowhere'))).toEqual({
      code: '#N/A',
      message: "Unknown location 'Nowhere'",
    });
    const early = await rejectionOf(functions().calllist('L001', 5, 'as_of=2020-01-01'));
    expect(early.code).toBe('#N/A');
    expect(early.message).toMatch(/^Location "L001" could not be scored: .+/);
    const offline = await rejectionOf(functions('not-a-key').calllist('PORTFOLIO'));
    expect(offline.code).toBe('#N/A');
    expect(offline.message).toMatch(/^Not connected to Caliper/);
  });
});
