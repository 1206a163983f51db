import fs from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';

import { PROFILES } from '../../../shared/connectors/registry';
import { convertVendorFile, type VendorFileOutcome } from '../../../shared/connectors/vendorConversion';
import { readVendorCsv } from '../../../shared/connectors/vendorCsv';
import { CONTENT_MARKERS, errorName, FUZZ_TIMEOUT_MS, fuzzParameters, markersIn } from '../../support/fuzz';
import { type Injected, leaksIn, personalValue } from '../../support/personalData';

/*
 * Fuzzing every vendor profile (issue 11, item 8): files shaped like the profile's own export —
 * its header (and report preamble) or its JSON document, from its fixture — with arbitrary
 * values in the cells and leaves (empty, unicode, numbers and dates in odd notations, emails
 * and phones, wrong JSON types, whole branches replaced). convertVendorFile always answers an
 * outcome — converted, or failed with issues — and never throws; every issue names the file;
 * no issue quotes an email or a phone number that was written into the file.
 */

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

/** The fixture each profile's fuzzed files are shaped like (a new profile needs one here). */
const FIXTURE_OF: Record<string, string> = {
  'zenoti.appointments': 'zenoti/appointments.csv',
  'zenoti.employee_sales': 'zenoti/employee_sales.csv',
  'zenoti.memberships': 'zenoti/memberships.csv',
  'zenoti.business_kpi': 'zenoti/business_kpi_October-2026.csv',
  'square.transactions': 'square/transactions.csv',
  'square.items': 'square/items.csv',
  'google_ads.campaigns': 'google_ads/campaign_report.csv',
  'meta_ads.ads_manager': 'meta_ads/ads_manager_de.csv',
  'adp.payroll_export': 'adp/payroll.csv',
  'mindbody.appointments': 'json/mindbody/appointments.json',
  'mindbody.sales': 'json/mindbody/sales.json',
  'mindbody.client_contracts': 'json/mindbody/client_contracts.json',
  'mindbody.timecards': 'json/mindbody/timecards.json',
  'boulevard.appointments': 'json/boulevard/appointments.json',
  'boulevard.memberships': 'json/boulevard/memberships.json',
  'square.orders': 'json/square/orders.json',
  'square.refunds': 'json/square/refunds.json',
  'square.payments': 'json/square/payments.json',
  'stripe.charges': 'json/stripe/charges.json',
  'stripe.refunds': 'json/stripe/refunds.json',
  'stripe.balance_transactions': 'json/stripe/balance_transactions.json',
  'stripe.subscriptions': 'json/stripe/subscriptions.json',
  'gusto.payrolls': 'json/gusto/payrolls.json',
  'adp.pay_statements': 'json/adp/pay_statements.json',
  'google_ads.spend': 'json/google_ads/campaign_cost_stream.json',
  'meta.insights': 'json/meta/insights.json',
};

/** A generated value and what would show it leaked (nothing, for a value that is not personal). */
type Cell = Injected;

const plain = (value: string): Cell => ({ value, needles: [] });

/** Numbers as exports (and people) write them, the odd ones included. */
const oddNumber = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1e3',
    '1E-7',
    '1e309',
    '-1e309',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x1F',
    '1_000',
    '.5',
    '5.',
    '--5',
    '+-3',
    '(1,234.50)',
    '1.234,56',
    '1,234.56',
    '1,2,3',
    '$1,234.50',
    '-$12.00',
    '€ 12,50',
    '12.50 USD',
    '１２３',
    '٣٤',
    '99999999999999999999999',
    '0.0000000001',
    '12%',
    '7.31%',
    '1 204',
    '1\u00a0204,50',
  ),
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt().map(String),
);

/** Dates and times as exports write them, impossible ones included. */
const oddDate = fc.oneof(
  fc.constantFrom(
    '2024-02-30',
    '2024-13-01',
    '0000-00-00',
    '9999-12-31',
    '99999-01-01',
    '1899-12-31',
    '2024-1-1',
    '1/1/24',
    '13/13/2024',
    '31.12.2024',
    '05.10.2026',
    '10/05/2026 9:30 AM',
    '10/05/2026 25:61 PM',
    '2024-06-01T25:00:00Z',
    '2024-06-01T10:00:00+25:00',
    '2024-06-01T10:00:00.123456789Z',
    'Jan 32 2024',
    'October 1, 2026 - October 31, 2026',
    '2026-10-05 - 2026-10-01',
    '1700000000',
    '-62135596800',
    '45000',
    'yesterday',
  ),
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => d.toISOString()),
);

