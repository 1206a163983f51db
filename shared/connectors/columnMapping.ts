import { z } from 'zod';

import {
  APPOINTMENT_STATUSES,
  CANONICAL_FILES,
  type CanonicalFileSpec,
  type EntityName,
  SALE_KINDS,
} from '../model/canonicalBundle';
import { normalizeHeaderName } from './vendorCsv';
import type {
  CanonicalRecord,
  ConversionIssue,
  DetectionSample,
  VendorInput,
  VendorProfile,
} from './vendorProfile';
import { vendorDate, vendorDateTime, vendorMinutes, vendorMoney } from './vendorValues';

/**
 * Saved column mappings for systems without a profile (Mangomint, Vagaro, PatientNow…):
 * `caliper map FILE` proposes one from header names and sample values, the user edits the
 * JSON, and `caliper ingest --mapping FILE` reads exports with it. One mapping reads one
 * report into one canonical file; ids are namespaced like a profile's.
 */

const ENTITIES = CANONICAL_FILES.map((s) => s.entity).filter((e) => e !== 'locations') as [
  EntityName,
  ...EntityName[],
];

export const MappingProfileSchema = z.object({
  kind: z.literal('caliper.column_mapping'),
  version: z.literal(1),
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
});
export type MappingProfile = z.infer<typeof MappingProfileSchema>;

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
    money: (s) => vendorMoney(s) !== null,
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
  const used = new Set(Object.values(columns));
  return {
    profile: {
      kind: 'caliper.column_mapping',
      version: 1,
      id: `${system}.${best.spec.entity}`,
      vendor: system,
      report,
      entity: best.spec.entity,
      id_prefix: system,
      columns,
      values,
    },
    confidence,
    unusedHeaders: headers.filter((h) => !used.has(h)),
  };
}

/** A saved mapping as a vendor profile: detected when its headers are there, converted column by column. */
export function mappingProfile(mapping: MappingProfile): VendorProfile {
  const spec = CANONICAL_FILES.find((s) => s.entity === mapping.entity)!;
  const mapped = Object.entries(mapping.columns).filter((e): e is [string, string] => e[1] !== null);
  return {
    id: mapping.id,
    vendor: mapping.vendor,
    report: mapping.report,
    format: 'csv',
    signature: mapped.map(([, header]) => normalizeHeaderName(header)),
    detect(sample: DetectionSample): number {
      if (sample.format !== 'csv' || mapped.length === 0) return 0;
      const present = new Set(sample.headers.map(normalizeHeaderName));
      return mapped.filter(([, h]) => present.has(normalizeHeaderName(h))).length / mapped.length;
    },
    convert(input: VendorInput, context) {
      const records: CanonicalRecord[] = [];
      const issues: ConversionIssue[] = [];
      if (input.format !== 'csv') {
        issues.push({
          severity: 'error',
          row: null,
          column: null,
          code: 'wrong_format',
          message: 'a column mapping reads CSV files',
        });
        return { records, issues };
      }
      const normalized = input.headers.map(normalizeHeaderName);
      const index = new Map<string, number>();
      for (const [column, header] of mapped) {
        const i = normalized.indexOf(normalizeHeaderName(header));
        if (i === -1) {
          issues.push({
            severity: 'error',
            row: input.headerRow,
            column: header,
            code: 'missing_column',
            message: `column "${header}" of mapping ${mapping.id} is missing from the header`,
          });
        } else index.set(column, i);
      }
      for (const [column, def] of Object.entries(spec.columns)) {
        const fixed = column === 'location_id' && context.locationId !== undefined;
        if (def.required && !index.has(column) && !fixed && !mapped.some(([c]) => c === column)) {
          issues.push({
            severity: 'error',
            row: null,
            column,
            code: 'missing_column',
            message: `mapping ${mapping.id} names no vendor column for the required ${spec.file} column "${column}"`,
          });
        }
      }
      if (issues.length > 0) return { records, issues };
      const prefix = context.idPrefix ?? mapping.id_prefix;
      for (const r of input.rows) {
        const values: Record<string, string> = {};
        let ok = true;
        for (const [column, def] of Object.entries(spec.columns)) {
          const i = index.get(column);
          let text = i === undefined ? '' : (r.cells[i] ?? '').trim();
          if (column === 'location_id' && context.locationId !== undefined) text = context.locationId;
          const converted = convertCell(def.kind, text, mapping.values[column], input.decimalComma);
          if (converted === null) {
            ok = false;
            issues.push({
              severity: 'error',
              row: r.row,
              column: mapping.columns[column] ?? column,
              code: 'invalid_value',
              message: `${JSON.stringify(text.slice(0, 60))} cannot be read as ${spec.file} ${column}${def.kind === 'enum' ? ' (add it to "values" in the mapping)' : ''}`,
            });
            continue;
          }
          values[column] = converted !== '' && NAMESPACED.has(column) ? `${prefix}:${converted}` : converted;
        }
        if (ok) records.push({ entity: spec.entity, sourceRow: r.row, values });
      }
      return { records, issues };
    },
  };
}

function convertCell(
  kind: string,
  text: string,
  valueMap: Record<string, string> | undefined,
  decimalComma: boolean,
): string | null {
  if (text === '') return '';
  switch (kind) {
    case 'date':
      return vendorDate(text);
    case 'date_or_month':
      return /^\d{4}-\d{2}$/.test(text) ? text : vendorDate(text);
    case 'datetime':
      return vendorDateTime(text);
    case 'money':
      return vendorMoney(text, decimalComma);
    case 'count': {
      const minutes = vendorMinutes(text);
      return minutes === null ? null : String(minutes);
    }
    case 'enum': {
      const mapped =
        valueMap?.[text] ??
        Object.entries(valueMap ?? {}).find(([k]) => k.toLowerCase() === text.toLowerCase())?.[1];
      if (mapped !== undefined) return mapped === '' ? null : mapped;
      const lower = text.toLowerCase();
      return ([...APPOINTMENT_STATUSES, ...SALE_KINDS] as readonly string[]).includes(lower) ? lower : text;
    }
    default:
      return text;
  }
}
