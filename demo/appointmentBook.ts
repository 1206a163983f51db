import { type ProviderPlan, shiftOn } from './staffing';

/**
 * One location's schedule: every provider's shift per day and which 15-minute slots are
 * taken. Appointments are only ever placed inside a shift and on free slots, so no provider is
 * double-booked (a cancelled appointment gives its slots back on the day it is cancelled).
 */

export const SLOT_MINUTES = 15;
const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;

export class AppointmentBook {
  readonly providerCount: number;
  private readonly shiftStarts: Int16Array;
  private readonly shiftEnds: Int16Array;
  private readonly busy: Uint8Array;

  constructor(
    readonly firstDay: number,
    readonly lastDay: number,
    providers: readonly ProviderPlan[],
    holidays: ReadonlySet<number>,
  ) {
    const days = lastDay - firstDay + 1;
    this.providerCount = providers.length;
    this.shiftStarts = new Int16Array(days * providers.length).fill(-1);
    this.shiftEnds = new Int16Array(days * providers.length).fill(-1);
    this.busy = new Uint8Array(days * providers.length * SLOTS_PER_DAY);
    for (let offset = 0; offset < days; offset++) {
      providers.forEach((provider, p) => {
        const shift = shiftOn(provider, firstDay + offset, holidays);
        if (shift) {
          this.shiftStarts[offset * providers.length + p] = shift[0];
          this.shiftEnds[offset * providers.length + p] = shift[1];
        }
      });
    }
  }

  /** Shift start minute of provider p on day, or -1 when not working. */
  shiftStart(day: number, p: number): number {
    if (day < this.firstDay || day > this.lastDay) return -1;
    return this.shiftStarts[(day - this.firstDay) * this.providerCount + p]!;
  }

  shiftEnd(day: number, p: number): number {
    if (day < this.firstDay || day > this.lastDay) return -1;
    return this.shiftEnds[(day - this.firstDay) * this.providerCount + p]!;
  }

  /** Minutes provider p is on shift on day (0 when off). */
  shiftMinutes(day: number, p: number): number {
    const start = this.shiftStart(day, p);
    return start < 0 ? 0 : this.shiftEnd(day, p) - start;
  }

  /**
   * A free start minute for `durationMin` in provider p's shift on day, searching outward from
   * the patient's preferred time, or -1. Nothing is reserved.
   */
  findSlot(day: number, p: number, durationMin: number, preferredMinute: number): number {
    const start = this.shiftStart(day, p);
    if (start < 0) return -1;
    const end = this.shiftEnd(day, p);
    const length = durationMin / SLOT_MINUTES;
    const first = start / SLOT_MINUTES;
    const last = end / SLOT_MINUTES - length;
    if (last < first) return -1;
    const base = ((day - this.firstDay) * this.providerCount + p) * SLOTS_PER_DAY;
    const wanted = Math.min(last, Math.max(first, Math.round(preferredMinute / SLOT_MINUTES)));
    for (let distance = 0; distance <= last - first; distance++) {
      const later = wanted + distance;
      if (later <= last && this.isFree(base + later, length)) return later * SLOT_MINUTES;
      const earlier = wanted - distance;
      if (distance > 0 && earlier >= first && this.isFree(base + earlier, length))
        return earlier * SLOT_MINUTES;
    }
    return -1;
  }

  reserve(day: number, p: number, startMinute: number, durationMin: number): void {
    this.mark(day, p, startMinute, durationMin, 1);
  }

  release(day: number, p: number, startMinute: number, durationMin: number): void {
    this.mark(day, p, startMinute, durationMin, 0);
  }

  private isFree(index: number, length: number): boolean {
    for (let i = 0; i < length; i++) if (this.busy[index + i] !== 0) return false;
    return true;
  }

  private mark(day: number, p: number, startMinute: number, durationMin: number, value: number): void {
    const base =
      ((day - this.firstDay) * this.providerCount + p) * SLOTS_PER_DAY + startMinute / SLOT_MINUTES;
    this.busy.fill(value, base, base + durationMin / SLOT_MINUTES);
  }
}
