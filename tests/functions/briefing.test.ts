import path from 'node:path';

import { runIngest } from '../../cli/commands/ingestCommand';
import { createKey } from '../../cli/commands/keysCommand';
import { writeDailyBriefings } from '../../functions/briefingTimer';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, type Runtime, setRuntimeForTests } from '../../functions/runtime';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { ACTIONS_DEMO, needlesFound, needlesUnder, PERSONAL_COLUMNS } from '../shared/actions/actionsDemo';
import { writeDemo } from '../support/callListDemo';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * GET /api/briefing and the dailyBriefing timer's work (writeDailyBriefings) on a real SQLite
 * file, through the real local host (HTTP, the route table, auth). Tenant t1 holds the vendor demo
 * and the privacy fixture (tests/shared/actions/actionsDemo.ts: patients with names, emails,
 * phones and notes), tenant t2 the north and south bundles; tenant t3 has a key and no data.
 * Every answer and every stored briefing is searched for those values and for every patient id
 * of t1: none may be there.
 */

const DATE = '2026-01-05';
let t: TestStore;
let host: LocalHost;
let rt: Runtime;
let demo: string;
const keys: Record<string, string> = {};
const answers: string[] = [];

async function get(
  pathAndQuery: string,
  tenant: string | null = 't1',
  // Bodies are read field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const send = () =>
    fetch(`${host.url}/api/${pathAndQuery}`, {
      headers: tenant === null ? {} : { authorization: `Bearer ${keys[tenant]}` },
    });
  // The timer's seconds of work in this process outlast the server's keep-alive: the client's
  // idle socket is then closed under it (ECONNRESET), which is not what is tested here.
  const response = await send().catch(send);
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: JSON.parse(text) as unknown };
}

interface ItemJson {
  kind: string;
  sentence: string;
  dollars_cents: number | null;
  trace: { kind: string; trace: { cli: string; api: string } }[];
}

beforeAll(async () => {
  t = openTestStore();
  // writeActionsDemo's folder, generated once per run (tests/support/callListDemo.ts).
  demo = path.join(t.dir, 'demo');
  await writeDemo(demo, ACTIONS_DEMO);
  for (const folder of [demo, PERSONAL_COLUMNS]) {
    const { exitCode } = await runIngest(
      [folder],
      { storeFile: t.file, tenant: 't1' },
      { json: true, progress: false, acceptRejected: true },
      () => undefined,
    );
    expect(exitCode).toBe(0);
  }
  await t.ingest([fixture('north'), fixture('south')], 't2');
  for (const tenant of ['t1', 't2', 't3']) keys[tenant] = (await createKey(t.store, tenant, 'tests')).key;
  rt = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  host = await startLocalHost({ port: 0, runtime: rt });
}, 120_000);

afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

