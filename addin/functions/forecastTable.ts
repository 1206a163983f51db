/*
 * FORECAST's arguments and the table it spills: checked before any request (a malformed
 * argument is #VALUE! with the reason), and the API's answer as cells under a header row — the
 * month as the Excel date of its first day, money in dollars as numbers, a missing baseline
 * #N/A with its reason (never 0).
 */
import { isYearMonth } from '../../shared/model/localDate';
import type { ForecastCategory } from '../../shared/models/forecastData';
import type { ForecastBody } from '../api/caliperClient';
import { optionalText } from './arguments';
import { excelDateSerial } from './callListTable';
import { excelError, invalidArgument } from './excelErrors';

type Cell = string | number | CustomFunctions.Error;

/*
 * The core's MAX_FORECAST_MONTHS and FORECAST_CATEGORIES (shared/models/), restated so the
 * add-in's bundle does not carry the model's code; a test holds them equal.
 */
export const MAX_FORECAST_MONTHS_ARGUMENT = 12;
export const FORECAST_CATEGORY_IDS = [
  'neurotoxin',
  'filler',
  'laser',
  'energy_device',
  'body_contouring',
  'skin_treatment',
  'facial',
  'consultation',
  'other_service',
  'uncategorized',
] as const satisfies readonly ForecastCategory[];

export const FORECAST_HEADER = ['Month', 'Forecast', 'Returning', 'New patients', 'Other', 'Seasonal naive'];
/** Other revenue (retail, memberships) belongs to no category: a category's table has no Other. */
export const FORECAST_CATEGORY_HEADER = ['Month', 'Forecast', 'Returning', 'New patients', 'Seasonal naive'];

/** `months`: a whole number from 1 to 12. */
export function forecastMonthsArgument(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_FORECAST_MONTHS_ARGUMENT
  ) {
    const shown =
      typeof value === 'number'
        ? String(value)
        : value === null || value === undefined
          ? 'nothing'
          : typeof value;
    throw invalidArgument(
      `months must be a whole number from 1 to ${MAX_FORECAST_MONTHS_ARGUMENT}, got ${shown}`,
    );
  }
  return value;
}

/** `category`: a service category id (neurotoxin, energy_device…), any case, spaces for underscores. */
export function forecastCategoryArgument(value: unknown): ForecastCategory | undefined {
  const text = optionalText(value, 'category');
  if (text === undefined) return undefined;
  const id = text.toLowerCase().replace(/[\s-]+/g, '_');
  const category = FORECAST_CATEGORY_IDS.find((c) => c === id);
  if (category === undefined) {
    throw invalidArgument(
      `Unknown category "${text.slice(0, 40)}": one of ${FORECAST_CATEGORY_IDS.join(', ')}`,
    );
  }
  return category;
}

/** `options`: `as_of=YYYY-MM`, the forecast origin; `;`-separated for later options. */
export function forecastOptionsArgument(value: unknown): { asOf?: string } {
  const text = optionalText(value, 'options');
  const options: { asOf?: string } = {};
  for (const part of (text ?? '').split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const [key, given = ''] = part.split('=', 2).map((s) => s.trim());
    if (key?.toLowerCase() !== 'as_of' || !isYearMonth(given)) {
      throw invalidArgument(`Unknown FORECAST option "${part.slice(0, 40)}": expected as_of=YYYY-MM`);
    }
    options.asOf = given;
  }
  return options;
}

// Cents to dollars at display only: /100 of an integer is the nearest double to the dollars.
const dollars = (cents: number) => cents / 100;

function baseline(cents: number | null | undefined, reason: string | null): Cell {
  return cents === null || cents === undefined
    ? excelError('notAvailable', reason ?? 'No seasonal-naive value')
    : dollars(cents);
}

export function forecastTable(body: ForecastBody): Cell[][] {
  const category = body.category;
  const header = category === null ? FORECAST_HEADER : FORECAST_CATEGORY_HEADER;
  const rows: Cell[][] = body.months.map((m) => {
    const month = excelDateSerial(`${m.month}-01`);
    if (category === null) {
      return [
        month,
        dollars(m.total_cents),
        dollars(m.components.returning_cents),
        dollars(m.components.new_patients_cents),
        dollars(m.components.other_cents),
        baseline(m.seasonal_naive_cents, m.seasonal_naive_reason),
      ];
    }
    const c = m.categories[category];
    if (c === undefined) throw new Error(`the answer has no ${category} figures for ${m.month}`);
    return [
      month,
      dollars(c.cents),
      dollars(c.returning_cents),
      dollars(c.new_patients_cents),
      baseline(c.seasonal_naive_cents, m.seasonal_naive_reason),
    ];
  });
  // A location left out of a portfolio's sum is said below it, with the core's reason.
  const notes = body.locations
    .filter((l) => !l.in_sum)
    .map((l): Cell[] => [
      `Not in the sum: ${l.location_id}`,
      l.reason ?? '',
      ...header.slice(2).map(() => ''),
    ]);
  return [header, ...rows, ...notes];
}
