import fs from 'node:fs';
import path from 'node:path';

import { fixture, openTestStore, type TestStore } from '../../support/testStore';

interface ExpectedIssue {
  file: string;
  row: number | null;
  column: string | null;
  code: string;
  severity: string;
}

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

function current(table: string, where = '1 = 1'): Record<string, unknown>[] {
  return t.store.db
    .prepare(`SELECT * FROM ${table} WHERE tenant_id = 't1' AND valid_to_ingest IS NULL AND ${where}`)
    .all() as Record<string, unknown>[];
}

describe('ingesting clean canonical bundles', () => {
  it('commits two bundles from different systems into one store with no rejected row', async () => {
    const report = await t.ingest([fixture('north'), fixture('south')]);

    expect(report.committed).toBe(true);
    expect(report.failure).toBeNull();
    expect(report.totals.rows_rejected).toBe(0);
    expect(report.files.flatMap((f) => f.issues)).toEqual([]);
    const counts = await t.store.rowCounts('t1');
    expect(counts).toEqual({
      locations: 2,
      services: 4,
      providers: 2,
      patients: 5,
      appointments: 7,
      sales: 8,
      payroll: 2,
      shifts: 2,
      memberships: 1,
      marketing_spend: 2,
      leads: 2,
    });
    expect(report.totals.rows_accepted).toBe(37);
    expect(report.totals.rows_inserted).toBe(37);
  });

  it('reads a UTF-8 BOM, CRLF line endings and RFC 4180 quoting', async () => {
    await t.ingest([fixture('north'), fixture('south')]);

    const [south] = current('locations', "location_id = 'L2'");
    // The BOM must not leak into the first header: location_id was found, so the row exists.
    expect(south).toMatchObject({
      name: 'South Austin, TX',
      opened_on: '2021-09-01',
      rooms: 4,
      closed_on: null,
    });
    const [appointment] = current('appointments', "appointment_id = 'urn:blvd:Appointment:2'");
    expect(appointment).toMatchObject({ status: 'cancelled', duration_min: 60 });
    expect(JSON.parse(String(appointment!.extra_json))).toEqual({ room: 'Room "A", upstairs' });
  });

  it('stores money as integer cents, net of nothing (gross, discount, tax and tip kept apart)', async () => {
    await t.ingest([fixture('north')]);

    const rows = current('sales', "line_id IN ('S1', 'S3', 'S5')").sort((a, b) =>
      String(a.line_id).localeCompare(String(b.line_id)),
    );
    expect(rows.map((r) => [r.line_id, r.gross, r.discount, r.tax, r.tip])).toEqual([
      ['S1', 52000, 2000, 0, 5000],
      ['S3', -10000, null, null, null],
      ['S5', 52000, null, 0, null],
    ]);
  });

  it('keeps unknown columns as extra attributes of the row', async () => {
    await t.ingest([fixture('north'), fixture('south')]);

    const [patient] = current('patients', "patient_id = 'B-77'");
    expect(JSON.parse(String(patient!.extra_json))).toEqual({ loyalty_tier: 'Gold' });
    const [other] = current('patients', "patient_id = 'B-78'");
    // An empty unknown cell holds nothing to keep.
    expect(other!.extra_json).toBeNull();
  });

  it('turns a datetime written with a UTC offset into the location’s wall-clock time', async () => {
    await t.ingest([fixture('north'), fixture('south')]);

    const [appointment] = current('appointments', "appointment_id = 'urn:blvd:Appointment:1'");
    // 15:30Z on 2024-05-03 is 10:30 in Chicago (CDT, UTC−5); the booking 10:00Z is 05:00.
    expect(appointment).toMatchObject({ start_at: '2024-05-03T10:30:00', booked_at: '2024-05-01T05:00:00' });
    const [local] = current('appointments', "appointment_id = 'A1'");
    expect(local).toMatchObject({ start_at: '2024-01-05T10:00:00', booked_at: '2024-01-02T09:15:00' });
  });

  it('records the origin of every row: source file, row number and ingest', async () => {
    const report = await t.ingest([fixture('north')]);

    const [sale] = current('sales', "line_id = 'S3'");
    expect(sale!.source_row).toBe(4);
    expect(sale!.valid_from_ingest).toBe(report.ingest_id);
    const file = t.store.db
      .prepare('SELECT path, name, sha256, rows_read FROM source_files WHERE source_file_id = ?')
      .get(sale!.source_file_id) as Record<string, unknown>;
    expect(file).toMatchObject({ name: 'sales.csv', rows_read: 6 });
    expect(String(file.path)).toBe(path.join(fixture('north'), 'sales.csv'));
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('rejected rows', () => {
  it('lists every rejected row with its file, row, column and reason, and keeps the good rows', async () => {
    const expected = JSON.parse(
      fs.readFileSync(path.join(fixture('.'), 'rejects.expected.json'), 'utf8'),
    ) as ExpectedIssue[];

    // Half its appointments are bad, far above the 5 % threshold: committed only when accepted.
    const report = await t.ingest([fixture('rejects')], 't1', { acceptRejected: true });

    expect(report.committed).toBe(true);
    const issues = report.files.flatMap((f) =>
      f.issues.map((i) => ({
        file: path.basename(i.file),
        row: i.row,
        column: i.column,
        code: i.code,
        severity: i.severity,
      })),
    );
    expect(issues).toEqual(expected);
    for (const issue of report.files.flatMap((f) => f.issues))
      expect(issue.message.length).toBeGreaterThan(10);

    const counts = await t.store.rowCounts('t1');
    expect(counts.locations).toBe(1);
    expect(counts.appointments).toBe(1);
    expect(counts.sales).toBe(1);
    expect(counts.patients).toBe(2);
    expect(counts.shifts).toBe(1);
    expect(counts.payroll).toBe(0);
    expect(counts.memberships).toBe(0);
    const appointments = report.files.find((f) => f.file.endsWith('appointments.csv'))!;
    // Rows 2–10: one new, one identical repeat, seven rejected.
    expect(appointments).toMatchObject({
      rows_read: 9,
      rows_accepted: 2,
      rows_rejected: 7,
      rows_inserted: 1,
      rows_unchanged: 1,
    });
    expect(report.totals.rows_read).toBe(report.totals.rows_accepted + report.totals.rows_rejected);
  });

  it('explains each reason in words a finance user can act on', async () => {
    const report = await t.ingest([fixture('rejects')]);
    const messages = Object.fromEntries(
      report.files
        .flatMap((f) => f.issues)
        .map((i) => [`${path.basename(i.file)}:${i.row}:${i.code}`, i.message]),
    );

    expect(messages['sales.csv:3:invalid_money']).toBe(
      '"$75.00" is not an amount in dollars with up to 2 decimals (e.g. 1234.50, -45.00)',
    );
    expect(messages['appointments.csv:7:unknown_location']).toBe(
      'location_id "L9" is not in locations.csv of this bundle nor already in the store',
    );
    expect(messages['appointments.csv:8:column_count']).toBe('row has 3 cells but the header has 9');
    expect(messages['appointments.csv:9:duplicate_key']).toMatch(
      /^appointment_id R1 already came with different values from .*appointments\.csv row 2 in this ingest; this row was not kept$/,
    );
    expect(messages['locations.csv:3:inconsistent_row']).toBe(
      'closed_on 2021-01-01 is before opened_on 2022-05-01',
    );
  });

  it('keeps a patient whose email or phone is malformed, without the value, and never echoes it', async () => {
    const report = await t.ingest([fixture('rejects')], 't1', { acceptRejected: true });

    const [patient] = current('patients', "patient_id = 'P1'");
    expect(patient).toMatchObject({ email_hash: null, phone_hash: null, created_on: '2024-05-30' });
    const text = JSON.stringify(report);
    expect(text).not.toContain('not-an-email');
    expect(text).not.toContain('Mary Major');
  });

  it('rejects a whole file whose header lacks a required column, and says which', async () => {
    const dir = path.join(t.dir, 'bundle');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(fixture('north'), 'locations.csv'), path.join(dir, 'locations.csv'));
    fs.writeFileSync(path.join(dir, 'providers.csv'), 'provider_id,location_id,role\nPR1,L1,NP\nPR2,L1,RN\n');

    // A whole file rejected is above any threshold: the locations are committed only when accepted.
    const report = await t.ingest([dir], 't1', { acceptRejected: true });

    const providers = report.files.find((f) => f.entity === 'providers')!;
    expect(providers).toMatchObject({ rows_read: 2, rows_accepted: 0, rows_rejected: 2 });
    expect(providers.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [1, 'display_name', 'missing_column'],
      [null, null, 'missing_column'],
    ]);
    expect(providers.issues[1]!.message).toBe(
      'required column "display_name" missing: none of its 2 rows was ingested',
    );
    expect(report.committed).toBe(true);
    expect((await t.store.rowCounts('t1')).providers).toBe(0);
  });

  it('warns when two providers share a payroll id, but not when one provider works at two locations', async () => {
    const dir = path.join(t.dir, 'shared-payroll');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'locations.csv'),
      'location_id,name,opened_on\nL1,North,2020-01-01\nL2,South,2020-01-01\n',
    );
    fs.writeFileSync(
      path.join(dir, 'providers.csv'),
      [
        'provider_id,location_id,display_name,payroll_employee_id',
        'PR1,L1,Ann Lee,E1',
        'PR1,L2,Ann Lee,E1',
        'PR2,L1,Bo Chan,E1',
        '',
      ].join('\n'),
    );

    const report = await t.ingest([dir]);

    const providers = report.files.find((f) => f.entity === 'providers')!;
    expect(providers).toMatchObject({ rows_accepted: 3, rows_rejected: 0 });
    expect(providers.issues.map((i) => [i.row, i.column, i.code, i.severity])).toEqual([
      [4, 'payroll_employee_id', 'shared_payroll_id', 'warning'],
    ]);
    expect(providers.issues[0]!.message).toMatch(/^payroll_employee_id E1 is also provider PR1's \(row 2\)/);
  });

  it('warns, without rejecting, about references to providers and services the tenant does not have', async () => {
    await t.ingest([fixture('north')]);
    const dir = path.join(t.dir, 'bundle');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'appointments.csv'),
      'appointment_id,location_id,patient_id,provider_id,service_code,booked_at,start_at,duration_min,status\n' +
        'Z1,L1,PT1,PR7,BTX,,2024-07-01T10:00,30,completed\n' +
        'Z2,L1,PT1,PR7,LASER9,,2024-07-02T10:00,30,completed\n',
    );

    const report = await t.ingest([dir]);

    expect(report.totals).toMatchObject({ rows_accepted: 2, rows_rejected: 0 });
    expect(report.files[0]!.issues.map((i) => [i.row, i.column, i.code, i.severity, i.message])).toEqual([
      [
        2,
        'provider_id',
        'unknown_reference',
        'warning',
        'provider_id "PR7" is not in providers.csv (2 rows, first at row 2); the rows were kept',
      ],
      [
        3,
        'service_code',
        'unknown_reference',
        'warning',
        'service_code "LASER9" is not in services.csv (1 row, first at row 3); the rows were kept',
      ],
    ]);
  });
});

