import type { Cents } from '../model/money';
import { formatCents } from '../model/money';

/*
 * When a location's EMR and its point of sale both carry the sales, counting both would double
 * the revenue. One system is the location's revenue source; the other is reconciled against it,
 * month by month, and differences above the tolerance are flagged for the finance team.
 */

/** How a system's sales enter Caliper: the EMR (invoices with provider attribution) or the POS (payments). */
export type SalesSystemRole = 'emr' | 'pos';

export interface SalesSystem {
  /** e.g. `zenoti`, `square`. */
  system: string;
  role: SalesSystemRole;
}

/** One sale line as reconciliation needs it: canonical values, revenue kinds only counted. */
export interface ReconciliationLine {
  locationId: string;
  /** `YYYY-MM-DD`. */
  soldOn: string;
  kind: string;
  /** gross − discount, in cents (refunds negative). */
  netCents: Cents;
}

export interface ReconciliationRow {
  locationId: string;
  /** `YYYY-MM`. */
  month: string;
  revenueSource: string;
  revenueCents: Cents;
  comparedSystem: string;
  comparedCents: Cents;
  /** compared − revenue source. */
  differenceCents: Cents;
  /** difference / revenue source; null when the revenue source has no sales that month. */
  differenceRatio: number | null;
  flagged: boolean;
}

/** Differences above 2 % of the revenue source's net sales are flagged (issue 4's tolerance). */
export const RECONCILIATION_TOLERANCE = 0.02;

/**
 * The revenue source of a location with several sales systems: the user's choice when given,
 * else the EMR — it attributes each line to a provider and a service, which provider P&L and
 * category mix need, while a POS payment often carries neither.
 */
export function chooseRevenueSource(systems: readonly SalesSystem[], preferred?: string): string | null {
  if (systems.length === 0) return null;
  if (preferred !== undefined) {
    const chosen = systems.find((s) => s.system === preferred);
    if (chosen === undefined) {
      throw new Error(
        `Revenue source ${JSON.stringify(preferred)} is not one of this location's systems (${systems.map((s) => s.system).join(', ')})`,
      );
    }
    return chosen.system;
  }
  return (systems.find((s) => s.role === 'emr') ?? systems[0])?.system ?? null;
}

/** Gift-card sales are never revenue (metrics.md): a POS that sells cards must not look "over". */
const NOT_REVENUE = new Set(['gift_card']);

function monthlyNet(lines: readonly ReconciliationLine[]): Map<string, Cents> {
  const totals = new Map<string, Cents>();
  for (const line of lines) {
    if (NOT_REVENUE.has(line.kind)) continue;
    const key = `${line.locationId}\u0000${line.soldOn.slice(0, 7)}`;
    totals.set(key, (totals.get(key) ?? 0) + line.netCents);
  }
  return totals;
}

/**
 * Net sales per location-month of the revenue source and of the compared system, side by side.
 * A month only one system has is a row too (the other is 0): a missing export is the
 * most common reason two systems disagree, and it must be seen.
 */
export function reconcileSales(
  revenueSource: { system: string; lines: readonly ReconciliationLine[] },
  compared: { system: string; lines: readonly ReconciliationLine[] },
  tolerance: number = RECONCILIATION_TOLERANCE,
): ReconciliationRow[] {
  const source = monthlyNet(revenueSource.lines);
  const other = monthlyNet(compared.lines);
  const keys = [...new Set([...source.keys(), ...other.keys()])].sort();
  return keys.map((key) => {
    const [locationId = '', month = ''] = key.split('\u0000');
    const revenueCents = source.get(key) ?? 0;
    const comparedCents = other.get(key) ?? 0;
    const differenceCents = comparedCents - revenueCents;
    const differenceRatio = revenueCents === 0 ? null : differenceCents / revenueCents;
    const flagged = differenceRatio === null ? differenceCents !== 0 : Math.abs(differenceRatio) > tolerance;
    return {
      locationId,
      month,
      revenueSource: revenueSource.system,
      revenueCents,
      comparedSystem: compared.system,
      comparedCents,
      differenceCents,
      differenceRatio,
      flagged,
    };
  });
}

/** The data-quality line of a flagged row, in the words a controller would use. */
export function describeReconciliationRow(row: ReconciliationRow): string {
  const sign = row.differenceCents >= 0 ? '+' : '-';
  const ratio =
    row.differenceRatio === null
      ? `${row.revenueSource} has no sales that month`
      : `${sign}${(Math.abs(row.differenceRatio) * 100).toFixed(1)} %`;
  return (
    `${row.locationId} ${row.month}: ${row.comparedSystem} net sales $${formatCents(row.comparedCents)} vs ` +
    `${row.revenueSource} (revenue source) $${formatCents(row.revenueCents)}, ` +
    `difference ${sign}$${formatCents(Math.abs(row.differenceCents))} (${ratio}), above the ` +
    `${(RECONCILIATION_TOLERANCE * 100).toFixed(0)} % tolerance`
  );
}
