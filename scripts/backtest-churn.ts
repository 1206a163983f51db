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
import { openMetrics } from '../shared/metrics/openMetrics';
import {
  backtestChurn,
  type ChurnBacktest,
  type MethodMetrics,
  type SegmentBacktest,
} from '../shared/models/churnBacktest';
import { numberFlag, openModelStore, seconds } from './modelStore';

async function main(): Promise<void> {
  const horizonDays = numberFlag('horizon', 90);
  const json = process.argv.includes('--json');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { store, tenant, source, close } = await openModelStore('backtest', log);
  try {
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
    await close();
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
