/*
 * The overview's KPI strip: four portfolio figures for the last twelve months, fetched in one
 * batch so they are the API's values, exactly as a =CALIPER.KPI("PORTFOLIO", …, "LTM") cell
 * would show them.
 */
import type { CaliperClient } from '../api/caliperClient';
import { figureText } from './figureText';

export const KPI_STRIP_PERIOD = 'LTM';

export const KPI_STRIP_METRICS: readonly { metric: string; label: string }[] = [
  { metric: 'net_revenue', label: 'Net revenue' },
  { metric: 'same_store_revenue_growth', label: 'Same-store growth' },
  { metric: 'visits', label: 'Visits' },
  { metric: 'active_members', label: 'Active members' },
];

export interface KpiFigure {
  metric: string;
  label: string;
  value: number | null;
  unit: string;
  /** Why the value is absent (the API's reason or error); empty when there is a value. */
  reason: string;
}

export async function fetchKpiStrip(client: Pick<CaliperClient, 'metricsBatch'>): Promise<KpiFigure[]> {
  const { results } = await client.metricsBatch(
    KPI_STRIP_METRICS.map((m) => ({ metric: m.metric, period: KPI_STRIP_PERIOD })),
  );
  return KPI_STRIP_METRICS.map(({ metric, label }, i): KpiFigure => {
    const result = results[i];
    if (result === undefined) return { metric, label, value: null, unit: '', reason: 'No answer' };
    if ('error' in result) return { metric, label, value: null, unit: '', reason: result.error.message };
    return {
      metric,
      label,
      value: result.value,
      unit: result.unit,
      reason: result.value === null ? (result.reason ?? 'Not available') : '',
    };
  });
}

/** The figure as the strip shows it; an absent one is `—` (its reason goes in the tooltip). */
export function kpiFigureText(figure: Pick<KpiFigure, 'value' | 'unit'>): string {
  return figure.value === null ? '—' : figureText(figure.value, figure.unit);
}
