import { z } from 'zod';

import {
  APPOINTMENT_STATUSES,
  CANONICAL_FILES,
  type CanonicalFileSpec,
  type EntityName,
  SALE_KINDS,
} from '../model/canonicalBundle';
import { quoteValue } from '../privacy/redact';
import { CsvConversion, type CsvRowReader } from './csvProfile';
import { textToCents, textToMoneyCell } from './money';
import { normalizeHeaderName } from './vendorCsv';
import type {
  CanonicalRecord,
  ConversionContext,
  ConversionResult,
  DetectionSample,
  VendorInput,
  VendorProfile,
} from './vendorProfile';
import { vendorDate, vendorDateTime, vendorMinutes, vendorTime, vendorTimeRange } from './vendorValues';

/**
 * Saved column mappings for systems without a profile (Mangomint, Vagaro, PatientNow…):
 * `caliper map FILE` proposes one from header names and sample values, the user edits the
 * JSON, and `caliper ingest --mapping FILE` reads exports with it. One mapping reads one
 * report into one canonical file. A mapping is a profile like the built-in ones: detected from
 * its headers, converted with the same helpers (CsvConversion), so its ids, issue codes and
 * derived services, providers and patients rows are those of a profile — the same provider
 * name gives the same provider id through a mapping and through a profile of that prefix.
 *
 * Version 1 maps canonical columns to vendor headers (`columns`) and vendor values to canonical
 * ones (`values`). Version 2 adds what real exports need besides: `constants` (a value every
 * row has), `row_id` (an id made of the file name and row number, for reports without one),
 * `split` (one column into several), `join` (several columns into one, never names) and
 * `schedule` (a shift's start and end from one `9:00 AM - 5:00 PM` column).
 */

const ENTITIES = CANONICAL_FILES.map((s) => s.entity).filter((e) => e !== 'locations') as [
  EntityName,
  ...EntityName[],
];

const SplitSchema = z
  .object({
    /** The vendor header, e.g. `Provider / Service` or `Date Time`. */
    header: z.string().min(1),
    /** What separates the parts (`/`); absent: a date-and-time cell split into its date and its time. */
    separator: z.string().min(1).optional(),
    /** Canonical column of each part, in order (null: a part that is not kept). */
    into: z.array(z.string().nullable()).min(2),
  })
  .strict();

const JoinSchema = z
  .object({
    /** Vendor headers whose cells are joined, in order, e.g. `Date` and `Time`. */
    headers: z.array(z.string().min(1)).min(2),
    into: z.string(),
    /** Put between the cells (default a space). */
    separator: z.string().default(' '),
  })
  .strict();

const ScheduleSchema = z
  .object({
    /** One cell holding a shift's interval, e.g. `Schedule`: `9:00 AM - 5:00 PM` or `09:00-17:30`. */
    header: z.string().min(1),
  })
  .strict();

const BaseMappingSchema = z.object({
  kind: z.literal('caliper.column_mapping'),
  version: z.union([z.literal(1), z.literal(2)]),
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, `.`, `_` or `-`'),
  vendor: z.string().min(1),
  report: z.string().min(1),
  entity: z.enum(ENTITIES),
  /** Namespace of this system's ids, e.g. `mangomint` (patient 1001 → `mangomint:1001`). */
  id_prefix: z.string().regex(/^[a-z0-9_-]+$/),
  /** Canonical column → the vendor header that fills it (null: not in this export). */
  columns: z.record(z.string(), z.string().nullable()),
  /** Canonical column → vendor value → canonical value (statuses, sale kinds, categories). */
  values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Version 2: canonical column → the canonical value of every row (`status`: `completed`). */
  constants: z.record(z.string(), z.string()).optional(),
  /** Version 2: the record id column (`line_id`) made of the file name and the row number. */
  row_id: z.string().optional(),
  split: z.array(SplitSchema).optional(),
  join: z.array(JoinSchema).optional(),
  schedule: ScheduleSchema.optional(),
});

/** Record ids a `row_id` may fill: the id of one row of the report, never a person or a service. */
const ROW_ID_COLUMNS = new Set(['appointment_id', 'line_id', 'payroll_line_id', 'membership_id', 'lead_id']);
/** Columns that identify or reach a person: never filled from name columns, never joined or constant. */
const PERSONAL_COLUMNS = new Set(['patient_id', 'lead_id', 'email', 'phone']);

