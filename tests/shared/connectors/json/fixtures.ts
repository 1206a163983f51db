import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CanonicalRecord, ConversionContext } from '../../../../shared/connectors/vendorProfile';

export const FIXTURE_DIR = join(__dirname, '../../../fixtures/vendors/json');

/** Every JSON vendor fixture, as `<vendor>/<report>` (the `.json` beside its `.expected.json`). */
export const FIXTURES = [
  'mindbody/appointments',
  'mindbody/sales',
  'mindbody/client_contracts',
  'mindbody/timecards',
  'boulevard/appointments',
  'boulevard/memberships',
  'square/orders',
  'square/refunds',
  'square/payments',
  'stripe/charges',
  'stripe/refunds',
  'stripe/balance_transactions',
  'stripe/subscriptions',
  'gusto/payrolls',
  'adp/pay_statements',
  'google_ads/campaign_cost_stream',
  'meta/insights',
] as const;

export interface Expected {
  profile: string;
  context: Omit<ConversionContext, 'fileName'>;
  records: CanonicalRecord[];
  issues: { severity: string; row: number | null; column: string | null; code: string }[];
}

export function readFixture(name: string): { json: unknown; expected: Expected; fileName: string } {
  const fileName = `${name.split('/')[1] ?? name}.json`;
  return {
    fileName,
    json: JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as unknown,
    expected: JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.expected.json`), 'utf8')) as Expected,
  };
}
