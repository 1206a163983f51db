import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { readCorsOrigins, startLocalHost } from '../functions/localHost';
import { runtime } from '../functions/runtime';
import { hashApiKey } from '../io/apiKeys';
import { growOldGenerationByAQuarter } from '../io/heapGrowth';
import type { ApiKeyStore } from '../shared/store/store.port';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { lastCompleteMonth } from './commands/demoCommand';
import { runIngest } from './commands/ingestCommand';
import { createKey } from './commands/keysCommand';
import { formatSummary, portfolioSummary } from './commands/summaryCommand';
import { type CliConfig, resolveConfig } from './config';
import { writeDemoInBackground } from './demo/demoWorker';
import { readDevCertificate } from './devCertificate';
import { relaunchWithWantedHeap } from './heapLimit';

/** Where the built manifest (dist/addin/manifest.xml) tells Excel to load the pane from, if built. */
function builtManifestBase(): string | null {
  const file = path.join(__dirname, '..', 'addin', 'manifest.xml');
  if (!fs.existsSync(file)) return null;
  const match = /<SourceLocation DefaultValue="(https:\/\/[^/"]+)\//.exec(fs.readFileSync(file, 'utf8'));
  return match?.[1] ?? null;
}

/** Size of the portfolio `npm start` seeds an empty store with. */
const DEMO = { locations: 8, years: 3, seed: 42 };

/** 7071: the port `func start` uses, so clients need no change between the two hosts. */
const DEFAULT_PORT = 7071;

const portSchema = z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT);

/**
 * The key `npm start` made for the local tenant, kept beside the store (owner-readable only)
 * so each start can print it again: the store holds only its hash. A key made with
 * `caliper keys create` is the user's to keep; this one is a development convenience.
 */
async function devApiKey(
  store: ApiKeyStore,
  config: CliConfig,
): Promise<{ key: string; created: boolean } | null> {
  const file = path.join(path.dirname(config.storeFile), 'dev-api-key');
  if (fs.existsSync(file)) {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if ((await store.apiKeyTenant(hashApiKey(saved))) === config.tenant)
      return { key: saved, created: false };
  }
  const active = (await store.listApiKeys(config.tenant)).filter((k) => k.revoked_at === null);
  if (active.length > 0) return null;
  const { key } = await createKey(store, config.tenant, 'npm start (development)');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already existed (a revoked key's).
  fs.chmodSync(file, 0o600);
  return { key, created: true };
}

/**
 * Seeds an empty store with the demo portfolio, generated on a worker thread while the main
 * thread ingests each finished location as its own ingest (as a user adding locations one by
 * one would): generation and ingest overlap on two cores. Answers the exit code of the first
 * ingest that fails, else 0.
 */
async function seedDemo(config: CliConfig, print: (text: string) => void): Promise<number> {
  const out = path.join(path.dirname(config.storeFile), 'demo');
  print(
    `The store ${config.storeFile} has no data for tenant "${config.tenant}": seeding the demo portfolio ` +
      `(${DEMO.locations} locations, ${DEMO.years} years, seed ${DEMO.seed}).`,
  );
  fs.rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  const locations = writeDemoInBackground({ ...DEMO, endMonth: lastCompleteMonth(), outDir: out });
  let rows = 0;
  for (;;) {
    const next = await locations.next();
    if (next.done === true) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      print(`Seeded ${rows.toLocaleString('en-US')} demo rows from ${out} in ${seconds} s.`);
      return 0;
    }
    const { dir, done, total } = next.value;
    const { exitCode, report } = await runIngest([dir], config, { json: false, progress: false }, (text) =>
      print(`  ${done}/${total} ${path.basename(dir)}: ${text.split('\n').slice(-1).join('\n')}`),
    );
    if (exitCode !== 0) {
      await locations.return(undefined as never);
      return exitCode;
    }
    rows += report?.totals.rows_accepted ?? 0;
  }
}

/**
 * `npm start`: a fresh clone shows something real at once. An empty store is seeded with the
 * demo portfolio (generated, then ingested like any user's bundles); then the summary prints
 * and the API answers locally, with the same handlers the Functions host runs.
 */
