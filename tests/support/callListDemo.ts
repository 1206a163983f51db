import fs from 'node:fs';
import path from 'node:path';

import { runDemo } from '../../cli/commands/demoCommand';
import type { TestStore } from './testStore';

/**
 * The smallest demo the churn score learns from, for the call list's tests: 3 locations, one
 * year, seed 5, ending 2025-12 — L001 trained on its own history, L002 closed in September,
 * L003 young (trained on the portfolio). Its patients.csv carry emails and phones.
 */
export const CALL_LIST_DEMO = { locations: 3, years: 1, seed: 5, end: '2025-12' } as const;

/**
 * Another demo of the same size, for tests that need it: 2 locations (seed 5, ending 2025-12)
 * are both open with 11 complete months, the forecast's portfolio of two.
 */
export interface DemoShape {
  locations: number;
  years: number;
  seed: number;
  end: string;
}
export const TWO_LOCATION_DEMO: DemoShape = { locations: 2, years: 1, seed: 5, end: '2025-12' };

/** Writes the demo's canonical bundles under `dir`; the folder of each location. */
export async function writeCallListDemo(dir: string, demo: DemoShape = CALL_LIST_DEMO): Promise<string[]> {
  const out = path.join(dir, demo === CALL_LIST_DEMO ? 'demo' : `demo-${demo.locations}-${demo.seed}`);
  await runDemo({ ...demo, out, json: false }, () => undefined);
  return fs
    .readdirSync(out)
    .filter((name) => fs.statSync(path.join(out, name)).isDirectory())
    .sort()
    .map((name) => path.join(out, name));
}

/** The demo written and ingested into `t` for `tenant`. */
export async function ingestCallListDemo(
  t: TestStore,
  tenant = 't1',
  demo: DemoShape = CALL_LIST_DEMO,
): Promise<void> {
  const report = await t.ingest(await writeCallListDemo(t.dir, demo), tenant);
  if (!report.committed) throw new Error(`the demo did not ingest: ${report.failure ?? ''}`);
}
