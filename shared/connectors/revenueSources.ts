import type { FileIssue } from '../contract/ingest';
import { parseDollarsToCents } from '../model/money';
import {
  chooseRevenueSource,
  describeReconciliationRow,
  reconcileSales,
  type ReconciliationLine,
  type ReconciliationRow,
  type SalesSystemRole,
} from '../reconciliation/salesReconciliation';
import type { CanonicalRecord } from './vendorProfile';

/** Which kind of system each vendor's sales come from: EMR invoices or POS payments. */
const SALES_ROLES: Record<string, SalesSystemRole> = {
  zenoti: 'emr',
  mindbody: 'emr',
  boulevard: 'emr',
  square: 'pos',
  stripe: 'pos',
};

/** `L001=square` → ['L001', 'square']; null when the text is not LOCATION=SYSTEM. */
export function parseRevenueSourcePair(text: string): [location: string, system: string] | null {
  const match = /^([^=]+?)\s*=\s*([a-z_]+)$/.exec(text.trim());
  return match?.[1] && match[2] ? [match[1], match[2]] : null;
}

/** The system a profile belongs to: the part of its id before the dot (`zenoti.appointments` → `zenoti`). */
export function systemOfProfile(profileId: string): string {
  return profileId.split('.', 1)[0] ?? profileId;
}

export interface ConvertedFile {
  displayPath: string;
  profileId: string;
  records: CanonicalRecord[];
}

export interface RevenueSourceOutcome {
  files: ConvertedFile[];
  reconciliation: ReconciliationRow[];
  warnings: FileIssue[];
}

function reconciliationLine(record: CanonicalRecord): ReconciliationLine {
  const cents = (text: string | undefined) => parseDollarsToCents(text ?? '') ?? 0;
  return {
    locationId: record.values.location_id ?? '',
    soldOn: record.values.sold_on ?? '',
    kind: record.values.kind ?? '',
    netCents: cents(record.values.gross) - cents(record.values.discount),
  };
}

/**
 * No double counting: where one location's sales arrive from two systems (its EMR and its
 * POS), only the revenue source's sales lines are kept; the other system's lines are totalled
 * per month against them and not ingested as sales. Each location-month is a reconciliation
 * row, and every flagged row (a difference above 2 %, or a month one system lacks) is a
 * data-quality warning on the compared system's file. Locations with one system are untouched.
 */
export function applyRevenueSources(
  files: readonly ConvertedFile[],
  preferred: Readonly<Record<string, string>> = {},
): RevenueSourceOutcome {
  // location → system → sales lines (with the file each came from).
  const byLocation = new Map<string, Map<string, { record: CanonicalRecord; file: string }[]>>();
  for (const file of files) {
    const system = systemOfProfile(file.profileId);
    if (SALES_ROLES[system] === undefined) continue;
    for (const record of file.records) {
      if (record.entity !== 'sales') continue;
      const location = record.values.location_id ?? '';
      const systems =
        byLocation.get(location) ?? new Map<string, { record: CanonicalRecord; file: string }[]>();
      const lines = systems.get(system) ?? [];
      lines.push({ record, file: file.displayPath });
      systems.set(system, lines);
      byLocation.set(location, systems);
    }
  }

  const dropped = new Set<CanonicalRecord>();
  const reconciliation: ReconciliationRow[] = [];
  const warnings: FileIssue[] = [];
  for (const [location, systems] of [...byLocation].sort(([a], [b]) => a.localeCompare(b))) {
    if (systems.size < 2) continue;
    const candidates = [...systems.keys()]
      .sort()
      .map((system) => ({ system, role: SALES_ROLES[system] ?? 'pos' }));
    const source = chooseRevenueSource(candidates, preferred[location]);
    if (source === null) continue;
    const sourceLines = (systems.get(source) ?? []).map((l) => reconciliationLine(l.record));
    for (const [system, lines] of systems) {
      if (system === source) continue;
      for (const line of lines) dropped.add(line.record);
      const rows = reconcileSales(
        { system: source, lines: sourceLines },
        { system, lines: lines.map((l) => reconciliationLine(l.record)) },
      );
      reconciliation.push(...rows);
      const file = lines[0]?.file ?? location;
      for (const row of rows.filter((r) => r.flagged)) {
        warnings.push({
          file,
          severity: 'warning',
          row: null,
          column: null,
          code: 'reconciliation_difference',
          message: describeReconciliationRow(row),
        });
      }
    }
  }
  return {
    files: files.map((f) => ({ ...f, records: withoutDropped(f.records, dropped) })),
    reconciliation,
    warnings,
  };
}

/**
 * A file's records without its dropped sales lines; when none of its lines is kept (a POS
 * reconciled against the EMR), also without the services and patients it made for them, which
 * nothing else refers to and which would otherwise count as extra services and patients.
 */
function withoutDropped(records: readonly CanonicalRecord[], dropped: ReadonlySet<CanonicalRecord>) {
  const sales = records.filter((r) => r.entity === 'sales');
  const keptSales = sales.some((r) => !dropped.has(r));
  const onlyForDropped = sales.length > 0 && !keptSales;
  return records.filter(
    (r) => !dropped.has(r) && !(onlyForDropped && (r.entity === 'services' || r.entity === 'patients')),
  );
}

/**
 * Square's Orders and Payments exports describe the same money (a payment pays an order): where a
 * location has both, the Orders lines are kept (they carry items and discounts) and the Payments
 * lines are dropped with a warning rather than counted twice.
 */
export function dropDuplicatePaymentViews(files: readonly ConvertedFile[]): {
  files: ConvertedFile[];
  warnings: FileIssue[];
} {
  const locationsWithOrders = new Set(
    files
      .filter((f) => f.profileId === 'square.orders')
      .flatMap((f) => f.records.filter((r) => r.entity === 'sales').map((r) => r.values.location_id ?? '')),
  );
  const warnings: FileIssue[] = [];
  const kept = files.map((f) => {
    if (f.profileId !== 'square.payments') return f;
    const duplicate = f.records.filter(
      (r) => r.entity === 'sales' && locationsWithOrders.has(r.values.location_id ?? ''),
    );
    if (duplicate.length === 0) return f;
    warnings.push({
      file: f.displayPath,
      severity: 'warning',
      row: null,
      column: null,
      code: 'duplicate_payment_view',
      message: `${duplicate.length} Square payments of locations whose Square orders are in this ingest were not counted: orders and payments describe the same sales`,
    });
    const skip = new Set(duplicate);
    return { ...f, records: f.records.filter((r) => !skip.has(r)) };
  });
  return { files: kept, warnings };
}