const oddCell: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', ' ', '  \t ', '-', 'N/A', 'null', 'undefined').map(plain) },
  { weight: 3, arbitrary: oddNumber.map(plain) },
  { weight: 3, arbitrary: oddDate.map(plain) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }).map(plain) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map(plain) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('USD', 'usd', 'EUR', 'IDR', 'XXX', 'ZZZ', 'Botox - per unit', 'Evolve Austin', 'Active')
      .map(plain),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map(plain) },
  { weight: 2, arbitrary: personalValue },
);

/** Arbitrary JSON values for a leaf or a branch: other types, other shapes, the odd strings. */
const oddJson: fc.Arbitrary<{ value: unknown; needles: string[] }> = fc.oneof(
  { weight: 4, arbitrary: oddCell },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom(null, true, false, 0, -1, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
      )
      .map((value) => ({ value, needles: [] })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom([], {}, [null], [{}], { id: null }).map((value) => ({ value, needles: [] })),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value, needles: [] })) },
);

function checkOutcome(outcome: VendorFileOutcome, displayPath: string, injected: readonly Injected[]): void {
  expect(['converted', 'failed', 'canonical', 'not_data']).toContain(outcome.kind);
  if (outcome.kind !== 'converted' && outcome.kind !== 'failed') return;
  if (outcome.kind === 'failed') expect(outcome.issues.some((i) => i.severity === 'error')).toBe(true);
  for (const issue of outcome.issues) {
    expect(issue.file).toBe(displayPath);
    expect(['error', 'warning']).toContain(issue.severity);
    expect(typeof issue.code).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    if (issue.row !== null) expect(Number.isInteger(issue.row) && issue.row >= 1).toBe(true);
  }
  const messages = outcome.issues.map((i) => `${i.message}\n${i.column ?? ''}`).join('\n');
  expect(leaksIn(injected, { issues: messages })).toEqual([]);
}

function convert(
  name: string,
  content: Buffer,
  options: Parameters<typeof convertVendorFile>[1],
): VendorFileOutcome {
  try {
    return convertVendorFile({ name, displayPath: `exports/${name}`, content }, options);
  } catch (error) {
    throw new Error(`convertVendorFile threw ${errorName(error)}`);
  }
}

type OptionPick = {
  forced: boolean;
  locationId: string | undefined;
  reportingCurrency: string | undefined;
  fx: boolean;
  defaultCurrency: string | undefined;
};

/** The conversion options a user may give: a forced profile, a location, currencies. */
const options: fc.Arbitrary<OptionPick> = fc.record({
  forced: fc.boolean(),
  locationId: fc.constantFrom(undefined, 'LP', ''),
  reportingCurrency: fc.constantFrom(undefined, 'USD', 'EUR'),
  fx: fc.boolean(),
  defaultCurrency: fc.constantFrom(undefined, 'USD'),
});

function optionsFor(profileId: string, o: OptionPick) {
  return {
    ...(o.forced ? { profileId } : {}),
    ...(o.locationId === undefined ? {} : { locationId: o.locationId }),
    ...(o.reportingCurrency === undefined ? {} : { reportingCurrency: o.reportingCurrency }),
    ...(o.fx
      ? {
          fxRates: new Map([
            ['EUR', 1.08],
            ['USD', 1],
            ['IDR', 0.0000615],
          ]),
        }
      : {}),
    ...(o.defaultCurrency === undefined ? {} : { defaultCurrency: o.defaultCurrency }),
  };
}

// CSV profiles: the fixture's preamble and header, its rows with cells replaced, and new rows.

interface CsvShape {
  name: string;
  delimiter: string;
  /** The raw lines up to and including the header. */
  head: string[];
  headers: string[];
  width: number;
  rows: string[][];
}

function csvShape(fixture: string): CsvShape {
  const text = fs.readFileSync(path.join(VENDORS, fixture), 'utf8');
  const csv = readVendorCsv(text);
  const lines = text.split(/\r\n|\n|\r/);
  return {
    name: path.basename(fixture),
    delimiter: csv.decimalComma ? ';' : ',',
    head: lines.slice(0, csv.headerRow),
    headers: [...csv.headers],
    width: csv.headers.length,
    rows: csv.rows.map((r) => [...r.cells]),
  };
}

