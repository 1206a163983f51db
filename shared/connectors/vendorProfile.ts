import type { EntityName, ServiceCategory } from '../model/canonicalBundle';
import type { LocationDirectory } from './locationIdentity';

/*
 * A vendor connector turns one export file (a Zenoti CSV report, a Mindbody API JSON page, a
 * Gusto payroll JSON…) into canonical rows. The canonical rows then go through the one
 * canonical ingest (validation, pseudonymization, atomic upsert), so a vendor file gets the
 * same checks and the same data-quality report as a canonical bundle.
 */

/** One canonical row produced from a vendor file: canonical column → cell text as the canonical CSV holds it. */
export interface CanonicalRecord {
  entity: EntityName;
  /** Where it came from, as the user counts: the CSV row (header = row 1) or the JSON record index + 1. */
  sourceRow: number;
  values: Record<string, string>;
}

export interface ConversionIssue {
  severity: 'error' | 'warning';
  /** Row in the vendor file as the user counts it (header = 1); null for a file-level problem. */
  row: number | null;
  /** Vendor column or JSON path, e.g. `Sales (Exc. Tax)` or `PurchasedItems[2].UnitPrice`. */
  column: string | null;
  code: string;
  message: string;
}

/** What detection looks at: the file name and either the CSV header row(s) or the parsed JSON. */
export type DetectionSample =
  | { format: 'csv'; fileName: string; headers: readonly string[]; firstLines: readonly string[] }
  | { format: 'json'; fileName: string; json: unknown };

export interface ConversionContext {
  fileName: string;
  /** Canonical location id the file belongs to when the export itself does not say (`--location`). */
  locationId?: string;
  /**
   * The one location the file's folder describes (its locations.csv or an ancestor's): the
   * location of a file that names none, and of a vendor location id no one knows yet.
   */
  folderLocationId?: string;
  /** Namespace for vendor ids so two systems' patient "1001" never merge, e.g. `zenoti`. */
  idPrefix?: string;
  /**
   * The IANA time zone of a canonical location, where known (the bundle's locations.csv or
   * `--timezone`): payment APIs stamp sales in UTC, and a sale's day is the location's day.
   */
  timeZoneOf?: (locationId: string) => string | undefined;
  /**
   * The tenant's locations (the store's and the bundle's), shared by every file of an ingest:
   * a center name or vendor location id resolves to a canonical location id, and a location no
   * one described yet is created once for all files. Without it the export's own value is the id.
   */
  locations?: LocationDirectory;
  /** User overrides of service categories (`--services`): service name → canonical category. */
  serviceCategories?: ReadonlyMap<string, ServiceCategory>;
  /** Explicit provider ids: provider name (any spelling) → canonical provider_id. */
  providerIds?: ReadonlyMap<string, string>;
  /** The tenant's reporting currency (default USD); money in another currency needs a rate (currency.ts). */
  reportingCurrency?: string;
  /** `--fx IDR=0.0000615`: reporting-currency units per one unit of each foreign currency. */
  fxRates?: ReadonlyMap<string, number>;
  /** `--default-currency`: the currency of records that state none (old Stripe objects); else they are refused. */
  defaultCurrency?: string;
}

export interface ConversionResult {
  records: CanonicalRecord[];
  issues: ConversionIssue[];
  /** The records a JSON file holds (a CSV file's data rows are counted from its input). */
  sourceRows?: number;
}

export interface VendorProfile {
  /** Stable id used by `--profile`, e.g. `zenoti.appointments`. */
  id: string;
  vendor: string;
  report: string;
  format: 'csv' | 'json';
  /**
   * CSV profiles: the headers (in normalizeHeaderName form) a typical export carries, so an
   * unrecognized file can be told which profiles it came closest to.
   */
  signature?: readonly string[];
  /** 0 = not this report, 1 = certain; detection picks the best score above a threshold. */
  detect(sample: DetectionSample): number;
  /** CSV: the file's records (header row parsed); JSON: the parsed document. */
  convert(input: VendorInput, context: ConversionContext): ConversionResult;
}

/** One CSV data row with the row number the user sees when opening the file (header = 1). */
export interface VendorCsvRow {
  row: number;
  cells: readonly string[];
}

export type VendorInput =
  | {
      format: 'csv';
      headers: readonly string[];
      /** Row of the header line (after a preamble such as Google Ads' report title and date range). */
      headerRow: number;
      /** Lines before the header, e.g. `Campaign report` and the date range. */
      preamble: readonly string[];
      /** `;` files (localized exports) write decimals with a comma: `1.234,50`. */
      decimalComma: boolean;
      rows: readonly VendorCsvRow[];
    }
  | { format: 'json'; json: unknown };
