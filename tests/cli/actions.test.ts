import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { todayUtc } from '../../cli/commands/actionsCommand';
import { parseActionId } from '../../shared/actions/actionIds';
import { PLACEHOLDERS } from '../../shared/actions/outreachDrafts';
import { addDays } from '../../shared/model/localDate';
import { ACTIONS_DEMO, needlesFound, needlesUnder, PERSONAL_COLUMNS } from '../shared/actions/actionsDemo';
import { writeDemo } from '../support/callListDemo';
import { needlesIn } from '../support/fixtureNeedles';
import { tempDir } from '../support/testStore';

/*
 * `caliper actions` through the real CLI on a real SQLite file: the vendor demo (tests/shared/
 * actions/actionsDemo.ts) and the privacy fixture ingested, then the list as a table and as JSON,
 * snooze and done, the errors — and every email, phone, patient name and note those files hold is
 * looked for in everything the commands printed: none may be there.
 */

let dir: string;
let store: string;
let demo: string;
let out = '';
let err = '';
/** Everything the actions commands printed, for the grep. */
const printed: string[] = [];

async function run(...args: string[]): Promise<number> {
  out = '';
  err = '';
  const code = await main([...args, '--store', store]);
  if (args[0] === 'actions') printed.push(out, err);
  return code;
}

interface ActionJson {
  id: string;
  rule: string;
  audience: string;
  location_id: string;
  subject: { kind: string; patient_id?: string };
  dollars_cents: number | null;
  dollars_basis: string;
  sentence: string;
  facts: { name: string; source: { kind: string; trace?: { cli: string; api: string } } }[];
  also_true: { id: string }[];
  draft: { template: string; text: string; placeholders: string[] } | null;
  state: { status: string; until?: string } | null;
}
interface ListJson {
  today: string;
  locations: { location_id: string; evaluated: boolean; reason: string | null; actions_found: number }[];
  hidden: number;
  actions: ActionJson[];
}

async function list(...flags: string[]): Promise<ListJson> {
  expect(await run('actions', '--json', ...flags)).toBe(0);
  return JSON.parse(out) as ListJson;
}