describe('idempotent ingest', () => {
  it('changes no fact when the same files are ingested again', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    const before = t.dump();

    const again = await t.ingest([fixture('north'), fixture('south')]);

    expect(again.committed).toBe(true);
    expect(again.totals).toMatchObject({ rows_inserted: 0, rows_updated: 0, rows_unchanged: 37 });
    const after = t.dump();
    for (const table of [
      'locations',
      'services',
      'providers',
      'patients',
      'appointments',
      'sales',
      'payroll',
      'shifts',
      'memberships',
      'marketing_spend',
      'leads',
    ]) {
      expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    }
  });

  it('replaces a corrected row by its natural key and keeps the earlier version for as-reported history', async () => {
    const first = await t.ingest([fixture('north')]);
    const dir = path.join(t.dir, 'correction');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'sales.csv'),
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n' +
        'S1,L1,2024-01-05,PT1,PR1,A1,service,BTX,540.00,20.00,0.00,50.00\n',
    );

    const second = await t.ingest([dir]);

    expect(second.totals).toMatchObject({ rows_inserted: 0, rows_updated: 1, rows_unchanged: 0 });
    const versions = t.store.db
      .prepare(
        "SELECT gross, valid_from_ingest, valid_to_ingest FROM sales WHERE line_id = 'S1' ORDER BY row_id",
      )
      .all();
    expect(versions).toEqual([
      { gross: 52000, valid_from_ingest: first.ingest_id, valid_to_ingest: second.ingest_id },
      { gross: 54000, valid_from_ingest: second.ingest_id, valid_to_ingest: null },
    ]);
    expect((await t.store.rowCounts('t1')).sales).toBe(6);
  });
});

