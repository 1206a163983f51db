import { daysInMonth, makeDate, toDayNumber } from '../shared/model/localDate';
import { MEMBERSHIP_PLANS, type ProgramId } from './catalog';
import type { LocationRows } from './locationRows';
import type { Patient, PatientKind } from './patients';
import type { LocationPlan } from './portfolioPlan';
import { Random } from './random';
import type { SalesDesk } from './sales';

/**
 * Memberships: patients join at a visit, pay a monthly fee on the same day of each month
 * from the day they join, and cancel after a few months (monthly churn) or soon after they
 * stop coming. Programs start with the data window, so every started_on lies inside it.
 */

const JOIN_CHANCE: Record<PatientKind, number> = { trial: 0.007, regular: 0.03, loyal: 0.068 };

interface Membership {
  id: string;
  patient: Patient;
  plan: number;
  feeCents: number;
  startDay: number;
  /** Planned cancellation (may move earlier when the patient lapses); null = still active. */
  cancelDay: number | null;
  billingDayOfMonth: number;
}

export class MembershipDesk {
  private readonly memberships: Membership[] = [];
  private readonly byPatient = new Map<Patient, Membership>();
  private readonly feesByDay = new Map<number, Membership[]>();
  private readonly rng: Random;

  constructor(
    private readonly rows: LocationRows,
    private readonly sales: SalesDesk,
    private readonly location: LocationPlan,
    seed: number,
  ) {
    this.rng = Random.fromKey(seed, 'memberships', location.index);
  }

  /** Offers a membership at a completed visit; `program` decides which plan appeals. */
  maybeJoin(patient: Patient, program: ProgramId, day: number): void {
    if (patient.isMember || !this.rows.inWindow(day) || day >= this.location.dataEnd) return;
    if (!this.rng.chance(JOIN_CHANCE[patient.kind] * this.location.memberPropensity)) return;
    const offered = this.location.offeredPlans;
    const fitting = offered.filter((i) => MEMBERSHIP_PLANS[i]!.programs.includes(program));
    const plan = this.rng.pick(fitting.length > 0 ? fitting : offered);
    let months = 1;
    while (!this.rng.chance(this.location.monthlyMembershipChurn) && months < 120) months++;
    const membership: Membership = {
      id: `${this.location.id}-M${String(this.memberships.length + 1).padStart(6, '0')}`,
      patient,
      plan,
      feeCents: MEMBERSHIP_PLANS[plan]!.monthlyFeeCents,
      startDay: day,
      // Members cancel a few days before the next charge.
      cancelDay: addMonthsToDay(day, months, this.rows) - this.rng.int(1, 10),
      billingDayOfMonth: Number(this.rows.days.date(day).slice(8, 10)),
    };
    this.memberships.push(membership);
    this.byPatient.set(patient, membership);
    patient.isMember = true;
    this.scheduleFee(membership, day);
  }

  /** A member who stops coming cancels within one to three months. */
  patientLapsed(patient: Patient, day: number): void {
    const membership = this.byPatient.get(patient);
    if (!membership) return;
    const cancelDay = day + this.rng.int(20, 90);
    if (membership.cancelDay === null || cancelDay < membership.cancelDay) membership.cancelDay = cancelDay;
  }

  /** Charges the fees due today and ends memberships whose cancellation day has come. */
  daily(day: number): void {
    const due = this.feesByDay.get(day);
    if (!due) return;
    this.feesByDay.delete(day);
    for (const membership of due) {
      const closed = this.location.closedOn !== null && day >= this.location.closedOn;
      if (closed || (membership.cancelDay !== null && membership.cancelDay <= day)) {
        membership.patient.isMember = false;
        membership.patient.memberCreditCents = 0;
        continue;
      }
      this.sales.membershipFee(day, membership.patient, membership.feeCents);
      // Unused credit rolls over for up to three months of dues.
      const patient = membership.patient;
      patient.memberCreditCents = Math.min(
        3 * membership.feeCents,
        patient.memberCreditCents + membership.feeCents,
      );
      const next = nextBillingDay(day, membership.billingDayOfMonth, this.rows);
      this.scheduleFee(membership, next);
    }
  }

  /** memberships.csv: a closed location cancels its memberships on the day it closes. */
  writeRows(): void {
    for (const m of this.memberships) {
      let cancelled = m.cancelDay;
      if (this.location.closedOn !== null && (cancelled === null || cancelled > this.location.closedOn)) {
        cancelled = this.location.closedOn;
      }
      const shown = cancelled !== null && cancelled <= this.location.dataEnd ? cancelled : null;
      this.rows.membershipRow(
        m.id,
        m.patient.id,
        MEMBERSHIP_PLANS[m.plan]!.name,
        m.feeCents,
        m.startDay,
        shown,
      );
    }
  }

  private scheduleFee(membership: Membership, day: number): void {
    const list = this.feesByDay.get(day);
    if (list) list.push(membership);
    else this.feesByDay.set(day, [membership]);
  }
}

/** The same day of the month `months` later, clamped to shorter months. */
function addMonthsToDay(day: number, months: number, rows: LocationRows): number {
  let result = day;
  const dom = Number(rows.days.date(day).slice(8, 10));
  for (let i = 0; i < months; i++) result = nextBillingDay(result, dom, rows);
  return result;
}

function nextBillingDay(day: number, billingDayOfMonth: number, rows: LocationRows): number {
  const text = rows.days.date(day);
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return toDayNumber(
    makeDate(nextYear, nextMonth, Math.min(billingDayOfMonth, daysInMonth(nextYear, nextMonth))),
  );
}
