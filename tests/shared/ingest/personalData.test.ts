import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';

import { openVendorBundles } from '../../../io/vendorBundle';
import {
  convertVendorFile,
  toDataQualityIssues,
  toRecordFiles,
} from '../../../shared/connectors/vendorConversion';
import type { Bundle, ByteFile } from '../../../shared/ingest/bundle';
import type { IngestReport } from '../../../shared/ingest/dataQuality';
import { ingestBundles } from '../../../shared/ingest/ingestBundles';
import { csvCell, type Injected, leaksIn, personalValue } from '../../support/personalData';
import { openTestStore, type TestStore } from '../../support/testStore';

/*
 * Personal data in files that carry patients or leads (issue 11, items 3 and 4): an unknown
 * column is kept only when its values cannot hold personal data, and no message — an issue,
 * a failure, the data-quality log — ever carries an email or a phone number.
 */

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const PRIVACY = path.join(FIXTURES, 'privacy');
const VENDORS = path.join(FIXTURES, 'vendors');
const TODAY = '2026-12-03';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

function rows(table: string, tenant = 't1'): (Record<string, unknown> & { extra_json: string | null })[] {
  return t.store.db
    .prepare(`SELECT * FROM ${table} WHERE tenant_id = ? AND valid_to_ingest IS NULL`)
    .all(tenant) as (Record<string, unknown> & { extra_json: string | null })[];
}

function extras(table: string, key: string, tenant = 't1'): Record<string, unknown> {
  return Object.fromEntries(
    rows(table, tenant).map((r) => [
      String(r[key]),
      r.extra_json === null ? null : (JSON.parse(r.extra_json) as unknown),
    ]),
  );
}

function byteFile(name: string, text: string, folder = 'mem'): ByteFile {
  const bytes = Buffer.from(text);
  return {
    name,
    displayPath: `${folder}/${name}`,
    bytes: bytes.length,
    async *read() {
      yield bytes;
    },
  };
}

const LOCATIONS = 'location_id,name,timezone,opened_on\nLP,Privacy Park,America/Chicago,2022-01-01\n';

async function ingestFiles(
  files: ByteFile[],
  tenant = 't1',
  more: Partial<Parameters<typeof ingestBundles>[1]> = {},
): Promise<IngestReport> {
  return ingestBundles([{ label: 'mem', files }], {
    store: t.store,
    tenant,
    pseudonymizer: t.pseudonymizer,
    acceptRejected: true,
    today: TODAY,
    ...more,
  });
}

const allMessages = (report: IngestReport) =>
  [
    report.failure ?? '',
    ...report.files.flatMap((f) => f.issues.flatMap((i) => [i.message, i.column ?? ''])),
    ...report.issue_groups.flatMap((g) => g.examples.flatMap((e) => [e.message, e.column ?? ''])),
  ].join('\n');