describe('atomic ingest', () => {
  it('leaves the store exactly as before when a later file has a broken CSV structure', async () => {
    await t.ingest([fixture('north')]);
    const before = t.dump();
    const dir = path.join(t.dir, 'broken');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(fixture('south'), 'locations.csv'), path.join(dir, 'locations.csv'));
    fs.writeFileSync(
      path.join(dir, 'sales.csv'),
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n' +
        'Y1,L2,2024-05-03,,,,retail,,10.00,,,\n' +
        'Y2,L2,2024-05-03,,,,"retail,,10.00,,,\n',
    );

    const report = await t.ingest([dir]);

    expect(report.committed).toBe(false);
    expect(report.ingest_id).toBeNull();
    expect(report.failure).toMatch(/sales\.csv: row 3: a quoted cell is never closed/);
    expect(report.failure).toMatch(/nothing was written/);
    expect(t.dump()).toEqual(before);
  });

  it('leaves the store exactly as before when the database fails in the middle of the ingest', async () => {
    await t.ingest([fixture('north')]);
    const before = t.dump();
    // A real failure inside SQLite, raised while the third sale of the second bundle is written.
    t.store.db.exec(`CREATE TRIGGER fail_midway BEFORE INSERT ON sales WHEN NEW.line_id = 'blvd-2'
      BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated by test trigger)'); END`);
    const withTrigger = t.dump();

    const report = await t.ingest([fixture('south')]);

    expect(report.committed).toBe(false);
    expect(report.failure).toMatch(/disk I\/O error/);
    expect(t.dump()).toEqual(withTrigger);
    t.store.db.exec('DROP TRIGGER fail_midway');
    expect(t.dump()).toEqual(before);
  });

  it('writes nothing and says so when no row at all is accepted', async () => {
    const dir = path.join(t.dir, 'nothing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'locations.csv'), 'location_id,name,opened_on\nL1,,2020-01-01\n');
    const before = t.dump();

    const report = await t.ingest([dir]);

    expect(report.committed).toBe(false);
    expect(report.failure).toBe('no row was accepted, so nothing was written');
    expect(report.files[0]!.issues[0]).toMatchObject({ row: 2, column: 'name', code: 'missing_value' });
    expect(t.dump()).toEqual(before);
  });
});

