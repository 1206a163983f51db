import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { needlesFound, needlesUnder } from '../shared/actions/actionsDemo';
import { cliIngestDemo, writeCallListDemo } from '../support/callListDemo';
import { tempDir } from '../support/testStore';

/*
 * `caliper briefing` through the real CLI on a real SQLite file: the call list's demo (3
 * locations, one year to 2025-12, L002 closed in September; its patients.csv carry emails and
 * phones) ingested, then the briefing as text, with traces, as JSON and for one location, the
 * usage errors, a snoozed alert left out — and everything printed searched for the demo's
 * contacts and every patient id the actions name: none may be there.
 */

const DATE = '2026-01-05';
let dir: string;
let store: string;
let folders: string[];
let out = '';
let err = '';
const printed: string[] = [];

async function run(...args: string[]): Promise<number> {
  out = '';
  err = '';
  const code = await main([...args, '--store', store]);
  if (args[0] === 'briefing') printed.push(out, err);
  return code;
}

interface BriefingJson {
  tenant: string;
  date: string;
  as_of_month: string;
  scope: { kind: string; location_id: string | null; name: string | null };
  items: {
    kind: string;
    location_id: string | null;
    sentence: string;
    dollars_cents: number | null;
    trace: { kind: string; trace: { cli: string; api: string } }[];
  }[];
  notes: string[];
}

async function json(...flags: string[]): Promise<BriefingJson> {
  expect(await run('briefing', '--json', '--date', DATE, ...flags)).toBe(0);
  return JSON.parse(out) as BriefingJson;
}

beforeAll(async () => {
  dir = tempDir('caliper-briefing-cli-');
  store = path.join(dir, 'caliper.db');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  folders = await writeCallListDemo(dir);
  // `caliper ingest` of those folders, made once per run (tests/support/callListDemo.ts).
  await cliIngestDemo(store);
}, 120_000);

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper briefing', () => {
  let portfolio: BriefingJson;
  beforeAll(async () => {
    portfolio = await json();
  }, 120_000);

  it('briefs the portfolio on a day: largest dollars first, the closed location noted', () => {
    expect(portfolio).toMatchObject({
      tenant: 'default',
      date: DATE,
      as_of_month: '2025-12',
      scope: { kind: 'portfolio', location_id: null },
    });
    const kinds = new Set(portfolio.items.map((i) => i.kind));
    for (const kind of ['revenue_vs_last_year', 'revenue_vs_prior_month', 'forecast_vs_last_year', 'gap'])
      expect(kinds).toContain(kind);
    const sizes = portfolio.items.flatMap((i) =>
      i.dollars_cents === null ? [] : [Math.abs(i.dollars_cents)],
    );
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const firstNull = portfolio.items.findIndex((i) => i.dollars_cents === null);
    if (firstNull !== -1)
      expect(portfolio.items.slice(firstNull).every((i) => i.dollars_cents === null)).toBe(true);
    expect(
      portfolio.notes.some((n) =>
        /: not in the briefing — closed on 2025-09-\d\d: nobody there to act$/.test(n),
      ),
    ).toBe(true);
    for (const item of portfolio.items) {
      expect(item.trace.length).toBeGreaterThan(0);
      for (const f of item.trace) expect(f.trace.cli).toMatch(/^caliper (trace|actions|forecast) /);
    }
  });

  it('prints the same briefing as text, each item’s commands beneath with --trace', async () => {
    expect(await run('briefing', '--date', DATE, '--trace')).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Daily briefing for the portfolio, ${DATE} (figures through 2025-12)`);
    for (const item of portfolio.items) expect(out).toContain(item.sentence);
    expect(out).toContain('↳ caliper trace net_revenue --period 2025-12');
    expect(out).toContain('Notes:');
  });

  it('is the same briefing on every run', async () => {
    expect(await json()).toEqual(portfolio);
  }, 120_000);

  it('briefs one location, and refuses an unknown one, a bad day, or both scopes', async () => {
    const one = await json('--location', 'L001');
    expect(one.scope).toMatchObject({ kind: 'location', location_id: 'L001' });
    expect(one.items.every((i) => i.location_id === 'L001')).toBe(true);
    expect(await run('briefing', '--location', 'NOWHERE')).toBe(2);
    expect(err).toContain('Unknown location "NOWHERE"');
    expect(await run('briefing', '--date', '2026-13-01')).toBe(2);
    expect(await run('briefing', '--location', 'L001', '--portfolio')).toBe(2);
  }, 120_000);

  it('leaves out an action snoozed with caliper actions', async () => {
    const alert = portfolio.items.find(
      (i) => i.kind === 'provider_out_of_band' || i.kind === 'no_show_spike',
    );
    const vip = portfolio.items.find((i) => i.kind === 'vip_past_due')!;
    // The actions behind the VIP count, listed where patients may be named: snooze the first.
    const listing = vip.trace[0]!.trace.cli.replace(/^caliper /, '').split(' ');
    expect(await main([...listing, '--json', '--store', store])).toBe(0);
    const actions = (
      JSON.parse(out) as { actions: { id: string; rule: string; subject: { patient_id?: string } }[] }
    ).actions;
    const ids = actions.flatMap((a) => (a.subject.patient_id === undefined ? [] : [a.subject.patient_id]));
    expect(ids.length).toBeGreaterThan(10);
    const first = actions.find((a) => a.rule === 'vip_past_due')!;
    expect(
      await run('actions', 'snooze', first.id, '--until', '2099-01-01', '--as-of', listing.at(-1)!),
    ).toBe(0);
    const after = await json();
    const count = (b: BriefingJson) =>
      b.items.find((i) => i.kind === 'vip_past_due' && i.location_id === vip.location_id)?.sentence ?? '';
    expect(count(after)).not.toEqual(count(portfolio));
    expect(after.notes).toContain('1 snoozed or done actions left out (caliper actions --include-snoozed)');
    if (alert !== undefined) expect(after.items.map((i) => i.sentence)).toContain(alert.sentence);
    // No patient id of the actions is in anything the briefing printed.
    const text = printed.join('\n');
    const named = ids.filter((id) =>
      new RegExp(`(?<![A-Za-z0-9])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`).test(text),
    );
    expect(named).toEqual([]);
  }, 120_000);

  it('prints no email, phone or name of the demo’s patients', () => {
    const needles = needlesUnder(path.dirname(folders[0]!));
    expect(needles.length).toBeGreaterThan(100);
    const text = printed.join('\n');
    expect(text.length).toBeGreaterThan(10_000);
    expect(needlesFound(needles, { 'caliper briefing': text })).toEqual([]);
  });
});
