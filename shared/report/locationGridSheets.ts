/*
 * Sheets that show a few metrics per location with the portfolio underneath: Membership and
 * Patients. Values are the engine's; the portfolio row is the engine's portfolio answer (for
 * rates that is Σ numerator / Σ denominator, not an average of the rows, so it is a value,
 * not a formula).
 */
import { metricById } from '../metrics/catalog';
import { computeMetric } from '../metrics/computeMetric';
import type { HeatmapCell } from '../metrics/scheduling/heatmap';
import {
  locationLabel,
  locationScope,
  metricValue,
  periodWithDates,
  portfolioScope,
  type ReportContext,
} from './reportContext';
import type { ReportCell, ReportColumn, ReportSheet, ReportTable } from './reportSpec';

function locationTable(
  r: ReportContext,
  name: string,
  caption: string,
  metrics: readonly string[],
): ReportTable {
  const columns: ReportColumn[] = [
    { key: 'location', header: 'Location', unit: 'text', width: 36 },
    ...metrics.map((m): ReportColumn => {
      const definition = metricById(m);
      return { key: m, header: definition?.label ?? m, unit: definition?.unit ?? 'count' };
    }),
    { key: 'note', header: 'Note', unit: 'text', width: 44 },
  ];
  const row = (label: string, scope: Parameters<typeof metricValue>[2]): ReportCell[] => {
    const values = metrics.map((m) => metricValue(r, m, scope));
    const notes = [...new Set(values.filter((v) => v.value === null && v.note !== '').map((v) => v.note))];
    return [label, ...values.map((v) => v.value), notes.join('; ')];
  };
  return {
    name,
    caption,
    columns,
    rows: r.locations.map((l) => row(locationLabel(l), locationScope(l.location_id))),
    totalRow: row('Portfolio', portfolioScope),
  };
}

export function membershipSheet(r: ReportContext): ReportSheet {
  return {
    name: 'Membership',
    title: 'Membership health',
    subtitle: [`Period: ${periodWithDates(r.period)}`],
    tables: [
      locationTable(r, 'Membership_ByLocation', 'Memberships by location', [
        'active_members',
        'mrr',
        'arpm',
        'membership_revenue',
        'membership_churn_rate',
        'membership_conversion_rate',
      ]),
    ],
    charts: [
      {
        kind: 'column',
        title: 'MRR by location',
        table: 'Membership_ByLocation',
        categoryColumn: 'location',
        valueColumns: ['mrr'],
      },
    ],
    notes: ['Active members and MRR are at the end of the period; churn and conversion are over the period.'],
    orientation: 'landscape',
  };
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The portfolio's utilization by weekday × hour, as a colour-scaled grid (blank = no shift minutes). */
function heatmapTable(r: ReportContext): ReportTable | null {
  const answer = computeMetric(r.ctx, 'utilization_heatmap', portfolioScope, r.periodText);
  const details = answer.ok ? ((answer.value.details?.grid as HeatmapCell[] | undefined) ?? []) : [];
  if (details.length === 0) return null;
  const hours = [...new Set(details.map((c) => c.hour))].sort((a, b) => a - b);
  const byCell = new Map(details.map((c) => [`${c.weekday}:${c.hour}`, c.utilization]));
  return {
    name: 'Patients_Heatmap',
    caption: 'Capacity utilization by weekday and hour (portfolio; blank = no shift minutes)',
    columns: [
      { key: 'weekday', header: 'Weekday', unit: 'text', width: 12 },
      ...hours.map((h): ReportColumn => ({
        key: `h${h}`,
        header: `${String(h).padStart(2, '0')}:00`,
        unit: 'ratio',
        width: 8,
      })),
    ],
    rows: WEEKDAYS.map((day, i) => [day, ...hours.map((h) => byCell.get(`${i + 1}:${h}`) ?? null)]),
    colorScaleColumns: hours.map((h) => `h${h}`),
  };
}

export function patientsSheet(r: ReportContext): ReportSheet {
  const heatmap = heatmapTable(r);
  return {
    name: 'Patients',
    title: 'Patients and scheduling',
    subtitle: [`Period: ${periodWithDates(r.period)}`],
    tables: [
      locationTable(r, 'Patients_ByLocation', 'Patients by location', [
        'new_patients',
        'active_patients',
        'rebooking_rate',
        'patient_retention_12m',
        'vip_revenue_share',
      ]),
      locationTable(r, 'Scheduling_ByLocation', 'Scheduling by location', [
        'visits',
        'capacity_utilization',
        'booked_utilization',
        'no_show_rate',
        'late_cancel_rate',
      ]),
      ...(heatmap ? [heatmap] : []),
    ],
    orientation: 'landscape',
  };
}
