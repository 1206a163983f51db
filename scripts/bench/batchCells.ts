/** A workbook's worth of distinct cells for `POST /api/metrics/batch`, shared by load-batch and bench. */

/** Twenty periods a roll-forward model uses: the last twelve months one by one, quarters, years. */
export const BATCH_PERIODS = [
  ...Array.from({ length: 10 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
  '2025-11',
  '2025-12',
  '2025-Q4',
  '2026-Q1',
  '2026-Q2',
  '2026-Q3',
  'LTM',
  'YTD',
  '2025',
  'FY2026',
];

/** The metrics a workbook asks per location, from a catalog (the heatmap is a grid, not a cell). */
export function batchMetricIds(catalog: readonly { id: string; scopes: readonly string[] }[]): string[] {
  return catalog
    .filter((m) => m.scopes.includes('location') && m.id !== 'utilization_heatmap')
    .map((m) => m.id);
}

export interface BatchCell {
  metric: string;
  period: string;
  location?: string;
}

/**
 * Up to `count` distinct cells (metric × scope × period), so de-duplication does not flatter
 * the numbers: every period, the portfolio and each location, each metric — patient-level
 * ones (rebooking, retention, return rates) included.
 */
export function batchCells(
  metrics: readonly string[],
  locationIds: readonly string[],
  count = 10_000,
): BatchCell[] {
  const cells: BatchCell[] = [];
  const scopes = [undefined, ...locationIds];
  for (const period of BATCH_PERIODS) {
    for (const location of scopes) {
      for (const metric of metrics) {
        if (cells.length < count) cells.push({ metric, period, ...(location ? { location } : {}) });
      }
    }
  }
  return cells;
}
