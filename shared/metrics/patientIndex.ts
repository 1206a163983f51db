import { byPersonThenStart, type PatientEvent } from '../engine/patientEvents';

/**
 * Appointments grouped by person (the pseudonymized identity that matches a patient across
 * systems and locations), each person's sorted by start. Built once per MetricContext, as runs
 * of two lists in person order — every appointment, and the completed ones (visits) — with where
 * each person's run starts: no list per person (900 k persons at 200 locations held 1.8 M lists
 * and two maps of them).
 */
export class PatientIndex {
  /** Person key → its number: the person's runs are [starts[n], starts[n + 1]). */
  private readonly numberOf = new Map<string, number>();
  private readonly appointments: readonly PatientEvent[];
  private readonly visits: PatientEvent[] = [];
  private readonly appointmentStarts: Int32Array;
  private readonly visitStarts: Int32Array;

  constructor(events: readonly PatientEvent[]) {
    // The loaded events come in this order; hand-made ones are put in it (a stable sort).
    let ordered = true;
    for (let i = 1; i < events.length && ordered; i += 1) ordered = byPersonThenStart(events[i - 1]!, events[i]!) <= 0;
    this.appointments = ordered ? events : [...events].sort(byPersonThenStart);
    const appointmentStarts: number[] = [];
    const visitStarts: number[] = [];
    let person: string | undefined;
    this.appointments.forEach((event, i) => {
      if (event.personKey !== person) {
        person = event.personKey;
        this.numberOf.set(person, appointmentStarts.length);
        appointmentStarts.push(i);
        visitStarts.push(this.visits.length);
      }
      if (event.status === 'completed') this.visits.push(event);
    });
    appointmentStarts.push(this.appointments.length);
    visitStarts.push(this.visits.length);
    this.appointmentStarts = Int32Array.from(appointmentStarts);
    this.visitStarts = Int32Array.from(visitStarts);
  }

  /** Every appointment of a person, any status, any location, by start. */
  appointmentsOf(personKey: string): readonly PatientEvent[] {
    const n = this.numberOf.get(personKey);
    return n === undefined ? [] : this.appointments.slice(this.appointmentStarts[n], this.appointmentStarts[n + 1]);
  }

  /** Completed appointments (visits) of a person, by start. */
  visitsOf(personKey: string): readonly PatientEvent[] {
    const n = this.numberOf.get(personKey);
    return n === undefined ? [] : this.visits.slice(this.visitStarts[n], this.visitStarts[n + 1]);
  }

  /** The person's first visit anywhere in the portfolio (metrics.md: "new patient"). */
  firstVisit(personKey: string): PatientEvent | undefined {
    const n = this.numberOf.get(personKey);
    return n === undefined || this.visitStarts[n] === this.visitStarts[n + 1]
      ? undefined
      : this.visits[this.visitStarts[n]!];
  }

  /** Each person's first visit, in person order (persons without a visit have none). */
  firstVisits(): PatientEvent[] {
    const firsts: PatientEvent[] = [];
    for (let n = 0; n + 1 < this.visitStarts.length; n += 1) {
      if (this.visitStarts[n] !== this.visitStarts[n + 1]) firsts.push(this.visits[this.visitStarts[n]!]!);
    }
    return firsts;
  }

  /** Each person's appointments (as `appointmentsOf`), a person at a time. */
  *appointmentsByPerson(): Generator<readonly PatientEvent[]> {
    for (let n = 0; n + 1 < this.appointmentStarts.length; n += 1) {
      yield this.appointments.slice(this.appointmentStarts[n], this.appointmentStarts[n + 1]);
    }
  }
}
