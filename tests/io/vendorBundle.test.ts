import fs from 'node:fs';
import path from 'node:path';

import { openVendorBundles } from '../../io/vendorBundle';
import { isRecordFile } from '../../shared/ingest/bundle';
import { ingestBundles } from '../../shared/ingest/ingestBundles';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';

const VENDORS = path.join(__dirname, '..', 'fixtures', 'vendors');

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

function folderOf(files: Record<string, string>): string {
  const folder = path.join(t.dir, 'exports');
  fs.mkdirSync(folder);
  for (const [name, source] of Object.entries(files))
    fs.copyFileSync(path.join(VENDORS, source), path.join(folder, name));
  return folder;
}

describe('opening vendor exports as canonical bundles', () => {
  it('writes each vendor file as canonical files named after it, and lets canonical files through untouched', async () => {
    const folder = folderOf({
      'zenoti_sales.csv': 'zenoti/employee_sales.csv',
      'locations.csv': 'e2e/locations.csv',
    });

    const opened = await openVendorBundles([folder]);

    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const vendorFile = path.join(folder, 'zenoti_sales.csv');
    // What the export derives comes before the user's own canonical files, which complete it.
    expect(opened.bundles[0]!.files.map((f) => [f.name, f.displayPath])).toEqual([
      ['services.csv', `${vendorFile} → services.csv`],
      ['providers.csv', `${vendorFile} → providers.csv`],
      ['sales.csv', `${vendorFile} → sales.csv`],
      ['locations.csv', path.join(folder, 'locations.csv')],
    ]);
    expect(opened.recognized).toEqual([
      {
        file: vendorFile,
        profile: 'zenoti.employee_sales',
        vendor: 'Zenoti',
        report: 'Employee Sales',
        score: 0.95,
        forced: false,
        rows: 10,
      },
    ]);
  });

  it('makes the canonical ingest name the vendor file and the vendor row of a row it rejects', async () => {
    // Row 3's membership ends before it starts: the converter passes it on, the canonical
    // ingest rejects it, and the report names the vendor file and the vendor row.
    const folder = path.join(t.dir, 'exports');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, 'memberships.csv'),
      [
        'Sale Center,Center Code,Invoice No,Membership Name,Guest Code,Sale Date,Start Date,Sales,Membership Termination Date',
        'Evolve Austin,0101,000126,Glow Club Monthly,001001,10/21/2026,10/21/2026,99.00,',
        'Evolve Austin,0101,000127,Tox Club,001002,10/21/2026,10/21/2026,149.00,09/30/2026',
      ].join('\n'),
    );
    const opened = await openVendorBundles([folder]);
    if (!opened.ok) throw new Error('conversion failed');

    const report = await ingestBundles(opened.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
    });

    const memberships = report.files.find(
      (f) => f.file === `${path.join(folder, 'memberships.csv')} → memberships.csv`,
    )!;
    expect(memberships.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [3, 'cancelled_on', 'inconsistent_row'],
    ]);
  });

  it('creates the location an export names and no one described, once for all its files', async () => {
    // No locations.csv and an empty store: "Evolve Austin" of the sales and memberships exports
    // becomes one new location; nothing is rejected for its location.
    const folder = folderOf({
      'employee_sales.csv': 'zenoti/employee_sales.csv',
      'memberships.csv': 'zenoti/memberships.csv',
    });
    const opened = await openVendorBundles([folder]);
    if (!opened.ok) throw new Error('conversion failed');

    expect(opened.createdLocations).toEqual([
      {
        location_id: 'evolve-austin',
        name: 'Evolve Austin',
        emr_system: 'Zenoti',
        mentions: ['Evolve Austin'],
        vendor: 'Zenoti',
      },
    ]);
    expect(opened.warnings.filter((w) => w.code === 'location_created').map((w) => w.message)).toEqual([
      expect.stringContaining(
        'location evolve-austin ("Evolve Austin" in Zenoti exports) was created: add its opened_on',
      ),
    ]);
    const report = await ingestBundles(opened.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
    });
    expect(report.committed).toBe(true);
    expect(report.files.flatMap((f) => f.issues).filter((i) => i.code === 'unknown_location')).toEqual([]);
    expect(await t.store.locationIdentities('t1')).toEqual([
      {
        location_id: 'evolve-austin',
        name: 'Evolve Austin',
        emr_system: 'Zenoti',
        opened_on: null,
        closed_on: null,
        acquired_on: null,
        region: null,
        timezone: null,
        rooms: null,
        aliases: [],
      },
    ]);

    // The next export of the same center goes to the location created before.
    const again = await openVendorBundles([folder], {
      knownLocations: await t.store.locationIdentities('t1'),
    });
    if (!again.ok) throw new Error('conversion failed');
    expect(again.createdLocations).toEqual([]);
  });

  it('resolves a center name to the location the bundle or the store describes under its own id', async () => {
    const folder = folderOf({ 'employee_sales.csv': 'zenoti/employee_sales.csv' });
    fs.writeFileSync(
      path.join(folder, 'locations.csv'),
      'location_id,name,timezone,opened_on\nL001,EVOLVE – Austin,America/Chicago,2021-03-01\n',
    );
    const byName = await openVendorBundles([folder]);
    if (!byName.ok) throw new Error('conversion failed');
    expect(byName.createdLocations).toEqual([]);
    const sales = byName.bundles[0]!.files.find((f) => f.name === 'sales.csv')!;
    if (!isRecordFile(sales)) throw new Error('sales.csv is not converted records');
    expect(new Set(sales.records.map((r) => r.values.location_id))).toEqual(new Set(['L001']));

    // A saved alias: the store's "Downtown" goes by the export's center name.
    fs.rmSync(path.join(folder, 'locations.csv'));
    const byAlias = await openVendorBundles([folder], {
      knownLocations: [
        { location_id: 'D1', name: 'Downtown', timezone: null, aliases: ['Evolve Austin'] },
        { location_id: 'D2', name: 'Evolve', timezone: null, aliases: [] },
      ],
    });
    if (!byAlias.ok) throw new Error('conversion failed');
    expect(byAlias.createdLocations).toEqual([]);
  });

  it('reads vendor files from a .zip and merges the services, providers and patients several files derive', async () => {
    const folder = folderOf({
      'appointments.csv': 'zenoti/appointments.csv',
      'employee_sales.csv': 'zenoti/employee_sales.csv',
      'locations.csv': 'e2e/locations.csv',
    });
    const zip = path.join(t.dir, 'exports.zip');
    fs.writeFileSync(zip, await zipFolder(folder));

    const opened = await openVendorBundles([zip]);
    if (!opened.ok) throw new Error('conversion failed');
    const report = await ingestBundles(opened.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
    });

    expect(report.committed).toBe(true);
    expect(report.totals.rows_rejected).toBe(0);
    const providers = t.store.db
      .prepare(
        "SELECT provider_id, display_name, payroll_employee_id FROM providers WHERE tenant_id = 't1' ORDER BY provider_id",
      )
      .all();
    // The appointments name the providers first; the sales add their payroll employee codes.
    expect(providers).toEqual([
      { provider_id: 'zenoti:jane-doe', display_name: 'Jane Doe', payroll_employee_id: '00042' },
      { provider_id: 'zenoti:john-smith', display_name: 'John Smith', payroll_employee_id: '00007' },
    ]);
  });

  it('fails on truncated JSON, naming the file', async () => {
    const folder = path.join(t.dir, 'exports');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'mindbody_sales.json'), '{"Sales": [{"Id": 1, "SaleDate');

    const opened = await openVendorBundles([folder]);

    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.errors).toEqual([
      expect.objectContaining({
        file: path.join(folder, 'mindbody_sales.json'),
        code: 'invalid_json',
        severity: 'error',
      }),
    ]);
    expect(opened.errors[0]!.message).toMatch(/not valid JSON \(truncated download\?\)/);
  });

  it('ingests canonical bundles exactly as the canonical ingest does, broken rows and notes included', async () => {
    const paths = [fixture('north'), fixture('rejects')];
    const opened = await openVendorBundles(paths);
    if (!opened.ok) throw new Error('conversion failed');
    expect(opened.recognized).toEqual([]);

    const viaVendor = await ingestBundles(opened.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
    });
    const direct = openTestStore();
    try {
      const viaCanonical = await direct.ingest(paths);
      expect({ ...viaVendor, ingest_id: null }).toEqual({ ...viaCanonical, ingest_id: null });
    } finally {
      await direct.close();
    }
  });

  it('leaves a canonical file with a required column missing to the canonical ingest, which names it', async () => {
    const folder = path.join(t.dir, 'bundle');
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(VENDORS, 'e2e', 'locations.csv'), path.join(folder, 'locations.csv'));
    fs.writeFileSync(
      path.join(folder, 'appointments.csv'),
      'appointment_id,location_id,patient_id,service_code,start_at,duration_min\nA1,Evolve Austin,P1,BTX,2026-10-05T09:00,30\n',
    );

    const opened = await openVendorBundles([folder]);
    if (!opened.ok) throw new Error('conversion failed');
    const report = await ingestBundles(opened.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
    });

    expect(report.files[1]!.issues.map((i) => [i.file, i.row, i.column, i.code])).toEqual([
      [path.join(folder, 'appointments.csv'), 1, 'status', 'missing_column'],
      [path.join(folder, 'appointments.csv'), null, null, 'missing_column'],
    ]);
  });
});