describe('unknown columns of files that carry patients or leads', () => {
  it('keeps codes, numbers, flags, dates and enumerations, and drops names, contacts, notes and dates of birth', async () => {
    const report = await t.ingest([path.join(PRIVACY, 'personal_columns')], 't1', { acceptRejected: true });
    expect(report.committed).toBe(true);

    expect(extras('patients', 'patient_id')).toEqual({
      'P-1': { loyalty_tier: 'Gold', visits: '3', member: 'yes', skin_type: 'II' },
      'P-2': { loyalty_tier: 'Silver', visits: '1', member: 'no', skin_type: 'III' },
      'P-3': { loyalty_tier: 'Gold', visits: '7', member: 'yes', skin_type: 'IV' },
    });
    expect(extras('appointments', 'appointment_id')).toEqual({
      'AP-1': { room: 'Room 2', booking_channel: 'online' },
      'AP-2': { room: 'Room 2', booking_channel: 'phone' },
      'AP-3': { room: 'Room 3', booking_channel: 'online' },
    });
    expect(extras('sales', 'line_id')).toEqual({ 'SL-1': { payment: 'Card' }, 'SL-2': { payment: 'Cash' } });
    expect(extras('memberships', 'membership_id')).toEqual({
      'MB-1': { member_since: '2019-06-01', renewal: 'auto' },
    });
    expect(extras('leads', 'lead_id')).toEqual({
      'LD-1': { campaign: 'spring_promo' },
      'LD-2': { campaign: 'spring_promo' },
    });

    const dropped = report.files.flatMap((f) =>
      f.issues
        .filter((i) => i.code === 'personal_column_dropped')
        .map((i) => [path.basename(i.file), i.row, i.column, i.severity]),
    );
    expect(dropped).toEqual([
      ['patients.csv', 1, 'client', 'warning'],
      ['patients.csv', 1, 'patient', 'warning'],
      ['patients.csv', 1, 'contact', 'warning'],
      ['patients.csv', 1, 'notes', 'warning'],
      ['patients.csv', 1, 'born', 'warning'],
      ['appointments.csv', 1, 'comments', 'warning'],
      ['appointments.csv', 1, 'callback', 'warning'],
      ['sales.csv', 1, 'customer', 'warning'],
      ['sales.csv', 1, 'card_holder', 'warning'],
      ['leads.csv', 1, 'lead', 'warning'],
      ['leads.csv', 1, 'message', 'warning'],
    ]);
    const warning = report.files
      .flatMap((f) => f.issues)
      .find((i) => i.column === 'card_holder' && i.code === 'personal_column_dropped');
    expect(warning?.message).toBe(
      'column "card_holder" holds values that look like personal data — a person\'s name (first at row 2) — which Caliper does not store: the column was not kept; if it is one of Caliper\'s columns under another name (a referral source, say), map it to that column with `caliper map`; a column that may hold names, contact details, notes or dates of birth is never stored',
    );
  });

  it('tells a date of birth by its values under a header that does not say so', async () => {
    const report = await ingestFiles([
      byteFile('locations.csv', LOCATIONS),
      byteFile(
        'patients.csv',
        'patient_id,home_location_id,Since,First Visit\nP1,LP,1984-03-12,2024-01-05\nP2,LP,1990-07-01,2024-02-10\n',
      ),
    ]);
    expect(extras('patients', 'patient_id')).toEqual({
      P1: { first_visit: '2024-01-05' },
      P2: { first_visit: '2024-02-10' },
    });
    const issue = report.files.flatMap((f) => f.issues).find((i) => i.column === 'since');
    expect(issue).toMatchObject({ code: 'personal_column_dropped', row: 1, severity: 'warning' });
    expect(issue?.message).toContain('a date of birth (first at row 2)');
    expect(issue?.message).not.toContain('1984');
  });

  it('decides on the first rows and still drops a later personal value, naming the column, never the value', async () => {
    const lines = ['patient_id,home_location_id,Tier,Ref'];
    for (let i = 1; i <= 700; i += 1) lines.push(`P${i},LP,${i % 2 === 0 ? 'Gold' : 'Silver'},R-${i}`);
    // After the read-ahead: an email in a kept column, and a first name no tier is called.
    lines[650] = 'P650,LP,Gold,late.lee@example.net';
    lines[651] = 'P651,LP,Olivia Quartz,R-651';
    const report = await ingestFiles([
      byteFile('locations.csv', LOCATIONS),
      byteFile('patients.csv', `${lines.join('\n')}\n`),
    ]);
    expect(report.committed).toBe(true);
    const stored = extras('patients', 'patient_id');
    expect(stored.P649).toEqual({ tier: 'Silver', ref: 'R-649' });
    expect(stored.P650).toEqual({ tier: 'Gold' });
    expect(stored.P651).toEqual({ ref: 'R-651' });
    const late = report.files
      .flatMap((f) => f.issues)
      .filter((i) => i.code === 'personal_value_dropped')
      .map((i) => [i.column, i.row, i.severity, i.message]);
    expect(late).toEqual([
      [
        'tier',
        652,
        'warning',
        'column "tier": 1 value (first at row 652) looked like personal data — a person\'s name — and was not kept; the column\'s other values were; if it is one of Caliper\'s columns under another name (a referral source, say), map it to that column with `caliper map`; a column that may hold names, contact details, notes or dates of birth is never stored',
      ],
      ['ref', 651, 'warning', expect.stringContaining('an email address')],
    ]);
    expect(allMessages(report)).not.toMatch(/late\.lee|Olivia/i);
  });

  it('keeps the extra attributes Caliper itself adds to converted rows', async () => {
    const opened = await openVendorBundles(
      [
        path.join(VENDORS, 'e2e', 'locations.csv'),
        path.join(VENDORS, 'zenoti', 'appointments.csv'),
        path.join(FIXTURES, 'real', 'stripe', 'charge_2017_aud.json'),
      ],
      { fxRates: new Map([['AUD', 0.65]]), locationId: 'Evolve Austin' },
    );
    if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
    const report = await ingestBundles(opened.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
      priorIssues: toDataQualityIssues(opened.warnings),
      acceptRejected: true,
      today: TODAY,
    });
    expect(report.committed).toBe(true);
    expect(report.files.flatMap((f) => f.issues).filter((i) => i.code.startsWith('personal_'))).toEqual([]);
    const appointments = Object.values(extras('appointments', 'appointment_id')) as Record<string, string>[];
    expect(
      appointments.map((e) =>
        Object.keys(e ?? {})
          .sort()
          .join(','),
      ),
    ).toContain('booking_source,service_lines,vendor_first_visit,vendor_rebooked');
    expect(new Set(appointments.map((e) => e?.booking_source))).toEqual(
      new Set(['Online', 'Phone', 'In Center', 'Walk-in']),
    );
    const sales = Object.values(extras('sales', 'line_id'));
    expect(sales).toContainEqual(expect.objectContaining({ currency: 'AUD', fx_rate: '0.65' }));
    expect(sales.some((e) => Object.keys(e as object).some((k) => k.startsWith('original_')))).toBe(true);
  });
});

