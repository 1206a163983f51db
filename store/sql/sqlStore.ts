import type { ActionStateRecord } from '../../shared/actions/actionState';
import type { LocationRecord } from '../../shared/connectors/locationIdentity';
import type {
  AggregateStore,
  DirtyMark,
  LocationAggregates,
  LocationFactsData,
} from '../../shared/engine/refresh';
import type { IngestReport } from '../../shared/ingest/dataQuality';
import type { SourceQuery, SourceRecords } from '../../shared/metrics/lineage';
import type { MetricData } from '../../shared/metrics/metricData';
import type { EntityName } from '../../shared/model/canonicalBundle';
import type { ReportSources } from '../../shared/store/reportSources';
import type {
  ApiKeyRecord,
  CaliperStore,
  IngestRecord,
  IngestTransaction,
  LocationSummary,
  NewApiKey,
  StoredAnswer,
  StoredBriefing,
  StoredKey,
} from '../../shared/store/store.port';
import { allEntitySpecs } from '../../shared/store/storedColumns';
import type { ChangedRow, MetricDimensions } from '../../shared/store/storeHistory';
import { actionStates, setActionState } from './actionStates';
import * as aggregates from './aggregates';
import { addApiKey, apiKeyTenant, listApiKeys, revokeApiKey } from './apiKeys';
import { briefingOn, saveBriefing, tenants } from './briefings';
import { dataVersion } from './dataVersion';
import { changedRowsSince } from './history';
import { sourceRecords } from './lineage';
import { locationIdentities, locationSummaries, salesDateRange, saveLocationAlias } from './locations';
import { loadMetricData, loadMetricDimensions } from './metricData';
import { reportSources } from './reportSources';
import type { SqlConnection } from './sqlDriver';
import { beginSqlIngest, type IngestRowWriter } from './sqlIngest';
import { saveAnswers, storedAnswers } from './storedAnswers';

/**
 * The per-database bulk loads a store hands its statements: the ingest's rows (see the
 * interface). A location's aggregates are one value, written and read by the same statements
 * on every database.
 */
export interface BulkRows {
  ingest: IngestRowWriter;
}

/**
 * The store, written once for SQLite and Azure SQL over a connection (`SqlConnection`: the
 * driver and its dialect) and the database's bulk loads (`BulkRows`). A database's store
 * (SqliteStore, AzureSqlStore) adds only how it opens and closes.
 */
export abstract class SqlStore implements CaliperStore, AggregateStore {
  protected constructor(
    /** Every statement of the store runs through this (autocommit), the ingest's through its transaction. */
    private readonly sql: SqlConnection,
    private readonly bulk: BulkRows,
  ) {}

  abstract close(): Promise<void>;

  beginIngest(tenant: string, label: string): Promise<IngestTransaction> {
    return beginSqlIngest(this.sql, this.bulk.ingest, tenant, label);
  }

  async rowCounts(tenant: string): Promise<Record<EntityName, number>> {
    const rows = await this.sql.all<{ entity: string; n: unknown }>(
      allEntitySpecs()
        .map(
          (spec) =>
            `SELECT '${spec.entity}' AS entity, COUNT(*) AS n FROM ${spec.entity} WHERE tenant_id = @tenant AND valid_to_ingest IS NULL`,
        )
        .join('\nUNION ALL\n'),
      { tenant },
    );
    const counts: Record<string, number> = {};
    for (const spec of allEntitySpecs()) {
      const n = rows.find((r) => r.entity === spec.entity)?.n;
      counts[spec.entity] = n === undefined ? 0 : this.sql.dialect.toNumber(n);
    }
    return counts;
  }

  locationIdentities(tenant: string): Promise<LocationRecord[]> {
    return locationIdentities(this.sql, tenant);
  }

  saveLocationAlias(tenant: string, locationId: string, alias: string): Promise<void> {
    return saveLocationAlias(this.sql, tenant, locationId, alias);
  }

  salesDateRange(tenant: string): Promise<{ first: string; last: string } | null> {
    return salesDateRange(this.sql, tenant);
  }

  locationSummaries(tenant: string, from: string, to: string): Promise<LocationSummary[]> {
    return locationSummaries(this.sql, tenant, from, to);
  }

