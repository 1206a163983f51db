/**
 * `npm run bench`: Caliper beside DuckDB on the demo portfolio (issue 12 item 3). For each
 * size: generate the CSVs once, time Caliper's ingest, refresh, all metrics for one period and
 * a cold and warm 10,000-cell batch (each phase its own process, for an honest peak RSS), run
 * the DuckDB baseline over the same CSVs, compare the core KPIs, and write the tables into
 * docs/benchmarks.md ("Caliper beside DuckDB").
 *
 *   npm run bench -- [--locations 10,50,200] [--years 3] [--period LTM]
 *                    [--out docs/benchmarks.md] [--skip-duckdb]
 *
 * The old ingest-only bench is `npm run bench:ingest`.
 */
import fs from 'node:fs';

import prettier from 'prettier';

import { writeSection } from './bench/benchMarkdown';
import { benchSize, type SizeResult } from './bench/benchSize';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

function positiveIntegers(text: string, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`--${name} ${text}: expected positive whole numbers, comma-separated`);
  return values;
}

async function main(): Promise<void> {
  const sizes = positiveIntegers(flag('locations', '10'), 'locations');
  const [years] = positiveIntegers(flag('years', '3'), 'years');
  const period = flag('period', 'LTM');
  const out = flag('out', 'docs/benchmarks.md');
  const skipDuckdb = process.argv.includes('--skip-duckdb');
  const command = `npm run bench -- --locations ${sizes.join(',')} --years ${years} --period ${period}${skipDuckdb ? ' --skip-duckdb' : ''}`;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const results: SizeResult[] = [];
  for (const locations of sizes) {
    const result = await benchSize({ locations, years: years!, period, skipDuckdb }, log);
    results.push(result);
    const c = result.comparison;
    if (c !== null) {
      log(`  ${c.agreeing} of ${c.compared} core KPI values agree`);
      for (const d of c.disagreements.slice(0, 20))
        log(`    ${d.metric} ${d.location_id ?? 'portfolio'}: Caliper ${d.caliper}, DuckDB ${d.duckdb}`);
    }
    // Written after every size, so a long run that is stopped keeps the sizes it finished.
    const document = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '# Benchmarks\n';
    const written = writeSection(document, [result], command, new Date().toISOString().slice(0, 10));
    // Formatted as `npm run format` would, so format:check stays green and a rerun diffs cleanly.
    const options = (await prettier.resolveConfig(out)) ?? {};
    fs.writeFileSync(out, await prettier.format(written, { ...options, filepath: out }));
    log(`  written to ${out}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