/** A bundle of one location and 100 retail sales, the first `bad` of them with an amount in "$" form. */
function salesBundle(name: string, bad: number): string {
  const dir = path.join(t.dir, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'locations.csv'), 'location_id,name,opened_on\nL7,Uptown,2020-01-01\n');
  const lines = [
    'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
  ];
  for (let i = 1; i <= 100; i += 1) {
    lines.push(`Y${i},L7,2024-06-01,,,,retail,,${i <= bad ? '$10.00' : '10.00'},,,`);
  }
  fs.writeFileSync(path.join(dir, 'sales.csv'), `${lines.join('\n')}\n`);
  return dir;
}

describe('the rejected-row threshold', () => {
  it('writes nothing when a file has 60 % of its rows rejected, naming the file and its share', async () => {
    await t.ingest([fixture('north')]);
    const countsBefore = await t.store.rowCounts('t1');
    const before = t.dump();

    const report = await t.ingest([salesBundle('bad', 60)]);

    expect(report.committed).toBe(false);
    expect(report.ingest_id).toBeNull();
    expect(report.failure).toBe(
      `more than 5 % of the rows were rejected in 1 file: ${path.join(t.dir, 'bad', 'sales.csv')} 60 of 100 rows (60 %); ` +
        'nothing was written. Fix those rows and ingest again, or accept the rejected rows to commit the 41 accepted rows anyway',
    );
    expect(report.rejection).toEqual({
      max_share: 0.05,
      accepted: false,
      files_over: [
        { file: path.join(t.dir, 'bad', 'sales.csv'), rows_read: 100, rows_rejected: 60, share: 0.6 },
      ],
    });
    expect(report.totals).toMatchObject({ rows_accepted: 41, rows_rejected: 60, rows_inserted: 0 });
    expect(await t.store.rowCounts('t1')).toEqual(countsBefore);
    expect(t.dump()).toEqual(before);
  });

  it('groups the 60 rejected rows into one reason with two example rows and how to fix it', async () => {
    const report = await t.ingest([salesBundle('bad', 60)]);

    expect(report.issue_groups).toEqual([
      {
        file: path.join(t.dir, 'bad', 'sales.csv'),
        code: 'invalid_money',
        severity: 'error',
        count: 60,
        examples: [
          {
            row: 2,
            column: 'gross',
            message: expect.stringMatching(/^"\$10.00" is not an amount in dollars/),
          },
          {
            row: 3,
            column: 'gross',
            message: expect.stringMatching(/^"\$10.00" is not an amount in dollars/),
          },
        ],
        hint: expect.stringMatching(/without currency symbols/),
      },
    ]);
    // The full list stays beside the groups.
    expect(report.files.flatMap((f) => f.issues)).toHaveLength(60);
  });

  it('commits the good rows of the same file when the rejected rows are accepted', async () => {
    const report = await t.ingest([salesBundle('bad', 60)], 't1', { acceptRejected: true });

    expect(report.committed).toBe(true);
    expect(report.failure).toBeNull();
    expect(report.rejection).toMatchObject({
      accepted: true,
      files_over: [{ rows_rejected: 60, share: 0.6 }],
    });
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 1, sales: 40 });
    expect(report.totals).toMatchObject({ rows_inserted: 41, rows_rejected: 60 });
  });

  it('commits under the default when 1 row in 100 (1 %) is rejected', async () => {
    const report = await t.ingest([salesBundle('one-bad', 1)]);

    expect(report.committed).toBe(true);
    expect(report.rejection).toEqual({ max_share: 0.05, accepted: false, files_over: [] });
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 1, sales: 99 });
    expect(report.issue_groups.map((g) => [g.code, g.count])).toEqual([['invalid_money', 1]]);
  });

  it('holds the ingest to the share it is given: 60 % rejected passes a 60 % limit, not a 10 % one', async () => {
    expect((await t.ingest([salesBundle('bad', 60)], 't1', { maxRejected: 0.1 })).committed).toBe(false);

    const report = await t.ingest([salesBundle('bad-again', 60)], 't1', { maxRejected: 0.6 });

    expect(report.committed).toBe(true);
    expect(await t.store.rowCounts('t1')).toMatchObject({ sales: 40 });
  });

  it('writes nothing by default when a whole file is rejected for a missing column', async () => {
    const dir = path.join(t.dir, 'bundle');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(fixture('north'), 'locations.csv'), path.join(dir, 'locations.csv'));
    fs.writeFileSync(path.join(dir, 'providers.csv'), 'provider_id,location_id,role\nPR1,L1,NP\nPR2,L1,RN\n');

    const report = await t.ingest([dir]);

    expect(report.committed).toBe(false);
    expect(report.failure).toMatch(/providers\.csv 2 of 2 rows \(100 %\); nothing was written/);
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 0, providers: 0 });
  });

  it('refuses a threshold that is not a share from 0 to 1 before touching the store', async () => {
    await expect(t.ingest([fixture('north')], 't1', { maxRejected: 5 })).rejects.toThrow(
      /maxRejected 5 is not a share from 0 to 1/,
    );
    expect((await t.store.rowCounts('t1')).locations).toBe(0);
  });
});