function quoted(text: string, delimiter: string): string {
  return text.includes('"') || text.includes(delimiter) || /[\r\n]/.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

function csvFile(
  shape: CsvShape,
  edits: readonly { at: number; cell: Cell }[],
  extra: readonly Cell[][],
  keep: number,
): { text: string; injected: Injected[] } {
  const rows = shape.rows.slice(0, Math.max(1, keep)).map((r) => [...r]);
  const injected: Injected[] = [];
  const cells = rows.reduce((n, r) => n + r.length, 0);
  for (const { at, cell } of edits) {
    if (cells === 0) break;
    let index = at % cells;
    const row = rows.find((r) => (index < r.length ? true : ((index -= r.length), false)))!;
    row[index] = cell.value;
    injected.push(cell);
  }
  for (const row of extra) {
    rows.push(row.map((c) => c.value));
    injected.push(...row);
  }
  const body = rows.map((r) => r.map((c) => quoted(c, shape.delimiter)).join(shape.delimiter));
  return { text: `${[...shape.head, ...body].join('\r\n')}\r\n`, injected };
}

const CSV_PROFILES = PROFILES.filter((p) => p.format === 'csv');
const JSON_PROFILES = PROFILES.filter((p) => p.format === 'json');

it('has a fixture to shape the fuzzed files of every profile in the registry', () => {
  expect(PROFILES.map((p) => p.id).filter((id) => FIXTURE_OF[id] === undefined)).toEqual([]);
});

describe.each(CSV_PROFILES.map((p) => p.id))('the CSV profile %s under fuzzing', (profileId) => {
  const shape = csvShape(FIXTURE_OF[profileId]!);

  it(
    'converts its own header with arbitrary cells to an outcome, never a throw, never quoting a contact',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ at: fc.nat(), cell: oddCell }), { maxLength: 12 }),
          fc.array(
            fc.array(oddCell, { minLength: Math.max(0, shape.width - 2), maxLength: shape.width + 2 }),
            { maxLength: 4 },
          ),
          fc.nat({ max: 6 }),
          options,
          (edits, extra, keep, o) => {
            const { text, injected } = csvFile(shape, edits, extra, keep);
            const outcome = convert(shape.name, Buffer.from(text), optionsFor(profileId, o));
            checkOutcome(outcome, `exports/${shape.name}`, injected);
          },
        ),
        fuzzParameters(25),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'converts its header reordered, cut short or with columns twice, forced or detected: an outcome, never a throw',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.nat({ max: shape.width - 1 }), { minLength: 1, maxLength: shape.width + 3 }),
          fc.array(fc.record({ at: fc.nat(), cell: oddCell }), { maxLength: 6 }),
          options,
          (picks, edits, o) => {
            const header = picks.map((i) => quoted(shape.headers[i]!, shape.delimiter)).join(shape.delimiter);
            const reshaped = { ...shape, head: [...shape.head.slice(0, -1), header] };
            const { text, injected } = csvFile(reshaped, edits, [], shape.rows.length);
            const outcome = convert(shape.name, Buffer.from(text), optionsFor(profileId, o));
            checkOutcome(outcome, `exports/${shape.name}`, injected);
          },
        ),
        fuzzParameters(15),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

// JSON profiles: the fixture's document with leaves and branches replaced.

interface Slot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

/** Every value of the document (leaves and branches) as a place to write into. */
function slotsOf(json: unknown): Slot[] {
  const slots: Slot[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        slots.push({ parent: node, key: i });
        walk(v);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        slots.push({ parent: node as Record<string, unknown>, key: k });
        walk(v);
      }
    }
  };
  walk(json);
  return slots;
}

