import type { z } from 'zod';

import { jsonTextIssue } from '../../ingest/limits';
import { toLocalWallTime } from '../../ingest/localTime';
import { quoteValue } from '../../privacy/redact';
import { applyCurrency, currencyCode, currencySettings, minorToHundredths } from '../currency';
import { lookUpLocation } from '../locationIdentity';
import { categorizeService } from '../serviceCategories';
import type {
  CanonicalRecord,
  ConversionContext,
  ConversionIssue,
  ConversionResult,
  DetectionSample,
  VendorInput,
  VendorProfile,
} from '../vendorProfile';
import { dateCell, isUtcInstant } from './jsonValues';

/*
 * What every JSON vendor profile shares: find the record list inside the API's envelope,
 * validate each record with the vendor's zod schema (a bad record becomes an issue naming the
 * file, the record and the JSON path, and the other records still convert), and score
 * detection from the envelope and the record's characteristic keys. Records that are not
 * revenue (an open order, a failed charge) are counted by state and reported, and money in
 * another currency goes through currency.ts, the same way for every profile.
 *
 * Where the records are — ONE rule, for detection and conversion of every JSON profile, so a
 * payload is read however the user saved it:
 *  1. a bare array of records (`[{...}, {...}]`);
 *  2. the report's own list key (`orders`, `Sales`, `payStatements`, Stripe's `data`…);
 *  3. a common envelope: `data`, `items`, `objects`, `results` (Stripe's `{object: "list", data}`);
 *  4. a single record: the document itself (one Stripe charge, one Gusto payroll), or one
 *     object under one key (Square's `{order: {...}}`), when it has every key of the report's
 *     signature.
 */

/** A validated vendor record and where it sits in the file. */
export interface Located<T> {
  value: T;
  /** Record index + 1, as the user counts. */
  row: number;
  /** The record's JSON path in the document, e.g. `Sales[3]`. */
  path: string;
}

/** What a profile's mapping gets besides the records: ids, location, and a place for issues. */
export interface MappingEnv {
  context: ConversionContext;
  /** The whole document, for the few exports that say something once for all records. */
  root: unknown;
  /** Namespaces a vendor id (`mindbody:1001`) so two systems' ids never merge. */
  id(vendorId: string | number): string;
  /**
   * The location of a record: `--location` when the user gave one (the file is that location's
   * export, as for CSV profiles), else the export's own location id, namespaced; null when
   * neither exists (the caller reports it).
   */
  location(vendorLocationId: string | number | null | undefined): string | null;
  /** `--location`, for exports that never name one; reports its absence once per file. */
  givenLocation(): string | null;
  /**
   * The local calendar date of a sale stamped at `datetime` at `locationId`: a UTC instant is
   * turned into the location's day when its time zone is known, else its UTC day is kept and
   * `utcDatesUsed()` says so (the profile then warns once).
   */
  saleDate(datetime: string, locationId: string): string | null;
  utcDatesUsed(): boolean;
  issue(issue: Omit<ConversionIssue, 'message'> & { message: string; at?: Located<unknown> }): void;
  /**
   * A record that is not revenue in this state (an OPEN order, a failed charge): counted, and
   * reported once per file by state ("3 orders not counted: OPEN 2, CANCELED 1").
   */
  notCounted(at: Located<unknown>, state: string): void;
  /**
   * The ISO code of a record's currency as the vendor wrote it (`usd`, `EUR`). A record that
   * states none takes `--default-currency` when the user gave one; otherwise, and for text
   * that is no currency code, it is reported at `column` (the JSON path) and null is returned.
   */
  currency(at: Located<unknown>, code: string | null | undefined, column: string): string | null;
  /**
   * Minor units of `code` (Stripe `amount`, Square `Money.amount`) → hundredths of its major
   * unit, the scale of canonical money cells before conversion (¥1000 → 100000); null after
   * reporting a three-decimal currency, whose amounts cannot be carried in cents.
   */
  minor(at: Located<unknown>, amount: number, code: string, column: string): number | null;
  /**
   * The services row of a service the vendor names, the first time the file mentions it (none
   * after that), categorized from its name like every other connector's services.
   */
  serviceOnce(
    at: Located<unknown>,
    serviceCode: string,
    serviceName: string,
    vendorCategory?: string,
  ): CanonicalRecord[];
}

