import { z } from 'zod';

import { type CellProblemCode, cells, type ColumnSpec } from './cellTypes';

/**
 * The canonical bundle (../shared/docs/canonical-bundle.md) as data: one spec per file with
 * its columns, their kinds, which are required, the natural key that identifies a row across
 * re-ingests, and the checks that span several columns. The reader, the store schema and the
 * docs are all driven from these specs so they cannot drift apart.
 */

export const SERVICE_CATEGORIES = [
  'neurotoxin',
  'filler',
  'laser',
  'energy_device',
  'body_contouring',
  'skin_treatment',
  'facial',
  'consultation',
  'other_service',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const APPOINTMENT_STATUSES = [
  'completed',
  'no_show',
  'late_cancelled',
  'cancelled',
  'scheduled',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const SALE_KINDS = ['service', 'package', 'retail', 'membership_fee', 'gift_card', 'other'] as const;
export type SaleKind = (typeof SALE_KINDS)[number];

export const PROVIDER_ROLES = ['md', 'np', 'pa', 'rn', 'aesthetician', 'other'] as const;
export type ProviderRole = (typeof PROVIDER_ROLES)[number];

export type Columns = Record<string, ColumnSpec<unknown>>;

/** The typed row a file's columns produce (null = empty cell = unknown). */
export type RowOf<C extends Columns> = {
  [K in keyof C]: C[K] extends ColumnSpec<infer T, infer R> ? (R extends true ? T : T | null) : never;
};

export interface RowProblem {
  column: string;
  code: CellProblemCode;
  message: string;
}

export interface FileSpec<C extends Columns = Columns, F extends string = string> {
  file: F;
  entity: string;
  columns: C;
  naturalKey: readonly (keyof C & string)[];
  /** Checks across columns of one row (e.g. an end before its start). */
  check: (row: RowOf<C>) => RowProblem[];
  /**
   * Reads a row's raw cells (by column name) with each column's rule, in column order: the
   * typed row, or every cell's problem. The ingest's hot loop: plain calls, no schema walk.
   */
  readCells: (raw: Readonly<Record<string, string | undefined>>) => RowOf<C> | RowProblem[];
  schema: z.ZodType<RowOf<C>, Record<string, string | undefined>>;
}

function defineFile<C extends Columns, F extends string>(
  spec: Omit<FileSpec<C, F>, 'schema' | 'readCells'>,
): FileSpec<C, F> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, column] of Object.entries(spec.columns)) shape[name] = column.schema;
  const columns = Object.entries(spec.columns);
  const readCells = (raw: Readonly<Record<string, string | undefined>>): RowOf<C> | RowProblem[] => {
    const row: Record<string, unknown> = {};
    let problems: RowProblem[] | null = null;
    for (const [name, column] of columns) {
      const cell = column.read(raw[name]);
      if (cell.ok) row[name] = cell.value;
      else (problems ??= []).push({ column: name, code: cell.code, message: cell.message });
    }
    return problems ?? (row as RowOf<C>);
  };
  return { ...spec, readCells, schema: z.object(shape) as unknown as FileSpec<C, F>['schema'] };
}

function notBefore(
  later: string | null,
  earlier: string | null,
  column: string,
  what: string,
  earlierColumn: string,
): RowProblem[] {
  return later !== null && earlier !== null && later < earlier
    ? [
        {
          column,
          code: 'inconsistent_row',
          message: `${what} ${later} is before ${earlierColumn} ${earlier}`,
        },
      ]
    : [];
}

const noChecks = (): RowProblem[] => [];

export const locationsFile = defineFile({
  file: 'locations.csv',
  entity: 'locations',
  columns: {
    location_id: cells.id(true),
    name: cells.text(true),
    region: cells.text(),
    timezone: cells.timezone(),
    // Unknown for a location first seen in an export: same-store and age cohorts then leave it out, saying why.
    opened_on: cells.date(),
    closed_on: cells.date(),
    acquired_on: cells.date(),
    emr_system: cells.text(),
    rooms: cells.count(),
  },
  naturalKey: ['location_id'],
  check: (r) => notBefore(r.closed_on, r.opened_on, 'closed_on', 'closed_on', 'opened_on'),
});

export const providersFile = defineFile({
  file: 'providers.csv',
  entity: 'providers',
  columns: {
    provider_id: cells.id(true),
    location_id: cells.id(true),
    display_name: cells.text(true),
    role: cells.oneOf(PROVIDER_ROLES),
    payroll_employee_id: cells.id(),
    started_on: cells.date(),
    ended_on: cells.date(),
  },
  // One row per provider and location: a provider who works at two locations has two rows.
  naturalKey: ['provider_id', 'location_id'],
  check: (r) => notBefore(r.ended_on, r.started_on, 'ended_on', 'ended_on', 'started_on'),
});

export const servicesFile = defineFile({
  file: 'services.csv',
  entity: 'services',
  columns: {
    service_code: cells.id(true),
    service_name: cells.text(true),
    category: cells.oneOf(SERVICE_CATEGORIES, true),
    default_duration_min: cells.count(),
  },
  naturalKey: ['service_code'],
  check: noChecks,
});

export const patientsFile = defineFile({
  file: 'patients.csv',
  entity: 'patients',
  columns: {
    patient_id: cells.id(true),
    home_location_id: cells.id(),
    email: cells.email(),
    phone: cells.phone(),
    referral_source: cells.text(),
    created_on: cells.date(),
  },
  naturalKey: ['patient_id'],
  check: noChecks,
});

