import type { ForecastCategory } from './forecastData';
import type { ScopeForecast, ScopeForecastMonth } from './scopeForecast';

/**
 * A scope's forecast as the API answers it: snake_case, money in integer cents, an absent
 * baseline null with its reason (shared/contract/forecast.ts `forecastBodySchema` describes it). With
 * a category, each month keeps only that category's figures, as `caliper forecast --json` does.
 */

export interface ForecastCategoryJson {
  cents: number;
  returning_cents: number;
  new_patients_cents: number;
  seasonal_naive_cents: number | null;
}

export interface ForecastMonthJson {
  month: string;
  horizon: number;
  total_cents: number;
  components: { returning_cents: number; new_patients_cents: number; other_cents: number };
  categories: Partial<Record<ForecastCategory, ForecastCategoryJson>>;
  seasonal_naive_from: string;
  seasonal_naive_cents: number | null;
  seasonal_naive_reason: string | null;
}

export interface ForecastLocationJson {
  location_id: string;
  name: string;
  in_sum: boolean;
  code: string | null;
  reason: string | null;
  /** The core's inputs in snake_case (what the forecast read and fitted); null when not forecast. */
  inputs: Record<string, unknown> | null;
}

export interface ScopeForecastJson {
  scope: 'location' | 'portfolio';
  location_id: string | null;
  location_name: string | null;
  category: ForecastCategory | null;
  origin: string;
  as_of: string;
  months_ahead: number;
  locations_in_sum: number;
  locations: ForecastLocationJson[];
  months: ForecastMonthJson[];
}

/** camelCase keys to snake_case, as every other JSON of Caliper spells them. */
/** camelCase keys to the API's snake_case, at every depth. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]),
  );
}

function monthJson(m: ScopeForecastMonth, category?: ForecastCategory): ForecastMonthJson {
  const chosen = category === undefined ? Object.keys(m.categories) : [category];
  return {
    month: m.month,
    horizon: m.horizon,
    total_cents: m.totalCents,
    components: {
      returning_cents: m.components.returningCents,
      new_patients_cents: m.components.newPatientsCents,
      other_cents: m.components.otherCents,
    },
    categories: Object.fromEntries(
      chosen.map((c) => {
        const v = m.categories[c as ForecastCategory];
        const json: ForecastCategoryJson = {
          cents: v.cents,
          returning_cents: v.returningCents,
          new_patients_cents: v.newPatientsCents,
          seasonal_naive_cents: v.seasonalNaiveCents,
        };
        return [c, json];
      }),
    ),
    seasonal_naive_from: m.seasonalNaive.from,
    seasonal_naive_cents: m.seasonalNaive.totalCents,
    seasonal_naive_reason: m.seasonalNaive.reason,
  };
}

export function scopeForecastJson(forecast: ScopeForecast, category?: ForecastCategory): ScopeForecastJson {
  const site = forecast.scope.kind === 'location' ? forecast.scope : null;
  return {
    scope: forecast.scope.kind,
    location_id: site?.locationId ?? null,
    location_name: site?.name ?? null,
    category: category ?? null,
    origin: forecast.origin,
    as_of: forecast.asOf,
    months_ahead: forecast.monthsAhead,
    locations_in_sum: forecast.locationsInSum,
    locations: forecast.locations.map((l) => ({
      location_id: l.locationId,
      name: l.name,
      in_sum: l.inSum,
      code: l.code,
      reason: l.reason,
      inputs: l.forecast === null ? null : (snakeKeys(l.forecast.inputs) as Record<string, unknown>),
    })),
    months: forecast.months.map((m) => monthJson(m, category)),
  };
}