export interface JsonProfileSpec<T> {
  id: string;
  /** The system's id namespace (`mindbody`); users read its name (VENDOR_NAMES). */
  vendor: string;
  report: string;
  /**
   * Where the records live: each candidate is a path of object keys from the document root
   * (`['Appointments']`, `['data', 'appointments', 'edges']`); a top-level array is accepted too.
   */
  listPaths: readonly (readonly string[])[];
  /** Keys a record of this report always has; detection and the plain-array case rely on them. */
  signature: readonly string[];
  /** Reshapes the document before the list is looked up (e.g. joins Google Ads stream batches). */
  normalize?: (json: unknown) => unknown;
  /** Optional extra test on the first record (e.g. Meta's records carry no `object`). */
  recognizes?: (first: Record<string, unknown>) => boolean;
  /**
   * A record that says what it is (Stripe's `object: 'charge'`) is this report even when it
   * lacks some signature keys, as older API versions' objects do.
   */
  identifies?: (first: Record<string, unknown>) => boolean;
  schema: z.ZodType<T>;
  map(records: readonly Located<T>[], env: MappingEnv): CanonicalRecord[];
}

interface FoundList {
  items: unknown[];
  /**
   * Path of the list for messages: `Appointments`, `data.appointments.edges`, or `` for a root
   * array; for a single record, the record's own path (`$` for the document, `order`).
   */
  path: string;
  /** True when the list was found under one of the report's own envelope keys. */
  named: boolean;
  /** True when the document is one record rather than a list. */
  single: boolean;
}

/** How users name each system, for reports, messages and a created location's EMR. */
const VENDOR_NAMES: Readonly<Record<string, string>> = {
  adp: 'ADP',
  boulevard: 'Boulevard',
  google_ads: 'Google Ads',
  gusto: 'Gusto',
  meta: 'Meta Ads',
  mindbody: 'Mindbody',
  square: 'Square',
  stripe: 'Stripe',
};

