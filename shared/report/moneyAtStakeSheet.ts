import { metricById } from '../metrics/catalog';
import {
  locationLabel,
  locationScope,
  metricValue,
  periodWithDates,
  portfolioScope,
  type ReportContext,
  sumDollars,
} from './reportContext';
import type { ReportCell, ReportSheet } from './reportSpec';

/** The engine's gap metrics: dollars a location leaves on the table against its target. */
export const GAP_METRICS: readonly { metric: string; action: string }[] = [
  { metric: 'rebooking_gap_dollars', action: 'rebook patients before they leave the chair' },
  { metric: 'retention_gap_dollars', action: 'win back lapsed patients' },
  { metric: 'no_show_gap_dollars', action: 'confirm appointments and charge no-show fees' },
  { metric: 'capacity_gap_dollars', action: 'fill idle provider hours' },
  { metric: 'provider_comp_gap_dollars', action: 'bring compensation into the band' },
];

/** Every location's gaps in one list, largest dollars first, with the total as a live sum. */
export function moneyAtStakeSheet(r: ReportContext): ReportSheet {
  const items = r.locations.flatMap((l) =>
    GAP_METRICS.map((g) => ({
      location: locationLabel(l),
      metric: g.metric,
      action: g.action,
      value: metricValue(r, g.metric, locationScope(l.location_id)),
    })),
  );
  const withDollars = items.filter((i) => i.value.value !== null && i.value.value > 0);
  withDollars.sort(
    (a, b) => (b.value.value ?? 0) - (a.value.value ?? 0) || a.location.localeCompare(b.location),
  );
  const rows: ReportCell[][] = withDollars.map((i) => [
    i.location,
    metricById(i.metric)?.label ?? i.metric,
    i.value.value,
    i.action,
  ]);
  const byGap: ReportCell[][] = GAP_METRICS.map((g) => {
    const v = metricValue(r, g.metric, portfolioScope);
    return [metricById(g.metric)?.label ?? g.metric, v.value, v.value === null ? v.note : ''];
  });
  return {
    name: 'Money at stake',
    title: 'Money at stake: the gaps, largest first',
    subtitle: [
      `Period: ${periodWithDates(r.period)}`,
      "Each gap is the engine's dollars against its target (definitions on the Definitions sheet); locations and gaps with no dollars are left out",
    ],
    tables: [
      {
        name: 'Money_ByLocation',
        caption: 'Gaps by location, largest first',
        columns: [
          { key: 'location', header: 'Location', unit: 'text', width: 36 },
          { key: 'gap', header: 'Gap', unit: 'text', width: 30 },
          { key: 'dollars', header: 'Dollars', unit: 'usd' },
          { key: 'action', header: 'What closes it', unit: 'text', width: 44 },
        ],
        rows: rows.length > 0 ? rows : [['(none)', '', null, 'no gap with dollars in the period']],
        totalRow: [
          'Total',
          null,
          { formula: { kind: 'sum', value: sumDollars(withDollars.map((i) => i.value.value)) } },
          null,
        ],
      },
      {
        name: 'Money_Portfolio',
        caption: "The portfolio's gaps as the engine computes them",
        columns: [
          { key: 'gap', header: 'Gap', unit: 'text', width: 36 },
          { key: 'dollars', header: 'Dollars', unit: 'usd' },
          { key: 'note', header: 'Note', unit: 'text', width: 50 },
        ],
        rows: byGap,
      },
    ],
    orientation: 'landscape',
  };
}
