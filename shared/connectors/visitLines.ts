import type { AppointmentStatus } from '../model/canonicalBundle';

/*
 * A visit is a patient trip: the service lines of one patient at one location on one day are
 * one visit (metrics.md counts a visit per completed appointment, so an export with one row per
 * service line — Zenoti Appointments — must become one canonical appointment per trip, or a
 * Botox line, its add-on and a $0 consult line would be three visits and the average ticket a
 * third of the real one). This file holds that rule once, for every row-per-service export.
 *
 * The rule:
 * - Lines group by location, patient and local date. Within a day the vendor's visit number
 *   (Zenoti `Invoice No`) separates two trips: each number is its own visit; lines without a
 *   number join the day's one numbered visit, or form one visit when the day has none (with
 *   two or more numbered visits they form a visit of their own, as nothing says which they
 *   belong to).
 * - A main line is a line that is not an add-on and takes time (minutes ≠ 0). A group without a
 *   main line (an add-on or a 0-minute line alone) is not a visit: the caller reports it.
 * - Status: completed when any main line was completed; otherwise the primary line's status
 *   (no_show, late_cancelled, cancelled or scheduled). A cancelled line inside a completed visit
 *   therefore makes no cancelled appointment of its own.
 * - The lines that count are the lines with the visit's status (a completed visit counts its
 *   completed lines, add-ons included; a cancelled line in it adds nothing).
 * - Primary line (service and provider of the visit): among the main lines with the visit's
 *   status, the earliest start; on a tie the longest; on a tie the first in the file.
 * - Start: the earliest start of the lines that count.
 * - Minutes: the minutes covered by the lines that count, each line from its start for its
 *   minutes (the union): back-to-back lines add up, an add-on done during the main service
 *   counts once, and a gap between two lines of the day is not service time.
 */

/** What the primary-line choice reads of a line; `minutes` null = the export does not say. */
export interface LineTiming {
  /** Canonical datetime: local `YYYY-MM-DDTHH:MM:SS`, or with an offset. */
  start: string;
  minutes: number | null;
  addOn?: boolean;
}

export interface ServiceLine extends LineTiming {
  /** The export's row (or record) number; lines are given in file order. */
  row: number;
  location: string;
  patient: string;
  /** The vendor's own number of the trip (Zenoti `Invoice No`), '' when the line has none. */
  visitNumber: string;
  status: AppointmentStatus;
  minutes: number;
}

export interface Visit<L extends ServiceLine> {
  /** Every line of the visit in file order, those that do not count included. */
  lines: L[];
  primary: L;
  status: AppointmentStatus;
  start: string;
  minutes: number;
  /** The visit number its lines carry, '' when none does. */
  visitNumber: string;
}

export interface GroupedLines<L extends ServiceLine> {
  /** In the order of their first line in the file. */
  visits: Visit<L>[];
  /** Groups with no main line (add-on or 0-minute lines alone): not visits. */
  strays: L[][];
}

export function isMainLine(line: LineTiming): boolean {
  return line.addOn !== true && line.minutes !== 0;
}

/** Milliseconds of a canonical datetime; a local one is read as if UTC, which keeps its order. */
function instant(start: string): number {
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(start) ? start : `${start}Z`);
}

/**
 * The line that names the visit's service and provider: the earliest main line, on a tie the
 * longest, on a tie the first given. Undefined when no line is a main line.
 */
export function primaryLine<L extends LineTiming>(lines: readonly L[]): L | undefined {
  let best: L | undefined;
  for (const line of lines) {
    if (!isMainLine(line)) continue;
    if (best === undefined) {
      best = line;
      continue;
    }
    const earlier = instant(line.start) - instant(best.start);
    if (earlier < 0 || (earlier === 0 && (line.minutes ?? 0) > (best.minutes ?? 0))) best = line;
  }
  return best;
}

/** Minutes covered by at least one line (each from its start for its minutes). */
export function coveredMinutes(lines: readonly { start: string; minutes: number }[]): number {
  const spans = lines
    .map((l) => [instant(l.start), instant(l.start) + l.minutes * 60000] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    const start = Math.max(from, end);
    if (to > start) total += to - start;
    end = Math.max(end, to);
  }
  return Math.round(total / 60000);
}

/** One group's visit, or null when the group has no main line. */
export function visitOf<L extends ServiceLine>(lines: L[]): Visit<L> | null {
  const main = lines.filter(isMainLine);
  if (main.length === 0) return null;
  const completed = main.filter((l) => l.status === 'completed');
  const primary = primaryLine(completed.length > 0 ? completed : main)!;
  const counted = lines.filter((l) => l.status === primary.status);
  const start = counted.reduce((a, l) => (instant(l.start) < instant(a) ? l.start : a), primary.start);
  return {
    lines,
    primary,
    status: primary.status,
    start,
    minutes: coveredMinutes(counted),
    visitNumber: lines.find((l) => l.visitNumber !== '')?.visitNumber ?? '',
  };
}

/** Splits the lines of one patient-day into trips by visit number (see the rule above). */
function tripsOfDay<L extends ServiceLine>(day: L[]): L[][] {
  const numbers = [...new Set(day.map((l) => l.visitNumber).filter((n) => n !== ''))];
  if (numbers.length <= 1) return [day];
  const trips = numbers.map((n) => day.filter((l) => l.visitNumber === n));
  const unnumbered = day.filter((l) => l.visitNumber === '');
  return unnumbered.length > 0 ? [...trips, unnumbered] : trips;
}

/** Service lines (in file order) → visits, by the rule at the top of this file. */
export function groupServiceLines<L extends ServiceLine>(lines: readonly L[]): GroupedLines<L> {
  const days = new Map<string, L[]>();
  for (const line of lines) {
    const key = [line.location, line.patient, line.start.slice(0, 10)].join('\u0000');
    const day = days.get(key);
    if (day) day.push(line);
    else days.set(key, [line]);
  }
  const groups = [...days.values()].flatMap(tripsOfDay).sort((a, b) => a[0]!.row - b[0]!.row);
  const result: GroupedLines<L> = { visits: [], strays: [] };
  for (const group of groups) {
    const visit = visitOf(group);
    if (visit) result.visits.push(visit);
    else result.strays.push(group);
  }
  return result;
}