describe('pseudonymized patients', () => {
  it('gives the same person key to the same email in two systems, whatever its case and spaces', async () => {
    await t.ingest([fixture('north'), fixture('south')]);

    const [north] = current('patients', "patient_id = 'PT1'");
    const [south] = current('patients', "patient_id = 'B-77'");
    expect(north!.email_hash).toBe(t.pseudonymizer.pseudonymize('email', 'jane.doe@example.com'));
    expect(south!.email_hash).toBe(north!.email_hash);
    expect(south!.person_key).toBe(north!.person_key);
    const [lead] = current('leads', "lead_id = 'LD1'");
    expect(lead!.email_hash).toBe(north!.email_hash);
  });

  it('matches phones written in different styles by their E.164 digits', async () => {
    await t.ingest([fixture('north'), fixture('south')]);

    const [patient] = current('patients', "patient_id = 'PT2'");
    expect(patient!.phone_hash).toBe(t.pseudonymizer.pseudonymize('phone', '+12145550102'));
    // Without an email, the phone identifies the person.
    expect(patient!.person_key).toBe(patient!.phone_hash);
    const [noContact] = current('patients', "patient_id = 'PT3'");
    expect(noContact!.person_key).toBe(noContact!.email_hash);
  });

  it('never writes a raw email or phone into the database file', async () => {
    const report = await t.ingest([fixture('north'), fixture('south'), fixture('rejects')], 't1', {
      acceptRejected: true,
    });
    expect(report.committed).toBe(true);
    await t.store.close();

    const files = fs.readdirSync(t.dir).filter((f) => f.startsWith('caliper.db'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(t.dir, f))));
    for (const raw of [
      'Jane.Doe@Example.com',
      'jane.doe@example.com',
      'JANE.DOE',
      'kim@example.org',
      'p2@example.com',
      '555-0101',
      '5550101',
      '2145550102',
      '5125550177',
      '2145550199',
      'Mary Major',
      'Rob Roe',
    ]) {
      expect({ raw, found: bytes.includes(Buffer.from(raw)) }).toEqual({ raw, found: false });
    }
  });
});

describe('tenants', () => {
  it('keeps each tenant’s rows apart in one store', async () => {
    await t.ingest([fixture('north')], 't1');
    await t.ingest([fixture('south')], 't2');

    expect((await t.store.rowCounts('t1')).locations).toBe(1);
    expect((await t.store.rowCounts('t2')).locations).toBe(1);
    // t2 has no L1, so the south bundle's own location is all it knows.
    expect((await t.store.rowCounts('t2')).services).toBe(0);
  });
});
