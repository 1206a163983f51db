import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { readVendorCsv } from '../../shared/connectors/vendorCsv';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { tempDir } from '../support/testStore';

/*
 * The grep test (issue 11): every fixture Caliper ships — vendor exports, real exports, canonical
 * bundles and the privacy fixtures — goes through the real CLI into one SQLite store; then every
 * email, phone number, patient name and free-text note the fixture files hold is looked for in the
 * database file's bytes, in everything the CLI printed and in the data-quality log. None may be
 * there: Caliper keeps keyed hashes of emails and phones, and no name, contact or note at all.
 *
 * Staff are not patients: provider, employee, staff and instructor names are stored as provider
 * display names by design (a provider's profitability is reported by name), so their columns are
 * not searched. Location, service, plan and campaign names are not personal either.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const VENDORS = path.join(FIXTURES, 'vendors');
const REAL = path.join(FIXTURES, 'real');
const BUNDLES = path.join(FIXTURES, 'bundles');
const PRIVACY = path.join(FIXTURES, 'privacy');

/** Rates for the foreign-currency fixtures (IDR, JPY, AUD, EUR): any rate will do here. */
const FX = ['--fx', 'IDR=0.0000615', '--fx', 'JPY=0.0067', '--fx', 'AUD=0.65', '--fx', 'EUR=1.08'];

function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The files an ingest reads: data files, not expected outputs, mappings, notes or provenance. */
function isInput(file: string): boolean {
  return /\.(csv|json)$/i.test(file) && !/\.(expected|mapping)(\.[a-z]+)*\.json$/i.test(file);
}

const inputs = [VENDORS, REAL, BUNDLES, PRIVACY].flatMap(filesUnder).filter(isInput);

// ---------------------------------------------------------------------------------------------
// What the fixtures hold that must never come out again.

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/**
 * North American numbers as exports write them, international ones written with `+`, and the
 * fixtures' unformatted ones (all invented: the 555 exchange; a bare 10-digit run elsewhere is a
 * Stripe timestamp or an ads account id, not a phone).
 */
const PHONE =
  /(?:\+1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b|\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}\b|\b[2-9]\d{2}555\d{4}\b/g;

/** Header words of columns that hold a patient's, client's or lead's name (never staff). */
const PERSON_NAME_HEADER =
  /^(?:(?:guest|client|customer|patient|member|lead|card ?holder)(?: full)? ?name|(?:first|last|full) ?name|client|patient|customer|lead|card holder)$/;
/** Header words of free-text columns (notes and messages). */
const FREE_TEXT_HEADER = /^(?:(?:appointment |guest |client )?notes?|comments?|message)$/;
/** JSON objects whose `name` is a person's (a customer, a card holder…). */
const PERSON_OBJECTS = new Set([
  'customer',
  'client',
  'billing_details',
  'shipping',
  'recipient',
  'buyer',
  'guest',
  'patient',
  'cardholder',
  'owner',
]);

function normalized(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[_\s-]+/g, ' ');
}

function namesInCsv(text: string): string[] {
  let csv;
  try {
    csv = readVendorCsv(text);
  } catch {
    return [];
  }
  const headers = csv.headers.map(normalized);
  const wanted = headers
    .map((h, i) => (PERSON_NAME_HEADER.test(h) || FREE_TEXT_HEADER.test(h) ? i : -1))
    .filter((i) => i !== -1);
  return csv.rows.flatMap((r) => wanted.map((i) => (r.cells[i] ?? '').trim()));
}

function namesInJson(json: unknown, parent = ''): string[] {
  if (Array.isArray(json)) return json.flatMap((item) => namesInJson(item, parent));
  if (typeof json !== 'object' || json === null) return [];
  const record = json as Record<string, unknown>;
  const found: string[] = [];
  const text = (key: string) => {
    const match = Object.keys(record).find((k) => k.toLowerCase().replace(/_/g, '') === key);
    const value = match === undefined ? undefined : record[match];
    return typeof value === 'string' ? value.trim() : '';
  };
  const first = text('firstname') || text('givenname');
  const last = text('lastname') || text('familyname');
  if (first !== '' && last !== '') found.push(`${first} ${last}`);
  if (PERSON_OBJECTS.has(parent.toLowerCase()) && text('name') !== '') found.push(text('name'));
  for (const [key, value] of Object.entries(record)) found.push(...namesInJson(value, key));
  return found;
}

interface Needle {
  kind: 'email' | 'phone' | 'name or note';
  text: string;
  file: string;
}

function needlesOf(file: string): Needle[] {
  const raw = fs.readFileSync(file, 'utf8');
  const rel = path.relative(FIXTURES, file);
  const needles: Needle[] = [];
  for (const m of raw.matchAll(EMAIL)) needles.push({ kind: 'email', text: m[0], file: rel });
  for (const m of raw.matchAll(PHONE)) {
    needles.push({ kind: 'phone', text: m[0].trim(), file: rel });
    // As the ingest would normalize it, too: digits only, with and without a country code.
    const digits = m[0].replace(/\D/g, '');
    needles.push({ kind: 'phone', text: digits, file: rel });
    if (digits.length === 11 && digits.startsWith('1'))
      needles.push({ kind: 'phone', text: digits.slice(1), file: rel });
  }
  let names: string[] = [];
  if (file.toLowerCase().endsWith('.csv')) names = namesInCsv(raw);
  else {
    try {
      names = namesInJson(JSON.parse(raw.replace(/^\uFEFF/, '')) as unknown);
    } catch {
      names = [];
    }
  }
  for (const name of names) {
    // A name needs two parts to be searched for as a name ("Gold" is a tier, "K. Sample" a client).
    if (/\S\s+\S/.test(name) || name.length >= 12)
      needles.push({ kind: 'name or note', text: name, file: rel });
  }
  return needles;
}

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
    if (!(await run(what, args))) await run(`${what} --location`, [...args, '--location', 'Evolve Austin']);
  }
  return runs;
}

describe('the grep test: no email, phone, patient name or note from any fixture comes out again', () => {
  let runs: Run[];
  let database: string;
  let issueMessages: string;

  beforeAll(async () => {
    runs = await ingestEveryFixture();
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
    const needles = inputs.flatMap(needlesOf);
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
    const needles = inputs.flatMap(needlesOf);
    const places = {
      'the SQLite file': database,
      'the CLI output': captured.toLowerCase(),
      data_quality_issues: issueMessages.toLowerCase(),
    };
    const leaks = needles.flatMap((n) =>
      Object.entries(places)
        .filter(([, haystack]) => haystack.includes(n.text.toLowerCase()))
        .map(([where]) => `${n.kind} ${JSON.stringify(n.text)} (${n.file}) in ${where}`),
    );
    expect([...new Set(leaks)]).toEqual([]);
  });
});
