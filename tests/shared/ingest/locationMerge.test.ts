import fs from 'node:fs';
import path from 'node:path';

import { mergeLocations } from '../../../shared/ingest/locationMerge';
import { computeMetric } from '../../../shared/metrics/computeMetric';
import { type AnyFileSpec, CANONICAL_FILES, locationColumnsOf } from '../../../shared/model/canonicalBundle';
import type { CaliperStore, IngestTransaction } from '../../../shared/store/store.port';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { fixture, openTestStore, tempDir, type TestStore } from '../../support/testStore';

/*
 * North (L1, North Dallas) and south (L2, South Austin) as in tests/fixtures/bundles: 2024 net
 * revenue 1,000.00 at L1 and 579.00 at L2 (tests/store/contract pins both).
 */

let t: TestStore;
const dirs: string[] = [];
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Current rows of `table` at a location, counted by the table's location column. */
function countAt(table: string, locationId: string): number {
  const column = table === 'patients' ? 'home_location_id' : 'location_id';
  const row = t.store.db
    .prepare<[string], { n: number }>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = 't1' AND valid_to_ingest IS NULL AND ${column} = ?`,
    )
    .get(locationId);
  return row?.n ?? 0;
}

const FACT_TABLES = [
  'providers',
  'patients',
  'appointments',
  'sales',
  'payroll',
  'shifts',
  'memberships',
  'marketing_spend',
  'leads',
];

function countsAt(locationId: string): Record<string, number> {
  return Object.fromEntries(FACT_TABLES.map((table) => [table, countAt(table, locationId)]));
}

function merge(from: string, into: string, keepInto = false) {
  return mergeLocations(t.store, 't1', { from, into, label: `merge ${from} into ${into}`, keepInto });
}

/** A bundle folder of the given canonical files. */
function bundle(files: Record<string, string[]>): string {
  const dir = tempDir('caliper-merge-');
  dirs.push(dir);
  for (const [name, lines] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), lines.map((l) => `${l}\n`).join(''));
  }
  return dir;
}

/**
 * L9: North Dallas once more, as a second system described it — no region, time zone or
 * opening date; PR1 under another name with an earlier start and no payroll id; one shift
 * exactly as L1 has it, one ending later; Google spend of January differing from L1's.
 */
function northAgainAsL9(): string {
  return bundle({
    'locations.csv': ['location_id,name,emr_system', 'L9,North Dallas (Zenoti),Zenoti'],
    'providers.csv': [
      'provider_id,location_id,display_name,role,payroll_employee_id,started_on,ended_on',
      'PR1,L9,Jane Smith,np,,2019-06-01,',
    ],
    'shifts.csv': [
      'provider_id,location_id,date,start_time,end_time',
      'PR1,L9,2024-01-05,09:00,17:00',
      'PR2,L9,2024-02-10,10:00,19:00',
    ],
    'marketing_spend.csv': ['location_id,channel,date,spend', 'L9,google_ads,2024-01,1200.00'],
  });
}

describe('merging two locations into one', () => {
  it('covers every canonical entity that names a location', () => {
    const columns = (CANONICAL_FILES as readonly unknown[] as AnyFileSpec[])
      .filter((spec) => spec.entity !== 'locations')
      .flatMap((spec) => locationColumnsOf(spec).map((c) => `${spec.entity}.${c}`));
    expect(columns.sort()).toEqual(
      [...FACT_TABLES.map((e) => `${e}.${e === 'patients' ? 'home_location_id' : 'location_id'}`)].sort(),
    );
  });

  it('moves every fact of FROM to INTO in one ingest: INTO counts both, the portfolio the same', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    const before = await metricsOf(t);
    expect(valueOf(before, 'net_revenue', at('L1'), '2024').value).toBe(1000);
    expect(valueOf(before, 'net_revenue', at('L2'), '2024').value).toBe(579);
    expect(valueOf(before, 'net_revenue', PORTFOLIO, '2024').value).toBe(1579);
    expect(countsAt('L2')).toMatchObject({ patients: 2, appointments: 2, sales: 2 });

    const merged = await merge('L2', 'L1');

    expect(merged).toMatchObject({
      committed: true,
      failure: null,
      moved: { patients: 2, appointments: 2, sales: 2 },
      duplicates: {},
      providers_combined: [],
      conflicts: [],
      // L1 has every field: it keeps its own, and the answer says where L2's differed.
      filled: {},
      kept: {
        opened_on: { into: '2020-03-01', from: '2021-09-01' },
        acquired_on: { into: '2023-06-01', from: '2024-01-01' },
        emr_system: { into: 'Zenoti', from: 'Boulevard' },
        rooms: { into: 5, from: 4 },
      },
      aliases_added: ['L2', 'South Austin, TX'],
    });
    expect(merged.ingest_id).toEqual(expect.any(Number));
    // Row counts per location: L1's own plus L2's; nothing left at L2, and L2 no longer listed.
    expect(countsAt('L1')).toEqual({
      providers: 2,
      patients: 3 + 2,
      appointments: 5 + 2,
      sales: 6 + 2,
      payroll: 1,
      shifts: 2,
      memberships: 1,
      marketing_spend: 2,
      leads: 2,
    });
    expect(Object.values(countsAt('L2'))).toEqual(FACT_TABLES.map(() => 0));
    expect(await t.store.locationIdentities('t1')).toEqual([
      expect.objectContaining({
        location_id: 'L1',
        name: 'North Dallas',
        aliases: ['L2', 'South Austin, TX'],
      }),
    ]);
    expect((await t.store.rowCounts('t1')).locations).toBe(1);

    // The merge marked both locations; the next query recomputes them and drops L2's aggregates.
    expect(await t.store.dirtyLocations('t1')).toEqual(['L1', 'L2']);
    const after = await metricsOf(t);
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
    expect(valueOf(after, 'net_revenue', at('L1'), '2024').value).toBe(1000 + 579);
    expect(valueOf(after, 'net_revenue', PORTFOLIO, '2024').value).toBe(1579);
    expect(valueOf(after, 'net_revenue', at('L1'), '2024-05').value).toBe(579);
    expect(computeMetric(after, 'net_revenue', at('L2'), '2024')).toMatchObject({
      ok: false,
      error: { code: 'unknown_location' },
    });
    for (const table of ['location_aggregates']) {
      expect(t.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE location_id = 'L2'`).get()).toEqual(
        {
          n: 0,
        },
      );
    }
  });

  it('keeps history and lineage: earlier versions closed by the merge, the export rows still named', async () => {
    const first = await t.ingest([fixture('north'), fixture('south')]);
    const merged = await merge('L2', 'L1');

    const versions = t.store.db
      .prepare(
        `SELECT location_id, valid_from_ingest, valid_to_ingest, source_file_id, source_row FROM sales
         WHERE tenant_id = 't1' AND line_id = 'blvd-1' ORDER BY row_id`,
      )
      .all() as {
      location_id: string;
      valid_from_ingest: number;
      valid_to_ingest: number | null;
      source_file_id: number;
    }[];
    expect(versions).toEqual([
      expect.objectContaining({
        location_id: 'L2',
        valid_from_ingest: first.ingest_id,
        valid_to_ingest: merged.ingest_id,
      }),
      expect.objectContaining({
        location_id: 'L1',
        valid_from_ingest: merged.ingest_id,
        valid_to_ingest: null,
      }),
    ]);
    // The same origin: the moved row still rests on south's sales.csv, row 2.
    expect(versions[1]).toMatchObject({ source_file_id: versions[0]!.source_file_id, source_row: 2 });
    const l2Rows = t.store.db
      .prepare("SELECT valid_to_ingest FROM locations WHERE tenant_id = 't1' AND location_id = 'L2'")
      .all();
    expect(l2Rows).toEqual([{ valid_to_ingest: merged.ingest_id }]);
    const sources = await t.store.sourceRecords('t1', {
      fact: 'sales.csv',
      locationIds: ['L1'],
      providerId: null,
      from: '2024-01-01',
      to: '2024-12-31',
    });
    expect(sources.map((s) => [path.basename(path.dirname(s.file)), s.rows])).toEqual([
      ['north', 6],
      ['south', 2],
    ]);

    const log = await t.store.ingests('t1');
    expect(log.map((i) => i.label)).toEqual([expect.stringContaining('north'), 'merge L2 into L1']);
    // 2 patients, 2 appointments and 2 sales rewritten at L1; L1's own row unchanged.
    expect(log[1]).toMatchObject({ rows_inserted: 0, rows_updated: 6, rows_unchanged: 1, rows_rejected: 0 });
    const mergeFiles = t.store.db
      .prepare('SELECT name, rows_read FROM source_files WHERE ingest_id = ? ORDER BY source_file_id')
      .all(merged.ingest_id);
    expect(mergeFiles).toEqual([
      { name: 'locations.csv', rows_read: 1 },
      { name: 'patients.csv', rows_read: 2 },
      { name: 'appointments.csv', rows_read: 2 },
      { name: 'sales.csv', rows_read: 2 },
    ]);
  });

  it('moves every kind of fact, providers, payroll and spend included', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    const portfolioBefore = valueOf(await metricsOf(t), 'net_revenue', PORTFOLIO, '2024').value;

    const merged = await merge('L1', 'L2');

    expect(merged.moved).toEqual({
      providers: 2,
      patients: 3,
      appointments: 5,
      sales: 6,
      payroll: 1,
      shifts: 2,
      memberships: 1,
      marketing_spend: 2,
      leads: 2,
    });
    expect(Object.values(countsAt('L1'))).toEqual(FACT_TABLES.map(() => 0));
    const ctx = await metricsOf(t);
    expect(valueOf(ctx, 'net_revenue', at('L2'), '2024').value).toBe(1579);
    expect(valueOf(ctx, 'net_revenue', PORTFOLIO, '2024').value).toBe(portfolioBefore);
  });

  it('reads a later ingest of the merged location as INTO: nothing comes back, nothing counts twice', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    await merge('L2', 'L1');
    const counts = await t.store.rowCounts('t1');

    const again = await t.ingest([fixture('south')]);

    expect(again.committed).toBe(true);
    // Every row is the version the merge wrote: L2's locations row is not written again.
    expect(again.totals).toMatchObject({
      rows_inserted: 0,
      rows_updated: 0,
      rows_unchanged: 7,
      rows_rejected: 0,
    });
    expect(again.issue_groups.filter((g) => g.code === 'merged_location').map((g) => g.count)).toEqual([
      1, 1, 1, 1,
    ]);
    expect(await t.store.rowCounts('t1')).toEqual(counts);
    expect((await t.store.locationIdentities('t1')).map((l) => l.location_id)).toEqual(['L1']);
    expect(valueOf(await metricsOf(t), 'net_revenue', PORTFOLIO, '2024').value).toBe(1579);
  });

  it('keeps vendor ids as they are, so the export ingested again names the same rows', async () => {
    // A Zenoti-style visit and its sale at L2: both move to L1 under the ids they had.
    await t.ingest([fixture('north')]);
    await t.ingest([
      bundle({
        'locations.csv': ['location_id,name', 'L2,Evolve Austin'],
        'appointments.csv': [
          'appointment_id,location_id,patient_id,provider_id,service_code,booked_at,start_at,duration_min,status',
          'zenoti:L2/V1,L2,zenoti:G1,,BTX,,2024-06-01T10:00,30,completed',
        ],
        'sales.csv': [
          'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross',
          'zenoti:L2/000123/BTX,L2,2024-06-01,zenoti:G1,,zenoti:L2/V1,service,BTX,300.00',
        ],
      }),
    ]);

    const merged = await merge('L2', 'L1');

    expect(merged.moved).toEqual({ appointments: 1, sales: 1 });
    const ids = (table: string, columns: string) =>
      t.store.db
        .prepare(
          `SELECT ${columns} FROM ${table} WHERE tenant_id = 't1' AND valid_to_ingest IS NULL AND ${columns.split(',')[0]} LIKE 'zenoti:%'`,
        )
        .all();
    expect(ids('appointments', 'appointment_id, location_id')).toEqual([
      { appointment_id: 'zenoti:L2/V1', location_id: 'L1' },
    ]);
    expect(ids('sales', 'line_id, appointment_id')).toEqual([
      { line_id: 'zenoti:L2/000123/BTX', appointment_id: 'zenoti:L2/V1' },
    ]);
    expect(valueOf(await metricsOf(t), 'net_revenue', at('L1'), '2024').value).toBe(1300);
  });

  it('refuses rows of both with one key and different values, naming them, and writes nothing', async () => {
    await t.ingest([fixture('north'), northAgainAsL9()]);
    const before = t.dump();

    const refused = await merge('L1', 'L9');

    expect(refused.committed).toBe(false);
    expect(refused.ingest_id).toBeNull();
    expect(refused.failure).toMatch(
      /^2 keys with a row at both L1 and L9 but different values; a location keeps one row per key/,
    );
    expect(refused.conflicts).toEqual([
      {
        entity: 'shifts',
        key: { provider_id: 'PR2', location_id: 'L9', date: '2024-02-10', start_time: '10:00:00' },
        differences: [{ column: 'end_time', from: '18:30:00', into: '19:00:00' }],
      },
      {
        entity: 'marketing_spend',
        key: { location_id: 'L9', channel: 'google_ads', date: '2024-01' },
        differences: [{ column: 'spend', from: '1500.00', into: '1200.00' }],
      },
    ]);
    // Per file: the conflicts, and the identical PR1 shift that would have counted once.
    expect(refused.report.issue_groups.map((g) => [g.file, g.code, g.severity, g.count])).toEqual([
      ['merge L1 into L9 → shifts.csv', 'merge_conflict', 'error', 1],
      ['merge L1 into L9 → shifts.csv', 'merge_duplicate', 'warning', 1],
      ['merge L1 into L9 → marketing_spend.csv', 'merge_conflict', 'error', 1],
    ]);
    expect(refused.report.issue_groups[0]!.examples[0]!.message).toBe(
      'provider_id PR2, location_id L9, date 2024-02-10, start_time 10:00:00: end_time 18:30:00 at L1, 19:00:00 at L9',
    );
    expect(t.dump()).toEqual(before);
  });

  it("with keepInto keeps INTO's rows, counts identical rows once, makes one provider row and fills INTO's gaps", async () => {
    await t.ingest([fixture('north'), northAgainAsL9()]);
    const spendBefore = t.store.db
      .prepare(
        "SELECT SUM(spend) AS cents FROM marketing_spend WHERE tenant_id = 't1' AND valid_to_ingest IS NULL",
      )
      .get();
    expect(spendBefore).toEqual({ cents: 150000 + 4550 + 120000 });

    const merged = await merge('L1', 'L9', true);

    expect(merged.moved).toEqual({
      providers: 1,
      patients: 3,
      appointments: 5,
      sales: 6,
      payroll: 1,
      memberships: 1,
      marketing_spend: 1,
      leads: 2,
    });
    expect(merged).toMatchObject({
      committed: true,
      duplicates: { shifts: 1 },
      providers_combined: ['PR1'],
      filled: {
        region: 'Southwest',
        timezone: 'America/Chicago',
        opened_on: '2020-03-01',
        acquired_on: '2023-06-01',
        rooms: 5,
      },
      aliases_added: ['L1', 'North Dallas'],
    });
    expect(merged.conflicts.map((c) => c.entity)).toEqual(['shifts', 'marketing_spend']);
    // PR2's shift kept L9's end, the identical PR1 shift counts once; L1's own spend row moved,
    // its Google row gave way to L9's (kept in history).
    const current = (sql: string) => t.store.db.prepare(sql).all();
    expect(
      current(
        "SELECT provider_id, date, end_time FROM shifts WHERE tenant_id = 't1' AND valid_to_ingest IS NULL ORDER BY provider_id",
      ),
    ).toEqual([
      { provider_id: 'PR1', date: '2024-01-05', end_time: '17:00:00' },
      { provider_id: 'PR2', date: '2024-02-10', end_time: '19:00:00' },
    ]);
    expect(
      current(
        "SELECT location_id, channel, spend FROM marketing_spend WHERE tenant_id = 't1' AND valid_to_ingest IS NULL ORDER BY channel",
      ),
    ).toEqual([
      { location_id: 'L9', channel: 'google_ads', spend: 120000 },
      { location_id: 'L9', channel: 'meta', spend: 4550 },
    ]);
    expect(
      current(
        "SELECT spend FROM marketing_spend WHERE tenant_id = 't1' AND location_id = 'L1' AND channel = 'google_ads'",
      ),
    ).toEqual([{ spend: 150000 }]);
    // PR1: L9's name and role, L1's payroll id, the earlier start.
    expect(
      current(
        "SELECT provider_id, location_id, display_name, role, payroll_employee_id, started_on, ended_on FROM providers WHERE tenant_id = 't1' AND valid_to_ingest IS NULL ORDER BY provider_id",
      ),
    ).toEqual([
      {
        provider_id: 'PR1',
        location_id: 'L9',
        display_name: 'Jane Smith',
        role: 'np',
        payroll_employee_id: 'E100',
        started_on: '2019-06-01',
        ended_on: null,
      },
      {
        provider_id: 'PR2',
        location_id: 'L9',
        display_name: 'Amy Lee',
        role: 'aesthetician',
        payroll_employee_id: 'E101',
        started_on: '2021-01-15',
        ended_on: null,
      },
    ]);
    expect(await t.store.locationIdentities('t1')).toEqual([
      {
        location_id: 'L9',
        name: 'North Dallas (Zenoti)',
        region: 'Southwest',
        timezone: 'America/Chicago',
        opened_on: '2020-03-01',
        closed_on: null,
        acquired_on: '2023-06-01',
        emr_system: 'Zenoti',
        rooms: 5,
        aliases: ['L1', 'North Dallas'],
      },
    ]);
    const ctx = await metricsOf(t);
    expect(valueOf(ctx, 'net_revenue', at('L9'), '2024').value).toBe(1000);
    expect(valueOf(ctx, 'net_revenue', PORTFOLIO, '2024').value).toBe(1000);
  });

  it('refuses an unknown location, naming it, and a location merged into itself', async () => {
    await t.ingest([fixture('north')]);

    expect(await merge('L404', 'L1')).toMatchObject({
      committed: false,
      failure: 'no location "L404" in tenant "t1"',
    });
    expect(await merge('L1', 'L1')).toMatchObject({
      committed: false,
      failure: 'cannot merge location "L1" into itself',
    });
    // Another tenant's location is unknown like any other.
    await t.ingest([fixture('south')], 't2');
    expect((await merge('L2', 'L1')).failure).toBe('no location "L2" in tenant "t1"');
    expect((await t.store.ingests('t1')).length).toBe(1);
    expect((await t.store.locationIdentities('t2')).map((l) => l.location_id)).toEqual(['L2']);
  });

  it('leaves the store as it was when the store fails halfway', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    const before = t.dump();
    let retires = 0;
    // The second close of rows fails, after the location row and some facts were written.
    const failing = new Proxy(t.store, {
      get(target, property, receiver) {
        if (property !== 'beginIngest') return Reflect.get(target, property, receiver) as unknown;
        return async (tenant: string, label: string) => {
          const tx = await target.beginIngest(tenant, label);
          return new Proxy(tx, {
            get(inner, name) {
              if (name === 'retire') {
                return (...args: Parameters<IngestTransaction['retire']>) => {
                  retires += 1;
                  if (retires === 3) throw new Error('disk I/O error');
                  return inner.retire(...args);
                };
              }
              const value = Reflect.get(inner, name) as unknown;
              return typeof value === 'function'
                ? (value as (...a: unknown[]) => unknown).bind(inner)
                : value;
            },
          });
        };
      },
    }) as CaliperStore;

    await expect(
      mergeLocations(failing, 't1', { from: 'L2', into: 'L1', label: 'merge that fails' }),
    ).rejects.toThrow('disk I/O error');

    expect(retires).toBe(3);
    expect(t.dump()).toEqual(before);
    // The store is usable afterwards: the same merge commits.
    expect((await merge('L2', 'L1')).committed).toBe(true);
  });
});