  async ingests(tenant: string): Promise<IngestRecord[]> {
    const rows = await this.sql.all<{
      ingest_id: unknown;
      label: string;
      started_at: string;
      finished_at: string;
      report_json: string;
    }>(
      `SELECT ingest_id, label, started_at, finished_at, report_json FROM ingests
       WHERE tenant_id = @tenant ORDER BY ingest_id`,
      { tenant },
    );
    return rows.map((r) => {
      const totals = (JSON.parse(r.report_json) as IngestReport).totals;
      return {
        ingest_id: this.sql.dialect.toNumber(r.ingest_id),
        label: r.label,
        started_at: r.started_at,
        finished_at: r.finished_at,
        rows_inserted: totals.rows_inserted,
        rows_updated: totals.rows_updated,
        rows_unchanged: totals.rows_unchanged,
        rows_rejected: totals.rows_rejected,
      };
    });
  }

  dirtyLocations(tenant: string): Promise<string[]> {
    return aggregates.dirtyLocations(this.sql, tenant);
  }

  dirtyMark(tenant: string, locationId: string): Promise<DirtyMark | null> {
    return aggregates.dirtyMark(this.sql, tenant, locationId);
  }

  loadLocationFacts(tenant: string, locationId: string, asOfIngest?: number): Promise<LocationFactsData> {
    return aggregates.loadLocationFacts(this.sql, tenant, locationId, asOfIngest);
  }

  loadLocationFactsFrom(
    tenant: string,
    locationId: string,
    day: string,
  ): Promise<LocationFactsData & { from: string }> {
    return aggregates.loadLocationFactsFrom(this.sql, tenant, locationId, day);
  }

  replaceLocationAggregates(
    tenant: string,
    locationId: string,
    locationAggregates: LocationAggregates,
    seen: DirtyMark | null,
    from?: string,
  ): Promise<void> {
    return aggregates.replaceLocationAggregates(this.sql, tenant, locationId, locationAggregates, seen, from);
  }

  loadMetricData(tenant: string): Promise<MetricData> {
    return loadMetricData(this.sql, tenant);
  }

  loadMetricDimensions(tenant: string, asOfIngest: number): Promise<MetricDimensions> {
    return loadMetricDimensions(this.sql, tenant, asOfIngest);
  }

  sourceRecords(tenant: string, query: SourceQuery): Promise<SourceRecords[]> {
    return sourceRecords(this.sql, tenant, query);
  }

  changedRowsSince(tenant: string, ingestId: number): Promise<ChangedRow[]> {
    return changedRowsSince(this.sql, tenant, ingestId);
  }

  dataVersion(tenant: string): Promise<number> {
    return dataVersion(this.sql, tenant);
  }

  addApiKey(key: NewApiKey): Promise<void> {
    return addApiKey(this.sql, key);
  }

  apiKeyTenant(hash: string): Promise<string | null> {
    return apiKeyTenant(this.sql, hash);
  }

  listApiKeys(tenant?: string): Promise<ApiKeyRecord[]> {
    return listApiKeys(this.sql, tenant);
  }

  revokeApiKey(prefix: string): Promise<boolean> {
    return revokeApiKey(this.sql, prefix);
  }

  setActionState(tenant: string, state: ActionStateRecord): Promise<void> {
    return setActionState(this.sql, tenant, state);
  }

  actionStates(tenant: string): Promise<ActionStateRecord[]> {
    return actionStates(this.sql, tenant);
  }

  reportSources(tenant: string): Promise<ReportSources> {
    return reportSources(this.sql, tenant);
  }

  storedAnswers(
    tenant: string,
    version: number,
    keys: readonly StoredKey[],
  ): Promise<(string | undefined)[]> {
    return storedAnswers(this.sql, tenant, version, keys);
  }

  saveAnswers(tenant: string, version: number, answers: readonly StoredAnswer[]): Promise<void> {
    return saveAnswers(this.sql, tenant, version, answers);
  }

  saveBriefing(tenant: string, briefing: StoredBriefing): Promise<void> {
    return saveBriefing(this.sql, tenant, briefing);
  }

  briefingOn(tenant: string, date: string): Promise<StoredBriefing | null> {
    return briefingOn(this.sql, tenant, date);
  }

  tenants(): Promise<string[]> {
    return tenants(this.sql);
  }
}
