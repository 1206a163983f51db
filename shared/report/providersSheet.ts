import { COMP_BAND_HIGH, COMP_BAND_LOW } from '../actions/locationTriggers';
import { locationLabel, metricValue, periodWithDates, type ReportContext, sumDollars } from './reportContext';
import type { ReportCell, ReportSheet } from './reportSpec';

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** Where a compensation ratio sits against the healthy band (metrics.md: 0.35–0.50). */
export function bandText(ratio: number | null): string {
  if (ratio === null) return '';
  if (ratio > COMP_BAND_HIGH) return `above the ${percent(COMP_BAND_LOW)}–${percent(COMP_BAND_HIGH)} band`;
  if (ratio < COMP_BAND_LOW) return `below the ${percent(COMP_BAND_LOW)}–${percent(COMP_BAND_HIGH)} band`;
  return 'within the band';
}

/**
 * The provider P&L: one row per provider and location with production in the period, largest
 * contribution first. The ratio column is a live formula (compensation / production, both
 * rounded to the cent as the engine rounds them); the total row sums the money columns.
 */
export function providersSheet(r: ReportContext): ReportSheet {
  const names = new Map(r.locations.map((l) => [l.location_id, locationLabel(l)]));
  const rows = r.ctx.data.providers
    .filter((p) => names.has(p.location_id))
    .map((p) => {
      const scope = { kind: 'provider' as const, providerId: p.provider_id, locationId: p.location_id };
      const production = metricValue(r, 'provider_production', scope);
      return {
        provider: p,
        production,
        compensation: metricValue(r, 'provider_compensation', scope),
        ratio: metricValue(r, 'comp_to_production_ratio', scope),
        contribution: metricValue(r, 'provider_contribution', scope),
        perHour: metricValue(r, 'provider_revenue_per_hour', scope),
        gap: metricValue(r, 'provider_comp_gap_dollars', scope),
      };
    })
    // A provider with neither production nor pay in the period (left, not yet started, front
    // desk) has no P&L line.
    .filter((f) => (f.production.value ?? 0) !== 0 || f.compensation.value !== null);
  rows.sort(
    (a, b) =>
      (b.contribution.value ?? -Infinity) - (a.contribution.value ?? -Infinity) ||
      a.provider.provider_id.localeCompare(b.provider.provider_id),
  );
  const cells: ReportCell[][] = rows.map((f) => [
    f.provider.display_name,
    names.get(f.provider.location_id) ?? f.provider.location_id,
    f.production.value,
    f.compensation.value,
    {
      formula: {
        kind: 'ratio',
        numerator: 'compensation',
        denominator: 'production',
        // metrics.md: no ratio when production is zero or negative (a month of refunds).
        denominatorMustBePositive: true,
        value: f.ratio.value,
      },
    },
    bandText(f.ratio.value),
    f.contribution.value,
    f.perHour.value,
    f.gap.value,
    [
      f.compensation.value === null ? 'no payroll line covers the period' : '',
      f.perHour.value === null ? 'no shift or payroll hours' : '',
    ]
      .filter((n) => n !== '')
      .join('; '),
  ]);
  const production = sumDollars(rows.map((f) => f.production.value));
  const compensation = sumDollars(rows.map((f) => f.compensation.value));
  const totalRow: ReportCell[] = [
    `All providers (${rows.length})`,
    null,
    { formula: { kind: 'sum', value: production } },
    { formula: { kind: 'sum', value: compensation } },
    {
      formula: {
        kind: 'ratio',
        numerator: 'compensation',
        denominator: 'production',
        denominatorMustBePositive: true,
        value:
          production === null || compensation === null || production <= 0 ? null : compensation / production,
      },
    },
    null,
    { formula: { kind: 'sum', value: sumDollars(rows.map((f) => f.contribution.value)) } },
    null,
    { formula: { kind: 'sum', value: sumDollars(rows.map((f) => f.gap.value)) } },
    null,
  ];
  return {
    name: 'Providers',
    title: 'Provider P&L: production after compensation',
    subtitle: [
      `Period: ${periodWithDates(r.period)}`,
      `Healthy compensation band: ${percent(COMP_BAND_LOW)}–${percent(COMP_BAND_HIGH)} of production; above it the practice overpays, below it the provider may leave`,
    ],
    tables: [
      {
        name: 'Providers_PnL',
        caption: 'Providers by contribution, largest first',
        columns: [
          { key: 'provider', header: 'Provider', unit: 'text', width: 26 },
          { key: 'location', header: 'Location', unit: 'text', width: 30 },
          { key: 'production', header: 'Production', unit: 'usd' },
          { key: 'compensation', header: 'Compensation', unit: 'usd' },
          { key: 'ratio', header: 'Comp / production', unit: 'ratio' },
          { key: 'band', header: 'Against the band', unit: 'text', width: 22 },
          { key: 'contribution', header: 'Contribution', unit: 'usd' },
          { key: 'perHour', header: 'Revenue per hour', unit: 'usd' },
          { key: 'gap', header: 'Over-band dollars', unit: 'usd' },
          { key: 'note', header: 'Note', unit: 'text', width: 40 },
        ],
        rows: cells,
        totalRow,
      },
    ],
    notes: [
      "Contribution = production − compensation, each as the engine computes it (compensation pro-rated over its pay period's days); a blank compensation means no payroll line covers the period.",
    ],
    orientation: 'landscape',
  };
}
