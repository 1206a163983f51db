#!/usr/bin/env node
import path from 'node:path';

import { Command, CommanderError, Option } from 'commander';

import { type LocationField, SETTABLE_FIELDS } from '../shared/contract/locations';
import { DEFAULT_COHORT } from '../shared/metrics/benchmarks';
import { redactMessage } from '../shared/privacy/redact';
import { registerActionsCommand } from './commands/actionsCommand';
import { registerBriefingCommand } from './commands/briefingCommand';
import { registerCallListCommand } from './commands/callListCommand';
import { registerClvCommand } from './commands/clvCommand';
import {
  lastCompleteMonth,
  parseDemoEnd,
  parseDemoFormats,
  parseDemoNumber,
  runDemo,
} from './commands/demoCommand';
import { registerForecastCommand } from './commands/forecastCommand';
import { runIngest } from './commands/ingestCommand';
import { createKey, formatCreatedKey, formatKeyList } from './commands/keysCommand';
import {
  addLocationAliases,
  formatLocationList,
  formatLocationMerge,
  mergeLocations,
  setLocationFields,
} from './commands/locationsCommand';
import { runMap } from './commands/mapCommand';
import { runBenchmark, runMetrics, runTrace } from './commands/metricsCommand';
import { registerPrecomputeCommand } from './commands/precomputeCommand';
import { registerReportCommand } from './commands/reportCommand';
import { formatSummary, portfolioSummary } from './commands/summaryCommand';
import { DEFAULT_STORE_FILE, resolveConfig, UsageError } from './config';
import { ingestKind, relaunchWithWantedHeap } from './heapLimit';
import { OUTPUT_FORMATS } from './outputFormats';
import { withStore } from './withStore';

export const EXIT_USAGE = 2;

const print = (text: string) => process.stdout.write(`${text}\n`);

function storeOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--store <file>', `SQLite store file (env CALIPER_STORE, default ${DEFAULT_STORE_FILE})`),
    )
    .addOption(new Option('--tenant <id>', 'tenant id (env CALIPER_TENANT, default "default")'));
}

