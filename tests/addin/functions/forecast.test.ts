import { CaliperClient, type ForecastBody } from '../../../addin/api/caliperClient';
import { createCaliperFunctions } from '../../../addin/functions/caliperFunctions';
import { excelDateSerial } from '../../../addin/functions/callListTable';
import {
  FORECAST_CATEGORY_HEADER,
  FORECAST_CATEGORY_IDS,
  FORECAST_HEADER,
  MAX_FORECAST_MONTHS_ARGUMENT,
} from '../../../addin/functions/forecastTable';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { FORECAST_CATEGORIES } from '../../../shared/models/forecastData';
import { MAX_FORECAST_MONTHS } from '../../../shared/models/revenueForecast';
import { ingestCallListDemo } from '../../support/callListDemo';
import { openTestStore, type TestStore } from '../../support/testStore';
import { excelErrorOf, installCustomFunctionsRuntime, rejectionOf } from './customFunctionsRuntime';

/*
 * =CALIPER.FORECAST against the real local host over HTTP, on the call list's 3-location demo
 * (L001 forecast, L002 closed in 2025-09, L003 too young): the table it spills is the API's
 * answer, cell for cell, under a header row.
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
async function api(query: string): Promise<ForecastBody> {
  const response = await fetch(`${host.url}/api/forecast${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ForecastBody;
}

function functions(apiKey = key) {
  return createCaliperFunctions(new CaliperClient({ baseUrl: host.url, apiKey }), { windowMs: 20 });
}

/** A cell as a comparable value: an Excel error as its code and message. */
const plain = (cell: unknown) => (typeof cell === 'object' && cell !== null ? excelErrorOf(cell) : cell);

describe('CALIPER.FORECAST', () => {
  it("spills a location's months under a header row: month as a date, dollars as numbers", async () => {
    const table = await functions().forecast('L001', 3);
    const body = await api('?location=L001&months=3');
    expect(table[0]).toEqual(FORECAST_HEADER);
    expect(table.slice(1).map((row) => row.map(plain))).toEqual(
      body.months.map((m) => [
        excelDateSerial(`${m.month}-01`),
        m.total_cents / 100,
        m.components.returning_cents / 100,
        m.components.new_patients_cents / 100,
        m.components.other_cents / 100,
        m.seasonal_naive_cents === null
          ? { code: '#N/A', message: m.seasonal_naive_reason }
          : m.seasonal_naive_cents / 100,
      ]),
    );
    expect(table.map((row) => row[0])).toEqual(['Month', 46023, 46054, 46082]);
    // 2025-01, a year before the first month, is before the data's first complete month.
    expect(plain(table[1]![5])).toEqual({
      code: '#N/A',
      message: expect.stringMatching(/^no seasonal-naive value/),
    });
    expect(table[2]![5]).toEqual(expect.any(Number));
    for (const row of table.slice(1)) {
      expect(row[1]).toBe(Math.round((row[1] as number) * 100) / 100);
      expect(row[1]).toBeCloseTo((row[2] as number) + (row[3] as number) + (row[4] as number), 6);
    }
  }, 60_000);

  it("takes a location by name and a category in words: that category's forecast, no Other column", async () => {
    const portfolio = (await (
      await fetch(`${host.url}/api/portfolio`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { locations: { location_id: string; name: string }[] };
    const name = portfolio.locations.find((l) => l.location_id === 'L001')!.name;
    const table = await functions().forecast(name.toUpperCase(), 12, 'Energy device', 'as_of=2025-11');
    const body = await api('?location=L001&months=12&category=energy_device&as_of=2025-11');
    expect(table[0]).toEqual(FORECAST_CATEGORY_HEADER);
    expect(table).toHaveLength(13);
    expect(table.slice(1).map((row) => row.map(plain))).toEqual(
      body.months.map((m) => {
        const c = m.categories.energy_device!;
        return [
          excelDateSerial(`${m.month}-01`),
          c.cents / 100,
          c.returning_cents / 100,
          c.new_patients_cents / 100,
          c.seasonal_naive_cents === null
            ? { code: '#N/A', message: m.seasonal_naive_reason }
            : c.seasonal_naive_cents / 100,
        ];
      }),
    );
  }, 60_000);

  it('sums the portfolio, and says below the table which location is not in the sum and why', async () => {
    const table = await functions().forecast('PORTFOLIO', 3);
    const body = await api('?months=3');
    expect(body.locations_in_sum).toBe(1);
    const l003 = body.locations.find((l) => l.location_id === 'L003')!;
    expect(table[0]).toEqual(FORECAST_HEADER);
    expect(table.slice(1, 4).map((row) => row[1])).toEqual(body.months.map((m) => m.total_cents / 100));
    expect(table.slice(4)).toEqual([['Not in the sum: L003', l003.reason, '', '', '', '']]);
    expect(l003.reason).toMatch(/^L003 has .+ needs 7 complete months/);
    expect((await functions().forecast('', 3)).map((row) => row.map(plain))).toEqual(
      table.map((row) => row.map(plain)),
    );
  }, 60_000);

  it('is #VALUE! with the reason for a malformed argument, before any request', async () => {
    const f = functions('no-key-needed');
    for (const months of [0, 13, 2.5, 'three', true, null]) {
      const shown = typeof months === 'number' ? months : months === null ? 'nothing' : typeof months;
      expect(await rejectionOf(f.forecast('L001', months))).toEqual({
        code: '#VALUE!',
        message: `months must be a whole number from 1 to 12, got ${shown}`,
      });
    }
    expect(await rejectionOf(f.forecast('L001', 3, 'botox'))).toEqual({
      code: '#VALUE!',
      message: `Unknown category "botox": one of ${FORECAST_CATEGORIES.join(', ')}`,
    });
    for (const options of ['as_of=2025-13', 'origin=2025-10', 'as_of=2025-10-31']) {
      expect(await rejectionOf(f.forecast('L001', 3, '', options))).toEqual({
        code: '#VALUE!',
        message: `Unknown FORECAST option "${options}": expected as_of=YYYY-MM`,
      });
    }
    expect(await rejectionOf(f.forecast('provider:PR1', 3))).toEqual({
      code: '#VALUE!',
      message: 'FORECAST takes PORTFOLIO or a location, not a provider',
    });
  });

  it('is #N/A with the reason for an unknown location, a refused forecast, or no connection', async () => {
    expect(await rejectionOf(functions().forecast('Nowhere', 3))).toEqual({
      code: '#N/A',
      message: "Unknown location 'Nowhere'",
    });
    const young = await rejectionOf(functions().forecast('L003', 3));
    expect(young.code).toBe('#N/A');
    expect(young.message).toMatch(/^Location "L003" cannot be forecast: L003 has .+/);
    expect(await rejectionOf(functions().forecast('L002', 1))).toEqual({
      code: '#N/A',
      message: 'Location "L002" cannot be forecast: L002 closed on 2025-09-14: no forecast reaches past it',
    });
    const offline = await rejectionOf(functions('not-a-key').forecast('PORTFOLIO', 3));
    expect(offline.code).toBe('#N/A');
    expect(offline.message).toMatch(/^Not connected to Caliper/);
  });

  it("checks the core's months and categories", () => {
    expect(MAX_FORECAST_MONTHS_ARGUMENT).toBe(MAX_FORECAST_MONTHS);
    expect([...FORECAST_CATEGORY_IDS]).toEqual([...FORECAST_CATEGORIES]);
  });
});
