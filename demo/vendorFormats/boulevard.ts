import { toLocalWallTime } from '../../shared/ingest/localTime';
import { type CanonicalRow, cell } from './canonicalRows';
import { cents } from './exportText';
import type { EmrExport, LocationData } from './locationData';
import { stableUuid } from './vendorIds';

/*
 * A location's Boulevard GraphQL answers (appointments, memberships) in the shape
 * tests/fixtures/vendors/json/boulevard holds: `{data: {appointments: {edges: [{node}]}}}`,
 * URN ids, UTC instants (`2025-01-02T15:30:00.000Z`, which the ingest turns back into the
 * location's wall-clock time), money in cents. Boulevard has no sales profile, so the
 * location's sales stay canonical (sales.csv with Boulevard's ids).
 */

/**
 * `2025-01-02T09:30:00` at `America/Chicago` → `2025-01-02T15:30:00.000Z`: the instant whose
 * wall-clock time in the zone is the given one (the zone's offset is looked up at that instant,
 * so daylight saving time is honoured).
 */
export function utcInstant(localDateTime: string, timeZone: string): string {
  const wall = Date.parse(`${localDateTime}Z`);
  const wallClockMs = (instantMs: number) =>
    Date.parse(`${toLocalWallTime(new Date(instantMs).toISOString(), timeZone)}Z`);
  let instant = wall - (wallClockMs(wall) - wall);
  instant = wall - (wallClockMs(instant) - instant);
  return new Date(instant).toISOString();
}

const urn = (type: string, canonicalId: string) => `urn:blvd:${type}:${stableUuid(`${type}:${canonicalId}`)}`;

export function boulevardProviderId(canonicalProviderId: string): string {
  return `boulevard:${urn('Staff', canonicalProviderId)}`;
}

const CANCEL_REASON: Record<string, string> = {
  cancelled: 'CLIENT_CANCEL',
  late_cancelled: 'CLIENT_LATE_CANCEL',
  no_show: 'NO_SHOW',
};

export function renderBoulevard(location: LocationData): EmrExport {
  const { rows } = location;
  const timeZone = cell(rows['locations.csv'][0] ?? {}, 'timezone') || 'UTC';
  const services = new Map(rows['services.csv'].map((s) => [cell(s, 'service_code'), s]));
  const at = (local: string) => utcInstant(local, timeZone);

  const appointments = rows['appointments.csv'].map((a) => {
    const status = cell(a, 'status');
    const start = cell(a, 'start_at');
    const duration = Number(cell(a, 'duration_min'));
    const end = new Date(Date.parse(at(start)) + duration * 60000).toISOString();
    const service = services.get(cell(a, 'service_code')) ?? {};
    const reason = CANCEL_REASON[status];
    const provider = cell(a, 'provider_id');
    return {
      cursor: Buffer.from(cell(a, 'appointment_id')).toString('base64'),
      node: {
        id: urn('Appointment', cell(a, 'appointment_id')),
        startAt: at(start),
        endAt: end,
        duration,
        createdAt: cell(a, 'booked_at') === '' ? null : at(cell(a, 'booked_at')),
        state: reason ? 'CANCELLED' : status === 'completed' ? 'FINAL' : 'BOOKED',
        cancelled: reason !== undefined,
        // When it was cancelled is not a canonical fact; the reason says late or not.
        cancellation: reason ? { cancelledAt: null, reason } : null,
        clientId: urn('Client', cell(a, 'patient_id')),
        locationId: urn('Location', location.locationId),
        appointmentServices: [
          {
            id: urn('AppointmentService', cell(a, 'appointment_id')),
            serviceId: urn('Service', cell(a, 'service_code')),
            staffId: provider === '' ? null : urn('Staff', provider),
            price: null,
            startAt: at(start),
            duration,
            service: {
              id: urn('Service', cell(a, 'service_code')),
              name: cell(service, 'service_name'),
              category: { name: cell(service, 'category') },
            },
          },
        ],
      },
    };
  });

  const memberships = rows['memberships.csv'].map((m) => ({
    id: urn('Membership', cell(m, 'membership_id')),
    clientId: urn('Client', cell(m, 'patient_id')),
    name: cell(m, 'plan'),
    interval: 'P1M',
    startOn: cell(m, 'started_on'),
    endOn: cell(m, 'cancelled_on') === '' ? null : cell(m, 'cancelled_on'),
    status: cell(m, 'cancelled_on') === '' ? 'ACTIVE' : 'CANCELLED',
    unitPrice: cents(cell(m, 'monthly_fee')),
    vouchers: [],
  }));

  const ids = {
    patient: (id: string) => `boulevard:${urn('Client', id)}`,
    provider: boulevardProviderId,
    service: (code: string) => `boulevard:${urn('Service', code)}`,
  };
  const appointmentId = (id: string) => `boulevard:${urn('Appointment', id)}`;
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;
  return {
    system: 'Boulevard',
    files: [
      {
        path: `${location.folder}/boulevard_appointments.json`,
        text: json({
          data: { appointments: { pageInfo: { hasNextPage: false, endCursor: null }, edges: appointments } },
        }),
      },
      { path: `${location.folder}/boulevard_memberships.json`, text: json(memberships) },
    ],
    exportsSales: false,
    ids,
    providerIdsByName: [],
    // Appointments name their services; clients and staff appear as ids only.
    derives: ['services.csv'],
    canonicalRest: {
      'sales.csv': rows['sales.csv'].map((s): CanonicalRow => ({
        ...s,
        patient_id: cell(s, 'patient_id') === '' ? '' : ids.patient(cell(s, 'patient_id')),
        provider_id: cell(s, 'provider_id') === '' ? '' : ids.provider(cell(s, 'provider_id')),
        service_code: cell(s, 'service_code') === '' ? '' : ids.service(cell(s, 'service_code')),
        appointment_id: cell(s, 'appointment_id') === '' ? '' : appointmentId(cell(s, 'appointment_id')),
      })),
    },
  };
}
