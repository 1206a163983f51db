import { runIngest } from '../../cli/commands/ingestCommand';
import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { addDays } from '../../shared/model/localDate';
import {
  needlesFound,
  needlesUnder,
  PERSONAL_COLUMNS,
  writeActionsDemo,
} from '../shared/actions/actionsDemo';
import { needlesIn } from '../support/fixtureNeedles';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * GET /api/actions and POST /api/actions/{id}/snooze|done through the real local host (HTTP, the
 * route table, auth, body limits) on a real SQLite file. Tenant t1 holds the vendor demo and the
 * privacy fixture (tests/shared/actions/actionsDemo.ts), tenant t2 the north and south bundles.
 * Every answer is kept and searched for the emails, phones, names and notes of t1's files.
 */

let t: TestStore;
let host: LocalHost;
let demo: string;
const keys: Record<string, string> = {};
const answers: string[] = [];

interface Answer {
  status: number;
  // Bodies are read field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(
  method: 'GET' | 'POST',
  pathAndQuery: string,
  options: { tenant?: string | null; body?: string } = {},
): Promise<Answer> {
  const tenant = options.tenant === undefined ? 't1' : options.tenant;
  const response = await fetch(`${host.url}/api/${pathAndQuery}`, {
    method,
    headers: {
      ...(tenant === null ? {} : { authorization: `Bearer ${keys[tenant]}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: JSON.parse(text) as unknown };
}

interface ActionJson {
  id: string;
  rule: string;
  location_id: string;
  dollars_cents: number | null;
  draft: { text: string } | null;
  facts: { source: { trace?: { api: string } } }[];
  state: unknown;
}
interface ListBody {
  tenant: string;
  hidden: number;
  locations: { location_id: string }[];
  actions: ActionJson[];
}
const listOf = (answer: Answer) => answer.body as ListBody;
const today = () => new Date().toISOString().slice(0, 10);
const snooze = (id: string, body: unknown, tenant?: string) =>
  call('POST', `actions/${encodeURIComponent(id)}/snooze`, { body: JSON.stringify(body), tenant });

beforeAll(async () => {
  t = openTestStore();
  demo = await writeActionsDemo(t.dir);
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
  keys.t1 = (await createKey(t.store, 't1', 'tests')).key;
  keys.t2 = (await createKey(t.store, 't2', 'tests')).key;
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  host = await startLocalHost({ port: 0, runtime });
}, 120_000);

afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

describe('GET /api/actions', () => {
  it('answers the tenant’s actions, largest dollars first, with facts, traces and drafts', async () => {
    const { status, body } = await call('GET', 'actions');
    expect(status).toBe(200);
    expect(body).toMatchObject({ tenant: 't1', today: today(), hidden: 0 });
    expect(body.data_version).toBeGreaterThan(0);
    const { actions, locations } = body as ListBody;
    expect(locations.map((l) => l.location_id)).toEqual(['L001', 'L002', 'LP']);
    expect(actions.length).toBeGreaterThan(100);
    const priced = actions.map((a) => a.dollars_cents).filter((d): d is number => d !== null);
    expect(priced).toEqual([...priced].sort((a, b) => b - a));
    const vip = actions.find((a) => a.rule === 'vip_past_due')!;
    expect(vip).toMatchObject({
      audience: 'front_desk',
      subject: { kind: 'patient', patient_id: expect.any(String) },
      dollars_basis: expect.stringMatching(/^churn model value at risk: /),
      state: null,
    });
    expect(vip.draft!.text).toMatch(/^Hi \{\{first_name\}\}, it's been /);
    const alert = actions.find((a) => a.rule === 'provider_out_of_band')!;
    const api = alert.facts[0]!.source.trace!.api;
    const traced = await call('GET', api.replace(/^\/api\//, ''));
    expect(traced.status).toBe(200);
    expect(traced.body.metric).toBe('comp_to_production_ratio');
  }, 60_000);

  it('answers one location, on a day given, and refuses an unknown location and a bad day', async () => {
    const one = await call('GET', 'actions?location=L002&as_of=2025-11-30');
    expect(one.status).toBe(200);
    expect(one.body.locations).toEqual([
      expect.objectContaining({
        location_id: 'L002',
        as_of: '2025-11-30',
        month: '2025-11',
        evaluated: true,
      }),
    ]);
    expect(listOf(one).actions.every((a) => a.location_id === 'L002')).toBe(true);
    const unknown = await call('GET', 'actions?location=NOWHERE');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'unknown_location', message: 'Unknown location "NOWHERE"' });
    expect((await call('GET', 'actions?as_of=2025-02-30')).status).toBe(400);
    expect((await call('GET', 'actions', { tenant: null })).status).toBe(401);
  }, 60_000);
});

describe('POST /api/actions/{id}/snooze and /done', () => {
  it('file a state that leaves the action out of the list, and lists it marked when asked', async () => {
    const [first, second] = listOf(await call('GET', 'actions?location=L001')).actions;
    const until = addDays(today(), 14);
    const snoozed = await snooze(first!.id, { until });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body).toMatchObject({ action_id: first!.id, status: 'snoozed', snoozed_until: until });
    const done = await call('POST', `actions/${encodeURIComponent(second!.id)}/done`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ action_id: second!.id, status: 'done', snoozed_until: null });

    const after = await call('GET', 'actions?location=L001');
    expect(after.body.hidden).toBe(2);
    const ids = listOf(after).actions.map((a) => a.id);
    expect(ids).not.toContain(first!.id);
    expect(ids).not.toContain(second!.id);
    const marked = await call('GET', 'actions?location=L001&include_snoozed=true');
    const stateOf = (id: string) => listOf(marked).actions.find((a) => a.id === id)?.state;
    expect(stateOf(first!.id)).toEqual({ status: 'snoozed', until });
    expect(stateOf(second!.id)).toEqual({ status: 'done' });
    expect(await t.store.actionStates('t1')).toHaveLength(2);
  }, 60_000);

  it('answer 404 for an unknown id, quoting it by its head', async () => {
    const long = `vip_past_due:L001:${'x'.repeat(400)}:2025-12`;
    const refused = await snooze(long, { until: addDays(today(), 1) });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('unknown_action');
    expect(refused.body.error.message).toBe(
      `Unknown action "vip_past_due:L001:${'x'.repeat(46)}…(426 characters)": not among the location's actions on 2025-12-31`,
    );
    const garbled = await call('POST', 'actions/not-an-id/done');
    expect(garbled.status).toBe(404);
    expect(garbled.body.error.message).toMatch(/^Unknown action "not-an-id": not an action id/);
  }, 60_000);

  it('refuse a bad body: no until, a day not after today, another field, broken JSON, too large', async () => {
    const id = listOf(await call('GET', 'actions?location=L002')).actions[0]!.id;
    expect((await snooze(id, {})).status).toBe(400);
    const past = await snooze(id, { until: today() });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/is not after today/);
    expect((await snooze(id, { until: addDays(today(), 3), extra: 1 })).status).toBe(400);
    const broken = await call('POST', `actions/${encodeURIComponent(id)}/snooze`, { body: '{' });
    expect(broken.body.error.code).toBe('invalid_json');
    const huge = await call('POST', `actions/${encodeURIComponent(id)}/done`, {
      body: JSON.stringify({ as_of: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(await t.store.actionStates('t1')).toHaveLength(2);
  }, 60_000);
});

describe('tenant isolation', () => {
  it('shows tenant t2 only its own actions, and neither t2 nor a stranger can mark t1’s', async () => {
    const id = listOf(await call('GET', 'actions?location=L001')).actions[0]!.id;
    const theirs = await call('GET', 'actions', { tenant: 't2' });
    expect(theirs.status).toBe(200);
    expect(theirs.body.tenant).toBe('t2');
    expect(
      listOf(theirs)
        .locations.map((l) => l.location_id)
        .sort(),
    ).toEqual(['L1', 'L2']);
    expect(JSON.stringify(theirs.body)).not.toContain('L001');
    expect((await call('GET', 'actions?location=L001', { tenant: 't2' })).status).toBe(404);

    const refused = await snooze(id, { until: addDays(today(), 5) }, 't2');
    expect(refused.status).toBe(404);
    expect(refused.body.error).toEqual({
      code: 'unknown_action',
      message: `Unknown action ${JSON.stringify(id)}: no such location`,
    });
    expect((await call('POST', `actions/${encodeURIComponent(id)}/done`, { tenant: 't2' })).status).toBe(404);
    expect((await call('POST', `actions/${encodeURIComponent(id)}/done`, { tenant: null })).status).toBe(401);
    expect(await t.store.actionStates('t2')).toEqual([]);
    expect((await t.store.actionStates('t1')).map((s) => s.action_id)).not.toContain(id);
  }, 60_000);
});

describe('the grep test of the actions API', () => {
  it('finds no email, phone, patient name or note of t1’s files in any answer', async () => {
    await call('GET', 'actions?include_snoozed=true');
    const needles = needlesUnder(demo, PERSONAL_COLUMNS);
    expect(needles.length).toBeGreaterThan(1000);
    const all = answers.join('\n');
    expect(all.length).toBeGreaterThan(100_000);
    const sample = { sample: `${all.slice(0, 10_000)}${needles[5]!.text}` };
    expect(needlesFound(needles, sample).sort()).toEqual(needlesIn(needles, sample).sort());
    expect(needlesFound(needles, { 'the API answers': all })).toEqual([]);
  }, 60_000);
});
