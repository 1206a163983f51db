import { z } from 'zod';

import { type AmountRules, centsToMoneyCell, minorUnitsToCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { amountValue, readAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv } from './jsonProfile';
import { decimal } from './jsonValues';

/*
 * Ad platforms' API answers → marketing_spend: one row per location, channel and day (or
 * month), so the rows of several campaigns on the same day are summed. Neither platform
 * knows the practice's locations: the file takes the `--location` the user gives.
 */

interface Spend {
  date: string;
  /** The spend as the platform sends it: Google micros (an integer), Meta dollars (a decimal). */
  cost: number | string;
  /** The ad account's currency when the row carries it (Google `customer.currencyCode`, Meta `account_currency`). */
  currency?: string | null;
}

/** How a platform's spend is read (money.ts): its unit and where it sits in a record. */
interface SpendUnit {
  /** Decimal digits of the platform's unit: 6 for Google's micros, 2 for Meta's dollars-and-cents. */
  minorDigits: 2 | 6;
  /** The record's spend field, for issues. */
  column: string;
  /** Ad spend is never negative on either platform; Google's micros are rounded to the cent once per day. */
  rules: AmountRules;
}

/** A record's spend in the platform's unit, exact; null after reporting (the record is rejected). */
function spendUnits(env: MappingEnv, at: Located<Spend>, unit: SpendUnit): bigint | null {
  const { cost } = at.value;
  if (unit.minorDigits === 2) {
    const cents = readAmount(env, at, unit.column, cost, unit.rules);
    return cents === null ? null : BigInt(cents);
  }
  // Checked on its own (a whole number of micros, of the right sign, within range) before the sum.
  const check = minorUnitsToCents(cost, unit.minorDigits, unit.rules);
  if (!check.ok) return reportAmount(env, at, unit.column, cost, check);
  return BigInt(typeof cost === 'number' ? cost : cost.trim());
}

/**
 * Sums spend per date (and currency) in the order dates first appear, exactly in the platform's
 * unit; cents are rounded once, after the sum (money.ts). A row's currency goes on the canonical
 * row, for currency.ts to convert or refuse.
 */
function spendRows(
  records: readonly Located<Spend>[],
  env: MappingEnv,
  channel: string,
  unit: SpendUnit,
  currencyColumn: string,
): CanonicalRecord[] {
  const location = env.givenLocation();
  if (location === null) return [];
  const byDate = new Map<string, { at: Located<Spend>; date: string; currency: string; amount: bigint }>();
  for (const at of records) {
    const { value } = at;
    const currency =
      value.currency === null || value.currency === undefined
        ? ''
        : env.currency(at, value.currency, currencyColumn);
    if (currency === null) continue;
    const amount = spendUnits(env, at, unit);
    if (amount === null) continue;
    const key = `${value.date}\u0000${currency}`;
    const sum = byDate.get(key);
    if (sum) sum.amount += amount;
    else byDate.set(key, { at, date: value.date, currency, amount });
  }
  return [...byDate.values()].flatMap(({ at, date, currency, amount }): CanonicalRecord[] => {
    // Micros and Meta's decimal spend are in the currency's major unit already (no minor-unit digits).
    const cents = minorUnitsToCents(amount, unit.minorDigits, unit.rules);
    if (!cents.ok) {
      reportAmount(env, at, unit.column, `${date} total`, cents);
      return [];
    }
    return [
      {
        entity: 'marketing_spend',
        sourceRow: at.row,
        values: {
          location_id: location,
          channel,
          date,
          spend: centsToMoneyCell(cents.cents),
          ...(currency === '' ? {} : { currency }),
        },
      },
    ];
  });
}

const micros = z.union([z.string().regex(/^\d+$/, 'expected a whole number of micros'), z.number().int()]);

// The REST API answers in camelCase (`costMicros`); client libraries and exports often keep
// the query's snake_case (`cost_micros`). Both are read.
const googleRowSchema = z
  .object({
    campaign: z
      .object({ id: z.union([z.string(), z.number()]).nullish(), name: z.string().nullish() })
      .nullish(),
    segments: z.object({ date: z.string().nullish(), month: z.string().nullish() }),
    metrics: z.object({ costMicros: micros.nullish(), cost_micros: micros.nullish() }),
    customer: z.object({ currencyCode: z.string().nullish(), currency_code: z.string().nullish() }).nullish(),
  })
  .transform((r, ctx): Spend => {
    const cost = r.metrics.costMicros ?? r.metrics.cost_micros;
    if (cost === null || cost === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['metrics', 'costMicros'],
        message: 'expected metrics.costMicros',
      });
      return z.NEVER;
    }
    const day = r.segments.date;
    const month = r.segments.month;
    let date: string | null = null;
    if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) date = day;
    else if (month && /^\d{4}-\d{2}-01$/.test(month)) date = month.slice(0, 7);
    if (date === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['segments', 'date'],
        message: 'expected segments.date (YYYY-MM-DD) or segments.month: query with a date segment',
      });
      return z.NEVER;
    }
    return {
      date,
      cost,
      currency: r.customer?.currencyCode ?? r.customer?.currency_code ?? null,
    };
  });

