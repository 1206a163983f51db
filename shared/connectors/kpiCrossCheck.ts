import type { FileIssue, KpiCrossCheckBody } from '../contract/ingest';
import { formatCents, parseDollarsToCents } from '../model/money';
import type { KpiFigure, KpiFigureName, KpiUnit } from './csv/zenotiBusinessKpi';
import { type ConvertedFile, systemOfProfile } from './revenueSources';
import type { CanonicalRecord } from './vendorProfile';

/*
 * Zenoti's Business KPI report against the detailed Zenoti reports of the same ingest: the
 * figures Zenoti computed for a center and a day or month are recomputed from the canonical
 * rows converted from its Appointments and Employee Sales reports. A difference means a
 * detailed export is missing rows (a day not exported, a filter left on) or the two reports
 * count differently; either way the finance team must see it before trusting the KPIs.
 *
 * What each recomputed figure counts is Caliper's reading of Zenoti's definitions (the public
 * sources give the column names, not the formulas); the differences the tolerance absorbs are
 * rounding, not definitions.
 */

/** Money and hours differing by more than 2 % of Zenoti's figure are flagged (issue 4's tolerance). */
export const KPI_TOLERANCE = 0.02;
/** Counts differing by more than one are flagged: one guest is 50 % of a quiet day. */
export const KPI_COUNT_TOLERANCE = 1;

/** The API contract's row (shared/contract/ingest.ts), with the figure and unit Zenoti's reader knows. */
export interface KpiCrossCheckRow extends KpiCrossCheckBody {
  figure: KpiFigureName;
  /** Cents, a count, or minutes. */
  unit: KpiUnit;
}

/** Sales kinds of each sales figure (Employee Sales `Item Type` → canonical kind). */
const SALES_FIGURES: Partial<Record<KpiFigureName, string>> = {
  service_sales: 'service',
  product_sales: 'retail',
  membership_sales: 'membership_fee',
};

/** The Zenoti column of each figure, for messages. */
const LABELS: Record<KpiFigureName, string> = {
  service_sales: 'Service Sales',
  product_sales: 'Product Sales',
  membership_sales: 'Membership Sales',
  unique_guest_count: 'Unique Guest count',
  serviced_hours: 'Serviced Hours',
  booked_hours: 'Booked Hours',
};

function inPeriod(date: string, period: string): boolean {
  return period.length === 10 ? date.slice(0, 10) === period : date.slice(0, 7) === period;
}

const cents = (text: string | undefined): number => parseDollarsToCents(text ?? '') ?? 0;

/**
 * The figure from the detailed reports' rows of the center and period:
 * - sales: gross − discount of the kind's lines; refund lines (negative) are left out because
 *   the Business KPI reports refunds apart (`Refund Amount`);
 * - unique guests: distinct patients with a completed appointment;
 * - serviced hours: minutes of completed appointments;
 * - booked hours: minutes of every appointment that was not cancelled (no-shows were booked).
 */
function detailedValue(
  figure: KpiFigureName,
  sales: CanonicalRecord[],
  appointments: CanonicalRecord[],
): number {
  const kind = SALES_FIGURES[figure];
  if (kind !== undefined) {
    return sales
      .filter((s) => s.values.kind === kind && cents(s.values.gross) > 0)
      .reduce((sum, s) => sum + cents(s.values.gross) - cents(s.values.discount), 0);
  }
  const completed = appointments.filter((a) => a.values.status === 'completed');
  const minutes = (list: CanonicalRecord[]) =>
    list.reduce((sum, a) => sum + Number(a.values.duration_min ?? 0), 0);
  if (figure === 'unique_guest_count') {
    return new Set(completed.map((a) => a.values.patient_id ?? '').filter((p) => p !== '')).size;
  }
  if (figure === 'serviced_hours') return minutes(completed);
  return minutes(
    appointments.filter((a) => ['completed', 'scheduled', 'no_show'].includes(a.values.status ?? '')),
  );
}

