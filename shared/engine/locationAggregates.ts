import type {
  AppointmentRow,
  PayrollRow,
  SaleRow,
  ServiceCategory,
  ShiftRow,
} from '../model/canonicalBundle';
import { type DailyMeasure, inUnits, M, SERVICE_REVENUE_KINDS } from './measures';
import {
  dailyPart,
  locationShareExact,
  payPeriodDays,
  type ProductionLookup,
  type Share,
} from './payrollAllocation';

/** Everything the refresh step needs to compute one location's daily measures. */
export interface LocationFacts {
  locationId: string;
  /** service_code → category, for the whole tenant. */
  categories: ReadonlyMap<string, ServiceCategory>;
  sales: readonly SaleRow[];
  appointments: readonly AppointmentRow[];
  shifts: readonly ShiftRow[];
  /**
   * Payroll lines that may reach this location: those with this location_id, and those with
   * no location whose employee is a provider here.
   */
  payroll: readonly PayrollRow[];
  /** payroll_employee_id → provider_id (providers.csv). */
  providerByPayrollId: ReadonlyMap<string, string>;
  /** provider_id → the locations it works at (providers.csv). */
  providerLocations: ReadonlyMap<string, readonly string[]>;
  /** Production of the providers concerned at every location (for location-less payroll). */
  production: ProductionLookup;
}

/** Interns texts as consecutive numbers, so a compound key is arithmetic instead of a new string. */
class Interner {
  private readonly numbers = new Map<string, number>();
  readonly texts: string[] = [];

  constructor(private readonly limit: number) {}

  of(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      if (n >= this.limit)
        throw new Error(`More than ${this.limit} distinct keys in one location's aggregates`);
      this.numbers.set(text, n);
      this.texts.push(text);
    }
    return n;
  }
}

const MEASURES = 4096;

/**
 * Sums per (provider, day, measure), kept in the order of each key's first add (the rows come
 * out as they did with a Map of string keys). The look-up is two Maps of small integers over
 * interned parts: a string key per add measured 12 % of a refresh (concatenation, hashing and
 * garbage).
 */
class Accumulator {
  /** provider × MEASURES + measure → day → slot. */
  private readonly slots = new Map<number, Map<number, number>>();
  private readonly providers = new Interner(2 ** 18);
  private readonly days = new Interner(2 ** 24);
  private readonly measures = new Interner(MEASURES);
  private readonly slotProvider: number[] = [];
  private readonly slotMeasure: number[] = [];
  private readonly slotDay: number[] = [];
  private readonly slotValue: number[] = [];

  add(providerId: string, day: string, measure: string, value: number): void {
    if (value === 0) return;
    const provider = this.providers.of(providerId);
    const measureNumber = this.measures.of(measure);
    const dayNumber = this.days.of(day);
    const providerMeasure = provider * MEASURES + measureNumber;
    let byDay = this.slots.get(providerMeasure);
    if (byDay === undefined) {
      byDay = new Map();
      this.slots.set(providerMeasure, byDay);
    }
    const slot = byDay.get(dayNumber);
    if (slot !== undefined) {
      this.slotValue[slot]! += value;
      return;
    }
    byDay.set(dayNumber, this.slotValue.length);
    this.slotProvider.push(provider);
    this.slotMeasure.push(measureNumber);
    this.slotDay.push(dayNumber);
    this.slotValue.push(value);
  }

  rows(locationId: string): DailyMeasure[] {
    const out: DailyMeasure[] = [];
    for (let slot = 0; slot < this.slotValue.length; slot++) {
      out.push({
        locationId,
        providerId: this.providers.texts[this.slotProvider[slot]!]!,
        day: this.days.texts[this.slotDay[slot]!]!,
        measure: this.measures.texts[this.slotMeasure[slot]!]!,
        value: this.slotValue[slot]!,
      });
    }
    return out;
  }
}

function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Spreads [startMinute, startMinute + minutes) over the hours of one day (capped at midnight). */
function addByHour(
  acc: Accumulator,
  providerId: string,
  day: string,
  startMinute: number,
  minutes: number,
  measure: (hour: number) => string,
): void {
  let at = startMinute;
  const end = Math.min(startMinute + minutes, 24 * 60);
  while (at < end) {
    const hour = Math.floor(at / 60);
    const next = Math.min((hour + 1) * 60, end);
    acc.add(providerId, day, measure(hour), next - at);
    at = next;
  }
}

/**
 * Computes one location's additive daily measures (see measures.ts) from its canonical facts.
 * Pure: the same facts always give the same rows, so recomputing one location after its
 * re-ingest touches nothing else.
 */
