/**
 * The canonical bundle as the demo writes it: one header per file, in the column order of
 * docs canonical-bundle.md, and a sink that receives rows already formatted as cell text.
 */

export type CanonicalFileName =
  | 'locations.csv'
  | 'providers.csv'
  | 'services.csv'
  | 'patients.csv'
  | 'appointments.csv'
  | 'sales.csv'
  | 'payroll.csv'
  | 'shifts.csv'
  | 'memberships.csv'
  | 'marketing_spend.csv'
  | 'leads.csv';

export const DEMO_COLUMNS: Record<CanonicalFileName, readonly string[]> = {
  'locations.csv': [
    'location_id',
    'name',
    'region',
    'timezone',
    'opened_on',
    'closed_on',
    'acquired_on',
    'emr_system',
    'rooms',
  ],
  'providers.csv': [
    'provider_id',
    'location_id',
    'display_name',
    'role',
    'payroll_employee_id',
    'started_on',
    'ended_on',
  ],
  'services.csv': ['service_code', 'service_name', 'category', 'default_duration_min'],
  'patients.csv': ['patient_id', 'home_location_id', 'email', 'phone', 'referral_source', 'created_on'],
  'appointments.csv': [
    'appointment_id',
    'location_id',
    'patient_id',
    'provider_id',
    'service_code',
    'booked_at',
    'start_at',
    'duration_min',
    'status',
  ],
  'sales.csv': [
    'line_id',
    'location_id',
    'sold_on',
    'patient_id',
    'provider_id',
    'appointment_id',
    'kind',
    'service_code',
    'gross',
    'discount',
    'tax',
    'tip',
  ],
  'payroll.csv': [
    'payroll_line_id',
    'payroll_employee_id',
    'location_id',
    'period_start',
    'period_end',
    'pay_date',
    'hours',
    'wages',
    'commission',
    'bonus',
    'employer_taxes_benefits',
  ],
  'shifts.csv': ['provider_id', 'location_id', 'date', 'start_time', 'end_time'],
  'memberships.csv': [
    'membership_id',
    'patient_id',
    'location_id',
    'plan',
    'monthly_fee',
    'started_on',
    'cancelled_on',
  ],
  'marketing_spend.csv': ['location_id', 'channel', 'date', 'spend'],
  'leads.csv': ['lead_id', 'location_id', 'channel', 'created_at', 'email', 'phone'],
};

/** Files in the order a bundle lists them. */
export const CANONICAL_FILES = Object.keys(DEMO_COLUMNS) as CanonicalFileName[];

/** Receives one row at a time; values are canonical cell text in DEMO_COLUMNS order. */
export interface BundleSink {
  row(file: CanonicalFileName, values: readonly string[]): void;
}