beforeAll(async () => {
  dir = tempDir('caliper-actions-cli-');
  store = path.join(dir, 'caliper.db');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  // writeActionsDemo's folder, generated once per run (tests/support/callListDemo.ts).
  demo = path.join(dir, 'demo');
  await writeDemo(demo, ACTIONS_DEMO);
  expect(await run('ingest', demo, '--json')).toBe(0);
  expect(await run('ingest', PERSONAL_COLUMNS, '--accept-rejected', '--json')).toBe(0);
}, 120_000);

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper actions', () => {
  let all: ListJson;
  beforeAll(async () => {
    all = await list();
  }, 60_000);

  it('lists every location’s actions, largest dollars first, those without dollars last', () => {
    expect(all.today).toBe(todayUtc());
    expect(all.locations.map((l) => [l.location_id, l.evaluated])).toEqual([
      ['L001', true],
      ['L002', true],
      ['LP', true],
    ]);
    expect(all.actions.length).toBeGreaterThan(100);
    const rules = new Set(all.actions.map((a) => a.rule));
    expect([...rules].sort()).toEqual(['cadence_broken', 'provider_out_of_band', 'vip_past_due']);
    const dollars = all.actions.map((a) => a.dollars_cents);
    const priced = dollars.filter((d): d is number => d !== null);
    expect(priced).toEqual([...priced].sort((a, b) => b - a));
    expect(
      dollars.indexOf(null) === -1 || dollars.slice(dollars.indexOf(null)).every((d) => d === null),
    ).toBe(true);
    expect(new Set(all.actions.map((a) => a.id)).size).toBe(all.actions.length);
    for (const a of all.actions) expect(parseActionId(a.id)).not.toBeNull();
  });

  it('gives each front-desk action one draft without any identifier, and the owner’s alerts none', () => {
    const patientIds = all.actions.flatMap((a) =>
      a.subject.patient_id === undefined ? [] : [a.subject.patient_id],
    );
    expect(patientIds.length).toBeGreaterThan(100);
    expect(new Set(patientIds).size).toBe(patientIds.length);
    for (const a of all.actions) {
      if (a.audience === 'owner') {
        expect(a.draft).toBeNull();
        continue;
      }
      const text = a.draft!.text;
      expect(text).not.toMatch(/[\d@]/);
      expect(a.draft!.placeholders.every((p) => p in PLACEHOLDERS)).toBe(true);
      expect(patientIds.filter((id) => text.includes(id))).toEqual([]);
    }
  });

  it('traces every metric fact to a caliper trace command that answers it', async () => {
    const alert = all.actions.find((a) => a.rule === 'provider_out_of_band')!;
    const fact = alert.facts.find((f) => f.name === 'comp_to_production_ratio')!;
    expect(fact.source.trace!.cli).toMatch(
      /^caliper trace comp_to_production_ratio --period \S+\.\.\S+ --location /,
    );
    expect(fact.source.trace!.api).toMatch(/^\/api\/trace\?metric=comp_to_production_ratio&period=/);
    const args = fact.source.trace!.cli.split(' ').slice(1);
    expect(await run(...args, '--json')).toBe(0);
    const traced = JSON.parse(out) as { value: number; scope: { kind: string } };
    expect(traced.scope.kind).toBe('provider');
    expect(alert.sentence).toContain(`${(traced.value * 100).toFixed(1)} % of production`);
  });

  it('prints a table of dollars, rule, subject and sentence, with the drafts when asked', async () => {
    expect(await run('actions', '--location', 'L001', '--drafts')).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^L001 .*: as of 2025-12-31, alerts over 2025-12; [\d,]+ patients scored; [\d,]+ actions$/,
    );
    const header = lines.find((l) => l.includes('dollars') && l.includes('sentence'))!;
    expect(header.trim()).toMatch(/^dollars {2}rule +subject +sentence$/);
    expect(out).toMatch(/\n +\$[\d,]+\.\d\d {2}vip_past_due +L001 patient \S+ +VIP, #/);
    expect(out).toMatch(/\n +draft \(\w+\): Hi \{\{first_name\}\}, it's been about/);
    expect(lines.at(-1)).toMatch(/^[\d,]+ actions, \$[\d,]+\.\d\d in all$/);
  });

  it('leaves out a snoozed action and a done one, and lists them marked when asked', async () => {
    const patient = all.actions.find((a) => a.audience === 'front_desk' && a.location_id === 'L001')!;
    const alert = all.actions.find((a) => a.audience === 'owner')!;
    const until = addDays(todayUtc(), 30);
    expect(await run('actions', 'snooze', patient.id, '--until', until)).toBe(0);
    expect(out.trim()).toBe(`Snoozed until ${until}: ${patient.id}`);
    expect(await run('actions', 'done', alert.id, '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ action_id: alert.id, status: 'done', snoozed_until: null });

    const after = await list();
    expect(after.hidden).toBe(2);
    expect(after.actions.map((a) => a.id)).not.toContain(patient.id);
    expect(after.actions.map((a) => a.id)).not.toContain(alert.id);
    const marked = await list('--include-snoozed');
    expect(marked.actions.find((a) => a.id === patient.id)?.state).toEqual({ status: 'snoozed', until });
    expect(marked.actions.find((a) => a.id === alert.id)?.state).toEqual({ status: 'done' });
    expect(await run('actions', '--location', alert.location_id)).toBe(0);
    const here = [patient, alert].filter((a) => a.location_id === alert.location_id).length;
    expect(out.trimEnd()).toMatch(new RegExp(`; ${here} snoozed or done not shown \\(--include-snoozed\\)$`));
  }, 60_000);

  it('refuses an unknown id (exit 1, the id quoted by its head), a past day and a bad scope (exit 2)', async () => {
    const long = `vip_past_due:L001:${'x'.repeat(300)}:2025-12`;
    expect(await run('actions', 'done', long)).toBe(1);
    expect(err).toMatch(/^error: Unknown action "vip_past_due:L001:x{46}…\(326 characters\)": not among/);
    expect(await run('actions', 'done', 'vip_past_due:NOWHERE:P1:2025-12')).toBe(1);
    expect(err).toContain('no such location');
    expect(await run('actions', 'done', 'not an id')).toBe(1);
    expect(await run('actions', 'snooze', all.actions[0]!.id, '--until', '2020-01-01')).toBe(2);
    expect(err).toMatch(/--until: until 2020-01-01 is not after today/);
    expect(await run('actions', '--location', 'L001', '--portfolio')).toBe(2);
    expect(await run('actions', '--location', 'NOWHERE')).toBe(2);
    expect(err).toContain('Unknown location "NOWHERE"');
    expect(await run('actions', '--as-of', '2025-13-01')).toBe(2);
  }, 60_000);

  it('prints no email, phone, patient name or note of the ingested files, in any form', async () => {
    await run('actions', '--drafts', '--include-snoozed');
    await run('actions', '--json', '--include-snoozed');
    const needles = needlesUnder(demo, PERSONAL_COLUMNS);
    const kinds = new Set(needles.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['email', 'name or note', 'phone']);
    expect(needles.length).toBeGreaterThan(1000);
    expect(printed.join('\n').length).toBeGreaterThan(100_000);
    const output = printed.join('\n');
    // The one-pass search finds what needlesIn finds: a sample of the output with needles planted.
    const sample = {
      sample: `${output.slice(0, 20_000)} ${needles[0]!.text} x${needles.at(-1)!.text.toUpperCase()}y`,
    };
    expect(needlesFound(needles, sample).sort()).toEqual(needlesIn(needles, sample).sort());
    expect(needlesFound(needles, sample).length).toBeGreaterThanOrEqual(2);
    expect(needlesFound(needles, { 'caliper actions output': output })).toEqual([]);
  }, 60_000);
});