export function buildLocationAggregates(facts: LocationFacts): DailyMeasure[] {
  const acc = new Accumulator();
  const location = '';
  const appointmentCategory = new Map<string, ServiceCategory>();

  for (const a of facts.appointments) {
    const day = a.start_at.slice(0, 10);
    const category = facts.categories.get(a.service_code);
    if (category) appointmentCategory.set(a.appointment_id, category);
    const provider = a.provider_id ?? '';
    acc.add(location, day, M.appointments, 1);
    if (a.booked_at === null) acc.add(location, day, M.appointmentsWithoutBookedAt, 1);
    const targets = provider === '' ? [location] : [location, provider];
    for (const who of targets) {
      if (a.status === 'completed') {
        acc.add(who, day, M.visits, 1);
        acc.add(who, day, M.visitMinutes, a.duration_min);
      } else if (a.status === 'no_show') {
        acc.add(who, day, M.noShows, 1);
        acc.add(who, day, M.noShowMinutes, a.duration_min);
      } else if (a.status === 'late_cancelled') {
        acc.add(who, day, M.lateCancels, 1);
        acc.add(who, day, M.lateCancelMinutes, a.duration_min);
      } else if (a.status === 'cancelled') {
        acc.add(who, day, M.cancellations, 1);
      }
    }
    if (a.status === 'completed') {
      addByHour(
        acc,
        location,
        day,
        minutesOfDay(a.start_at.slice(11, 16)),
        a.duration_min,
        M.heatVisitMinutes,
      );
    }
  }

  for (const s of facts.sales) {
    const net = s.gross - (s.discount ?? 0);
    acc.add(location, s.sold_on, M.saleLines, 1);
    acc.add(location, s.sold_on, M.net(s.kind), net);
    acc.add(location, s.sold_on, M.tax, s.tax ?? 0);
    acc.add(location, s.sold_on, M.tip, s.tip ?? 0);
    if (SERVICE_REVENUE_KINDS.includes(s.kind)) {
      const category =
        (s.service_code === null ? undefined : facts.categories.get(s.service_code)) ??
        (s.appointment_id === null ? undefined : appointmentCategory.get(s.appointment_id)) ??
        'uncategorized';
      acc.add(location, s.sold_on, M.serviceNetByCategory(category), net);
      if (s.provider_id !== null) acc.add(s.provider_id, s.sold_on, M.production, net);
    }
  }

  for (const shift of facts.shifts) {
    const start = minutesOfDay(shift.start_time);
    const minutes = minutesOfDay(shift.end_time) - start;
    acc.add(location, shift.date, M.shiftMinutes, minutes);
    acc.add(shift.provider_id, shift.date, M.shiftMinutes, minutes);
    addByHour(acc, location, shift.date, start, minutes, M.heatShiftMinutes);
  }

  for (const line of facts.payroll) addPayrollLine(acc, line, facts);

  return acc.rows(facts.locationId);
}

const WHOLE: Share = { numerator: 1, denominator: 1 };

/**
 * Payroll hours as an exact number of minutes: hours come with at most 4 decimals
 * (cellTypes.ts), so hours × 60 = ten-thousandths of an hour × 60 / 10,000.
 */
function minutesOfHours(hours: number): Share {
  return { numerator: Math.round(hours * 10_000) * 60, denominator: 10_000 };
}

/**
 * Adds `amount × share` spread evenly over `days`, exactly (payrollAllocation.ts, dailyPart):
 * each day gets the same integer count of 1/d units under the measure `measure/d`.
 */
function addSpread(
  acc: Accumulator,
  who: string,
  days: readonly string[],
  measure: string,
  amount: Share,
  share: Share,
): void {
  const part = dailyPart(amount, share, days.length);
  if (part === null) return;
  if ('approximate' in part) {
    for (const day of days) acc.add(who, day, measure, part.approximate);
    return;
  }
  const name = inUnits(measure, part.denominator);
  for (const day of days) acc.add(who, day, name, part.numerator);
}

function addPayrollLine(acc: Accumulator, line: PayrollRow, facts: LocationFacts): void {
  const providerId = facts.providerByPayrollId.get(line.payroll_employee_id);
  const components: [string, number][] = [
    [M.compWages, line.wages ?? 0],
    [M.compCommission, line.commission ?? 0],
    [M.compBonus, line.bonus ?? 0],
    [M.compTaxesBenefits, line.employer_taxes_benefits ?? 0],
  ];
  const days = payPeriodDays(line.period_start, line.period_end);
  if (days.length === 0) return;
  if (providerId === undefined) {
    // Staff who are not providers: a location cost, never provider compensation.
    if (line.location_id !== facts.locationId) return;
    const total = components.reduce((sum, [, cents]) => sum + cents, 0);
    addSpread(acc, '', days, M.nonProviderPayroll, { numerator: total, denominator: 1 }, WHOLE);
    return;
  }
  let share: Share;
  if (line.location_id !== null) {
    if (line.location_id !== facts.locationId) return;
    share = WHOLE;
  } else {
    share = locationShareExact(
      providerId,
      facts.locationId,
      facts.providerLocations.get(providerId) ?? [],
      line.period_start,
      line.period_end,
      facts.production,
    );
    if (share.numerator === 0) return;
  }
  for (const [measure, cents] of components) {
    addSpread(acc, providerId, days, measure, { numerator: cents, denominator: 1 }, share);
  }
  const minutes = minutesOfHours(line.hours ?? 0);
  addSpread(acc, providerId, days, M.payrollMinutes, minutes, share);
  addSpread(acc, '', days, M.payrollMinutes, minutes, share);
  // The line exists: a line of $0 and 0 hours is compensation $0, not "no payroll".
  for (const day of days) acc.add(providerId, day, M.payrollLineDays, 1);
}