export const MappingProfileSchema = BaseMappingSchema.superRefine((m, ctx) => {
  const spec = CANONICAL_FILES.find((s) => s.entity === m.entity);
  if (!spec) return;
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const v2 = ['constants', 'row_id', 'split', 'join', 'schedule'].filter(
    (k) => m[k as keyof typeof m] !== undefined,
  );
  if (m.version === 1 && v2.length > 0)
    problem(['version'], `${v2.join(', ')} need "version": 2 (version 1 has columns and values only)`);
  const filled = new Map<string, string>();
  const fill = (path: (string | number)[], column: string | null, how: string) => {
    if (column === null) return;
    if (!(column in spec.columns)) {
      problem(path, `"${column}" is not a column of ${spec.file} (${Object.keys(spec.columns).join(', ')})`);
      return;
    }
    const before = filled.get(column);
    if (before !== undefined) problem(path, `"${column}" is already filled by ${before}`);
    else filled.set(column, how);
  };
  for (const [column, header] of Object.entries(m.columns)) {
    if (header === null) continue;
    fill(['columns', column], column, `columns.${column}`);
    if (PERSONAL_COLUMNS.has(column) && column.endsWith('_id') && isPersonName(header))
      problem(
        ['columns', column],
        `"${header}" looks like a person's name: ${column} must come from an id column (names are personal data)`,
      );
  }
  for (const [column, value] of Object.entries(m.constants ?? {})) {
    fill(['constants', column], column, `constants.${column}`);
    const def = (spec.columns as Record<string, { kind: string } | undefined>)[column];
    if (!def) continue;
    if (def.kind === 'id' || PERSONAL_COLUMNS.has(column))
      problem(
        ['constants', column],
        column.endsWith('location_id')
          ? 'a location is not a constant of the mapping: map its column or pass --location'
          : `${column} is an identifier: it cannot be the same on every row`,
      );
    else if (readConstant(column, def.kind, value) === null)
      problem(
        ['constants', column],
        `${JSON.stringify(value)} is not a canonical ${column}` +
          (def.kind === 'enum' ? ` (${enumValues(column).join(', ')})` : ''),
      );
  }
  if (m.row_id !== undefined) {
    fill(['row_id'], m.row_id, 'row_id');
    if (!ROW_ID_COLUMNS.has(m.row_id))
      problem(['row_id'], `row_id fills a record id (${[...ROW_ID_COLUMNS].join(', ')}), not "${m.row_id}"`);
  }
  for (const [i, split] of (m.split ?? []).entries()) {
    for (const [j, column] of split.into.entries())
      fill(['split', i, 'into', j], column, `split of "${split.header}"`);
    if (split.separator === undefined) {
      const kinds = split.into.map((c) => (c === null ? null : kindOf(spec, c)));
      if (
        split.into.length !== 2 ||
        !['date', 'date_or_month', null].includes(kinds[0] ?? null) ||
        !['time', null].includes(kinds[1] ?? null)
      )
        problem(
          ['split', i],
          'a split without "separator" reads a date-and-time cell into [a date column, a time column]',
        );
    }
    if (isPersonName(split.header) && split.into.some((c) => c !== null && PERSONAL_COLUMNS.has(c)))
      problem(
        ['split', i, 'header'],
        `"${split.header}" looks like a person's name: names are personal data`,
      );
  }
  for (const [i, join] of (m.join ?? []).entries()) {
    fill(['join', i, 'into'], join.into, `join of ${join.headers.join(' + ')}`);
    const names = join.headers.filter(isPersonName);
    if (names.length > 0 || PERSONAL_COLUMNS.has(join.into))
      problem(
        ['join', i],
        names.length > 0
          ? `${names.map((h) => JSON.stringify(h)).join(' + ')} look like parts of a person's name: names are personal data and are never joined`
          : `${join.into} is never made by joining columns (it identifies a person)`,
      );
  }
  if (m.schedule !== undefined) {
    if (m.entity !== 'shifts')
      problem(['schedule'], 'a schedule column fills the start_time and end_time of shifts');
    else {
      fill(['schedule'], 'start_time', `schedule "${m.schedule.header}"`);
      fill(['schedule'], 'end_time', `schedule "${m.schedule.header}"`);
    }
  }
});
export type MappingProfile = z.infer<typeof MappingProfileSchema>;

