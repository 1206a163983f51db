import { type Command, Option } from 'commander';

import { openMetrics } from '../../shared/metrics/openMetrics';
import { isYearMonth } from '../../shared/model/localDate';
import { FORECAST_CATEGORIES, type ForecastCategory } from '../../shared/models/forecastData';
import {
  DEFAULT_FORECAST_MONTHS,
  type ForecastMonth,
  forecastRevenue,
  MAX_FORECAST_MONTHS,
  type RevenueForecast,
} from '../../shared/models/revenueForecast';
import { snakeKeys } from '../../shared/models/scopeForecastJson';
import { type CliConfig, DEFAULT_STORE_FILE, resolveConfig, UsageError } from '../config';
import { withStore } from '../withStore';
import { formatValue } from './metricsCommand';

export interface ForecastOptions {
  location: string;
  months: number;
  category?: ForecastCategory;
  asOf?: string;
  json: boolean;
}

/** The forecast as `--json` prints it (cents); with a category, only that category's figures per month. */
export function forecastJson(forecast: RevenueForecast, category?: ForecastCategory): unknown {
  const months = forecast.months.map((m) =>
    category === undefined ? m : { ...m, categories: { [category]: m.categories[category] } },
  );
  return snakeKeys({ ...forecast, category: category ?? null, months });
}

const dollars = (cents: number | null) => formatValue(cents === null ? null : cents / 100, 'usd');

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function formatForecast(forecast: RevenueForecast, category?: ForecastCategory): string {
  const { inputs } = forecast;
  const lines = [
    `Revenue forecast for ${forecast.locationId}: ${forecast.months.length} month(s) after ${forecast.origin} (data through ${forecast.asOf})`,
    '',
  ];
  if (category === undefined) {
    lines.push(
      ...table(
        ['month', 'net revenue', 'returning', 'new patients', 'other', 'seasonal naive'],
        forecast.months.map((m) => [
          m.month,
          dollars(m.totalCents),
          dollars(m.components.returningCents),
          dollars(m.components.newPatientsCents),
          dollars(m.components.otherCents),
          m.seasonalNaive.totalCents === null ? 'n/a' : dollars(m.seasonalNaive.totalCents),
        ]),
      ),
      '',
      'By service category:',
      ...table(
        ['category', ...forecast.months.map((m) => m.month)],
        FORECAST_CATEGORIES.filter((c) => forecast.months.some((m) => m.categories[c].cents !== 0)).map(
          (c) => [c, ...forecast.months.map((m) => dollars(m.categories[c].cents))],
        ),
      ),
    );
  } else {
    lines.push(
      ...table(
        ['month', category, 'returning', 'new patients'],
        forecast.months.map((m: ForecastMonth) => [
          m.month,
          dollars(m.categories[category].cents),
          dollars(m.categories[category].returningCents),
          dollars(m.categories[category].newPatientsCents),
        ]),
      ),
    );
  }
  const fit = inputs.bgnbd;
  lines.push(
    '',
    `Patients known at ${forecast.asOf}: ${inputs.patients.toLocaleString('en-US')} (${inputs.repeatPatients.toLocaleString('en-US')} with a repeat visit, ${inputs.bookedPatients.toLocaleString('en-US')} with an appointment on the book)`,
    fit
      ? `P(alive): BG/NBD r=${fit.r.toFixed(3)} alpha=${fit.alpha.toFixed(2)} a=${fit.a.toFixed(3)} b=${fit.b.toFixed(3)} (days, ${fit.customers.toLocaleString('en-US')} patients)`
      : `P(alive): ${inputs.bgnbdReason ?? 'no BG/NBD fit'}`,
    `Booked visits kept: ${(inputs.showRate * 100).toFixed(1)}%${inputs.showRateReason ? ` (${inputs.showRateReason})` : ''}; unbooked visits happening per scheduled (months 1-3, calibrated on ${inputs.calibration.origins.join(', ')}): ${inputs.calibration.factors.map((f) => f.toFixed(2)).join(', ')}`,
    `New patients per month: ${forecast.months[0]?.expectedNewPatients ?? 0} (mean of ${inputs.newPatients.months.map((m) => m.month).join(', ')})${inputs.newPatients.reason ? `; ${inputs.newPatients.reason}` : ''}`,
    `Other revenue (retail, memberships, other): mean of ${inputs.otherRevenue.months.length} month(s) to ${forecast.origin}`,
  );
  const noBaseline = forecast.months.find((m) => m.seasonalNaive.reason !== undefined);
  if (noBaseline?.seasonalNaive.reason) lines.push(`Seasonal naive: ${noBaseline.seasonalNaive.reason}`);
  return lines.join('\n');
}