describe.each(JSON_PROFILES.map((p) => p.id))('the JSON profile %s under fuzzing', (profileId) => {
  const fixture = FIXTURE_OF[profileId]!;
  const name = path.basename(fixture);
  const original = fs.readFileSync(path.join(VENDORS, fixture), 'utf8');

  it(
    'converts its own document with arbitrary leaves and branches to an outcome, never a throw',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ at: fc.nat(), value: oddJson, leavesOnly: fc.boolean() }), {
            minLength: 1,
            maxLength: 10,
          }),
          options,
          (edits, o) => {
            const json = JSON.parse(original) as unknown;
            const injected: Injected[] = [];
            for (const { at, value, leavesOnly } of edits) {
              const slots = slotsOf(json);
              const pool = leavesOnly
                ? slots.filter((s) => {
                    const v = (s.parent as Record<string | number, unknown>)[s.key];
                    return typeof v !== 'object' || v === null;
                  })
                : slots;
              if (pool.length === 0) break;
              const slot = pool[at % pool.length]!;
              // A copy: a generated branch is edited by later edits, and may be generated again.
              (slot.parent as Record<string | number, unknown>)[slot.key] = structuredClone(value.value);
              injected.push({ value: '', needles: value.needles });
            }
            const outcome = convert(name, Buffer.from(JSON.stringify(json)), optionsFor(profileId, o));
            checkOutcome(outcome, `exports/${name}`, injected);
          },
        ),
        fuzzParameters(25),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads any JSON document, or text that is not JSON, forced to it: an outcome, never a throw',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 40 }),
            fc.nat({ max: original.length }).map((n) => original.slice(0, n)),
          ),
          (text) => {
            const outcome = convert(name, Buffer.from(text), { profileId });
            checkOutcome(outcome, `exports/${name}`, []);
          },
        ),
        fuzzParameters(15),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('a JSON export that cannot be read, under fuzzing', () => {
  it(
    'is refused as a file issue that quotes none of its content, however it is broken or nested',
    () => {
      fc.assert(
        fc.property(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(...CONTENT_MARKERS),
          fc.nat(),
          fc.constantFrom('cut', 'insert', 'nest', 'records'),
          fc.integer({ min: 1, max: 20_000 }),
          (value, marker, at, how, n) => {
            const text = JSON.stringify({ data: [value, marker] });
            const broken =
              how === 'cut'
                ? text.slice(0, at % text.length)
                : how === 'insert'
                  ? `${text.slice(0, at % text.length)}${marker}${text.slice(at % text.length)}`
                  : how === 'nest'
                    ? `${'['.repeat(n)}"${marker}"${']'.repeat(n)}`
                    : `[${`"${marker}",`.repeat(n)}1]`;
            const outcome = convert('export.json', Buffer.from(broken), {});
            if (outcome.kind !== 'failed') return;
            for (const issue of outcome.issues) expect(markersIn(issue.message)).toEqual([]);
            checkOutcome(outcome, 'exports/export.json', []);
          },
        ),
        fuzzParameters(200),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('vendor conversion regressions found by fuzzing', () => {
  it('refuses JSON broken in the middle without quoting the excerpt V8 puts in its message', () => {
    // Shrunk counterexample (seed 1838069468, path "182:6:1:25:3"): the marker written into
    // `false`. V8 said `Unexpected token 'Z', ..."{"data":[fZQXJ-secre"... is not valid JSON` —
    // an excerpt starting with `...`, which the excerpt filter (made for excerpts from the
    // file's start) let through into the issue: a patient's name there would have been shown.
    const outcome = convert('export.json', Buffer.from('{"data":[fZQXJ-secretalse,"ZQXJ-secret"]}'), {});
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues.map((i) => i.message)).toEqual([
      "export.json: not valid JSON (truncated download?): Unexpected token 'Z'",
    ]);
    const long = `[${'{"guest":"Ann","amount":1},'.repeat(5)}{"guest":Olivia Quartz}]`;
    const again = convert('sales.json', Buffer.from(long), {});
    expect(again.kind === 'failed' && again.issues.map((i) => i.message).join('\n')).not.toMatch(
      /Olivia|Quartz/,
    );
  });

  it('converts Square payments whose refunded amount is not whole cents (it threw a RangeError)', () => {
    // Shrunk counterexample (seed -363176951, CALIPER_FUZZ_RUNS=2000): -5e-324 written into a
    // completed payment's refunded_money.amount. The once-per-file refund warning summed the
    // raw amounts as BigInt: `RangeError: The number -5e-324 cannot be converted to a BigInt`.
    const json = JSON.parse(fs.readFileSync(path.join(VENDORS, 'json/square/payments.json'), 'utf8')) as {
      payments: { refunded_money?: { amount: number; currency: string } }[];
    };
    json.payments[0]!.refunded_money = { amount: -5e-324, currency: 'USD' };
    const outcome = convert('payments.json', Buffer.from(JSON.stringify(json)), { locationId: 'LP' });
    expect(['converted', 'failed']).toContain(outcome.kind);
    if (outcome.kind !== 'converted' && outcome.kind !== 'failed') return;
    const warning = outcome.issues.find((i) => i.code === 'refunds_not_included');
    expect(warning?.message).toMatch(/has money refunded/);
  });

  it('masks a phone number written after `..` in a message (it read as a decimal fraction)', () => {
    // Shrunk counterexample (seed -2007703748, CALIPER_FUZZ_RUNS=2000): the digits of a phone
    // number as a Meta insights `date_stop`. The issue says `date_stop: 2026-10-05..2002000000
    // is neither a day nor a calendar month`, and the redactor took the digits after the point
    // for the decimals of a number.
    const json = JSON.parse(fs.readFileSync(path.join(VENDORS, 'json/meta/insights.json'), 'utf8')) as {
      data: { date_stop: string }[];
    };
    json.data[1]!.date_stop = '2145550101';
    const outcome = convert('insights.json', Buffer.from(JSON.stringify(json)), { locationId: 'LP' });
    expect(outcome.kind === 'converted' || outcome.kind === 'failed').toBe(true);
    if (outcome.kind !== 'converted' && outcome.kind !== 'failed') return;
    const messages = outcome.issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(/date_stop: 2026-10-\d\d\.\.\[number withheld\] is neither/);
    expect(messages).not.toContain('2145550101');
  });
});