async function start(): Promise<number> {
  // The host answers questions over metric data for as long as it runs (io/heapGrowth.ts).
  growOldGenerationByAQuarter();
  const config = resolveConfig({});
  const port = portSchema.safeParse(process.env.PORT === '' ? undefined : process.env.PORT);
  if (!port.success) throw new Error('Bad environment: PORT must be a port number (0–65535)');
  const corsOrigins = readCorsOrigins();
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const store = SqliteStore.open(config.storeFile);
  const counts = await store.rowCounts(config.tenant);
  await store.close();
  if (counts.locations === 0) {
    const exitCode = await seedDemo(config, print);
    if (exitCode !== 0) return exitCode;
    print('');
  }
  // The handlers' own runtime (CALIPER_STORE, as the CLI reads it): one store for both.
  const rt = runtime();
  print(formatSummary(await portfolioSummary(rt.store, config.tenant)));
  const dev = rt.config.auth.mode === 'api-key' ? await devApiKey(rt.store, config) : null;

  const https = process.env.CALIPER_HTTPS === 'off' ? null : readDevCertificate();
  const tls = https?.ok ? { cert: https.cert, key: https.key } : undefined;
  const host = await startLocalHost({ port: port.data, corsOrigins, ...(tls ? { tls } : {}) });
  const base = host.url.replace('127.0.0.1', 'localhost');
  const key = dev?.key ?? '<your API key>';
  print('');
  print(`Caliper API (local host, same handlers as Azure Functions) on ${base}`);
  print(`  API base       ${base}/api`);
  print(`  health         ${base}/api/health`);
  print(`  OpenAPI        ${base}/api/openapi.json`);
  print(`  manifest       ${base}/manifest.xml`);
  print(`  task pane      ${base}/taskpane.html`);
  print(`  functions      ${base}/functions.json`);
  print('');
  print('Sideload the Excel add-in (details: addin/README.md):');
  print('  Excel on the web   Home > Add-ins > More add-ins > My add-ins > Upload My Add-in: manifest.xml');
  print('  Excel on Windows   manifest.xml in a trusted shared-folder catalog, then Home > Add-ins');
  print('  Excel on Mac       manifest.xml in ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef');
  print(`  Connect the pane with API URL ${base}${dev ? ' and the key below' : ''}.`);
  const manifestBase = builtManifestBase();
  if (manifestBase !== null && manifestBase !== base) {
    print(
      `  Note: the built manifest points Excel to ${manifestBase}, not ${base}: serve HTTPS on port 7071,\n` +
        `  or rebuild with CALIPER_ADDIN_BASE_URL=${base.replace('http://', 'https://')} npm run build.`,
    );
  }
  print('');
  if (dev?.created) {
    print(
      `Created a development API key for tenant "${config.tenant}" (saved, owner-only, in the store folder):`,
    );
  } else if (dev) {
    print(`Development API key for tenant "${config.tenant}":`);
  } else if (rt.config.auth.mode === 'api-key') {
    print(
      `Tenant "${config.tenant}" already has API keys; use one of them (\`npx caliper keys list\`, \`npx caliper keys create\`).`,
    );
  } else {
    print('Entra authentication is configured: send an access token as the bearer credential.');
  }
  if (dev) print(`  ${dev.key}`);
  print('');
  print('Try it:');
  print(
    `  curl -s -H "Authorization: Bearer ${key}" -H "content-type: application/json" \\\n` +
      `    -d '{"requests":[{"metric":"net_revenue","period":"${new Date().getUTCFullYear() - 1}"}]}' ${base}/api/metrics/batch`,
  );
  print(
    `  curl -s -H "Authorization: Bearer ${key}" -H "content-type: application/zip" --data-binary @bundle.zip ${base}/api/ingest`,
  );
  print('');
  if (https?.ok) {
    print(
      `HTTPS with the development certificate ${https.certFile} (valid to ${https.validTo.toISOString().slice(0, 10)}).`,
    );
  } else {
    print(
      `Plain HTTP: ${https === null ? 'CALIPER_HTTPS=off' : https.reason}. Excel only loads add-ins served over HTTPS:\n` +
        'run `npx office-addin-dev-certs install` once (it creates a localhost certificate and asks to\n' +
        'trust its CA), then `npm start` again.',
    );
  }
  print('Press Ctrl+C to stop.');

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      print(`\n${signal}: stopping the local host.`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await host.close();
  await rt.close();
  await rt.store.close();
  return 0;
}

void (relaunchWithWantedHeap(__filename) ?? start()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