/** A JSON document that is a saved column mapping (`caliper map`), whatever its validity. */
export function isColumnMappingJson(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as { kind?: unknown }).kind === 'caliper.column_mapping'
  );
}

function kindOf(spec: CanonicalFileSpec, column: string): string | undefined {
  return (spec.columns as Record<string, { kind: string } | undefined>)[column]?.kind;
}

function enumValues(column: string): readonly string[] {
  return column === 'status' ? APPOINTMENT_STATUSES : column === 'kind' ? SALE_KINDS : [];
}

/** A constant as the canonical cell it fills; null when it is not a value of that column. */
function readConstant(column: string, kind: string, value: string): string | null {
  if (value.trim() === '') return null;
  switch (kind) {
    case 'enum':
      // status and kind are checked here; other enums (a provider role) by the canonical ingest.
      return enumValues(column).length === 0 || enumValues(column).includes(value) ? value : null;
    case 'money': {
      const read = textToMoneyCell(value);
      return read.ok ? read.cell : null;
    }
    case 'date':
      return vendorDate(value);
    case 'date_or_month':
      return /^\d{4}-\d{2}$/.test(value) ? value : vendorDate(value);
    case 'datetime':
      return vendorDateTime(value);
    case 'time':
      return vendorTime(value);
    case 'count':
    case 'hours':
      return /^\d+(?:\.\d+)?$/.test(value) ? value : null;
    default:
      return value;
  }
}

/** Columns whose values are this system's own ids, namespaced so two systems never collide. */
const NAMESPACED = new Set([
  'appointment_id',
  'patient_id',
  'provider_id',
  'service_code',
  'line_id',
  'membership_id',
  'lead_id',
  'payroll_line_id',
  'payroll_employee_id',
]);

/** Header words that name each canonical column in the exports of systems without a profile. */
const SYNONYMS: Record<string, readonly string[]> = {
  appointment_id: ['appointment id', 'appt id', 'booking id', 'appointment number', 'visit id'],
  patient_id: [
    'patient id',
    'client id',
    'customer id',
    'guest id',
    'guest code',
    'client number',
    'patient number',
  ],
  provider_id: [
    'provider',
    'provider id',
    'staff',
    'staff id',
    'staff member',
    'employee',
    'employee id',
    'practitioner',
    'stylist',
    'therapist',
  ],
  service_code: ['service', 'service id', 'service code', 'service name', 'treatment', 'item code'],
  booked_at: ['booked', 'booked at', 'booked on', 'created', 'created at', 'created on', 'booking date'],
  start_at: [
    'start',
    'start time',
    'starts at',
    'appointment date',
    'appointment time',
    'scheduled',
    'date time',
  ],
  duration_min: ['duration', 'duration min', 'duration minutes', 'length', 'minutes'],
  status: ['status', 'appointment status', 'state'],
  location_id: ['location', 'location id', 'center', 'clinic', 'business', 'site', 'branch'],
  line_id: [
    'line id',
    'sale id',
    'sale line id',
    'invoice item id',
    'order item id',
    'transaction id',
    'receipt',
    'invoice',
  ],
  sold_on: ['date', 'sale date', 'sold on', 'transaction date', 'invoice date', 'order date'],
  kind: ['type', 'item type', 'sale type', 'line type'],
  gross: ['gross', 'gross sales', 'amount', 'price', 'subtotal', 'sales', 'total'],
  discount: ['discount', 'discounts', 'discount amount'],
  tax: ['tax', 'taxes', 'sales tax'],
  tip: ['tip', 'tips', 'gratuity'],
  membership_id: ['membership id', 'subscription id', 'contract id', 'membership number'],
  plan: ['plan', 'membership', 'membership name', 'plan name', 'subscription'],
  monthly_fee: ['monthly fee', 'fee', 'price', 'amount', 'monthly price', 'recurring amount'],
  started_on: ['start date', 'started', 'started on', 'membership start', 'start'],
  cancelled_on: ['cancelled', 'cancelled on', 'cancel date', 'cancellation date', 'end date', 'terminated'],
  channel: ['channel', 'source', 'platform', 'lead source'],
  date: ['date', 'day', 'month', 'period'],
  spend: ['spend', 'cost', 'amount spent', 'spent'],
  email: ['email', 'e mail', 'email address'],
  phone: ['phone', 'mobile', 'cell', 'phone number', 'mobile number'],
  lead_id: ['lead id', 'inquiry id', 'opportunity id'],
  created_at: ['created', 'created at', 'created on', 'date', 'submitted'],
  service_name: ['service', 'service name', 'name', 'treatment'],
  category: ['category', 'service category'],
  display_name: ['name', 'staff name', 'provider name', 'display name'],
  referral_source: ['referral', 'referral source', 'referred by', 'source'],
  created_on: ['created', 'created on', 'client since', 'first visit'],
  home_location_id: ['home location', 'location', 'preferred location'],
};