export function isFlagged(unit: KpiUnit, kpiValue: number, difference: number): boolean {
  if (unit === 'count') return Math.abs(difference) > KPI_COUNT_TOLERANCE;
  if (kpiValue === 0) return difference !== 0;
  return Math.abs(difference / kpiValue) > KPI_TOLERANCE;
}

/** `$1,234.50`, `12`, or hours as Zenoti writes them (`33:00`). */
export function formatKpiValue(unit: KpiUnit, value: number): string {
  if (unit === 'cents') return `${value < 0 ? '-' : ''}$${formatCents(Math.abs(value))}`;
  if (unit === 'count') return String(value);
  const total = Math.round(Math.abs(value));
  return `${value < 0 ? '-' : ''}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** The data-quality line of a flagged figure. */
export function describeKpiCrossCheckRow(row: KpiCrossCheckRow): string {
  const sign = row.difference >= 0 ? '+' : '-';
  const ratio =
    row.differenceRatio === null ? '' : ` (${sign}${(Math.abs(row.differenceRatio) * 100).toFixed(1)} %)`;
  const tolerance = row.unit === 'count' ? `${KPI_COUNT_TOLERANCE}` : `${(KPI_TOLERANCE * 100).toFixed(0)} %`;
  return (
    `${row.locationId} ${row.period}: Zenoti Business KPI ${LABELS[row.figure]} ${formatKpiValue(row.unit, row.kpiValue)} ` +
    `vs ${formatKpiValue(row.unit, row.detailedValue)} from the detailed Zenoti reports, difference ` +
    `${sign}${formatKpiValue(row.unit, Math.abs(row.difference))}${ratio}, above the ${tolerance} tolerance`
  );
}

/**
 * Every Business KPI figure beside the same figure recomputed from the Zenoti Appointments and
 * Employee Sales rows of the ingest, and a `kpi_cross_check_difference` warning for each one
 * above the tolerance. A figure is compared only where the ingest holds the detailed report it
 * needs for that center (sales figures need Employee Sales rows of the center, the others
 * Appointments rows): a Business KPI ingested alone is not "100 % off". Within a compared
 * center, a period without any detailed rows does count as 0 — that is the missing export.
 */
export function crossCheckKpis(
  kpiFiles: readonly { displayPath: string; figures: readonly KpiFigure[] }[],
  converted: readonly ConvertedFile[],
): { rows: KpiCrossCheckRow[]; warnings: FileIssue[] } {
  const zenoti = converted.filter((f) => systemOfProfile(f.profileId) === 'zenoti').flatMap((f) => f.records);
  const sales = zenoti.filter((r) => r.entity === 'sales');
  const appointments = zenoti.filter((r) => r.entity === 'appointments');
  const rows: KpiCrossCheckRow[] = [];
  const warnings: FileIssue[] = [];
  for (const file of kpiFiles) {
    for (const f of file.figures) {
      const isSales = SALES_FIGURES[f.figure] !== undefined;
      const source = (isSales ? sales : appointments).filter((r) => r.values.location_id === f.locationId);
      if (source.length === 0) continue;
      const dateOf = (r: CanonicalRecord) => (isSales ? r.values.sold_on : r.values.start_at) ?? '';
      const inside = source.filter((r) => inPeriod(dateOf(r), f.period));
      const detailed = detailedValue(f.figure, isSales ? inside : [], isSales ? [] : inside);
      const difference = detailed - f.value;
      const row: KpiCrossCheckRow = {
        file: file.displayPath,
        locationId: f.locationId,
        period: f.period,
        figure: f.figure,
        unit: f.unit,
        kpiValue: f.value,
        detailedValue: detailed,
        difference,
        differenceRatio: f.value === 0 ? null : difference / f.value,
        flagged: isFlagged(f.unit, f.value, difference),
      };
      rows.push(row);
      if (row.flagged) {
        warnings.push({
          file: file.displayPath,
          severity: 'warning',
          row: f.row,
          column: f.column,
          code: 'kpi_cross_check_difference',
          message: describeKpiCrossCheckRow(row),
        });
      }
    }
  }
  return { rows, warnings };
}