/** SearchStream answers a list of batches, each with its own `results`; they are one list. */
function joinStreamBatches(json: unknown): unknown {
  if (!Array.isArray(json) || !json.every((b) => typeof b === 'object' && b !== null && 'results' in b))
    return json;
  return {
    results: json.flatMap((b: { results?: unknown }) =>
      Array.isArray(b.results) ? (b.results as unknown[]) : [],
    ),
  };
}

export const googleAdsSpend = defineJsonProfile({
  id: 'google_ads.spend',
  vendor: 'google_ads',
  report: 'campaign cost',
  listPaths: [['results']],
  normalize: joinStreamBatches,
  signature: ['segments', 'metrics'],
  schema: googleRowSchema,
  // Google Ads counts cost in micros of the account currency (`cost_micros`) and bills and shows
  // it to the cent: that convention is why a day's total is rounded to the cent, half away from zero.
  map: (records, env) =>
    spendRows(
      records,
      env,
      'google_ads',
      {
        minorDigits: 6,
        column: 'metrics.costMicros',
        rules: { sign: 'non_negative', subCent: 'round_half_away_from_zero' },
      },
      'customer.currencyCode',
    ),
});

const metaRowSchema = z
  .object({
    date_start: z.string(),
    date_stop: z.string(),
    spend: amountValue,
    account_currency: z.string().nullish(),
    actions: z.array(z.object({ action_type: z.string(), value: decimal })).nullish(),
  })
  .transform((r, ctx): Spend & { leads: number } => {
    const date = reportingDate(r.date_start, r.date_stop);
    if (date === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['date_stop'],
        message: `${r.date_start}..${r.date_stop} is neither a day nor a calendar month: export with time_increment=1`,
      });
      return z.NEVER;
    }
    const leads = (r.actions ?? [])
      .filter((a) => a.action_type === 'lead')
      .reduce((sum, a) => sum + Number(a.value), 0);
    return { date, cost: r.spend, leads, currency: r.account_currency ?? null };
  });

/** A day stays a day; a whole calendar month becomes `YYYY-MM`; any other range is refused. */
function reportingDate(start: string, stop: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(stop)) return null;
  if (start === stop) return start;
  const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const sameMonth = start.slice(0, 7) === stop.slice(0, 7);
  return sameMonth && start.endsWith('-01') && Number(stop.slice(8)) === lastDay ? start.slice(0, 7) : null;
}

export const metaInsightsSpend = defineJsonProfile({
  id: 'meta.insights',
  vendor: 'meta',
  report: 'ads insights',
  listPaths: [['data']],
  signature: ['date_start', 'date_stop', 'spend'],
  // Stripe lists share the `data` envelope; their records say what object they are.
  recognizes: (first) => !('object' in first),
  schema: metaRowSchema,
  map: (records, env) => {
    const leads = records.reduce((sum, r) => sum + r.value.leads, 0);
    // leads.csv needs one row per person (with a creation time, email or phone to match a
    // patient); Insights only counts them per day, so the count cannot become leads rows.
    if (leads > 0) {
      env.issue({
        severity: 'warning',
        row: null,
        column: 'actions',
        code: 'leads_not_imported',
        message: `${leads} leads counted in actions are not imported: leads.csv needs one row per lead (export the Lead Ads forms)`,
      });
    }
    // Meta reports spend to the cent (a decimal string): more decimals are not its convention.
    return spendRows(
      records,
      env,
      'meta',
      { minorDigits: 2, column: 'spend', rules: { sign: 'non_negative' } },
      'account_currency',
    );
  },
});
