import type { MetricFamily } from './metricDefinition';

/** Each metric family's title, in the order the docs and the formula builder list them. */
export const FAMILY_TITLES: Record<MetricFamily, string> = {
  revenue: 'Revenue',
  same_store: 'Same-store growth',
  providers: 'Providers',
  scheduling: 'Scheduling',
  patients: 'Patients',
  membership: 'Membership',
  acquisition: 'Acquisition',
  gaps: 'Gap dollars',
};