describe('GET /api/briefing', () => {
  it('answers the portfolio’s briefing, largest dollars first, each figure one call away', async () => {
    const { status, body } = await get(`briefing?date=${DATE}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      tenant: 't1',
      source: 'computed',
      created_at: null,
      date: DATE,
      scope: { kind: 'portfolio', location_id: null, name: null },
      as_of_month: '2025-12',
    });
    const items = body.items as ItemJson[];
    const kinds = new Set(items.map((i) => i.kind));
    for (const kind of ['revenue_vs_last_year', 'revenue_vs_prior_month', 'vip_past_due', 'gap'])
      expect(kinds).toContain(kind);
    const sizes = items.flatMap((i) => (i.dollars_cents === null ? [] : [Math.abs(i.dollars_cents)]));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const vip = items.find((i) => i.kind === 'vip_past_due')!;
    expect(vip.sentence).toMatch(
      /^.+: \d+ VIPs? (is|are) past due with nothing booked: \$[\d,]+ at risk.* — see the call list\.$/,
    );
    // A metric figure's trace answers through the API itself, and so does an actions figure.
    const gap = items.find((i) => i.kind === 'gap')!;
    const traced = await get(gap.trace[0]!.trace.api.replace(/^\/api\//, ''));
    expect(traced.status).toBe(200);
    const listed = await get(vip.trace[0]!.trace.api.replace(/^\/api\//, ''));
    expect(listed.status).toBe(200);
    const rules = (listed.body as { actions: { rule: string }[] }).actions.map((a) => a.rule);
    expect(rules).toContain('vip_past_due');
  }, 120_000);

  it('answers one location’s, and refuses an unknown location, a bad date and no credential', async () => {
    const one = await get(`briefing?location=L002&date=${DATE}`);
    expect(one.status).toBe(200);
    expect(one.body.scope).toMatchObject({ kind: 'location', location_id: 'L002' });
    expect((one.body.items as ItemJson[]).every((i) => !/^Net revenue across/.test(i.sentence))).toBe(true);
    const unknown = await get('briefing?location=NOWHERE');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_location');
    expect((await get('briefing?date=2026-02-30')).status).toBe(400);
    expect((await get('briefing', null)).status).toBe(401);
    expect((await get('briefing', 't3')).status).toBe(404);
  }, 120_000);
});

describe('the dailyBriefing timer', () => {
  it('writes every tenant’s portfolio briefing of the day, which the API then serves as stored', async () => {
    const computed = await get(`briefing?date=${DATE}`);
    const runs = await writeDailyBriefings(rt, DATE);
    expect(runs.map((r) => [r.tenant, r.written])).toEqual([
      ['t1', true],
      ['t2', true],
    ]);
    // A second run on the same day replaces the first briefing: one row per tenant and day.
    await writeDailyBriefings(rt, DATE);
    const rows = t.store.db
      .prepare('SELECT tenant_id, briefing_date FROM briefings ORDER BY tenant_id')
      .all();
    expect(rows).toEqual([
      { tenant_id: 't1', briefing_date: DATE },
      { tenant_id: 't2', briefing_date: DATE },
    ]);
    const stored = await get(`briefing?date=${DATE}`);
    expect(stored.body).toMatchObject({ source: 'stored', created_at: expect.any(String) });
    expect(stored.body.items).toEqual(computed.body.items);
    expect(stored.body.data_version).toBe(computed.body.data_version);
    // Another tenant's stored briefing is never served: t2 gets its own.
    const other = await get(`briefing?date=${DATE}`, 't2');
    expect(other.body.tenant).toBe('t2');
    expect(JSON.stringify(other.body.items)).not.toEqual(JSON.stringify(stored.body.items));
    // Another day, or one location, is computed.
    expect((await get(`briefing?location=L001&date=${DATE}`)).body.source).toBe('computed');
  }, 120_000);

  it('keeps the briefing in the store file, across connections', async () => {
    const again = SqliteStore.open(t.file);
    try {
      expect(await again.tenants()).toEqual(['t1', 't2']);
      const saved = await again.briefingOn('t1', DATE);
      expect(saved).toMatchObject({ date: DATE, created_at: expect.any(String) });
      answers.push(saved!.body_json);
      expect(await again.briefingOn('t1', '2026-01-06')).toBeNull();
      expect(await again.briefingOn('t3', DATE)).toBeNull();
    } finally {
      await again.close();
    }
  });
});

describe('the grep test of the briefing', () => {
  it('finds no email, phone, patient name, note or patient id of t1’s in any answer or stored briefing', async () => {
    const needles = needlesUnder(demo, PERSONAL_COLUMNS);
    expect(needles.length).toBeGreaterThan(1000);
    const briefings = answers.filter((a) => a.includes('"items"')).join('\n');
    expect(briefings.length).toBeGreaterThan(10_000);
    expect(needlesFound(needles, { 'the briefings': briefings })).toEqual([]);
    // Every patient id the store holds for t1, as a whole word: an id may be all digits, and a
    // number like 10012345 holds 1001 without naming patient 1001.
    const ids = t.store.db
      .prepare<[], { patient_id: string }>("SELECT DISTINCT patient_id FROM patients WHERE tenant_id = 't1'")
      .all()
      .map((r) => r.patient_id);
    expect(ids.length).toBeGreaterThan(1000);
    const named = (text: string, id: string) => {
      for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + 1)) {
        const edges = `${text.charAt(at - 1)}${text.charAt(at + id.length)}`;
        if (!/[A-Za-z0-9]/.test(edges)) return true;
      }
      return false;
    };
    // The search finds an id where one is (a sentence naming a patient, as an action's does).
    expect(named(`${briefings} VIP ${ids[7]!}: last seen`, ids[7]!)).toBe(true);
    expect(ids.filter((id) => named(briefings, id))).toEqual([]);
  }, 60_000);
});
