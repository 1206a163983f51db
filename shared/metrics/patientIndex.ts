import type { EventRows } from '../engine/eventRows';

/**
 * Appointments grouped by person (the pseudonymized identity that matches a patient across
 * systems and locations), each person's sorted by start: the metric data's events are in that
 * order already, so a person's appointments are one run of its rows (`EventRows.runStart`), and
 * its visits (completed appointments) one stretch of a list of visit rows kept here. Built once
 * per MetricContext; no list is kept per person (900 k persons at 200 locations).
 */
export class PatientIndex {
  /** The completed events' rows, in the events' order. */
  private readonly visits: Int32Array;
  /** Person number → where its visits start in `visits` (the last entry: their count). */
  private readonly visitStarts: Int32Array;

  constructor(private readonly events: EventRows) {
    const persons = events.personKeys.length;
    let count = 0;
    for (let i = 0; i < events.length; i += 1) if (events.isCompleted(i)) count += 1;
    this.visits = new Int32Array(count);
    this.visitStarts = new Int32Array(persons + 1);
    let at = 0;
    for (let p = 0; p < persons; p += 1) {
      this.visitStarts[p] = at;
      for (let i = events.runStart(p); i < events.runStart(p + 1); i += 1)
        if (events.isCompleted(i)) this.visits[at++] = i;
    }
    this.visitStarts[persons] = at;
  }

  /** Every appointment of a person, any status, any location, by start: rows `start` … `end − 1`. */
  appointmentsOf(personKey: string): { start: number; end: number } {
    const p = this.events.personNumber(personKey);
    return p < 0
      ? { start: 0, end: 0 }
      : { start: this.events.runStart(p), end: this.events.runStart(p + 1) };
  }

  /** Completed appointments (visits) of a person, by start: their rows (a view, not a copy). */
  visitsOf(personKey: string): Int32Array {
    const p = this.events.personNumber(personKey);
    return p < 0 ? NO_ROWS : this.visitsOfPerson(p);
  }

  /** As `visitsOf`, for the person number of the events (`events.person[row]`): no look-up of the key. */
  visitsOfPerson(p: number): Int32Array {
    return this.visits.subarray(this.visitStarts[p], this.visitStarts[p + 1]);
  }

  /** The row of the person's first visit anywhere in the portfolio (metrics.md: "new patient"), or -1. */
  firstVisit(personKey: string): number {
    const p = this.events.personNumber(personKey);
    return p < 0 || this.visitStarts[p] === this.visitStarts[p + 1] ? -1 : this.visits[this.visitStarts[p]!]!;
  }

  /** Every visit's row, in the events' order (by person, then start). */
  allVisits(): Int32Array {
    return this.visits;
  }

  /** Each person's first visit (its row), in person order (persons without a visit have none). */
  firstVisits(): Int32Array {
    const firsts: number[] = [];
    for (let p = 0; p + 1 < this.visitStarts.length; p += 1) {
      if (this.visitStarts[p] !== this.visitStarts[p + 1]) firsts.push(this.visits[this.visitStarts[p]!]!);
    }
    return Int32Array.from(firsts);
  }
}

const NO_ROWS = new Int32Array(0);
