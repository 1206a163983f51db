import type { PatientEvent } from '../engine/patientEvents';

/**
 * Appointments grouped by person (the pseudonymized identity that matches a patient across
 * systems and locations), each list sorted by start. Built once per MetricContext.
 */
export class PatientIndex {
  /** Every appointment of a person, any status, any location, by start. */
  readonly appointmentsByPerson = new Map<string, PatientEvent[]>();
  /** Completed appointments (visits) of a person, by start. */
  readonly visitsByPerson = new Map<string, PatientEvent[]>();

  constructor(events: readonly PatientEvent[]) {
    for (const event of events) {
      push(this.appointmentsByPerson, event.personKey, event);
      if (event.status === 'completed') push(this.visitsByPerson, event.personKey, event);
    }
    const byStart = (a: PatientEvent, b: PatientEvent) =>
      a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : a.appointmentId < b.appointmentId ? -1 : 1;
    for (const list of this.appointmentsByPerson.values()) list.sort(byStart);
    for (const list of this.visitsByPerson.values()) list.sort(byStart);
  }

  /** The person's first visit anywhere in the portfolio (metrics.md: "new patient"). */
  firstVisit(personKey: string): PatientEvent | undefined {
    return this.visitsByPerson.get(personKey)?.[0];
  }

  /** Every visit of every person, in no particular order. */
  *visits(): Generator<PatientEvent> {
    for (const list of this.visitsByPerson.values()) yield* list;
  }
}

function push(map: Map<string, PatientEvent[]>, key: string, event: PatientEvent): void {
  const list = map.get(key);
  if (list) list.push(event);
  else map.set(key, [event]);
}
