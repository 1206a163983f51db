/*
 * Associates each functions.json id with its implementation. Called once by the add-in's
 * shared-runtime entry point, after Office has loaded.
 */
import {
  asof,
  benchmark,
  calllist,
  forecast,
  kpi,
  locations,
  membership,
  metrics,
  periods,
  providers,
  samestore,
  samestoreset,
  series,
  trace,
} from './functions';

/** Every `=CALIPER.*` function by its functions.json id (the `@customfunction` name). */
export const CALIPER_FUNCTIONS = {
  KPI: kpi,
  SERIES: series,
  SAMESTORE: samestore,
  SAMESTORESET: samestoreset,
  PROVIDERS: providers,
  MEMBERSHIP: membership,
  BENCHMARK: benchmark,
  LOCATIONS: locations,
  METRICS: metrics,
  TRACE: trace,
  CALLLIST: calllist,
  FORECAST: forecast,
  ASOF: asof,
  PERIODS: periods,
} as const;

export function registerCaliperFunctions(): void {
  for (const [id, implementation] of Object.entries(CALIPER_FUNCTIONS)) {
    CustomFunctions.associate(id, implementation);
  }
}
