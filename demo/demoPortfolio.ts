import type { BundleSink } from './bundle';
import { assertDemoOptions, type DemoOptions } from './options';
import { planPortfolio } from './portfolioPlan';
import { simulatePractice } from './practice';

/**
 * `caliper demo`: a realistic, deterministic multi-location medspa portfolio written as
 * canonical bundles, one per location. Pure: rows go to a sink, the caller decides where.
 */

export { type BundleSink, type CanonicalFileName, DEMO_COLUMNS } from './bundle';
export type { DemoOptions } from './options';

export function demoLocationIds(options: DemoOptions): string[] {
  assertDemoOptions(options);
  return planPortfolio(options).locations.map((l) => l.id);
}

/** One location's whole bundle; deterministic from (seed, locationIndex, options). */
export function generateDemoLocation(options: DemoOptions, locationIndex: number, sink: BundleSink): void {
  assertDemoOptions(options);
  const portfolio = planPortfolio(options);
  const location = portfolio.locations[locationIndex];
  if (!location)
    throw new Error(`locationIndex must be from 0 to ${options.locations - 1}, got ${locationIndex}`);
  simulatePractice(portfolio, location, sink);
}