describe('messages never carry the value that broke a file', () => {
  it('reports a `"` inside an unquoted email cell as a CSV structure error, without the cell', async () => {
    const report = await t.ingest([path.join(PRIVACY, 'broken_quote')]);
    expect(report.committed).toBe(false);
    const patients = report.files.find((f) => f.file.endsWith('patients.csv'));
    expect(patients?.issues).toEqual([
      expect.objectContaining({ code: 'csv_structure', row: 2, severity: 'error' }),
    ]);
    expect(report.failure).toMatch(/patients\.csv: row 2: .*quote.*nothing was written/);
    expect(allMessages(report)).not.toMatch(/nina|ochre|example\.net|555/i);
  });

  it('describes a patient’s cell instead of quoting it, and redacts whatever else a message holds', async () => {
    const report = await ingestFiles([
      byteFile('locations.csv', LOCATIONS),
      byteFile(
        'patients.csv',
        'patient_id,home_location_id,created_on\nP1,LP,Olivia Quartz\nP2,LP,olivia@example.net\n',
      ),
      byteFile(
        'sales.csv',
        'line_id,location_id,sold_on,kind,gross\nS1,LP,Olivia Quartz,service,10.00\nS2,LP,2024-01-01,service,about ten\n',
      ),
    ]);
    const messages = report.files.flatMap((f) => f.issues).map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'a value of 13 characters is not a calendar date in YYYY-MM-DD form',
        'a value of 18 characters is not a calendar date in YYYY-MM-DD form',
        // A sale's own values are quoted as before, unless they look personal.
        expect.stringMatching(/^"about ten" is not an amount/),
      ]),
    );
    expect(allMessages(report)).not.toMatch(/olivia|quartz/i);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: emails and phones injected anywhere never come out in a message.

const PATIENT_COLUMNS = ['patient_id', 'home_location_id', 'email', 'phone', 'referral_source', 'created_on'];
const EXTRA_COLUMNS = ['Tier', 'Ref', 'Since', 'Client'];

const cellArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', 'Gold', 'R-1', '2024-01-05', 'yes', '3', 'LP', 'referral') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const patientRows = fc.array(
  fc.record({
    cells: fc.array(cellArb, {
      minLength: PATIENT_COLUMNS.length + EXTRA_COLUMNS.length,
      maxLength: PATIENT_COLUMNS.length + EXTRA_COLUMNS.length,
    }),
    // Where the personal value goes (every column, canonical or not), and whether it breaks
    // the CSV (a `"` after it, in an unquoted cell).
    at: fc.nat(),
    injected: personalValue,
    broken: fc.boolean(),
  }),
  { minLength: 1, maxLength: 8 },
);

async function dataQualityLog(tenant: string): Promise<string> {
  return (
    t.store.db
      .prepare('SELECT column_name, message FROM data_quality_issues WHERE tenant_id = ?')
      .all(tenant) as { column_name: string | null; message: string }[]
  )
    .map((r) => `${r.column_name ?? ''} ${r.message}`)
    .join('\n');
}

function storedExtras(tenant: string): string {
  return ['patients', 'appointments', 'sales', 'memberships', 'leads']
    .flatMap((table) =>
      (
        t.store.db.prepare(`SELECT extra_json FROM ${table} WHERE tenant_id = ?`).all(tenant) as {
          extra_json: string | null;
        }[]
      ).map((r) => r.extra_json ?? ''),
    )
    .join('\n');
}