/** Exit 0: forecast printed; 1: the location cannot be forecast (too little history, closed). */
export async function runForecast(
  config: CliConfig,
  options: ForecastOptions,
  out: (text: string) => void,
): Promise<number> {
  return withStore(config.storeFile, async (store) => {
    const ctx = await openMetrics(store, config.tenant);
    const answer = forecastRevenue(ctx, options.location, {
      months: options.months,
      ...(options.asOf === undefined ? {} : { origin: options.asOf }),
    });
    if (!answer.ok) {
      if (answer.error.code === 'unknown_location' || answer.error.code === 'invalid_request') {
        throw new UsageError(answer.error.message);
      }
      if (options.json) out(JSON.stringify({ location_id: options.location, error: answer.error }, null, 2));
      else process.stderr.write(`error: ${answer.error.message}\n`);
      return 1;
    }
    out(
      options.json
        ? JSON.stringify(forecastJson(answer.forecast, options.category), null, 2)
        : formatForecast(answer.forecast, options.category),
    );
    return 0;
  });
}

export function registerForecastCommand(
  program: Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  program
    .command('forecast')
    .description(
      'Forecast net revenue of a location for the months after its last complete month (or --as-of): per ' +
        'service category and in total, as returning patients due by their treatment cycles, new patients and ' +
        'other revenue, beside the seasonal-naive baseline; see docs/models.md. Exit 1: the location has too ' +
        'little history or is closed; 2: usage error.',
    )
    .requiredOption('--location <id>', 'the location to forecast')
    .option('--months <n>', `months ahead, 1–${MAX_FORECAST_MONTHS}`, String(DEFAULT_FORECAST_MONTHS))
    .addOption(new Option('--category <category>', 'only this service category').choices(FORECAST_CATEGORIES))
    .option(
      '--as-of <YYYY-MM>',
      "forecast origin: the last month of data used (default: the location's last complete month)",
    )
    .option('--json', 'print the forecast as JSON, money in cents', false)
    .addOption(
      new Option('--store <file>', `SQLite store file (env CALIPER_STORE, default ${DEFAULT_STORE_FILE})`),
    )
    .addOption(new Option('--tenant <id>', 'tenant id (env CALIPER_TENANT, default "default")'))
    .action(
      async (flags: {
        location: string;
        months: string;
        category?: ForecastCategory;
        asOf?: string;
        json: boolean;
        store?: string;
        tenant?: string;
      }) => {
        const months = Number(flags.months);
        if (!/^\d+$/.test(flags.months) || months < 1 || months > MAX_FORECAST_MONTHS) {
          throw new UsageError(
            `--months ${JSON.stringify(flags.months)}: expected a whole number from 1 to ${MAX_FORECAST_MONTHS}`,
          );
        }
        if (flags.asOf !== undefined && !isYearMonth(flags.asOf)) {
          throw new UsageError(`--as-of ${JSON.stringify(flags.asOf)}: expected a month as YYYY-MM`);
        }
        const config = resolveConfig(flags);
        setExitCode(
          await runForecast(
            config,
            {
              location: flags.location,
              months,
              json: flags.json,
              ...(flags.category === undefined ? {} : { category: flags.category }),
              ...(flags.asOf === undefined ? {} : { asOf: flags.asOf }),
            },
            print,
          ),
        );
      },
    );
}