describe('UTC-stamped payment exports', () => {
  // One Stripe charge captured at 03:00 UTC on 1 October: 22:00 on 30 September in Austin.
  const charges = {
    object: 'list',
    data: [
      {
        id: 'ch_late',
        object: 'charge',
        amount: 12000,
        amount_captured: 12000,
        captured: true,
        paid: true,
        status: 'succeeded',
        currency: 'usd',
        created: Date.parse('2026-10-01T03:00:00Z') / 1000,
        customer: null,
      },
    ],
    has_more: false,
    url: '/v1/charges',
  };

  async function soldOn(withTimeZone: boolean) {
    const folder = path.join(t.dir, withTimeZone ? 'with' : 'without');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'charges.json'), JSON.stringify(charges));
    fs.writeFileSync(
      path.join(folder, 'locations.csv'),
      `location_id,name,opened_on${withTimeZone ? ',timezone' : ''}\nL1,Austin,2020-01-01${withTimeZone ? ',America/Chicago' : ''}\n`,
    );
    const opened = await openVendorBundles([folder], { locationId: 'L1' });
    if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
    const sales = opened.bundles[0]!.files.find((f) => f.name === 'sales.csv')!;
    if (!isRecordFile(sales)) throw new Error('sales.csv is not converted records');
    return {
      soldOn: sales.records.map((r) => r.values.sold_on),
      warnings: opened.warnings.map((w) => w.code),
    };
  }

  it("put a sale on the location's day when the bundle's locations.csv gives its time zone", async () => {
    const local = await soldOn(true);
    expect(local.soldOn).toContain('2026-09-30');
    expect(local.warnings).not.toContain('utc_dates');
  });

  it('keep the UTC day, with a warning, when the time zone is unknown', async () => {
    const utc = await soldOn(false);
    expect(utc.soldOn).toContain('2026-10-01');
    expect(utc.warnings).toContain('utc_dates');
  });
});