describe('property: an email or phone in any cell of patients.csv never reaches a message', () => {
  let run = 0;
  it('holds for the report, the failure, the data-quality log and the extra attributes', async () => {
    await fc.assert(
      fc.asyncProperty(patientRows, fc.boolean(), async (generated, withBreak) => {
        run += 1;
        const tenant = `p${run}`;
        const width = PATIENT_COLUMNS.length + EXTRA_COLUMNS.length;
        const injected: Injected[] = [];
        const lines = [[...PATIENT_COLUMNS, ...EXTRA_COLUMNS].join(',')];
        for (const [i, r] of generated.entries()) {
          const cells = r.cells.map(csvCell);
          const at = r.at % width;
          injected.push(r.injected);
          cells[at] =
            withBreak && r.broken
              ? `${r.injected.value.replace(/[",\r\n]/g, '')}"`
              : csvCell(r.injected.value);
          if (at !== 0) cells[0] = `P${i}`;
          lines.push(cells.join(','));
        }
        const report = await ingestFiles(
          [byteFile('locations.csv', LOCATIONS), byteFile('patients.csv', `${lines.join('\r\n')}\r\n`)],
          tenant,
        );
        expect(
          leaksIn(injected, {
            report: allMessages(report),
            data_quality_issues: await dataQualityLog(tenant),
            extra_json: storedExtras(tenant),
          }),
        ).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

// Vendor exports: fixture rows with emails and phones written into random cells, through the
// conversion and the canonical ingest, as the CLI and the API do.

interface VendorCase {
  name: string;
  fixture: string;
  format: 'csv' | 'json';
}

const VENDOR_CASES: VendorCase[] = [
  { name: 'zenoti_appointments.csv', fixture: 'zenoti/appointments.csv', format: 'csv' },
  { name: 'items.csv', fixture: 'square/items.csv', format: 'csv' },
  { name: 'employee_sales.csv', fixture: 'zenoti/employee_sales.csv', format: 'csv' },
  { name: 'sales.json', fixture: 'json/mindbody/sales.json', format: 'json' },
];

function injectIntoCsv(text: string, picks: readonly { at: number; injected: Injected }[]): string {
  const table: string[][] = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true });
  const [header, ...body] = table;
  for (const { at, injected } of picks) {
    const row = body[at % body.length]!;
    row[Math.floor(at / body.length) % row.length] = injected.value;
  }
  return `${[header!, ...body].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

function injectIntoJson(text: string, picks: readonly { at: number; injected: Injected }[]): string {
  const json = JSON.parse(text) as unknown;
  const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node))
      node.forEach((v, i) =>
        typeof v === 'object' && v !== null ? walk(v) : leaves.push({ parent: node, key: i }),
      );
    else if (typeof node === 'object' && node !== null)
      for (const [k, v] of Object.entries(node)) {
        if (typeof v === 'object' && v !== null) walk(v);
        else leaves.push({ parent: node as Record<string, unknown>, key: k });
      }
  };
  walk(json);
  for (const { at, injected } of picks) {
    const leaf = leaves[at % leaves.length]!;
    (leaf.parent as Record<string | number, unknown>)[leaf.key] = injected.value;
  }
  return JSON.stringify(json);
}

describe('property: an email or phone in any cell of a vendor export never reaches a message', () => {
  let run = 0;
  it.each(VENDOR_CASES)('$fixture', async ({ name, fixture, format }) => {
    const original = fs.readFileSync(path.join(VENDORS, fixture), 'utf8');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), injected: personalValue }), { minLength: 1, maxLength: 4 }),
        async (picks) => {
          run += 1;
          const tenant = `v${run}`;
          const injected = picks.map((p) => p.injected);
          const text = format === 'csv' ? injectIntoCsv(original, picks) : injectIntoJson(original, picks);
          const content = Buffer.from(text);
          const outcome = convertVendorFile(
            { name, displayPath: `exports/${name}`, content },
            { locationId: 'LP', fxRates: new Map([['EUR', 1.08]]) },
          );
          const conversion =
            outcome.kind === 'converted' || outcome.kind === 'failed'
              ? outcome.issues.flatMap((i) => [i.message, i.column ?? '']).join('\n')
              : '';
          let report: IngestReport | null = null;
          if (outcome.kind === 'converted') {
            const sha256 = createHash('sha256').update(content).digest('hex');
            const bundle: Bundle = {
              label: 'mem',
              files: [
                byteFile('locations.csv', LOCATIONS),
                ...toRecordFiles(`exports/${name}`, outcome.records, { sha256, bytes: content.length }),
              ],
            };
            report = await ingestBundles([bundle], {
              store: t.store,
              tenant,
              pseudonymizer: t.pseudonymizer,
              priorIssues: toDataQualityIssues(outcome.issues),
              acceptRejected: true,
              today: TODAY,
            });
          }
          expect(
            leaksIn(injected, {
              conversion,
              report: report === null ? '' : allMessages(report),
              data_quality_issues: await dataQualityLog(tenant),
              extra_json: storedExtras(tenant),
            }),
          ).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });
});
