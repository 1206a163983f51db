import type { AppointmentStatus, SaleKind } from '../shared/model/canonicalBundle';
import type { BundleSink } from './bundle';
import { SERVICES } from './catalog';
import { DayText, formatCents, formatHundredths, formatTime } from './cells';
import type { Patient } from './patients';
import type { LocationPlan } from './portfolioPlan';
import type { ProviderPlan } from './staffing';

/**
 * Writes one location's canonical rows: formats every cell, numbers the ids that exports
 * number (sale lines, payroll lines, leads) and keeps facts outside the location's data
 * window (before the window, before opening, after closing) out of the bundle. The
 * simulation runs before the window to build a patient base; this is the one gate.
 */

export type { AppointmentStatus, SaleKind };

export interface SaleLine {
  day: number;
  /** The patient on the line; naming her on a written line puts her in patients.csv. */
  patient: Patient | null;
  providerId: string;
  appointmentId: string;
  kind: SaleKind;
  serviceCode: string;
  grossCents: number;
  discountCents: number;
  taxCents: number;
  tipCents: number;
}

const EMPTY = '';

export class LocationRows {
  readonly days: DayText;
  private saleCount = 0;
  private payrollCount = 0;
  private leadCount = 0;

  constructor(
    private readonly sink: BundleSink,
    readonly location: LocationPlan,
  ) {
    this.days = new DayText(location.simStart);
  }

  inWindow(day: number): boolean {
    return day >= this.location.dataStart && day <= this.location.dataEnd;
  }

  date(day: number | null): string {
    return day === null ? EMPTY : this.days.date(day);
  }

  locationRow(): void {
    const l = this.location;
    this.sink.row('locations.csv', [
      l.id,
      l.name,
      l.city.region,
      l.city.timezone,
      this.date(l.openedOn),
      this.date(l.closedOn),
      this.date(l.acquiredOn),
      l.emr,
      String(l.rooms),
    ]);
  }

  serviceRows(): void {
    for (const s of SERVICES) {
      this.sink.row('services.csv', [s.code, s.name, s.category, String(s.durationMin)]);
    }
  }

  providerRow(p: ProviderPlan): void {
    // An export knows a departure only once it has happened.
    const endedOn = p.endedOn !== null && p.endedOn <= this.location.dataEnd ? p.endedOn : null;
    this.sink.row('providers.csv', [
      p.providerId,
      this.location.id,
      p.displayName,
      p.role,
      p.payrollEmployeeId,
      this.date(p.startedOn),
      this.date(endedOn),
    ]);
  }

  shiftRow(p: ProviderPlan, day: number, startMinute: number, endMinute: number): void {
    if (!this.inWindow(day)) return;
    this.sink.row('shifts.csv', [
      p.providerId,
      this.location.id,
      this.days.date(day),
      formatTime(startMinute),
      formatTime(endMinute),
    ]);
  }

  /** bookedMinute < 0 = the EMR did not record when the appointment was booked. */
  appointmentRow(
    appointmentId: string,
    patientId: string,
    providerId: string,
    serviceIndex: number,
    bookedDay: number,
    bookedMinute: number,
    day: number,
    startMinute: number,
    durationMin: number,
    status: AppointmentStatus,
  ): void {
    this.sink.row('appointments.csv', [
      appointmentId,
      this.location.id,
      patientId,
      providerId,
      SERVICES[serviceIndex]!.code,
      bookedMinute < 0 ? EMPTY : this.days.dateTime(bookedDay, bookedMinute),
      this.days.dateTime(day, startMinute),
      String(durationMin),
      status,
    ]);
  }

  saleRow(line: SaleLine): void {
    if (!this.inWindow(line.day)) return;
    if (line.patient) line.patient.referenced = true;
    this.saleCount++;
    this.sink.row('sales.csv', [
      `${this.location.id}-S${String(this.saleCount).padStart(7, '0')}`,
      this.location.id,
      this.days.date(line.day),
      line.patient?.id ?? EMPTY,
      line.providerId,
      line.appointmentId,
      line.kind,
      line.serviceCode,
      formatCents(line.grossCents),
      formatCents(line.discountCents),
      formatCents(line.taxCents),
      formatCents(line.tipCents),
    ]);
  }

  patientRow(
    patientId: string,
    homeLocationId: string,
    email: string,
    phone: string,
    referralSource: string,
    createdOn: number,
  ): void {
    this.sink.row('patients.csv', [
      patientId,
      homeLocationId,
      email,
      phone,
      referralSource,
      this.days.date(createdOn),
    ]);
  }

  leadRow(channel: string, day: number, minute: number, email: string, phone: string): void {
    if (!this.inWindow(day)) return;
    this.leadCount++;
    this.sink.row('leads.csv', [
      `${this.location.id}-LD${String(this.leadCount).padStart(6, '0')}`,
      this.location.id,
      channel,
      this.days.dateTime(day, minute),
      email,
      phone,
    ]);
  }

  /** `period` is a day number for daily spend or a `YYYY-MM` month. */
  spendRow(channel: string, period: number | string, spendCents: number): void {
    const date = typeof period === 'number' ? this.days.date(period) : period;
    this.sink.row('marketing_spend.csv', [this.location.id, channel, date, formatCents(spendCents)]);
  }

  membershipRow(
    membershipId: string,
    patientId: string,
    plan: string,
    feeCents: number,
    startedOn: number,
    cancelledOn: number | null,
  ): void {
    this.sink.row('memberships.csv', [
      membershipId,
      patientId,
      this.location.id,
      plan,
      formatCents(feeCents),
      this.days.date(startedOn),
      this.date(cancelledOn),
    ]);
  }

  payrollRow(
    payrollEmployeeId: string,
    locationId: string,
    periodStart: number,
    periodEnd: number,
    payDate: number,
    hundredthHours: number,
    wagesCents: number,
    commissionCents: number,
    bonusCents: number,
    employerCents: number,
  ): void {
    this.payrollCount++;
    this.sink.row('payroll.csv', [
      `${this.location.id}-PY${String(this.payrollCount).padStart(6, '0')}`,
      payrollEmployeeId,
      locationId,
      this.days.date(periodStart),
      this.days.date(periodEnd),
      this.days.date(payDate),
      formatHundredths(hundredthHours),
      formatCents(wagesCents),
      formatCents(commissionCents),
      formatCents(bonusCents),
      formatCents(employerCents),
    ]);
  }
}