/** `--format table|csv|json` of metrics, trace and benchmark (no default here: `--json` may stand for it). */
function formatOption(table: string): Option {
  return new Option('--format <format>', `table (default), csv or json: ${table}`).choices(OUTPUT_FORMATS);
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('caliper')
    .description(
      'Caliper — multi-EMR medspa portfolio KPIs: ingest canonical bundles and vendor exports, generate a demo portfolio.',
    )
    .showHelpAfterError()
    .exitOverride();

  storeOptions(
    program
      .command('ingest')
      .description(
        'Ingest canonical bundles and vendor exports (folders, .zip files, CSV or JSON files; vendor reports are ' +
          'recognized by their headers) into the store as one all-or-nothing transaction. ' +
          'Exit 0: committed (rejected rows are listed); 1: nothing written (a broken file, or a file with more ' +
          'rejected rows than --max-rejected allows); 2: usage error.',
      )
      .argument(
        '<path...>',
        'bundle folders, .zip files, canonical or vendor .csv files, vendor .json files',
      ),
  )
    .option('--json', 'print the ingest report as JSON', false)
    .option(
      '--profile <id>',
      'read vendor files as this profile instead of detecting it, e.g. zenoti.appointments',
    )
    .option('--location <id>', 'location id for vendor files that do not name their location (ads reports)')
    .option('--services <file>', 'service category overrides: a CSV of service_name,category')
    .option('--mapping <file>', 'a column mapping written by `caliper map` for exports without a profile')
    .option('--providers <file>', 'provider ids by name for vendor files: a CSV of provider_name,provider_id')
    .option(
      '--timezone <zone>',
      'IANA time zone of locations the bundle does not describe, for exports stamped in UTC (Stripe, Square API), e.g. America/Chicago',
    )
    .option(
      '--id-prefix <prefix>',
      'namespace for the vendor ids of these files (default: the vendor), e.g. mindbody-site-4411 when two sites of one system number their records independently',
    )
    .option(
      '--max-rejected <share>',
      "the largest share of any file's rows that may be rejected for the ingest to commit, e.g. 10% or 0.1 (default 5%)",
    )
    .option('--accept-rejected', 'commit the accepted rows even when a file is over --max-rejected', false)
    .option(
      '--fx <currency=rate...>',
      'exchange rate into the reporting currency (USD) of a foreign-currency export, repeatable, e.g. IDR=0.0000615 (1 IDR = 0.0000615 USD); without one such a file is refused',
    )
    .option('--fx-file <file>', 'exchange rates: a CSV of currency,rate_to_reporting')
    .option(
      '--default-currency <code>',
      'the currency of records that state none (old Stripe objects), e.g. USD; without it they are refused',
    )
    .option(
      '--revenue-source <location=system...>',
      'where a location has EMR and POS sales, whose count as revenue (default: the EMR), e.g. L001=square',
    )
    .action(
      async (
        paths: string[],
        flags: {
          store?: string;
          tenant?: string;
          json: boolean;
          profile?: string;
          location?: string;
          services?: string;
          mapping?: string;
          providers?: string;
          revenueSource?: string[];
          fx?: string[];
          fxFile?: string;
          defaultCurrency?: string;
          idPrefix?: string;
          timezone?: string;
          maxRejected?: string;
          acceptRejected?: boolean;
        },
      ) => {
        // Its files known, a large ingest re-launches for its young generation (once: a process
        // re-launched for its heap alone, on a small machine, runs as it is). Only the CLI's own
        // process does: a program built in another (the tests') prints where it was told to.
        if (require.main === module && ingestKind(paths) === 'ingest') {
          const relaunched = relaunchWithWantedHeap(__filename, 'ingest');
          if (relaunched !== null) {
            setExitCode(await relaunched);
            return;
          }
        }
        const config = resolveConfig(flags);
        const { exitCode } = await runIngest(
          paths,
          config,
          {
            json: flags.json,
            profile: flags.profile,
            location: flags.location,
            services: flags.services,
            mapping: flags.mapping,
            providers: flags.providers,
            revenueSources: flags.revenueSource,
            fx: flags.fx,
            fxFile: flags.fxFile,
            defaultCurrency: flags.defaultCurrency,
            idPrefix: flags.idPrefix,
            timeZone: flags.timezone,
            maxRejected: flags.maxRejected,
            acceptRejected: flags.acceptRejected,
          },
          print,
        );
        setExitCode(exitCode);
      },
    );

  program
    .command('map')
    .description(
      'Propose a column mapping for an export no profile reads (Mangomint, Vagaro, PatientNow…) and write it ' +
        'as an editable JSON file for `caliper ingest --mapping`.',
    )
    .argument('<file>', 'the vendor CSV export')
    .option(
      '--out <file>',
      'where to write the mapping (default: beside FILE, its name without the extension + .mapping.json)',
    )
    .option('--force', 'replace the mapping file if it exists (default: never overwrite)', false)
    .option('--json', 'print the proposal as JSON', false)
    .action(async (file: string, flags: { out?: string; json: boolean; force: boolean }) => {
      setExitCode(await runMap(file, flags, print));
    });

  program
    .command('demo')
    .description(
      'Write a realistic, deterministic multi-location demo portfolio as canonical bundles, or as each ' +
        "location's vendor exports (--formats vendor).",
    )
    .option('--locations <n>', 'number of locations', '8')
    .option('--years <y>', 'years of history', '3')
    .option('--seed <s>', 'random seed (same seed, same files)', '42')
    .option('--end <YYYY-MM>', 'last month of data (default: the last complete month)')
    .option('--out <dir>', 'output folder', path.join('.caliper', 'demo'))
    .option(
      '--formats <formats>',
      'canonical: canonical bundles; vendor: each location as its EMR, payroll and ads exports',
      'canonical',
    )
    .option('--json', 'print the result as JSON', false)
    .action(
      async (flags: {
        locations: string;
        years: string;
        seed: string;
        end?: string;
        out: string;
        formats: string;
        json: boolean;
      }) => {
        await runDemo(
          {
            locations: parseDemoNumber('locations', flags.locations, 1, 1000),
            years: parseDemoNumber('years', flags.years, 1, 10),
            seed: parseDemoNumber('seed', flags.seed, 0, 2 ** 31 - 1),
            end: flags.end === undefined ? lastCompleteMonth() : parseDemoEnd(flags.end),
            out: flags.out,
            json: flags.json,
            formats: parseDemoFormats(flags.formats),
          },
          print,
        );
      },
    );

  storeOptions(program.command('summary').description('Print a short summary of the portfolio in the store.'))
    .option('--json', 'print the summary as JSON', false)
    .action(async (flags: { store?: string; tenant?: string; json: boolean }) => {
      const config = resolveConfig(flags);
      await withStore(config.storeFile, async (store) => {
        const summary = await portfolioSummary(store, config.tenant);
        print(flags.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
      });
    });

  storeOptions(
    program
      .command('metrics')
      .description(
        'Every metric of the catalog for the portfolio, each location and each provider, for one period.',
      ),
  )
    .requiredOption(
      '--period <P>',
      'period: 2025-09, 2025-Q3, FY2025, 2025, LTM, YTD@2025-06, 2025-01-01..2025-03-31 …',
    )
    .option(
      '--as-of <YYYY-MM>',
      'as-of month for LTM/YTD/QTD/MTD (default: the latest month every open location has complete)',
    )
    .option('--metric <id>', 'only this metric')
    .option('--location <id>', 'only this location (and its providers)')
    .option(
      '--as-reported-at <INGEST|DATE>',
      'the figures as they stood right after an ingest: its id (e.g. 3), or a date (YYYY-MM-DD or a datetime, UTC) naming the last ingest finished by then',
    )
    .addOption(formatOption('a section per scope with labels and names; csv: one row per value, as --json'))
    .option(
      '--json',
      'the same as --format json: a JSON array of {metric, period, location_id, provider_id, value, unit, coverage} ({as_reported, records} with --as-reported-at)',
      false,
    )
    .action(
      async (flags: {
        store?: string;
        tenant?: string;
        period: string;
        asOf?: string;
        asReportedAt?: string;
        metric?: string;
        location?: string;
        format?: string;
        json: boolean;
      }) => {
        const config = resolveConfig(flags);
        setExitCode(await runMetrics(config, flags, print));
      },
    );

  storeOptions(
    program
      .command('trace')
      .description(
        'Where a value comes from: its definition, formula and operands, coverage and source rows.',
      )
      .argument('<metric>', 'metric id, e.g. net_revenue'),
  )
    .requiredOption('--period <P>', 'period, as for `caliper metrics`')
    .option('--as-of <YYYY-MM>', 'as-of month, as for `caliper metrics`')
    .option('--location <id>', 'location scope (default: the portfolio)')
    .option('--provider <id>', 'provider scope (with --location: at that location only)')
    .addOption(formatOption('the trace; csv: the value as a row of `metrics --format csv`'))
    .option('--json', 'the same as --format json: the trace as JSON', false)
    .action(
      async (
        metric: string,
        flags: {
          store?: string;
          tenant?: string;
          period: string;
          asOf?: string;
          location?: string;
          provider?: string;
          format?: string;
          json: boolean;
        },
      ) => {
        const config = resolveConfig(flags);
        setExitCode(await runTrace(config, metric, flags, print));
      },
    );

  storeOptions(
    program
      .command('benchmark')
      .description('Rank a location among its peer cohort (never shown for cohorts under 5 locations).')
      .argument('<metric>', 'metric id, e.g. rebooking_rate'),
  )
    .requiredOption('--period <P>', 'period, as for `caliper metrics`')
    .option('--as-of <YYYY-MM>', 'as-of month, as for `caliper metrics`')
    .requiredOption('--location <id>', 'the location to rank')
    .option(
      '--cohort <attributes>',
      'comma-separated: size_band, region, dominant_category, age_band, or portfolio (the whole portfolio). When the cohort is too small, the next wider one',
      DEFAULT_COHORT.join(','),
    )
    .addOption(formatOption('the answer; csv: one row with the percentile and quartiles'))
    .option('--json', 'the same as --format json: the answer as JSON', false)
    .action(
      async (
        metric: string,
        flags: {
          store?: string;
          tenant?: string;
          period: string;
          asOf?: string;
          location: string;
          cohort: string;
          format?: string;
          json: boolean;
        },
      ) => {
        const config = resolveConfig(flags);
        setExitCode(await runBenchmark(config, metric, flags, print));
      },
    );

  const locations = program
    .command('locations')
    .description(
      'The locations of the tenant: list them, set what no export carries (opening date, region, time zone), save aliases, merge two that are one.',
    );

  storeOptions(
    locations
      .command('list', { isDefault: true })
      .description('List the locations with their opening date, EMR, region, time zone and aliases.'),
  )
    .option('--json', 'print the locations as JSON', false)
    .action(async (flags: { store?: string; tenant?: string; json: boolean }) => {
      const config = resolveConfig(flags);
      await withStore(config.storeFile, async (store) => {
        const list = await store.locationIdentities(config.tenant);
        print(flags.json ? JSON.stringify(list, null, 2) : formatLocationList(list));
      });
    });

  const set = storeOptions(
    locations
      .command('set')
      .description(
        'Set fields of a location (a new version of its row; the earlier one stays in history). An empty value clears a field. Exit 1: a value was refused, nothing written.',
      )
      .argument('<location_id>', 'the location, as `caliper locations` lists it'),
  ).option('--json', 'print the ingest report as JSON', false);
  for (const field of SETTABLE_FIELDS) set.option(`--${field.replace(/_/g, '-')} <value>`, field);
  set.action(async (locationId: string, flags: Record<string, string | boolean | undefined>) => {
    const config = resolveConfig(flags);
    const changes: Partial<Record<LocationField, string>> = {};
    for (const field of SETTABLE_FIELDS) {
      const value = flags[field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
      if (typeof value === 'string') changes[field] = value.trim();
    }
    await withStore(config.storeFile, async (store) => {
      const report = await setLocationFields(store, config, locationId, changes);
      if (flags.json === true) print(JSON.stringify(report, null, 2));
      else if (report.committed) print(`Location ${locationId} updated (ingest #${report.ingest_id}).`);
      else {
        const reasons = report.files.flatMap((f) => f.issues).map((i) => `  ${i.column ?? ''}: ${i.message}`);
        print(
          [`Nothing was written: ${report.failure ?? 'the new values were refused'}`, ...reasons].join('\n'),
        );
      }
      if (!report.committed) setExitCode(1);
    });
  });

  storeOptions(
    locations
      .command('alias')
      .description(
        'Save other names (or vendor ids like mindbody:3) under which exports name a location; later ingests resolve them to it.',
      )
      .argument('<location_id>', 'the location, as `caliper locations` lists it')
      .argument('<alias...>', 'names as the exports write them, e.g. "CC Charleston"'),
  ).action(async (locationId: string, aliases: string[], flags: { store?: string; tenant?: string }) => {
    const config = resolveConfig(flags);
    await withStore(config.storeFile, async (store) => {
      const location = await addLocationAliases(store, config.tenant, locationId, aliases);
      print(
        `Location ${location.location_id} (${location.name}) also goes by: ${location.aliases.join('; ')}`,
      );
    });
  });

  storeOptions(
    locations
      .command('merge')
      .description(
        'Merge two locations that are one practice: every fact of FROM (visits, sales, payroll, shifts, memberships, ' +
          'spend, leads, providers, patients) counts at INTO, as one ingest (the earlier rows stay in history); ' +
          "FROM's name, aliases and id become INTO's aliases; INTO keeps its fields and takes the ones it lacks from FROM. " +
          'Exit 1: refused (rows of both with one key and different values), nothing written; 2: unknown id.',
      )
      .argument('<from>', 'the location that goes away, e.g. one an export created')
      .argument('<into>', 'the location it becomes, as `caliper locations` lists it'),
  )
    .option('--keep-into', "where both have a row with one key and different values, keep INTO's", false)
    .option('--json', 'print the merge as JSON', false)
    .action(
      async (
        from: string,
        into: string,
        flags: { store?: string; tenant?: string; keepInto: boolean; json: boolean },
      ) => {
        const config = resolveConfig(flags);
        await withStore(config.storeFile, async (store) => {
          const answer = await mergeLocations(store, config.tenant, from, into, flags.keepInto);
          print(flags.json ? JSON.stringify(answer, null, 2) : formatLocationMerge(answer));
          if (!answer.committed) setExitCode(1);
        });
      },
    );

  const keys = program
    .command('keys')
    .description('API keys of the HTTP API (api-key auth mode): each belongs to one tenant.');

  storeOptions(
    keys
      .command('create')
      .description('Create an API key for a tenant and print it once; only its hash is stored.'),
  )
    .option('--label <text>', 'what the key is for, shown by `keys list`')
    .option('--json', 'print {key, prefix, tenant, label} as JSON', false)
    .action(async (flags: { store?: string; tenant?: string; label?: string; json: boolean }) => {
      // A key grants a tenant's data: the tenant is named explicitly, never defaulted.
      if (flags.tenant === undefined) throw new UsageError('keys create needs --tenant <id>');
      const config = resolveConfig(flags);
      await withStore(config.storeFile, async (store) => {
        const created = await createKey(store, config.tenant, flags.label ?? null);
        print(flags.json ? JSON.stringify(created, null, 2) : formatCreatedKey(created));
      });
    });

  storeOptions(
    keys
      .command('list')
      .description('List API keys (prefix, tenant, created, status, label; never the key).'),
  )
    .option('--json', 'print the keys as JSON', false)
    .action(async (flags: { store?: string; tenant?: string; json: boolean }) => {
      // Validates --tenant too; without it every tenant's keys are listed.
      const config = resolveConfig(flags);
      await withStore(config.storeFile, async (store) => {
        const list = await store.listApiKeys(flags.tenant);
        print(flags.json ? JSON.stringify(list, null, 2) : formatKeyList(list));
      });
    });

  keys
    .command('revoke')
    .description(
      'Revoke an API key by the prefix `keys list` shows; it stops working at once. Exit 1: no such key.',
    )
    .argument('<prefix>', 'the key prefix, e.g. cal_acme_Ab3dE9xQ')
    .addOption(
      new Option('--store <file>', `SQLite store file (env CALIPER_STORE, default ${DEFAULT_STORE_FILE})`),
    )
    .action(async (prefix: string, flags: { store?: string }) => {
      const config = resolveConfig(flags);
      await withStore(config.storeFile, async (store) => {
        if (await store.revokeApiKey(prefix)) {
          print(`Revoked ${prefix}`);
        } else {
          process.stderr.write(`error: no active API key with prefix ${prefix}\n`);
          setExitCode(1);
        }
      });
    });

  registerClvCommand(program, setExitCode, print);
  registerForecastCommand(program, setExitCode, print);
  registerCallListCommand(program, storeOptions, setExitCode, print);
  registerActionsCommand(program, storeOptions, setExitCode, print);
  registerBriefingCommand(program, storeOptions, setExitCode, print);
  registerReportCommand(program, storeOptions, setExitCode, print);
  registerPrecomputeCommand(program, storeOptions, setExitCode, print);

  return program;
}

/** Runs the CLI and returns its exit code (0 ok, 1 nothing written / failed, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${redactMessage(error.message)}\n`);
      return EXIT_USAGE;
    }
    // An unexpected error may quote a file's content: it leaves the process redacted.
    process.stderr.write(`error: ${redactMessage(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}

/** The commands that load a tenant's metric data (a large heap and a young generation help them). */
const METRIC_DATA_COMMANDS = new Set([
  'metrics',
  'report',
  'trace',
  'actions',
  'briefing',
  'calllist',
  'forecast',
  'benchmark',
  'clv',
  'precompute',
]);

if (require.main === module) {
  const relaunched = relaunchWithWantedHeap(
    __filename,
    METRIC_DATA_COMMANDS.has(process.argv[2] ?? '') ? 'metricData' : 'light',
  );
  void (relaunched ?? main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