describe('conversion progress', () => {
  it('reports the bytes of vendor exports converted, ending at their total', async () => {
    const folder = folderOf({
      'zenoti_sales.csv': 'zenoti/employee_sales.csv',
      'appointments_export.csv': 'zenoti/appointments.csv',
      'locations.csv': 'e2e/locations.csv',
    });
    const calls: [number, number, string][] = [];
    const opened = await openVendorBundles([folder], {
      onConvertProgress: (done, total, file) => calls.push([done, total, path.basename(file)]),
    });
    expect(opened.ok).toBe(true);
    // The canonical locations.csv is not converted, so it is not counted.
    const total =
      fs.statSync(path.join(folder, 'zenoti_sales.csv')).size +
      fs.statSync(path.join(folder, 'appointments_export.csv')).size;
    expect(calls.every(([, t]) => t === total)).toBe(true);
    expect(calls.at(-1)?.[0]).toBe(total);
    expect(new Set(calls.map(([, , file]) => file))).toEqual(
      new Set(['zenoti_sales.csv', 'appointments_export.csv']),
    );
  });

  it("counts a JSON export's records and the ones it rejected, for the rejected-row threshold", async () => {
    const folder = folderOf({ 'locations.csv': 'e2e/locations.csv' });
    const { orders } = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'real', 'square', 'orders_search.json'), 'utf8'),
    ) as { orders: Record<string, unknown>[] };
    // The search's orders, and one more whose total is not money.
    const broken = {
      ...orders.find((o) => o.state === 'COMPLETED'),
      id: 'BROKEN',
      total_money: { amount: 'x' },
    };
    fs.writeFileSync(path.join(folder, 'orders.json'), JSON.stringify({ orders: [...orders, broken] }));

    const opened = await openVendorBundles([folder], {
      defaultTimeZone: 'America/Chicago',
      locationId: 'Evolve Austin',
    });

    if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
    expect(opened.conversionRows).toEqual([
      {
        file: path.join(folder, 'orders.json'),
        rows_read: orders.length + 1,
        rows_rejected: expect.any(Number),
      },
    ]);
  });

  it('reports a file of nothing but open orders as a warning beside other files, and as the failure on its own', async () => {
    const { orders } = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'real', 'square', 'orders_search.json'), 'utf8'),
    ) as { orders: { state: string }[] };
    const open = orders.filter((o) => o.state === 'OPEN');
    expect(open.length).toBeGreaterThan(0);
    const folder = folderOf({
      'zenoti_sales.csv': 'zenoti/employee_sales.csv',
      'locations.csv': 'e2e/locations.csv',
    });
    fs.writeFileSync(path.join(folder, 'open_orders.json'), JSON.stringify({ orders: open }));

    const beside = await openVendorBundles([folder], { defaultTimeZone: 'America/Chicago' });
    if (!beside.ok) throw new Error(JSON.stringify(beside.errors));
    expect(beside.warnings.filter((w) => w.code === 'no_revenue_records')).toEqual([
      expect.objectContaining({ severity: 'warning', file: path.join(folder, 'open_orders.json') }),
    ]);

    const alone = await openVendorBundles([path.join(folder, 'open_orders.json')]);
    expect(alone.ok).toBe(false);
    if (alone.ok) return;
    expect(alone.errors.map((e) => [e.code, e.severity])).toEqual([['no_revenue_records', 'error']]);
  });
});
