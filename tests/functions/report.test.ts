import fs from 'node:fs';
import path from 'node:path';

import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { readWorkbookCells } from '../support/libreOffice';
import { openTestStore, type TestStore } from '../support/testStore';

/*
 * GET /api/report.xlsx through the real local host. Tenant t1 holds
 * tests/fixtures/metrics/sameStore/portfolio (net revenue 2025 = 40,300.00, by hand in
 * tests/shared/report/boardReport.test.ts), tenant t2 the worked provider example (2024): each
 * key gets its own tenant's pack and nothing of the other's.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'metrics');

let t: TestStore;
let host: LocalHost;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  t = openTestStore();
  await t.ingest([path.join(FIXTURES, 'sameStore', 'portfolio')], 't1');
  await t.ingest([path.join(FIXTURES, 'providers', 'worked')], 't2');
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  keyA = (await createKey(t.store, 't1', 'tests')).key;
  keyB = (await createKey(t.store, 't2', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
}, 60_000);

afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

async function get(query: string, key: string | null = keyA): Promise<Response> {
  return fetch(`${host.url}/api/report.xlsx${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
}

async function cellsOf(response: Response, name: string) {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return readWorkbookCells(file);
}

function texts(cells: Awaited<ReturnType<typeof readWorkbookCells>>): string[] {
  return [...cells.values()].flatMap((sheet) =>
    [...sheet.values()].flatMap((r) => (typeof r.value === 'string' ? [r.value] : [])),
  );
}

describe('GET /api/report.xlsx', () => {
  it("answers the caller's tenant's board pack as a workbook to save", async () => {
    const response = await get('?period=2025');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="board-pack-2025.xlsx"');
    const cells = await cellsOf(response, 'a.xlsx');
    const summary = cells.get('Summary');
    const netRow = [...(summary?.entries() ?? [])].find(([, r]) => r.value === 'Net revenue')?.[0];
    const row = netRow?.replace(/^[A-Z]+/, '');
    expect(summary?.get(`B${row}`)?.value).toBe(40300);
    expect(texts(cells)).toEqual(expect.arrayContaining(['Comparable One (C1)']));
    expect(texts(cells).some((text) => text.includes('W1') || text.includes('Worked Example'))).toBe(false);
  });

  it("gives another tenant's key that tenant's pack only", async () => {
    const response = await get('?period=2024', keyB);
    expect(response.status).toBe(200);
    const all = texts(await cellsOf(response, 'b.xlsx'));
    expect(all).toEqual(expect.arrayContaining(['Worked Example (W1)']));
    expect(all.some((text) => /\(C[1-6]\)/.test(text))).toBe(false);
  });

  it('answers a bad period, an unknown location and a missing key as JSON errors', async () => {
    const badPeriod = await get('?period=2025-Q5');
    expect(badPeriod.status).toBe(400);
    expect(await badPeriod.json()).toMatchObject({ error: { code: 'invalid_period' } });
    const unknown = await get('?period=2025&locations=C1,NOPE');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'unknown_location', message: 'Unknown location "NOPE"' },
    });
    expect((await get('?period=2025', null)).status).toBe(401);
    expect((await get('')).status).toBe(400);
  });
});