function tokens(text: string): string[] {
  return normalizeHeaderName(text).split(' ').filter(Boolean);
}

/** How well a header names a canonical column, 0..1. */
function nameScore(header: string, column: string): number {
  const h = normalizeHeaderName(header);
  const synonyms = [column.replace(/_/g, ' '), ...(SYNONYMS[column] ?? [])];
  let best = 0;
  for (const synonym of synonyms) {
    if (h === synonym) return 1;
    const hs = tokens(h);
    const ss = tokens(synonym);
    const shared = ss.filter((t) => hs.includes(t)).length;
    if (shared === ss.length) best = Math.max(best, 0.5 + 0.3 * (ss.length / hs.length));
    else best = Math.max(best, (0.4 * shared) / new Set([...hs, ...ss]).size);
  }
  return best;
}

/** Share of non-empty sample cells that read as the column's kind (1 when there is nothing to check). */
function valueFit(kind: string, samples: readonly string[]): number {
  const filled = samples.filter((s) => s.trim() !== '');
  if (filled.length === 0) return 0.5;
  const test: Record<string, (s: string) => boolean> = {
    date: (s) => !!vendorDate(s),
    date_or_month: (s) => !!vendorDate(s) || /^\d{4}-\d{2}$/.test(s),
    datetime: (s) => !!vendorDateTime(s),
    money: (s) => textToCents(s).ok,
    count: (s) => vendorMinutes(s) !== null,
    hours: (s) => !Number.isNaN(Number(s)),
    email: (s) => s.includes('@'),
    phone: (s) => (s.match(/\d/g)?.length ?? 0) >= 7,
  };
  const check = test[kind];
  if (!check) return 1;
  return filled.filter((s) => check(s.trim())).length / filled.length;
}

const STATUS_WORDS: [RegExp, string][] = [
  [/no.?show|missed/, 'no_show'],
  [/late/, 'late_cancelled'],
  [/cancel/, 'cancelled'],
  [/complete|checked.?out|closed|finished|arrived|paid/, 'completed'],
  [/book|confirm|schedul|pending|request|open/, 'scheduled'],
];
const KIND_WORDS: [RegExp, string][] = [
  [/gift/, 'gift_card'],
  [/member/, 'membership_fee'],
  [/package|series|bundle/, 'package'],
  [/product|retail/, 'retail'],
  [/service|treatment/, 'service'],
];

function proposeValues(column: string, samples: readonly string[]): Record<string, string> | null {
  const words = column === 'status' ? STATUS_WORDS : column === 'kind' ? KIND_WORDS : null;
  if (!words) return null;
  const out: Record<string, string> = {};
  for (const value of new Set(samples.map((s) => s.trim()).filter(Boolean))) {
    const lower = value.toLowerCase();
    out[value] = words.find(([re]) => re.test(lower))?.[1] ?? '';
  }
  return out;
}

export interface MappingProposal {
  profile: MappingProfile;
  /** Per canonical column, how sure the proposal is (0..1), for the user to check the weak ones. */
  confidence: Record<string, number>;
  /** Vendor headers that fill no canonical column (kept out; personal ones are never mapped). */
  unusedHeaders: string[];
}

const NEVER_MAPPED = /\b(name|first|last|address|birth|dob|gender|notes?)\b/;
const isPersonName = (header: string) =>
  NEVER_MAPPED.test(normalizeHeaderName(header)) &&
  !/service|item|plan|membership|campaign|staff|provider|employee|location|center/.test(
    normalizeHeaderName(header),
  );

