import { byStart, type PatientEvent } from '../engine/patientEvents';
import { groupedLists } from './groupedLists';

/**
 * Appointments grouped by person (the pseudonymized identity that matches a patient across
 * systems and locations), each list sorted by start. Built once per MetricContext.
 */
export class PatientIndex {
  /** Every appointment of a person, any status, any location, by start. */
  readonly appointmentsByPerson: ReadonlyMap<string, PatientEvent[]>;
  /** Completed appointments (visits) of a person, by start. */
  readonly visitsByPerson: ReadonlyMap<string, PatientEvent[]>;

  constructor(events: readonly PatientEvent[]) {
    const personOf = (event: PatientEvent) => event.personKey;
    this.appointmentsByPerson = groupedLists(events, personOf);
    this.visitsByPerson = groupedLists(events, personOf, (event) => event.status === 'completed');
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
