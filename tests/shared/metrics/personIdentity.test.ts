import { EventRows } from '../../../shared/engine/eventRows';
import type { PatientEvent } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { hashIds, type PatientInfo } from '../../../shared/metrics/metricData';
import { unifyPersons } from '../../../shared/metrics/personIdentity';
import { location, metricData } from '../../support/metricData';

/** The hashes as a load numbers them (the same text, the same number). */
const hashId = hashIds().number;

const patient = (id: string, email: string | null, phone: string | null): PatientInfo => ({
  patient_id: id,
  person_key: email ?? phone ?? `id:${id}`,
  referral_source: null,
  email_id: hashId(email),
  phone_id: hashId(phone),
});

const visit = (personKey: string, locationId: string, startAt: string): PatientEvent => ({
  locationId,
  appointmentId: `${personKey}@${startAt}`,
  personKey,
  patientId: personKey,
  providerId: null,
  category: 'neurotoxin',
  status: 'completed',
  startAt,
  bookedOn: null,
  durationMin: 30,
});

describe('one person across systems', () => {
  it('links a record with email and phone to a record with the phone only, and to a third with the email only', () => {
    const data = metricData([location('L1'), location('L2')], [], {
      first: '2024-01-01',
      last: '2024-12-31',
    });
    data.patients = [
      patient('EMR-1', 'E', 'P'), // the EMR knows both
      patient('POS-9', null, 'P'), // the POS only the phone: key "P"
      patient('L2-5', 'E', null), // a sister location only the email: key "E"
      patient('EMR-2', 'F', null), // someone else
    ];
    data.events = EventRows.from([
      visit('P', 'L2', '2024-03-01T10:00:00'),
      visit('E', 'L1', '2024-01-05T10:00:00'),
      visit('F', 'L1', '2024-02-01T09:00:00'),
    ]);
    data.revenue = RevenueRows.from([
      { locationId: 'L2', personKey: 'P', day: '2024-03-01', netCents: 10000 },
    ]);

    const unified = unifyPersons(data);

    // E, P (and the EMR record carrying both) are one person, named by the smallest key "E".
    expect(unified.patients.map((p) => [p.patient_id, p.person_key])).toEqual([
      ['EMR-1', 'E'],
      ['POS-9', 'E'],
      ['L2-5', 'E'],
      ['EMR-2', 'F'],
    ]);
    expect(unified.events.toArray().map((e) => [e.personKey, e.startAt])).toEqual([
      ['E', '2024-01-05T10:00:00'],
      ['E', '2024-03-01T10:00:00'],
      ['F', '2024-02-01T09:00:00'],
    ]);
    expect(unified.revenue.at(0).personKey).toBe('E');
  });

  it('renames the rows whose person changes, the others as they were, all in person order again', () => {
    const data = metricData([location('L1')], [], { first: '2024-01-01', last: '2024-12-31' });
    data.patients = [patient('EMR-1', 'E', 'P'), patient('POS-9', null, 'P'), patient('EMR-2', 'F', null)];
    const [moved, stays] = [visit('P', 'L1', '2024-01-05T10:00:00'), visit('F', 'L1', '2024-02-01T09:00:00')];
    data.events = EventRows.from([moved, stays]);
    data.revenue = RevenueRows.from([
      { locationId: 'L1', personKey: 'P', day: '2024-01-05', netCents: 100 },
      { locationId: 'L1', personKey: 'F', day: '2024-02-01', netCents: 200 },
    ]);

    const unified = unifyPersons(data);

    // Events are columns, in person order: E's (P's before) first, F's as it was (no appointment ids kept).
    const { appointmentId: _moved, ...movedLoaded } = moved;
    const { appointmentId: _stays, ...staysLoaded } = stays;
    expect(unified.events.toArray()).toEqual([{ ...movedLoaded, personKey: 'E' }, staysLoaded]);
    // Revenue is columns, in person order: E's row (P's before) now comes first, F's as it was.
    expect(unified.revenue.toArray()).toEqual([
      { locationId: 'L1', personKey: 'E', day: '2024-01-05', netCents: 100 },
      { locationId: 'L1', personKey: 'F', day: '2024-02-01', netCents: 200 },
    ]);
    expect(unified.patients[1]?.person_key).toBe('E');
    expect(unified.patients[2]).toBe(data.patients[2]);
  });

  it('names a chain of records by its smallest key, whatever order the records come in', () => {
    // Z shares its phone with M, M its email with B: one person, named by the smallest key "B".
    const records = [
      patient('1', 'Z', 'p1'),
      patient('2', 'M', 'p1'),
      patient('3', 'M', 'p2'),
      patient('4', 'B', 'p2'),
    ];
    for (const order of [
      records,
      [...records].reverse(),
      [records[2]!, records[0]!, records[3]!, records[1]!],
    ]) {
      const data = metricData([location('L1')], [], { first: '2024-01-01', last: '2024-12-31' });
      data.patients = order;
      const unified = unifyPersons(data);
      expect(new Set(unified.patients.map((p) => p.person_key))).toEqual(new Set(['B']));
    }
  });

  it('leaves data whose links rename nobody as it is (each person’s hashes are their own)', () => {
    const data = metricData([location('L1')], [], { first: '2024-01-01', last: '2024-12-31' });
    data.patients = [patient('A', 'E1', 'P1'), patient('B', 'E2', 'P2'), patient('C', null, 'P3')];
    data.events = EventRows.from([visit('E1', 'L1', '2024-01-05T10:00:00')]);
    expect(unifyPersons(data)).toBe(data);
  });

  it('leaves data without any email or phone as it is', () => {
    const data = metricData([location('L1')], [], { first: '2024-01-01', last: '2024-12-31' });
    data.patients = [patient('A', null, null)];
    expect(unifyPersons(data)).toBe(data);
  });
});

describe('hash numbers of one load', () => {
  it('number each distinct hash once and only look up the hashes a lead carries', () => {
    const ids = hashIds();
    expect([ids.number('e1'), ids.number('p1'), ids.number('e1'), ids.number(null)]).toEqual([0, 1, 0, null]);
    // A lead's hash: the patient's number when a patient carries it, else none (and none made).
    expect([ids.known('p1'), ids.known('lead-only'), ids.known(null)]).toEqual([1, null, null]);
    expect(ids.number('e2')).toBe(2);
  });
});