/** Proposes a mapping of a CSV export onto the canonical file it fits best. */
export function proposeMapping(
  fileName: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): MappingProposal {
  const samples = (index: number) => rows.slice(0, 50).map((r) => r[index] ?? '');
  const candidates = headers.map((h, index) => ({ header: h, index })).filter((c) => !isPersonName(c.header));
  const plan = (spec: CanonicalFileSpec) => {
    const scored = Object.entries(spec.columns).flatMap(([column, def]) =>
      candidates.map((c) => ({
        column,
        header: c.header,
        index: c.index,
        required: def.required,
        score: nameScore(c.header, column) * valueFit(def.kind, samples(c.index)),
      })),
    );
    scored.sort((a, b) => b.score - a.score);
    const taken = new Set<string>();
    const chosen = new Map<string, (typeof scored)[number]>();
    for (const s of scored) {
      if (s.score < 0.3 || chosen.has(s.column) || taken.has(s.header)) continue;
      chosen.set(s.column, s);
      taken.add(s.header);
    }
    // The file it fits is the one whose columns it fills most, less a point per required column it lacks.
    const missing = Object.entries(spec.columns).filter(
      ([column, d]) => d.required && !chosen.has(column),
    ).length;
    const fit = [...chosen.values()].reduce((sum, c) => sum + c.score, 0) - missing;
    return { spec, chosen, fit };
  };
  const plans = CANONICAL_FILES.filter((s) => s.entity !== 'locations').map(plan);
  plans.sort((a, b) => b.fit - a.fit);
  const best = plans[0]!;
  // `mangomint_appointments.csv` → system `mangomint`, report `appointments`.
  const base = fileName.replace(/\.[^.]+$/, '');
  const words = tokens(base);
  const system = (words.length > 1 ? words[0]?.replace(/[^a-z0-9_-]/g, '') : undefined) || 'custom';
  const report = words.length > 1 ? words.slice(1).join(' ') : base;
  const columns: Record<string, string | null> = {};
  const confidence: Record<string, number> = {};
  const values: Record<string, Record<string, string>> = {};
  for (const column of Object.keys(best.spec.columns)) {
    const choice = best.chosen.get(column);
    columns[column] = choice?.header ?? null;
    confidence[column] = Math.round((choice?.score ?? 0) * 100) / 100;
    const proposed = choice ? proposeValues(column, samples(choice.index)) : null;
    if (proposed) values[column] = proposed;
  }
  // A report without a record id (a sales-by-item list) gets one from the file name and row number.
  const recordId = Object.keys(best.spec.columns).find((c) => ROW_ID_COLUMNS.has(c));
  const rowId = recordId !== undefined && columns[recordId] === null ? recordId : undefined;
  if (rowId !== undefined) delete columns[rowId];
  const used = new Set(Object.values(columns));
  return {
    profile: {
      kind: 'caliper.column_mapping',
      version: rowId === undefined ? 1 : 2,
      id: `${system}.${best.spec.entity}`,
      vendor: system,
      report,
      entity: best.spec.entity,
      id_prefix: system,
      columns,
      values,
      ...(rowId === undefined ? {} : { row_id: rowId }),
    },
    confidence,
    unusedHeaders: headers.filter((h) => !used.has(h)),
  };
}

/** Where one canonical column of a mapped row comes from. */
type Source =
  | { kind: 'header'; header: string }
  | { kind: 'constant'; value: string }
  | { kind: 'row_id' }
  | { kind: 'split'; header: string; separator: string | undefined; part: number; parts: number }
  | { kind: 'join'; headers: readonly string[]; separator: string }
  | { kind: 'schedule'; header: string; end: boolean };