function vendorName(spec: Pick<JsonProfileSpec<unknown>, 'vendor'>): string {
  return VENDOR_NAMES[spec.vendor] ?? spec.vendor;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Envelopes of list responses that many APIs share; a report's own key is tried first. */
const COMMON_ENVELOPES = ['data', 'items', 'objects', 'results'] as const;

/** The record list of a document, by the one rule of this file's comment; null when there is none. */
function findList(
  json: unknown,
  listPaths: JsonProfileSpec<unknown>['listPaths'],
  fit: (record: unknown) => number,
): FoundList | null {
  if (Array.isArray(json)) return { items: json, path: '', named: false, single: false };
  if (!isObject(json)) return null;
  for (const keys of listPaths) {
    let node: unknown = json;
    for (const key of keys) node = isObject(node) ? node[key] : undefined;
    if (Array.isArray(node)) return { items: node, path: keys.join('.'), named: true, single: false };
  }
  for (const key of COMMON_ENVELOPES) {
    const node = json[key];
    if (Array.isArray(node)) return { items: node, path: key, named: false, single: false };
  }
  if (fit(json) === 1) return { items: [json], path: '$', named: false, single: true };
  for (const [key, node] of Object.entries(json)) {
    if (isObject(node) && fit(node) === 1) return { items: [node], path: key, named: false, single: true };
  }
  return null;
}

/** GraphQL connections wrap each record as `{node: {...}}`; everything else is the record itself. */
function unwrapEdge(item: unknown): unknown {
  return isObject(item) &&
    isObject(item.node) &&
    Object.keys(item).every((k) => k === 'node' || k === 'cursor')
    ? item.node
    : item;
}

/** `['PurchasedItems', 2, 'UnitPrice']` → `PurchasedItems[2].UnitPrice`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

function recordPath(list: FoundList, index: number): string {
  return list.single ? list.path : `${list.path}[${index}]`;
}

/** `3 orders not counted: OPEN 2, CANCELED 1`. */
function notCountedSummary(report: string, counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const noun = total === 1 ? report.replace(/s$/, '') : report;
  const byState = [...counts].map(([state, n]) => `${state} ${n}`).join(', ');
  return `${total} ${noun} not counted: ${byState}`;
}

export function defineJsonProfile<T>(spec: JsonProfileSpec<T>): VendorProfile {
  const normalize = (json: unknown): unknown => (spec.normalize ? spec.normalize(json) : json);
  /** Share of the report's signature keys the record has; 0 when it is another kind of object. */
  const fit = (first: unknown): number => {
    if (!isObject(first)) return 0;
    if (spec.recognizes && !spec.recognizes(first)) return 0;
    if (spec.identifies?.(first)) return 1;
    return spec.signature.filter((key) => key in first).length / spec.signature.length;
  };
  const locate = (json: unknown): FoundList | null =>
    findList(normalize(json), spec.listPaths, (record) => fit(unwrapEdge(record)));

  function detect(sample: DetectionSample): number {
    if (sample.format !== 'json') return 0;
    const list = locate(sample.json);
    if (!list) return 0;
    if (list.items.length === 0) return list.named ? 0.6 : 0;
    const share = fit(unwrapEdge(list.items[0]));
    if (share === 1) return list.named ? 0.95 : 0.85;
    if (share === 0) return 0;
    // A record missing some of the report's keys may still be it (most fields of these APIs
    // are optional), but never with the certainty of a full match.
    return list.named ? 0.3 + 0.4 * share : 0.4 * share;
  }

  function convert(input: VendorInput, context: ConversionContext): ConversionResult {
    const issues: ConversionIssue[] = [];
    if (input.format !== 'json') {
      return {
        records: [],
        issues: [fileIssue(context, 'wrong_format', 'a JSON profile was given a CSV file')],
      };
    }
    const list = locate(input.json);
    if (!list) {
      const where = spec.listPaths.map((keys) => `"${keys.join('.')}"`).join(' or ');
      return {
        records: [],
        issues: [
          fileIssue(
            context,
            'missing_records',
            `no ${where} array found (the document is truncated or is not a ${vendorName(spec)} ${spec.report} export)`,
          ),
        ],
      };
    }

    const valid: Located<T>[] = [];
    list.items.forEach((item, index) => {
      const row = index + 1;
      const path = recordPath(list, index);
      const parsed = spec.schema.safeParse(unwrapEdge(item));
      if (parsed.success) {
        valid.push({ value: parsed.data, row, path });
        return;
      }
      for (const problem of parsed.error.issues) {
        const column = formatJsonPath(problem.path);
        issues.push({
          severity: 'error',
          row,
          column: column === '' ? null : column,
          code: 'invalid_record',
          message: `${context.fileName}: record ${row} (${path})${column === '' ? '' : ` ${column}`}: ${problem.message}`,
        });
      }
    });

    const servicesSeen = new Set<string>();
    const notCounted = new Map<string, number>();
    const currencies = currencySettings(context);
    let utcDates = false;
    let locationReported = false;
    const prefix = context.idPrefix ?? spec.vendor;
    const id = (vendorId: string | number): string => `${prefix}:${String(vendorId)}`;
    const env: MappingEnv = {
      context,
      root: input.json,
      id,
      location: (vendorLocationId) => {
        const text =
          vendorLocationId === null || vendorLocationId === undefined ? '' : String(vendorLocationId);
        if (context.locationId === undefined && text === '') return context.folderLocationId ?? null;
        const found = lookUpLocation(context.locations, context.locationId, {
          text,
          kind: 'id',
          vendor: vendorName(spec),
          prefix,
          folderLocation: context.folderLocationId,
        });
        if (found.ok) return found.locationId;
        issues.push(fileIssue(context, 'ambiguous_location', found.message));
        return null;
      },
      givenLocation: () => {
        const none = context.locationId === undefined && context.folderLocationId === undefined;
        if (none && !locationReported) {
          locationReported = true;
          issues.push(
            fileIssue(
              context,
              'missing_location',
              `${vendorName(spec)} ${spec.report} exports do not name a location: give --location, or put the file in a folder whose locations.csv describes its one location`,
            ),
          );
        }
        return none ? null : env.location(null);
      },
      saleDate: (datetime, locationId) => {
        const day = dateCell(datetime);
        if (day === null || !isUtcInstant(datetime)) return day;
        const timeZone = context.timeZoneOf?.(locationId);
        if (timeZone === undefined) {
          utcDates = true;
          return day;
        }
        return toLocalWallTime(datetime, timeZone).slice(0, 10);
      },
      utcDatesUsed: () => utcDates,
      serviceOnce: (at, serviceCode, serviceName, vendorCategory) => {
        if (servicesSeen.has(serviceCode)) return [];
        servicesSeen.add(serviceCode);
        const { category } = categorizeService(serviceName, context.serviceCategories, vendorCategory);
        return [
          {
            entity: 'services',
            sourceRow: at.row,
            values: {
              service_code: serviceCode,
              service_name: serviceName,
              category,
              default_duration_min: '',
            },
          },
        ];
      },
      issue: ({ at, message, ...rest }) =>
        issues.push({
          ...rest,
          message: at
            ? `${context.fileName}: record ${at.row} (${at.path}): ${message}`
            : `${context.fileName}: ${message}`,
        }),
      notCounted: (_at, state) => notCounted.set(state, (notCounted.get(state) ?? 0) + 1),
      currency: (at, code, column) => {
        if (code === null || code === undefined || code.trim() === '') {
          if (currencies.defaultCurrency !== undefined) return currencies.defaultCurrency;
          env.issue({
            severity: 'error',
            row: at.row,
            column,
            code: 'missing_currency',
            message: `${at.path === '$' ? '' : `${at.path}.`}${column}: the record does not say its currency; if it is the account's default currency, say which with --default-currency CODE (API: ?default_currency=CODE)`,
            at,
          });
          return null;
        }
        const iso = currencyCode(code);
        if (iso === null) {
          env.issue({
            severity: 'error',
            row: at.row,
            column,
            code: 'invalid_currency',
            message: `${column}: ${quoteValue(code, 20)} is not an ISO 4217 currency code`,
            at,
          });
        }
        return iso;
      },
      minor: (at, amount, code, column) => {
        const hundredths = minorToHundredths(amount, code);
        if (hundredths === null) {
          env.issue({
            severity: 'error',
            row: at.row,
            column,
            code: 'unsupported_currency',
            message: `${column}: ${code} amounts have three decimals and cannot be carried in cents`,
            at,
          });
        }
        return hundredths;
      },
    };
    const mapped = spec.map(valid, env);
    if (notCounted.size > 0) {
      const summary = notCountedSummary(spec.report, notCounted);
      const total = [...notCounted.values()].reduce((sum, n) => sum + n, 0);
      // A file of nothing but non-revenue records says so, instead of "no canonical file found".
      const nothingElse = mapped.length === 0 && total === valid.length && valid.length === list.items.length;
      issues.push({
        severity: nothingElse ? 'error' : 'warning',
        row: null,
        column: null,
        code: nothingElse ? 'no_revenue_records' : 'not_revenue',
        message: `${context.fileName}: ${nothingElse ? 'nothing to import: ' : ''}${summary}`,
      });
    }
    const converted = applyCurrency(mapped, context, (record) => ({
      row: record.sourceRow,
      label: `record ${record.sourceRow} (${recordPath(list, record.sourceRow - 1)})`,
    }));
    issues.push(...converted.issues);
    return { records: converted.records, issues, sourceRows: list.items.length };
  }

  return { id: spec.id, vendor: vendorName(spec), report: spec.report, format: 'json', detect, convert };
}

function fileIssue(context: ConversionContext, code: string, message: string): ConversionIssue {
  return { severity: 'error', row: null, column: null, code, message: `${context.fileName}: ${message}` };
}

/**
 * Parses a JSON export's text. A truncated download is the usual failure, so the issue says
 * where parsing stopped instead of throwing.
 */
export function parseJsonText(
  text: string,
  fileName: string,
): { ok: true; json: unknown } | { ok: false; issue: ConversionIssue } {
  // Size, nesting depth, record count and "is it text" are checked before parsing, so a
  // hostile document is refused without building it in memory.
  const refused = jsonTextIssue(text, fileName);
  if (refused !== null) return { ok: false, issue: refused };
  try {
    return { ok: true, json: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    // The engine's message may quote an excerpt of the file (`"{"name": Jenny Rose"... is not
    // valid JSON`, or `..."Jenny Rose"... is not valid JSON` from the middle of a long file):
    // where parsing stopped is said, never what the file holds there.
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /,\s*(?:\.\.\.)?".*"(?:\.\.\.)?\s+is not valid JSON\s*$/s,
      '',
    );
    return {
      ok: false,
      issue: {
        severity: 'error',
        row: null,
        column: null,
        code: 'invalid_json',
        message: `${fileName}: not valid JSON (truncated download?): ${reason}`,
      },
    };
  }
}

/** Reports a record that cannot become a canonical row because the vendor left out what the row needs. */
export function missing(env: MappingEnv, at: Located<unknown>, column: string, what: string): void {
  env.issue({
    severity: 'error',
    row: at.row,
    column,
    code: 'missing_value',
    message: `${column}: ${what}`,
    at,
  });
}
