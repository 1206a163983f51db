/**
 * The industry reference ranges metrics.md lists. No public survey backs them (sources.md,
 * "Benchmarks — provenance matters"), so they are always shown with this label.
 */
export const REFERENCE_RANGE_LABEL = 'reference range (unsourced)';

export interface ReferenceRange {
  label: typeof REFERENCE_RANGE_LABEL;
  average?: readonly [number, number];
  top?: readonly [number, number];
  healthy?: readonly [number, number];
}

export const REFERENCE_RANGES: Readonly<Record<string, ReferenceRange>> = {
  rebooking_rate: { label: REFERENCE_RANGE_LABEL, average: [0.55, 0.65], top: [0.75, 0.85] },
  capacity_utilization: { label: REFERENCE_RANGE_LABEL, average: [0.6, 0.7], top: [0.8, 0.9] },
  no_show_rate: { label: REFERENCE_RANGE_LABEL, average: [0.15, 0.2], top: [0.05, 0.08] },
  comp_to_production_ratio: { label: REFERENCE_RANGE_LABEL, healthy: [0.35, 0.5] },
  vip_revenue_share: { label: REFERENCE_RANGE_LABEL, average: [0.35, 0.45] },
  patient_retention_12m: { label: REFERENCE_RANGE_LABEL, average: [0.3, 0.4], top: [0.6, 0.8] },
};