function sourcesOf(mapping: MappingProfile): Map<string, Source> {
  const sources = new Map<string, Source>();
  for (const [column, header] of Object.entries(mapping.columns))
    if (header !== null) sources.set(column, { kind: 'header', header });
  for (const [column, value] of Object.entries(mapping.constants ?? {}))
    sources.set(column, { kind: 'constant', value });
  if (mapping.row_id !== undefined) sources.set(mapping.row_id, { kind: 'row_id' });
  for (const split of mapping.split ?? []) {
    for (const [part, column] of split.into.entries())
      if (column !== null)
        sources.set(column, {
          kind: 'split',
          header: split.header,
          separator: split.separator,
          part,
          parts: split.into.length,
        });
  }
  for (const join of mapping.join ?? [])
    sources.set(join.into, { kind: 'join', headers: join.headers, separator: join.separator });
  if (mapping.schedule) {
    sources.set('start_time', { kind: 'schedule', header: mapping.schedule.header, end: false });
    sources.set('end_time', { kind: 'schedule', header: mapping.schedule.header, end: true });
  }
  return sources;
}

function headersOf(source: Source): readonly string[] {
  switch (source.kind) {
    case 'header':
    case 'split':
    case 'schedule':
      return [source.header];
    case 'join':
      return source.headers;
    default:
      return [];
  }
}

/** How an issue names the column a canonical value came from, as the user reads the mapping. */
function describeSource(column: string, source: Source | undefined): string {
  if (source === undefined) return column;
  switch (source.kind) {
    case 'join':
      return source.headers.join(' + ');
    case 'constant':
      return `constants.${column}`;
    case 'row_id':
      return 'row number';
    default:
      return source.header;
  }
}

/** Dimension files whose rows a mapping derives from its ids, as a profile does. */
const DIMENSION_KEYS: Partial<Record<EntityName, readonly string[]>> = {
  services: ['service_code'],
  providers: ['provider_id', 'location_id'],
  patients: ['patient_id'],
};

/** A saved mapping as a vendor profile: detected when its headers are there, converted like a profile. */
export function mappingProfile(mapping: MappingProfile): VendorProfile {
  const spec = CANONICAL_FILES.find((s) => s.entity === mapping.entity)!;
  const sources = sourcesOf(mapping);
  const headers = [...new Set([...sources.values()].flatMap(headersOf))];
  const signature = headers.map(normalizeHeaderName);
  return {
    id: mapping.id,
    vendor: mapping.vendor,
    report: mapping.report,
    format: 'csv',
    signature,
    detect(sample: DetectionSample): number {
      if (sample.format !== 'csv' || signature.length === 0) return 0;
      const present = new Set(sample.headers.map(normalizeHeaderName));
      return signature.filter((h) => present.has(h)).length / signature.length;
    },
    convert: (input, context) => convertMapped(mapping, spec, sources, headers, input, context),
  };
}

function convertMapped(
  mapping: MappingProfile,
  spec: CanonicalFileSpec,
  sources: ReadonlyMap<string, Source>,
  headers: readonly string[],
  input: VendorInput,
  context: ConversionContext,
): ConversionResult {
  const columns = Object.keys(spec.columns);
  const c = new CsvConversion<string>(
    {
      id: mapping.id,
      vendor: mapping.vendor,
      report: mapping.report,
      idPrefix: mapping.id_prefix,
      signature: headers,
      fields: Object.fromEntries(
        columns.map((column) => [column, { aliases: [describeSource(column, sources.get(column))] }]),
      ),
      convert: () => undefined,
    },
    context,
    input,
  );
  if (input.format !== 'csv') {
    c.fileError('wrong_format', 'a column mapping reads CSV files');
    return c.result();
  }
  const normalized = input.headers.map(normalizeHeaderName);
  const index = new Map<string, number>();
  for (const header of headers) {
    const i = normalized.indexOf(normalizeHeaderName(header));
    if (i === -1)
      c.issues.push({
        severity: 'error',
        row: input.headerRow,
        column: header,
        code: 'missing_column',
        message: `column "${header}" of mapping ${mapping.id} is missing from the header`,
      });
    else index.set(header, i);
  }
  for (const column of columns) {
    const def = (spec.columns as Record<string, { required: boolean }>)[column]!;
    if (!def.required || sources.has(column) || column === 'location_id') continue;
    c.issues.push({
      severity: 'error',
      row: null,
      column,
      code: 'missing_column',
      message:
        `mapping ${mapping.id} names no vendor column for the required ${spec.file} column "${column}"` +
        ' (map a header in "columns", or use constants, row_id, split, join or schedule)',
    });
  }
  if (c.issues.length > 0) return c.result();
  // Issues name the vendor header a value came from (or `Date + Time`, `constants.status`).
  c.headers = input.headers;
  for (const [column, source] of sources) {
    const i = source.kind === 'join' ? undefined : headersOf(source)[0];
    if (i !== undefined && index.has(i)) c.columns.set(column, index.get(i)!);
  }
  const cell = (r: { cells: readonly string[] }, header: string) =>
    (r.cells[index.get(header) ?? -1] ?? '').trim();

  const mapped = new Set<CanonicalRecord>();
  for (const r of input.rows) {
    const raw = new Map<string, string>();
    let ok = true;
    for (const [column, source] of sources) {
      const text = resolveSource(c, source, column, r, cell, context.fileName);
      if (text === null) ok = false;
      else raw.set(column, text);
    }
    if (!ok) continue;
    const reader: CsvRowReader<string> = { row: r.row, get: (column) => raw.get(column) ?? '' };
    const values = readRow(c, mapping, spec, sources, reader, context);
    if (values === null) continue;
    c.emit(spec.entity, r.row, values);
    mapped.add(c.records[c.records.length - 1]!);
  }

  // A mapping of a dimension file (a staff list) holds those rows itself: the rows derived from
  // its ids (a providers row per provider name) give way to the file's own.
  const keys = DIMENSION_KEYS[spec.entity];
  if (keys) {
    const keyOf = (record: CanonicalRecord) => keys.map((k) => record.values[k] ?? '').join('\u0000');
    const own = new Set([...mapped].map(keyOf));
    const kept = c.records.filter((r) => mapped.has(r) || r.entity !== spec.entity || !own.has(keyOf(r)));
    c.records.splice(0, c.records.length, ...kept);
  }
  return c.result();
}

