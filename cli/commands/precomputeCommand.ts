import type { Command } from 'commander';

import { engineFingerprint } from '../../io/engineFingerprint';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { storeStandardAnswers } from '../../shared/metrics/storedAnswers';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { type CliConfig, resolveConfig } from '../config';
import { createProgress } from '../progress';

/**
 * `caliper precompute`: after an ingest, answers every metric for the portfolio and each location
 * over the standard periods (the last 24 months, 9 quarters, 3 calendar and fiscal years, LTM,
 * YTD and QTD) and stores them under the data version, so the API's first recalculation of a
 * workbook reads them instead of loading the tenant (shared/metrics/storedAnswers.ts).
 */
export async function runPrecompute(
  config: CliConfig,
  flags: { json: boolean },
  print: (text: string) => void,
): Promise<number> {
  const store = SqliteStore.open(config.storeFile);
  const watching = !flags.json && process.stderr.isTTY;
  const refreshing = createProgress('Refreshing aggregates', 'items', watching);
  const answering = createProgress('Answering', 'items', watching);
  try {
    const version = await store.dataVersion(config.tenant);
    if (version === 0) {
      print(`Tenant ${JSON.stringify(config.tenant)} has no ingested data yet: nothing to precompute.`);
      return 1;
    }
    const ctx = await openMetrics(store, config.tenant, undefined, (done, total, id) =>
      refreshing.update(done, total, id),
    );
    refreshing.stop();
    const report = await storeStandardAnswers(
      store,
      config.tenant,
      ctx,
      version,
      engineFingerprint(),
      (done, total) => answering.update(done, total, 'cells'),
    );
    answering.stop();
    if (flags.json)
      print(JSON.stringify({ data_version: report.version, cells: report.cells, stored: report.stored }));
    else if (report.stored) {
      print(`Stored ${report.cells.toLocaleString('en-US')} answers of data version ${report.version}.`);
    } else {
      print(
        `An ingest landed while answering: nothing stored (run precompute again for data version ${await store.dataVersion(config.tenant)}).`,
      );
    }
    return report.stored ? 0 : 1;
  } finally {
    refreshing.stop();
    answering.stop();
    await store.close();
  }
}

export function registerPrecomputeCommand(
  program: Command,
  storeOptions: (command: Command) => Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  storeOptions(
    program
      .command('precompute')
      .description(
        "Answers every metric for the portfolio and each location over the standard periods (24 months, 9 quarters, 3 years and fiscal years, LTM, YTD, QTD) and stores them with the data version: the API's first recalculation of a workbook after an ingest then reads them.",
      ),
  )
    .option('--json', 'print {data_version, cells, stored}', false)
    .action(async (flags: { json: boolean; store?: string; tenant?: string }) => {
      setExitCode(await runPrecompute(resolveConfig(flags), flags, print));
    });
}
