import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import {
  BUNDLES,
  EXPORTS_LOCATION,
  fixtureInputs,
  fixtureNeedles,
  FIXTURES,
  FX_RATES,
  needlesIn,
  PRIVACY,
  REAL,
  VENDORS,
} from '../support/fixtureNeedles';
import { tempDir } from '../support/testStore';

/*
 * The grep test (issue 11): every fixture Caliper ships — vendor exports, real exports, canonical
 * bundles and the privacy fixtures — goes through the real CLI into one SQLite store; then every
 * email, phone number, patient name and free-text note the fixture files hold is looked for in the
 * database file's bytes, in everything the CLI printed and in the data-quality log. None may be
 * there: Caliper keeps keyed hashes of emails and phones, and no name, contact or note at all.
 * (What is looked for, and why staff names are not: tests/support/fixtureNeedles.ts. The same
 * fixtures through the API: tests/functions/privacyGrep.test.ts.)
 */

/** The CLI's `--fx` flags for the foreign-currency fixtures. */
const FX = Object.entries(FX_RATES).flatMap(([code, rate]) => ['--fx', `${code}=${rate}`]);

const inputs = fixtureInputs;

// ---------------------------------------------------------------------------------------------
// Every fixture through the real CLI, into one store.

let dir: string;
let store: string;
let captured: string;

beforeAll(() => {
  dir = tempDir('caliper-privacy-grep-');
  store = path.join(dir, 'caliper.db');
  captured = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    captured += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    captured += String(chunk);
    return true;
  });
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `caliper ingest … --json` and says whether it committed; everything printed is kept. */
async function ingest(args: string[]): Promise<boolean> {
  const before = captured.length;
  const code = await main(['ingest', ...args, '--store', store, '--json']);
  const printed = captured.slice(before);
  const start = printed.indexOf('{');
  try {
    return code === 0 && (JSON.parse(printed.slice(start)) as { committed?: boolean }).committed === true;
  } catch {
    return false;
  }
}

/** The mapping a user would give a file of a system without a profile, when the fixtures have one. */
function mappingOf(file: string): string[] {
  const base = file.replace(/\.csv$/i, '');
  for (const candidate of [`${base}.mapping.json`, `${base}.mapping.expected.json`]) {
    if (fs.existsSync(candidate)) return ['--mapping', candidate];
  }
  return [];
}

interface Run {
  what: string;
  committed: boolean;
}

async function ingestEveryFixture(): Promise<Run[]> {
  const runs: Run[] = [];
  const run = async (what: string, args: string[]) => {
    runs.push({ what, committed: await ingest(args) });
    return runs[runs.length - 1]!.committed;
  };
  // Canonical bundles, as their own tests ingest them.
  await run('bundles/north + south', [path.join(BUNDLES, 'north'), path.join(BUNDLES, 'south')]);
  await run('bundles/rejects', [path.join(BUNDLES, 'rejects'), '--accept-rejected']);
  await run('privacy/personal_columns', [path.join(PRIVACY, 'personal_columns'), '--accept-rejected']);
  await run('privacy/broken_quote', [path.join(PRIVACY, 'broken_quote'), '--accept-rejected']);
  // The location vendor exports of the fixtures belong to, then each export on its own: first as
  // a user drops it in, then (when that writes nothing) with the location the export does not name.
  await run('vendors/e2e/locations.csv', [path.join(VENDORS, 'e2e', 'locations.csv')]);
  for (const file of inputs.filter((f) => f.startsWith(VENDORS) || f.startsWith(REAL))) {
    if (file === path.join(VENDORS, 'e2e', 'locations.csv')) continue;
    const what = path.relative(FIXTURES, file);
    const args = [file, ...mappingOf(file), ...FX, '--accept-rejected'];
    if (!(await run(what, args))) await run(`${what} --location`, [...args, '--location', EXPORTS_LOCATION]);
  }
  return runs;
}

describe('the grep test: no email, phone, patient name or note from any fixture comes out again', () => {
  let runs: Run[];
  let database: string;
  let issueMessages: string;

  beforeAll(async () => {
    runs = await ingestEveryFixture();
    // What the store tells the front desk and the owner: every action, with its outreach draft.
    await main(['actions', '--json', '--store', store]);
    await main(['actions', '--drafts', '--include-snoozed', '--store', store]);
    // The daily briefing: patients only as counts and dollars.
    await main(['briefing', '--json', '--store', store]);
    await main(['briefing', '--trace', '--store', store]);
    const s = SqliteStore.open(store);
    try {
      issueMessages = (s.db.prepare('SELECT message FROM data_quality_issues').all() as { message: string }[])
        .map((r) => r.message)
        .join('\n');
    } finally {
      await s.close();
    }
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('caliper.db'));
    database = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))))
      .toString('latin1')
      .toLowerCase();
  }, 120_000);

  it('ingests the fixtures (most of them commit)', () => {
    expect(inputs.length).toBeGreaterThan(40);
    // Enough went in for the search to mean something.
    expect(runs.filter((r) => r.committed).length).toBeGreaterThan(25);
    expect(runs.find((r) => r.what === 'privacy/personal_columns')?.committed).toBe(true);
  });

  it('finds emails, phones and names in the fixture files to look for', () => {
    const needles = fixtureNeedles();
    const kinds = new Set(needles.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['email', 'name or note', 'phone']);
    const names = needles.filter((n) => n.kind === 'name or note').map((n) => n.text);
    // Spot checks of the extraction itself: a Zenoti guest, a Stripe card holder, a Mindbody client,
    // the privacy fixture's "Last, First" and note.
    expect(names).toEqual(
      expect.arrayContaining([
        'Alice Example',
        'Jenny Rosen',
        'K. Sample',
        'Quartz, Olivia',
        'Prefers afternoons and asks for numbing cream before every treatment',
      ]),
    );
  });

  it('finds none of them in the database file, the CLI output or the data-quality log', () => {
    const places = {
      'the SQLite file': database,
      'the CLI output': captured,
      data_quality_issues: issueMessages,
    };
    expect(needlesIn(fixtureNeedles(), places)).toEqual([]);
  });
});