export const appointmentsFile = defineFile({
  file: 'appointments.csv',
  entity: 'appointments',
  columns: {
    appointment_id: cells.id(true),
    location_id: cells.id(true),
    patient_id: cells.id(true),
    provider_id: cells.id(),
    service_code: cells.id(true),
    booked_at: cells.datetime(),
    start_at: cells.datetime(true),
    duration_min: cells.count(true),
    status: cells.oneOf(APPOINTMENT_STATUSES, true),
  },
  naturalKey: ['appointment_id'],
  check: noChecks,
});

export const salesFile = defineFile({
  file: 'sales.csv',
  entity: 'sales',
  columns: {
    line_id: cells.id(true),
    location_id: cells.id(true),
    sold_on: cells.date(true),
    patient_id: cells.id(),
    provider_id: cells.id(),
    appointment_id: cells.id(),
    kind: cells.oneOf(SALE_KINDS, true),
    service_code: cells.id(),
    gross: cells.money(true),
    discount: cells.money(),
    tax: cells.money(),
    tip: cells.money(),
  },
  naturalKey: ['line_id'],
  check: noChecks,
});

export const payrollFile = defineFile({
  file: 'payroll.csv',
  entity: 'payroll',
  columns: {
    payroll_line_id: cells.id(true),
    payroll_employee_id: cells.id(true),
    location_id: cells.id(),
    period_start: cells.date(true),
    period_end: cells.date(true),
    pay_date: cells.date(),
    hours: cells.hours(),
    wages: cells.money(),
    commission: cells.money(),
    bonus: cells.money(),
    employer_taxes_benefits: cells.money(),
  },
  naturalKey: ['payroll_line_id'],
  check: (r) => notBefore(r.period_end, r.period_start, 'period_end', 'period_end', 'period_start'),
});

export const shiftsFile = defineFile({
  file: 'shifts.csv',
  entity: 'shifts',
  columns: {
    provider_id: cells.id(true),
    location_id: cells.id(true),
    date: cells.date(true),
    start_time: cells.time(true),
    end_time: cells.time(true),
  },
  naturalKey: ['provider_id', 'location_id', 'date', 'start_time'],
  check: (r) =>
    r.end_time <= r.start_time
      ? [
          {
            column: 'end_time',
            code: 'inconsistent_row',
            message: `end_time ${r.end_time} is not after start_time ${r.start_time}`,
          },
        ]
      : [],
});

export const membershipsFile = defineFile({
  file: 'memberships.csv',
  entity: 'memberships',
  columns: {
    membership_id: cells.id(true),
    patient_id: cells.id(true),
    location_id: cells.id(true),
    plan: cells.text(),
    monthly_fee: cells.money(true),
    started_on: cells.date(true),
    cancelled_on: cells.date(),
  },
  naturalKey: ['membership_id'],
  check: (r) => [
    ...notBefore(r.cancelled_on, r.started_on, 'cancelled_on', 'cancelled_on', 'started_on'),
    ...(r.monthly_fee < 0
      ? [{ column: 'monthly_fee', code: 'invalid_money' as const, message: 'monthly_fee is negative' }]
      : []),
  ],
});

export const marketingSpendFile = defineFile({
  file: 'marketing_spend.csv',
  entity: 'marketing_spend',
  columns: {
    location_id: cells.id(true),
    channel: cells.text(true),
    date: cells.dateOrMonth(true),
    spend: cells.money(true),
  },
  naturalKey: ['location_id', 'channel', 'date'],
  check: noChecks,
});

export const leadsFile = defineFile({
  file: 'leads.csv',
  entity: 'leads',
  columns: {
    lead_id: cells.id(true),
    location_id: cells.id(true),
    channel: cells.text(true),
    created_at: cells.datetime(true),
    email: cells.email(),
    phone: cells.phone(),
  },
  naturalKey: ['lead_id'],
  check: noChecks,
});

/**
 * Every canonical file, in the order a bundle is ingested: what others refer to
 * (locations, services, providers, patients) comes first.
 */
export const CANONICAL_FILES = [
  locationsFile,
  servicesFile,
  providersFile,
  patientsFile,
  appointmentsFile,
  salesFile,
  payrollFile,
  shiftsFile,
  membershipsFile,
  marketingSpendFile,
  leadsFile,
] as const;

export type CanonicalFileSpec = (typeof CANONICAL_FILES)[number];
export type EntityName = CanonicalFileSpec['entity'];
/** `locations.csv`, `sales.csv`, …: the name of each canonical file. */
export type CanonicalFileName = CanonicalFileSpec['file'];

export type LocationRow = RowOf<typeof locationsFile.columns>;
export type ProviderRow = RowOf<typeof providersFile.columns>;
export type ServiceRow = RowOf<typeof servicesFile.columns>;
export type PatientRow = RowOf<typeof patientsFile.columns>;
export type AppointmentRow = RowOf<typeof appointmentsFile.columns>;
export type SaleRow = RowOf<typeof salesFile.columns>;
export type PayrollRow = RowOf<typeof payrollFile.columns>;
export type ShiftRow = RowOf<typeof shiftsFile.columns>;
export type MembershipRow = RowOf<typeof membershipsFile.columns>;
export type MarketingSpendRow = RowOf<typeof marketingSpendFile.columns>;
export type LeadRow = RowOf<typeof leadsFile.columns>;

/** A file spec seen through its generic shape, for code that handles every file alike. */
export type AnyFileSpec = FileSpec<Columns>;

/** The columns of a file that name a location: `location_id`, and `home_location_id` of patients. */
export function locationColumnsOf(spec: AnyFileSpec): string[] {
  return Object.keys(spec.columns).filter((c) => c === 'location_id' || c.endsWith('_location_id'));
}

export function fileSpecByName(fileName: string): AnyFileSpec | undefined {
  const lower = fileName.toLowerCase();
  return CANONICAL_FILES.find((spec) => spec.file === lower) as AnyFileSpec | undefined;
}
