import fs from 'node:fs';
import path from 'node:path';

import { CaliperClient, type CallListBody } from '../../addin/api/caliperClient';
import { callListSheet } from '../../addin/excel/callListSheet';
import { createCaliperFunctions } from '../../addin/functions/caliperFunctions';
import { main } from '../../cli/caliper';
import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { installCustomFunctionsRuntime } from '../addin/functions/customFunctionsRuntime';
import { writeCallListDemo } from '../support/callListDemo';
import { type Needle, needlesIn, needlesOf, PRIVACY } from '../support/fixtureNeedles';
import { tempDir } from '../support/testStore';

/*
 * The call list's grep test (issue 14, item 3): a demo whose patients have emails, phones,
 * names and notes (the demo's patients.csv carry the contacts; a name and a note column are
 * added here, and a name column to every appointment), plus the privacy fixtures, ingested
 * through the CLI. Then every call list the product can give — the CLI's table, CSV and JSON,
 * the API's JSON, the Excel function's table and the sheet "Insert into sheet" writes, for the
 * portfolio and every location — is searched for every one of those values. None may be there.
 */

const TENANT = 't1';
let dir: string;
let store: string;
let needles: Needle[];
const outputs: Record<string, string> = {};

/** A name from an email's local part: `michael.campbell3@…` → `Michael Campbell`. */
function nameOf(email: string): string {
  return (email.split('@')[0] ?? '')
    .replace(/\d+/g, '')
    .split('.')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** Adds columns to a CSV without quotes (the demo writes none): `values(row)` per data row. */
function addColumns(
  file: string,
  headers: string[],
  values: (row: Record<string, string>) => string[],
): void {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = head!.split(',');
  const lines = rows.map((line) => {
    const cells = line.split(',');
    const row = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
    return [...cells, ...values(row)].join(',');
  });
  fs.writeFileSync(file, [[...columns, ...headers].join(','), ...lines].join('\n') + '\n');
}

/** The demo with a name and a note for every patient, and the name on every appointment. */
async function writePersonalDemo(): Promise<string[]> {
  const folders = await writeCallListDemo(dir);
  for (const folder of folders) {
    const names = new Map<string, string>();
    addColumns(path.join(folder, 'patients.csv'), ['Client Name', 'Notes'], (row) => {
      const name = nameOf(row.email ?? '');
      names.set(row.patient_id ?? '', name);
      return [name, `Call ${name} after five about the next treatment`];
    });
    addColumns(path.join(folder, 'appointments.csv'), ['Guest Name'], (row) => [
      names.get(row.patient_id ?? '') ?? '',
    ]);
  }
  return folders;
}

async function cli(args: string[]): Promise<string> {
  let printed = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  try {
    const code = await main([...args, '--store', store, '--tenant', TENANT]);
    if (code !== 0) throw new Error(`caliper ${args.join(' ')} exited ${code}: ${printed}`);
    return printed;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const SCOPES = ['L001', 'L002', 'L003'];

beforeAll(async () => {
  installCustomFunctionsRuntime();
  dir = tempDir('caliper-calllist-privacy-');
  store = path.join(dir, 'caliper.db');
  const folders = await writePersonalDemo();
  await cli(['ingest', ...folders, path.join(PRIVACY, 'personal_columns'), '--accept-rejected']);
  const inputs = [...folders, path.join(PRIVACY, 'personal_columns')].flatMap((folder) =>
    fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => path.join(folder, f)),
  );

  // The CLI, in every format, for the portfolio and each location.
  outputs['CLI table'] = await cli(['calllist', '--portfolio', '--n', '100000']);
  outputs['CLI CSV'] = await cli(['calllist', '--portfolio', '--n', '100000', '--format', 'csv']);
  // The portfolio's table and CSV hold every patient of the open locations; L002 (closed) is
  // listed whole on its own.
  for (const id of SCOPES) {
    const n = id === 'L002' ? '100000' : '500';
    outputs[`CLI JSON ${id}`] = await cli(['calllist', '--location', id, '--json', '--n', n]);
  }

  // The API and the Excel function, through the real local host.
  const s = SqliteStore.open(store);
  let host: LocalHost | undefined;
  try {
    const staff = s.db
      .prepare<[string], { display_name: string }>(
        'SELECT DISTINCT display_name FROM providers WHERE tenant_id = ?',
      )
      .all(TENANT)
      .map((p) => p.display_name.toLowerCase());
    // Staff names are shown by design (a provider is named on the list): a patient named like a
    // provider cannot be told apart, so such names are not looked for.
    // Each value once (a name is on every appointment of its patient): the search stays quick.
    const unique = new Map(inputs.flatMap(needlesOf).map((n) => [`${n.kind} ${n.text.toLowerCase()}`, n]));
    needles = [...unique.values()].filter(
      (n) => n.kind !== 'name or note' || !staff.some((name) => name.includes(n.text.toLowerCase())),
    );
    const runtime = createRuntime({ storeFile: store, auth: { mode: 'api-key' } }, s);
    const key = (await createKey(s, TENANT, 'privacy')).key;
    host = await startLocalHost({ port: 0, runtime });
    const get = async (query: string) =>
      (
        await fetch(`${host!.url}/api/calllist${query}`, { headers: { authorization: `Bearer ${key}` } })
      ).text();
    const functions = createCaliperFunctions(new CaliperClient({ baseUrl: host.url, apiKey: key }), {
      timeoutMs: 120_000,
    });
    for (const [label, query, scope] of [
      ['portfolio', '?n=500', 'PORTFOLIO'],
      ...SCOPES.map((id) => [id, `?location=${id}&n=500`, id]),
    ] as const) {
      const answer = await get(query);
      outputs[`API ${label}`] = answer;
      outputs[`sheet ${label}`] = JSON.stringify(callListSheet(JSON.parse(answer) as CallListBody));
      outputs[`Excel ${label}`] = JSON.stringify(await functions.calllist(scope, 500));
    }
  } finally {
    await host?.close();
    setRuntimeForTests(undefined);
    await s.close();
  }
}, 300_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the call list grep test', () => {
  it('has emails, phones, names and notes to look for, and lists to look in', () => {
    const kinds = new Set(needles.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['email', 'name or note', 'phone']);
    expect(needles.filter((n) => n.kind === 'name or note').length).toBeGreaterThan(1000);
    expect(needles.some((n) => n.text === 'Quartz, Olivia')).toBe(true);
    expect(Object.keys(outputs)).toHaveLength(2 + 3 + 4 * 3);
    // Hundreds of patients in every list: the search means something.
    expect((outputs['CLI CSV']!.match(/\n/g) ?? []).length).toBeGreaterThan(1000);
    expect(JSON.parse(outputs['API portfolio']!).rows).toHaveLength(500);
    expect(JSON.parse(outputs['Excel L002']!)).toHaveLength(501);
  });

  // About 27,000 values in 3.8 MB of lists: tens of seconds.
  it('finds none of them in any call list: CLI, API, Excel function or inserted sheet', () => {
    expect(needlesIn(needles, outputs)).toEqual([]);
  }, 180_000);
});