/** The text of one canonical column of a row before it is read as its kind; null after reporting a problem. */
function resolveSource(
  c: CsvConversion<string>,
  source: Source,
  column: string,
  r: { row: number; cells: readonly string[] },
  cell: (r: { cells: readonly string[] }, header: string) => string,
  fileName: string,
): string | null {
  switch (source.kind) {
    case 'header':
      return cell(r, source.header);
    case 'constant':
      return source.value;
    case 'row_id':
      // Stable while the file keeps its name and row order: re-ingesting it updates the same rows.
      return `${fileName}#${r.row}`;
    case 'join':
      return source.headers
        .map((h) => cell(r, h))
        .filter((t) => t !== '')
        .join(source.separator);
    case 'split': {
      const text = cell(r, source.header);
      if (text === '') return '';
      if (source.separator === undefined) {
        const at = vendorDateTime(text);
        if (at === null || at === '') {
          if (source.part === 0)
            c.error(r.row, column, 'invalid_datetime', `${quoteValue(text)} is not a date and time to split`);
          return null;
        }
        return source.part === 0 ? at.slice(0, 10) : at.slice(11);
      }
      const parts = text.split(source.separator).map((p) => p.trim());
      if (parts.length !== source.parts) {
        // The cell is not quoted: a split column may hold a name.
        if (source.part === 0)
          c.error(
            r.row,
            column,
            'invalid_value',
            `has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by ${JSON.stringify(source.separator)}; the mapping splits it into ${source.parts}`,
          );
        return null;
      }
      return parts[source.part] ?? '';
    }
    case 'schedule': {
      const text = cell(r, source.header);
      if (text === '') return '';
      const range = vendorTimeRange(text);
      if (range === null) {
        if (!source.end)
          c.error(
            r.row,
            column,
            'invalid_time',
            `${quoteValue(text)} is not a shift interval such as "9:00 AM - 5:00 PM" or "09:00-17:30"`,
          );
        return null;
      }
      return source.end ? range.end : range.start;
    }
  }
}

