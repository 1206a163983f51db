import {
  applyRevenueSources,
  type ConvertedFile,
  dropDuplicatePaymentViews,
} from '../../../shared/connectors/revenueSources';
import type { CanonicalRecord } from '../../../shared/connectors/vendorProfile';

const sale = (line: string, location: string, soldOn: string, gross: string): CanonicalRecord => ({
  entity: 'sales',
  sourceRow: 2,
  values: { line_id: line, location_id: location, sold_on: soldOn, kind: 'service', gross, discount: '' },
});
const service = (code: string): CanonicalRecord => ({
  entity: 'services',
  sourceRow: 2,
  values: { service_code: code, service_name: code, category: 'neurotoxin' },
});
const patient = (id: string): CanonicalRecord => ({
  entity: 'patients',
  sourceRow: 2,
  values: { patient_id: id },
});

describe('applyRevenueSources', () => {
  const emr: ConvertedFile = {
    displayPath: 'zenoti_sales.csv',
    profileId: 'zenoti.employee_sales',
    records: [service('zenoti:btx'), sale('z1', 'L1', '2025-03-02', '500.00')],
  };
  const pos: ConvertedFile = {
    displayPath: 'square_items.csv',
    profileId: 'square.items',
    records: [service('square:btx'), patient('square:c1'), sale('s1', 'L1', '2025-03-02', '500.00')],
  };

  it("keeps the EMR's lines, and drops the POS's lines with the services and patients made only for them", () => {
    const { files, reconciliation, warnings } = applyRevenueSources([emr, pos]);
    expect(files[0]?.records).toEqual(emr.records);
    expect(files[1]?.records).toEqual([]);
    // 500.00 on both sides: reconciled to the cent, nothing flagged.
    expect(reconciliation.map((r) => [r.month, r.revenueCents, r.comparedCents, r.flagged])).toEqual([
      ['2025-03', 50000, 50000, false],
    ]);
    expect(warnings).toEqual([]);
  });

  it('leaves a location with one sales system untouched', () => {
    const { files, reconciliation } = applyRevenueSources([pos]);
    expect(files[0]?.records).toEqual(pos.records);
    expect(reconciliation).toEqual([]);
  });
});

describe('dropDuplicatePaymentViews', () => {
  it('does not count Square payments of a location whose Square orders are in the same ingest', () => {
    const orders: ConvertedFile = {
      displayPath: 'orders.json',
      profileId: 'square.orders',
      records: [sale('o1/1', 'L1', '2025-03-02', '100.00')],
    };
    const payments: ConvertedFile = {
      displayPath: 'payments.json',
      profileId: 'square.payments',
      records: [sale('p1', 'L1', '2025-03-02', '100.00'), sale('p2', 'L2', '2025-03-02', '80.00')],
    };
    const { files, warnings } = dropDuplicatePaymentViews([orders, payments]);
    expect(files[1]?.records.map((r) => r.values.line_id)).toEqual(['p2']);
    expect(warnings).toEqual([
      expect.objectContaining({ file: 'payments.json', code: 'duplicate_payment_view', severity: 'warning' }),
    ]);
    expect(warnings[0]?.message).toMatch(/^1 Square payments/);
  });
});
