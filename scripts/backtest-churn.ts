/**
 * Backtest of the churn risk score (docs/models.md "Churn risk"): generates a demo portfolio
 * into a temp folder, ingests it into a temp SQLite store, scores every location at its last
 * day of data − h as a live score would have on that day, and compares with who came back in
 * the next h days — the score against the BG/NBD return probability alone and recency alone.
 * Prints markdown tables (or `--json`), then deletes the temp folder.
 *
 *   npm run backtest:churn -- [--locations 8] [--years 3] [--seed 42] [--horizon 90] [--json]
 *   npm run backtest:churn -- --store .caliper/caliper.db --tenant default     (an existing store)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoPortfolio } from '../cli/demo/writeDemoPortfolio';
import { openBundles } from '../io/bundleFiles';
import { ingestBundles } from '../shared/ingest/ingestBundles';
import { openMetrics } from '../shared/metrics/openMetrics';
import {
  backtestChurn,
  type ChurnBacktest,
  type MethodMetrics,
  type SegmentBacktest,
} from '../shared/models/churnBacktest';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { SqliteStore } from '../store/sqlite/sqlite-store';

const DEMO_END_MONTH = '2026-10';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function numberFlag(name: string, fallback: number): number {
  const value = flag(name);
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
}

function seconds(since: bigint): string {
  return `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const horizonDays = numberFlag('horizon', 90);
  const json = process.argv.includes('--json');
  const storeFile = flag('store');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let dir: string | null = null;
  let store: SqliteStore | null = null;
  let tenant: string;
  let source: string;
  try {
    if (storeFile !== undefined) {
      if (!fs.existsSync(storeFile)) throw new Error(`no store at ${storeFile}`);
      tenant = flag('tenant') ?? 'default';
      store = SqliteStore.open(storeFile);
      source = `store ${storeFile}, tenant "${tenant}"`;
    } else {
      const locations = numberFlag('locations', 8);
      const years = numberFlag('years', 3);
      const seed = numberFlag('seed', 42);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-churn-backtest-'));
      let started = process.hrtime.bigint();
      const demo = await writeDemoPortfolio({
        locations,
        years,
        seed,
        endMonth: DEMO_END_MONTH,
        outDir: path.join(dir, 'demo'),
      });
      log(
        `demo ${locations} locations × ${years} years (seed ${seed}, ending ${DEMO_END_MONTH}): ${seconds(started)}`,
      );
      started = process.hrtime.bigint();
      tenant = 'backtest';
      store = SqliteStore.open(path.join(dir, 'backtest.db'));
      const bundles = (await Promise.all(demo.bundles.map((b) => openBundles(b)))).flat();
      await ingestBundles(bundles, {
        store,
        tenant,
        pseudonymizer: createPseudonymizer(Buffer.alloc(32, 1)),
      });
      log(`ingest: ${seconds(started)}`);
      source = `demo portfolio, ${locations} locations × ${years} years, seed ${seed}, ending ${DEMO_END_MONTH}`;
    }
    let started = process.hrtime.bigint();
    const data = (await openMetrics(store, tenant)).data;
    if (data.locations.length === 0) throw new Error(`tenant "${tenant}" has no locations in the store`);
    log(`load metric data: ${seconds(started)}`);
    started = process.hrtime.bigint();
    const result = backtestChurn(data, { horizonDays });
    log(`backtest (${data.locations.length} locations): ${seconds(started)}`);
    if (json) console.log(JSON.stringify({ source, ...result }, null, 2));
    else console.log(markdown(source, result));
  } finally {
    await store?.close();
    if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const f2 = (v: number | null) => (v === null ? '–' : v.toFixed(2));
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);

function markdown(source: string, r: ChurnBacktest): string {
  const out: string[] = [
    `# Churn risk backtest`,
    '',
    `${source}; horizon ${r.horizonDays} days; each location cut at its last day of data − ${r.horizonDays} days.`,
    `"active" = seen in the ${r.activeWithinDays} days before the cut-off. AUC of the return prediction;`,
    `lift = churn rate in the top 10 % by churn risk ÷ overall churn rate (ceiling = 1 ÷ churn rate).`,
    '',
  ];
  for (const population of ['all', 'active'] as const) {
    out.push(`## ${population === 'all' ? 'All patients' : 'Active patients'}`, '');
    out.push(
      '| location | trained on | patients | came back | AUC score | AUC BG/NBD | AUC recency | lift score | lift BG/NBD | lift recency | lift ceiling | Brier score | Brier BG/NBD |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const l of r.locations) {
      const s = l[population];
      if (s === null) {
        out.push(`| ${l.locationId} | not scored: ${l.reason ?? ''} | | | | | | | | | | | |`);
        continue;
      }
      out.push(row(l.locationId, l.trainedOn ?? '', s));
    }
    out.push(row('**pooled**', '', r.pooled[population]), '');
    out.push(`Calibration by decile (pooled, ${population}): predicted vs actual return rate`, '');
    out.push(
      '| decile | score: n | predicted | actual | BG/NBD: n | predicted | actual |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    const model = r.pooled[population].model.calibration ?? [];
    const bgnbd = r.pooled[population].bgnbd.calibration ?? [];
    for (let i = 0; i < Math.max(model.length, bgnbd.length); i++) {
      const m = model[i];
      const b = bgnbd[i];
      out.push(
        `| ${m?.bin ?? b?.bin ?? ''} | ${m?.count ?? ''} | ${pct(m?.meanPredicted ?? null)} | ${pct(m?.actualRate ?? null)} | ${b?.count ?? ''} | ${pct(b?.meanPredicted ?? null)} | ${pct(b?.actualRate ?? null)} |`,
      );
    }
    out.push('');
  }
  const fallbacks = r.locations.filter((l) => l.fallbacks.length > 0);
  if (fallbacks.length > 0) {
    out.push('Fallbacks:', '');
    for (const l of fallbacks) out.push(`- ${l.locationId}: ${l.fallbacks.join('; ')}`);
    out.push('');
  }
  return out.join('\n');
}

function row(label: string, trainedOn: string, s: SegmentBacktest): string {
  const m = (metrics: MethodMetrics, key: 'auc' | 'topDecileChurnLift' | 'brier') =>
    key === 'auc' || key === 'brier' ? f3(metrics[key]) : f2(metrics[key]);
  return `| ${label} | ${trainedOn} | ${s.patients} | ${s.returned} (${pct(s.returnRate)}) | ${m(s.model, 'auc')} | ${m(s.bgnbd, 'auc')} | ${m(s.recency, 'auc')} | ${m(s.model, 'topDecileChurnLift')} | ${m(s.bgnbd, 'topDecileChurnLift')} | ${m(s.recency, 'topDecileChurnLift')} | ${f2(s.liftCeiling)} | ${m(s.model, 'brier')} | ${m(s.bgnbd, 'brier')} |`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
