import { buildPatientRevenue, byStart, type PatientEvent } from '../../../shared/engine/patientEvents';
import type { SaleRow } from '../../../shared/model/canonicalBundle';
import { patientEvent } from '../../support/metricData';

const sale = (overrides: Partial<SaleRow>): SaleRow => ({
  line_id: 'S',
  location_id: 'L1',
  sold_on: '2024-05-01',
  patient_id: null,
  provider_id: null,
  appointment_id: null,
  kind: 'service',
  service_code: null,
  gross: 0,
  discount: null,
  tax: null,
  tip: null,
  ...overrides,
});

describe('patient revenue', () => {
  it('sums net revenue per person and day, excluding gift cards, and finds the patient through the appointment', () => {
    const rows = buildPatientRevenue(
      [
        sale({ line_id: 'a', patient_id: 'P1', gross: 50000, discount: 5000 }),
        sale({ line_id: 'b', patient_id: 'P1', kind: 'retail', gross: 8000, tax: 660 }),
        sale({ line_id: 'c', patient_id: 'P1', kind: 'gift_card', gross: 25000 }),
        // A POS line without a patient, paying for appointment A9 of patient P2.
        sale({ line_id: 'd', appointment_id: 'A9', gross: 30000 }),
        // No patient and no appointment: nobody's revenue.
        sale({ line_id: 'e', gross: 12000 }),
      ],
      new Map([
        ['P1', 'email:p1'],
        ['P2', 'email:p2'],
      ]),
      new Map([['A9', 'P2']]),
    );
    // P1: (500.00 − 50.00) + 80.00 = 530.00; the 250.00 gift card and the 6.60 tax are not revenue.
    expect(rows).toEqual([
      { locationId: 'L1', personKey: 'email:p1', day: '2024-05-01', netCents: 53000 },
      { locationId: 'L1', personKey: 'email:p2', day: '2024-05-01', netCents: 30000 },
    ]);
  });
});

describe('the order of a person’s appointments', () => {
  const appointment = (appointmentId: string, startAt: string): PatientEvent =>
    patientEvent({ appointmentId, personKey: 'p1', patientId: 'P1', startAt });

  it('is by start, then by appointment id in code-unit order (the same on every machine)', () => {
    const sorted = [
      appointment('a-2', '2026-01-05T10:00:00'),
      appointment('B-1', '2026-01-05T10:00:00'),
      appointment('Z-9', '2026-01-05T09:30:00'),
    ].sort(byStart);
    // A locale's order would put "a-2" before "B-1"; code units put upper case first.
    expect(sorted.map((e) => e.appointmentId)).toEqual(['Z-9', 'B-1', 'a-2']);
  });
});
