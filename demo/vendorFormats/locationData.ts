import type { CanonicalFileName } from '../bundle';
import type { CanonicalRow } from './canonicalRows';
import type { VendorFile } from './exportText';

/** What every renderer reads: one location's canonical rows and where its files go. */
export interface LocationData {
  locationId: string;
  /** The location's display name, which EMR exports use as the center name. */
  name: string;
  /** Folder of the location inside the demo folder, e.g. `L001`. */
  folder: string;
  rows: Readonly<Record<CanonicalFileName, readonly CanonicalRow[]>>;
}

/**
 * How an EMR's exports name what the canonical demo names: the ids its profile produces on
 * ingest, so the canonical files written beside the exports (patients, providers, services,
 * shifts) join the converted rows.
 */
export interface EmrIds {
  patient: (canonicalPatientId: string) => string;
  provider: (canonicalProviderId: string) => string;
  service: (canonicalServiceCode: string) => string;
}

export type DimensionFile = 'patients.csv' | 'providers.csv' | 'services.csv';

export interface EmrExport {
  /** The EMR's name as locations.csv emr_system says it. */
  system: string;
  files: VendorFile[];
  /** Whether the exports carry the location's sales (its revenue source). */
  exportsSales: boolean;
  ids: EmrIds;
  /**
   * `caliper ingest --providers` entries (display name → provider id) for exports that name
   * providers by name only; empty when the export carries provider ids.
   */
  providerIdsByName: [string, string][];
  /**
   * The dimension files the EMR's profiles derive rows of from the exports. Their canonical
   * files go to directory/, ingested after the exports to complete those rows (in the same
   * ingest, two different rows of one key would conflict); the others sit beside the exports.
   */
  derives: readonly DimensionFile[];
  /** Canonical rows the export cannot carry, kept as canonical files (with the reason in the README). */
  canonicalRest: Partial<Record<CanonicalFileName, CanonicalRow[]>>;
}

export function indexBy(rows: readonly CanonicalRow[], column: string): Map<string, CanonicalRow> {
  return new Map(rows.map((r) => [r[column] ?? '', r]));
}
