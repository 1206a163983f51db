import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { openBundles } from '../../../io/bundleFiles';
import type { RecordFile } from '../../../shared/ingest/bundle';
import type { IngestReport } from '../../../shared/ingest/dataQuality';
import { ingestBundles, type IngestOptions } from '../../../shared/ingest/ingestBundles';
import { mergeLocations } from '../../../shared/ingest/locationMerge';
import { METRICS } from '../../../shared/metrics/catalog';
import { computeMetric } from '../../../shared/metrics/computeMetric';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { openMetrics } from '../../../shared/metrics/openMetrics';
import { createPseudonymizer } from '../../../shared/privacy/pseudonymize';
import type { CaliperStore } from '../../../shared/store/store.port';
import { at, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { fixture, openTestStore, tempDir, TEST_SECRET } from '../../support/testStore';
import { describeHistoryContract } from './historyContract';

/** A store under contract, opened fresh for each test. */
export interface ContractStore {
  store: CaliperStore;
  /** Removes whatever the test wrote (a temporary file, or the run's tenants in a shared database). */
  cleanup(): Promise<void>;
}

/**
 * Tenant ids unique to one test: a shared database (Azure SQL) keeps other runs' data, so the
 * contract never assumes it is alone, and a store's cleanup can remove exactly these tenants.
 */
const issuedTenants = new Set<string>();

function contractTenant(name: string): string {
  const tenant = `contract-${randomBytes(6).toString('hex')}-${name}`;
  issuedTenants.add(tenant);
  return tenant;
}

/** The tenants the contract used since the last call (their API keys are named after them too). */
export function takeContractTenants(): string[] {
  const tenants = [...issuedTenants];
  issuedTenants.clear();
  return tenants;
}

const EVERYTHING = { from: '2000-01-01', to: '2099-12-31' };

const NORTH_AND_SOUTH_COUNTS = {
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
};

async function ingest(
  store: CaliperStore,
  tenant: string,
  paths: string[],
  threshold: Pick<IngestOptions, 'maxRejected' | 'acceptRejected'> = {},
): Promise<IngestReport> {
  const bundles = (await Promise.all(paths.map((p) => openBundles(p)))).flat();
  return ingestBundles(bundles, {
    store,
    tenant,
    pseudonymizer: createPseudonymizer(TEST_SECRET),
    ...threshold,
  });
}

/** Everything the port lets a caller read about one tenant, for "nothing changed" comparisons. */
async function portView(store: CaliperStore, tenant: string) {
  return {
    rowCounts: await store.rowCounts(tenant),
    summaries: await store.locationSummaries(tenant, EVERYTHING.from, EVERYTHING.to),
    salesDateRange: await store.salesDateRange(tenant),
    locations: await store.locationIdentities(tenant),
    ingests: await store.ingests(tenant),
    dataVersion: await store.dataVersion(tenant),
    dirty: await store.dirtyLocations(tenant),
    sales: await store.sourceRecords(tenant, {
      fact: 'sales.csv',
      locationIds: null,
      providerId: null,
      ...EVERYTHING,
    }),
    keys: await store.listApiKeys(tenant),
  };
}

/** A bundle folder with one sales.csv, for corrections and broken files. */
function salesBundle(lines: string[], withSouthLocations = false): string {
  const dir = tempDir('caliper-contract-');
  fs.writeFileSync(
    path.join(dir, 'sales.csv'),
    [
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
      ...lines,
    ]
      .map((l) => `${l}\n`)
      .join(''),
  );
  if (withSouthLocations) {
    fs.copyFileSync(path.join(fixture('south'), 'locations.csv'), path.join(dir, 'locations.csv'));
  }
  return dir;
}

/** Metric ids × scopes × periods whose answers must not depend on the store. */
function answers(ctx: MetricContext) {
  const out: Record<string, unknown> = {};
  for (const metric of METRICS) {
    for (const [scopeName, scope] of [
      ['portfolio', PORTFOLIO],
      ['L1', at('L1')],
      ['L2', at('L2')],
    ] as const) {
      for (const period of ['2024', '2024-01', '2024-Q2']) {
        const answer = computeMetric(ctx, metric.id, scope, period);
        out[`${metric.id} ${scopeName} ${period}`] = answer.ok
          ? { value: answer.value.value, coverage: answer.value.coverage }
          : { error: answer.error.code };
      }
    }
  }
  return out;
}

/**
 * The behaviour of the store port that every store must have, whatever it is built on. Run
 * against SQLite always and against Azure SQL when a database is configured.
 */
export function describeStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(`store contract: ${name}`, () => {
    let opened: ContractStore;
    let store: CaliperStore;
    let tenantA: string;
    let tenantB: string;
    const dirs: string[] = [];

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      tenantA = contractTenant('a');
      tenantB = contractTenant('b');
    });
    afterEach(async () => {
      await opened.cleanup();
      for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    });

    describeHistoryContract(() => ({ store, tenantA, tenantB }));

    it('ingests the north and south bundles and reports counts, summaries, sales range and the log', async () => {
      const report = await ingest(store, tenantA, [fixture('north'), fixture('south')]);

      expect(report.committed).toBe(true);
      expect(report.totals).toMatchObject({ rows_accepted: 37, rows_inserted: 37, rows_rejected: 0 });
      expect(await store.rowCounts(tenantA)).toEqual(NORTH_AND_SOUTH_COUNTS);
      const summaries = await store.locationSummaries(tenantA, '2024-01-01', '2024-12-31');
      expect(
        summaries.map((r) => [r.location_id, r.net_revenue_cents, r.visits, r.providers, r.patients]),
      ).toEqual([
        ['L1', 100000, 3, 2, 3],
        ['L2', 57900, 1, 0, 2],
      ]);
      expect(summaries[0]).toMatchObject({
        name: 'North Dallas',
        region: 'Southwest',
        emr_system: 'Zenoti',
        opened_on: '2020-03-01',
        closed_on: null,
        first_sale_on: '2024-01-05',
        last_sale_on: '2024-04-12',
      });
      // Revenue is counted in the period only; visits too.
      const january = await store.locationSummaries(tenantA, '2024-01-01', '2024-01-31');
      expect(january.map((r) => [r.location_id, r.net_revenue_cents, r.visits])).toEqual([
        ['L1', 48000, 1],
        ['L2', 0, 0],
      ]);
      expect(await store.salesDateRange(tenantA)).toEqual({ first: '2024-01-05', last: '2024-05-03' });
      // Both fixture locations are in Texas (tests/fixtures/bundles/*/locations.csv).
      expect(await store.locationIdentities(tenantA)).toEqual([
        {
          location_id: 'L1',
          name: 'North Dallas',
          region: 'Southwest',
          timezone: 'America/Chicago',
          opened_on: '2020-03-01',
          closed_on: null,
          acquired_on: '2023-06-01',
          emr_system: 'Zenoti',
          rooms: 5,
          aliases: [],
        },
        expect.objectContaining({ location_id: 'L2', name: 'South Austin, TX', timezone: 'America/Chicago' }),
      ]);
      // A saved alias belongs to its tenant; saving it again for another location moves it.
      await store.saveLocationAlias(tenantA, 'L1', 'North Clinic – Austin');
      await store.saveLocationAlias(tenantA, 'L2', 'NORTH clinic - austin');
      const aliased = await store.locationIdentities(tenantA);
      expect(aliased.map((l) => [l.location_id, l.aliases])).toEqual([
        ['L1', []],
        ['L2', ['NORTH clinic - austin']],
      ]);
      expect((await store.locationIdentities(tenantB)).flatMap((l) => l.aliases)).toEqual([]);

      const log = await store.ingests(tenantA);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        ingest_id: report.ingest_id,
        rows_inserted: 37,
        rows_updated: 0,
        rows_unchanged: 0,
        rows_rejected: 0,
      });
      expect(log[0]!.label).toContain('north');
      expect(log[0]!.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
      expect(log[0]!.finished_at >= log[0]!.started_at).toBe(true);
      expect(await store.dirtyLocations(tenantA)).toEqual(['L1', 'L2']);
    });

    it('changes nothing when the same bundles are ingested again', async () => {
      await ingest(store, tenantA, [fixture('north'), fixture('south')]);
      const before = await portView(store, tenantA);

      const again = await ingest(store, tenantA, [fixture('north'), fixture('south')]);

      expect(again.committed).toBe(true);
      expect(again.totals).toMatchObject({ rows_inserted: 0, rows_updated: 0, rows_unchanged: 37 });
      const after = await portView(store, tenantA);
      expect(after.rowCounts).toEqual(before.rowCounts);
      expect(after.summaries).toEqual(before.summaries);
      expect(after.sales).toEqual(before.sales);
      expect(after.ingests.map((i) => [i.rows_inserted, i.rows_updated, i.rows_unchanged])).toEqual([
        [37, 0, 0],
        [0, 0, 37],
      ]);
    });

    it('supersedes a corrected row: one update, the same row count, the new value and its new source', async () => {
      await ingest(store, tenantA, [fixture('north')]);
      const dir = salesBundle(['S1,L1,2024-01-05,PT1,PR1,A1,service,BTX,540.00,20.00,0.00,50.00']);
      dirs.push(dir);

      const correction = await ingest(store, tenantA, [dir]);

      expect(correction.totals).toMatchObject({ rows_inserted: 0, rows_updated: 1, rows_unchanged: 0 });
      expect((await store.rowCounts(tenantA)).sales).toBe(6);
      const [l1] = await store.locationSummaries(tenantA, '2024-01-01', '2024-12-31');
      expect(l1!.net_revenue_cents).toBe(102000);
      // Lineage: the corrected line now rests on the correction's file, the other five on north's.
      const sources = await store.sourceRecords(tenantA, {
        fact: 'sales.csv',
        locationIds: ['L1'],
        providerId: null,
        ...EVERYTHING,
      });
      expect(
        sources.map((s) => [path.basename(path.dirname(s.file)), s.ingest_id, s.rows, s.sample_rows]),
      ).toEqual([
        ['north', (await store.ingests(tenantA))[0]!.ingest_id, 5, [3, 4, 5, 6, 7]],
        [path.basename(dir), correction.ingest_id, 1, [2]],
      ]);
      const ctx = await openMetrics(store, tenantA);
      // January: 520.00 − 20.00 + 20.00 more gross + 80.00 − 100.00 = 500.00
      expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-01').value).toBe(500);
    });

    it('lets a provider row an export derives complete the stored row, never blank its role or payroll id', async () => {
      await ingest(store, tenantA, [fixture('north')]);
      // What a Zenoti export derives for PR1 (name only) and for a provider no one described.
      const derived: RecordFile = {
        name: 'providers.csv',
        displayPath: 'zenoti_appointments.csv → providers.csv',
        bytes: 0,
        columns: ['provider_id', 'location_id', 'display_name'],
        records: [
          { sourceRow: 2, values: { provider_id: 'PR1', location_id: 'L1', display_name: 'Smith, Jane NP' } },
          { sourceRow: 3, values: { provider_id: 'PR9', location_id: 'L1', display_name: 'Kim Lee' } },
        ],
        sha256: 'e'.repeat(64),
      };

      const report = await ingestBundles([{ label: 'export', files: [derived] }], {
        store,
        tenant: tenantA,
        pseudonymizer: createPseudonymizer(TEST_SECRET),
      });

      expect(report.totals).toMatchObject({ rows_inserted: 1, rows_updated: 0, rows_unchanged: 1 });
      const { providers } = await store.loadMetricData(tenantA);
      expect(providers.filter((p) => p.location_id === 'L1').map((p) => [p.provider_id, p.role])).toEqual(
        expect.arrayContaining([
          ['PR1', 'np'],
          ['PR9', null],
        ]),
      );
      // PR1 is unchanged above, payroll id included: north's own file ingested again changes nothing.
      const again = await ingest(store, tenantA, [fixture('north')]);
      expect(again.totals).toMatchObject({ rows_inserted: 0, rows_updated: 0 });
    });

    it('keeps the first of two different rows with the same key in one ingest and reports the second', async () => {
      const dir = salesBundle(
        [
          'D1,L2,2024-05-03,,,,retail,,10.00,,,',
          'D1,L2,2024-05-03,,,,retail,,12.00,,,',
          'D1,L2,2024-05-03,,,,retail,,10.00,,,',
        ],
        true,
      );
      dirs.push(dir);

      // One row of three rejected is above the 5 % threshold: committed because it is accepted.
      const report = await ingest(store, tenantA, [dir], { acceptRejected: true });

      expect(report.committed).toBe(true);
      const sales = report.files.find((f) => f.entity === 'sales')!;
      expect(sales).toMatchObject({ rows_inserted: 1, rows_unchanged: 1, rows_rejected: 1 });
      expect(sales.issues.map((i) => [i.row, i.code])).toEqual([[3, 'duplicate_key']]);
      const [l2] = await store.locationSummaries(tenantA, EVERYTHING.from, EVERYTHING.to);
      expect(l2!.net_revenue_cents).toBe(1000);
    });

    it('leaves the store as it was when an ingest fails midway or is rolled back', async () => {
      await ingest(store, tenantA, [fixture('north')]);
      const before = await portView(store, tenantA);
      const dir = salesBundle(
        ['Y1,L2,2024-05-03,,,,retail,,10.00,,,', 'Y2,L2,2024-05-03,,,,"retail,,10.00,,,'],
        true,
      );
      dirs.push(dir);

      const broken = await ingest(store, tenantA, [dir]);

      expect(broken.committed).toBe(false);
      expect(broken.failure).toMatch(/nothing was written/);
      expect(await portView(store, tenantA)).toEqual(before);

      // The same through the port: rows written, then rolled back.
      const tx = await store.beginIngest(tenantA, 'rolled back');
      const sourceFile = await tx.addSourceFile({
        path: 'x/locations.csv',
        name: 'locations.csv',
        entity: 'locations',
        bytes: 10,
      });
      const outcome = await tx.upsert('locations', sourceFile, [
        {
          key: ['L9'],
          values: { location_id: 'L9', name: 'Nowhere', opened_on: '2020-01-01' },
          extra: null,
          hash: 'h-L9',
          sourceRow: 2,
        },
      ]);
      expect(outcome).toEqual({ inserted: 1, updated: 0, unchanged: 0, conflicts: [] });
      await tx.rollback();
      expect(await portView(store, tenantA)).toEqual(before);
    });

    it('keeps tenants apart in every read', async () => {
      await ingest(store, tenantA, [fixture('north'), fixture('south')]);
      await openMetrics(store, tenantA);
      await store.addApiKey({
        tenant: tenantA,
        prefix: `${tenantA}-k`,
        hash: sha256(`${tenantA}-k`),
        label: null,
      });

      expect(await portView(store, tenantB)).toEqual({
        rowCounts: Object.fromEntries(Object.keys(NORTH_AND_SOUTH_COUNTS).map((e) => [e, 0])),
        summaries: [],
        salesDateRange: null,
        locations: [],
        ingests: [],
        dataVersion: 0,
        dirty: [],
        sales: [],
        keys: [],
      });
      const facts = await store.loadLocationFacts(tenantB, 'L1');
      expect([
        facts.sales,
        facts.appointments,
        facts.shifts,
        facts.payroll,
        facts.providers,
        facts.categories,
      ]).toEqual([[], [], [], [], [], []]);
      const data = await store.loadMetricData(tenantB);
      expect(data).toMatchObject({
        tenant: tenantB,
        version: 0,
        locations: [],
        providers: [],
        patients: [],
        memberships: [],
        spend: [],
      });
      expect(data.leads.length).toBe(0);
      expect(data.events.length).toBe(0);
      expect(data.revenue.length).toBe(0);
      expect(data.dataRange.size).toBe(0);

      // The same natural keys in another tenant are new rows there, and change nothing for the first.
      const viewA = await portView(store, tenantA);
      const aggregatesA = await store.loadMetricData(tenantA);
      expect(aggregatesA.events.length).toBeGreaterThan(0);
      const b = await ingest(store, tenantB, [fixture('north')]);
      expect(b.totals).toMatchObject({ rows_inserted: 30, rows_unchanged: 0 });
      expect(await store.dirtyLocations(tenantB)).toEqual(['L1']);
      const markB = await store.dirtyMark(tenantB, 'L1');
      expect(markB).toEqual({ from: null, ingest: b.ingest_id });
      await store.replaceLocationAggregates(tenantB, 'L1', { daily: [], events: [], revenue: [] }, markB);
      expect(await store.dirtyLocations(tenantB)).toEqual([]);
      // Neither B's ingest nor B's refresh of the same location id touched A.
      expect(await portView(store, tenantA)).toEqual(viewA);
      const after = await store.loadMetricData(tenantA);
      expect([after.events, after.revenue.toArray(), after.version]).toEqual([
        aggregatesA.events,
        aggregatesA.revenue.toArray(),
        aggregatesA.version,
      ]);
    });

    it('gives the metric engine the same values as the reference SQLite store', async () => {
      await ingest(store, tenantA, [fixture('north'), fixture('south')]);
      const ctx = await openMetrics(store, tenantA);
      expect(await store.dirtyLocations(tenantA)).toEqual([]);

      expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-01').value).toBe(480);
      expect(valueOf(ctx, 'net_revenue', PORTFOLIO, '2024').value).toBe(1579);
      expect(valueOf(ctx, 'avg_ticket', PORTFOLIO, '2024').value).toBe(394.75);
      expect(valueOf(ctx, 'revenue_per_available_hour', at('L1'), '2024-01').value).toBe(60);
      expect(valueOf(ctx, 'revenue_per_available_hour', at('L1'), '2024-04').value).toBe(6.82);

      const reference = openTestStore();
      try {
        await reference.ingest([fixture('north'), fixture('south')]);
        const expected = answers(await openMetrics(reference.store, 't1'));
        // The comparison means something only if most metrics answer with a number.
        const numbers = Object.values(expected).filter(
          (a) => typeof (a as { value?: unknown }).value === 'number',
        );
        expect(numbers.length).toBeGreaterThan(Object.keys(expected).length / 2);
        expect(answers(ctx)).toEqual(expected);
      } finally {
        await reference.close();
      }
    });

    it('merges one location into another as one ingest: facts, names, aggregates and history', async () => {
      await ingest(store, tenantA, [fixture('north'), fixture('south')]);
      await ingest(store, tenantB, [fixture('south')]);
      await openMetrics(store, tenantA);
      const first = (await store.ingests(tenantA))[0]!;

      const merged = await mergeLocations(store, tenantA, {
        from: 'L2',
        into: 'L1',
        label: 'merge L2 into L1',
      });

      expect(merged).toMatchObject({
        committed: true,
        moved: { patients: 2, appointments: 2, sales: 2 },
        aliases_added: ['L2', 'South Austin, TX'],
      });
      // One location with both's facts: 2024 visits 3 + 1, patients 3 + 2, net revenue 1,000 + 579.
      const summaries = await store.locationSummaries(tenantA, '2024-01-01', '2024-12-31');
      expect(
        summaries.map((r) => [r.location_id, r.net_revenue_cents, r.visits, r.providers, r.patients]),
      ).toEqual([['L1', 157900, 4, 2, 5]]);
      expect((await store.rowCounts(tenantA)).locations).toBe(1);
      expect((await store.rowCounts(tenantA)).sales).toBe(8);
      expect(await store.locationIdentities(tenantA)).toEqual([
        expect.objectContaining({ location_id: 'L1', aliases: ['L2', 'South Austin, TX'] }),
      ]);
      // The merge is in the log like any ingest; the moved rows keep naming their export rows.
      expect((await store.ingests(tenantA)).map((i) => [i.label, i.rows_updated])).toEqual([
        [first.label, 0],
        ['merge L2 into L1', 6],
      ]);
      const sources = await store.sourceRecords(tenantA, {
        fact: 'sales.csv',
        locationIds: ['L1'],
        providerId: null,
        ...EVERYTHING,
      });
      expect(sources.map((s) => [path.basename(path.dirname(s.file)), s.ingest_id, s.rows])).toEqual([
        ['north', first.ingest_id, 6],
        ['south', first.ingest_id, 2],
      ]);
      // Both locations marked; the refresh recomputes L1 and leaves L2 nothing.
      expect(await store.dirtyLocations(tenantA)).toEqual(['L1', 'L2']);
      const ctx = await openMetrics(store, tenantA);
      expect(valueOf(ctx, 'net_revenue', at('L1'), '2024').value).toBe(1579);
      expect(valueOf(ctx, 'net_revenue', PORTFOLIO, '2024').value).toBe(1579);
      expect((await store.loadLocationFacts(tenantA, 'L2')).sales).toEqual([]);
      expect((await store.loadMetricData(tenantA)).events.locationIds).not.toContain('L2');

      // The merged location's bundle again: read as L1, nothing new, nothing back.
      const again = await ingest(store, tenantA, [fixture('south')]);
      expect(again.totals).toMatchObject({ rows_inserted: 0, rows_updated: 0, rows_unchanged: 7 });
      expect((await store.locationIdentities(tenantA)).map((l) => l.location_id)).toEqual(['L1']);

      // Refusals write nothing; tenant B's own L2 was never reachable.
      const view = await portView(store, tenantA);
      expect((await mergeLocations(store, tenantA, { from: 'L2', into: 'L1', label: 'x' })).failure).toBe(
        `no location "L2" in tenant "${tenantA}"`,
      );
      expect(await portView(store, tenantA)).toEqual(view);
      expect((await store.locationIdentities(tenantB)).map((l) => [l.location_id, l.aliases])).toEqual([
        ['L2', []],
      ]);
    });

    it('refuses a merge whose locations have different rows under one key, writing nothing', async () => {
      const dir = tempDir('caliper-contract-');
      dirs.push(dir);
      fs.writeFileSync(path.join(dir, 'locations.csv'), 'location_id,name\nL9,North Dallas (Zenoti)\n');
      fs.writeFileSync(
        path.join(dir, 'marketing_spend.csv'),
        'location_id,channel,date,spend\nL9,google_ads,2024-01,1200.00\nL9,meta,2024-01-15,45.50\n',
      );
      await ingest(store, tenantA, [fixture('north'), dir]);
      const before = await portView(store, tenantA);

      const refused = await mergeLocations(store, tenantA, { from: 'L1', into: 'L9', label: 'merge' });

      expect(refused).toMatchObject({ committed: false, ingest_id: null, duplicates: {} });
      expect(refused.conflicts).toEqual([
        {
          entity: 'marketing_spend',
          key: { location_id: 'L9', channel: 'google_ads', date: '2024-01' },
          differences: [{ column: 'spend', from: '1500.00', into: '1200.00' }],
        },
      ]);
      expect(await portView(store, tenantA)).toEqual(before);

      const kept = await mergeLocations(store, tenantA, {
        from: 'L1',
        into: 'L9',
        label: 'merge',
        keepInto: true,
      });
      expect(kept).toMatchObject({ committed: true, duplicates: { marketing_spend: 1 } });
      const ctx = await openMetrics(store, tenantA);
      expect(valueOf(ctx, 'net_revenue', at('L9'), '2024').value).toBe(1000);
    });

    it("answers the tenant's latest committed ingest id as its data version, 0 before the first", async () => {
      expect(await store.dataVersion(tenantA)).toBe(0);
      const first = (await ingest(store, tenantA, [fixture('north')])).ingest_id!;
      // A number, not the text tedious makes of a BIGINT: cache keys compare it with ===.
      expect(await store.dataVersion(tenantA)).toBe(first);

      const second = (await ingest(store, tenantA, [fixture('south')])).ingest_id!;
      expect(second).toBeGreaterThan(first);
      expect(await store.dataVersion(tenantA)).toBe(second);

      // A rolled-back ingest is no new data; another tenant's ingest is not this tenant's.
      const tx = await store.beginIngest(tenantA, 'rolled back');
      await tx.rollback();
      await ingest(store, tenantB, [fixture('north')]);
      expect(await store.dataVersion(tenantA)).toBe(second);
      expect(await store.dataVersion(tenantB)).toBeGreaterThan(second);
    });

    it('keeps answers per tenant and data version: a later version removes the earlier ones, never the reverse; a stored key keeps its answer', async () => {
      // Keys far longer than an index key (hashed by the store), in groups of up to 60 cells as
      // a sheet's, and more than one statement's worth.
      const keys = Array.from({ length: 2500 }, (_, i) => ({
        group: `${'g'.repeat(600)}-${Math.floor(i / 60)}`,
        cell: `${'c'.repeat(300)}-${i % 60}`,
      }));
      const answer = (i: number) =>
        JSON.stringify({ value: i / 3, unit: 'usd', coverage: 1, reason: `é ${i}` });
      const answered = async (tenant: string, version: number) =>
        (await store.storedAnswers(tenant, version, keys)).filter((a) => a !== undefined).length;
      await store.saveAnswers(
        tenantA,
        7,
        keys.map((key, i) => ({ key, answer: answer(i) })),
      );
      await store.saveAnswers(tenantB, 7, [{ key: keys[0]!, answer: 'B' }]);

      // In the keys' order; a key never stored, or a stored cell in another group, has none.
      const read = await store.storedAnswers(tenantA, 7, [
        keys[2499]!,
        { group: keys[0]!.group, cell: 'never stored' },
        { group: 'another group', cell: keys[0]!.cell },
        keys[0]!,
        keys[2499]!,
      ]);
      expect(read).toEqual([answer(2499), undefined, undefined, answer(0), answer(2499)]);
      expect(await answered(tenantA, 7)).toBe(2500);
      // Another version, another tenant: nothing of tenant A's version 7 answers them.
      expect(await answered(tenantA, 8)).toBe(0);
      expect(await store.storedAnswers(tenantB, 7, keys.slice(0, 2))).toEqual(['B', undefined]);

      // The same key again at the same version keeps the first answer.
      await store.saveAnswers(tenantA, 7, [{ key: keys[1]!, answer: 'again' }]);
      expect(await store.storedAnswers(tenantA, 7, [keys[1]!])).toEqual([answer(1)]);

      // A later version's answers replace the tenant's earlier ones, not another tenant's.
      await store.saveAnswers(tenantA, 8, [{ key: keys[3]!, answer: 'v8' }]);
      expect(await answered(tenantA, 7)).toBe(0);
      expect(await store.storedAnswers(tenantA, 8, keys.slice(0, 5))).toEqual([
        undefined,
        undefined,
        undefined,
        'v8',
        undefined,
      ]);
      expect(await answered(tenantB, 7)).toBe(1);

      // A late save of an earlier version (an ingest landed meanwhile) leaves the later one's.
      await store.saveAnswers(tenantA, 7, [{ key: keys[4]!, answer: 'late' }]);
      expect(await store.storedAnswers(tenantA, 8, [keys[3]!, keys[4]!])).toEqual(['v8', undefined]);
      expect(await answered(tenantA, 8)).toBe(1);
    });

    it('lists the files each ingest read and their issues grouped, with numbers as numbers', async () => {
      const dir = salesBundle(
        [
          'S1,L2,2024-05-03,,,,retail,,10.00,,,',
          'S1,L2,2024-05-03,,,,retail,,12.00,,,',
          'S1,L2,2024-05-04,,,,retail,,14.00,,,',
        ],
        true,
      );
      dirs.push(dir);
      const report = await ingest(store, tenantA, [dir], { acceptRejected: true });
      expect(report.committed).toBe(true);

      const sources = await store.reportSources(tenantA);
      expect(sources.files.map((f) => [f.file, f.canonical, f.ingest_id])).toEqual([
        ['locations.csv', 'locations.csv', report.ingest_id],
        ['sales.csv', 'sales.csv', report.ingest_id],
      ]);
      const sales = sources.files[1]!;
      // BIGINT columns: tedious hands them over as text, the port promises numbers.
      expect(sales).toMatchObject({ rows_read: 3, rows_accepted: 1, rows_rejected: 2 });
      expect(sales.bytes).toBe(fs.statSync(path.join(dir, 'sales.csv')).size);
      expect(sales.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(sources.issues).toEqual([
        {
          // As the ingest stored it (today the path it was read from, folder included).
          file: expect.stringMatching(/sales\.csv$/),
          code: 'duplicate_key',
          severity: 'error',
          count: 2,
          rows: [3, 4],
          example: expect.any(String),
          last_ingest_id: report.ingest_id,
        },
      ]);
      expect(await store.reportSources(tenantB)).toEqual({ files: [], issues: [] });
    });

    it('adds, resolves, lists and revokes API keys by tenant', async () => {
      const first = { tenant: tenantA, prefix: `${tenantA}-1`, hash: sha256(`${tenantA}-1`), label: 'excel' };
      const second = { tenant: tenantA, prefix: `${tenantA}-2`, hash: sha256(`${tenantA}-2`), label: null };
      const other = { tenant: tenantB, prefix: `${tenantB}-1`, hash: sha256(`${tenantB}-1`), label: 'b' };
      for (const key of [first, second, other]) await store.addApiKey(key);

      expect(await store.apiKeyTenant(first.hash)).toBe(tenantA);
      expect(await store.apiKeyTenant(other.hash)).toBe(tenantB);
      expect(await store.apiKeyTenant(sha256('unknown'))).toBeNull();
      const listed = await store.listApiKeys(tenantA);
      expect(listed.map((k) => [k.tenant, k.prefix, k.label, k.revoked_at])).toEqual([
        [tenantA, first.prefix, 'excel', null],
        [tenantA, second.prefix, null, null],
      ]);
      expect(listed[0]!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect((await store.listApiKeys()).map((k) => k.prefix)).toEqual(
        expect.arrayContaining([first.prefix, second.prefix, other.prefix]),
      );

      expect(await store.revokeApiKey(first.prefix)).toBe(true);
      expect(await store.revokeApiKey(first.prefix)).toBe(false);
      expect(await store.revokeApiKey(`${tenantA}-none`)).toBe(false);
      expect(await store.apiKeyTenant(first.hash)).toBeNull();
      expect(await store.apiKeyTenant(second.hash)).toBe(tenantA);
      const revoked = (await store.listApiKeys(tenantA))[0]!;
      expect(revoked.revoked_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