/** Columns whose values are records of this system, namespaced by the mapping's prefix. */
function readRow(
  c: CsvConversion<string>,
  mapping: MappingProfile,
  spec: CanonicalFileSpec,
  sources: ReadonlyMap<string, Source>,
  r: CsvRowReader<string>,
  context: ConversionContext,
): Record<string, string> | null {
  const defs = spec.columns as Record<string, { kind: string; required: boolean }>;
  const values: Record<string, string> = {};
  let location = '';
  if ('location_id' in defs) {
    if (defs.location_id.required) {
      const found = c.location(r, sources.has('location_id') ? 'location_id' : null);
      if (found === null) return null;
      location = found;
    } else location = context.locationId ?? r.get('location_id');
    values.location_id = location;
  }
  let ok = true;
  const fail = (column: string, code: string, what: string) => {
    c.error(r.row, column, code, `${quoteValue(r.get(column))} ${what}`);
    ok = false;
  };
  for (const [column, def] of Object.entries(defs)) {
    if (column === 'location_id') continue;
    const text = r.get(column);
    if (column === 'home_location_id') {
      values[column] = context.locationId ?? text;
      continue;
    }
    if (text === '') {
      if (def.required) {
        c.error(r.row, column, 'missing_value', `${c.columnName(column)} is empty`);
        ok = false;
      } else if (sources.has(column)) values[column] = '';
      continue;
    }
    switch (def.kind) {
      case 'id':
        if (column === 'provider_id') values[column] = c.provider(r, text, location);
        else if (column === 'service_code') values[column] = c.service(r, text);
        else if (column === 'patient_id') values[column] = c.patient(r, text, location);
        else values[column] = NAMESPACED.has(column) ? c.id(text) : text;
        break;
      case 'date': {
        const v = c.date(r, column, def.required);
        if (v === null) ok = false;
        else values[column] = v;
        break;
      }
      case 'date_or_month': {
        const v = /^\d{4}-\d{2}$/.test(text) ? text : vendorDate(text);
        if (v === null) fail(column, 'invalid_date', 'is not a date or a month');
        else values[column] = v;
        break;
      }
      case 'datetime': {
        const v = c.dateTime(r, column, def.required);
        if (v === null) ok = false;
        else values[column] = v;
        break;
      }
      case 'money': {
        const v = c.money(r, column, def.required);
        if (v === null) ok = false;
        else values[column] = v;
        break;
      }
      case 'count': {
        const minutes = vendorMinutes(text);
        if (minutes === null) fail(column, 'invalid_number', 'is not a whole number');
        else values[column] = String(minutes);
        break;
      }
      case 'hours': {
        const hours = text.replace(/,/g, '');
        if (!/^\d+(?:\.\d+)?$/.test(hours)) fail(column, 'invalid_number', 'is not a number of hours');
        else values[column] = hours;
        break;
      }
      case 'time': {
        const v = vendorTime(text);
        if (v === null) fail(column, 'invalid_time', 'is not a time of day');
        else values[column] = v;
        break;
      }
      case 'enum': {
        const v = enumValue(column, text, mapping.values[column]);
        if (v === null)
          fail(
            column,
            'invalid_value',
            `is not a ${spec.file} ${column}${enumValues(column).length > 0 ? ` (${enumValues(column).join(', ')})` : ''}: add it to "values" in the mapping`,
          );
        else values[column] = v;
        break;
      }
      default:
        values[column] = text;
    }
  }
  if (!ok) return null;
  // A shift that ends at or before it starts is overnight or a typo: it is rejected, not guessed.
  if (
    spec.entity === 'shifts' &&
    values.start_time &&
    values.end_time &&
    values.end_time <= values.start_time
  ) {
    c.error(
      r.row,
      'end_time',
      'inconsistent_row',
      `the shift ends at ${values.end_time.slice(0, 5)}, not after its start at ${values.start_time.slice(0, 5)}` +
        ': overnight shifts are not read (split them at midnight)',
    );
    return null;
  }
  return values;
}

/**
 * A vendor value through the mapping's `values`, else as the canonical value it already is. An
 * unknown status or sale kind is rejected here (the mapping must say what it means); other
 * enumerations (a provider role) are checked by the canonical ingest.
 */
function enumValue(
  column: string,
  text: string,
  valueMap: Record<string, string> | undefined,
): string | null {
  const mapped =
    valueMap?.[text] ??
    Object.entries(valueMap ?? {}).find(([k]) => k.toLowerCase() === text.toLowerCase())?.[1];
  if (mapped !== undefined) return mapped === '' ? null : mapped;
  const allowed = enumValues(column);
  if (allowed.length === 0) return text;
  const lower = text.toLowerCase();
  return allowed.includes(lower) ? lower : null;
}
