import { AppointmentBook } from './appointmentBook';
import type { BundleSink } from './bundle';
import { CONSULTATION_CODE, NEW_PATIENT_SEASONALITY, serviceIndex, SERVICES, type Skill } from './catalog';
import { contactOf } from './contactDetails';
import { type CareTeam, DemandStream, teamOfProgram, teamOfRole, teamOfSkill } from './demandSteering';
import { clinicHolidays, weekdayOf } from './holidays';
import { type AppointmentStatus, LocationRows } from './locationRows';
import { LEAD_FORM_SHARE, MarketingDesk } from './marketing';
import { MembershipDesk } from './memberships';
import {
  LAPSE_HAZARD,
  lateness,
  nextSessionIn,
  type Patient,
  pickKind,
  pickProgram,
  type Program,
  startProgram,
} from './patients';
import { payPeriodEnd, writePayroll } from './payroll';
import type { LocationPlan, PortfolioPlan } from './portfolioPlan';
import { Random } from './random';
import { SalesDesk } from './sales';
import { planProviders, type ProviderPlan } from './staffing';

/**
 * One location, simulated day by day: patients arrive, book into free slots of the providers'
 * shifts, show up or not, pay, rebook (or not), join memberships and drift away. The new-patient
 * inflow is steered toward the location's target capacity utilization (demandSteering.ts), so
 * a location's size comes from its staffing and its quality from its parameters, not from a
 * hand-tuned patient count. Rows leave through LocationRows, which keeps the data window.
 */

type Outcome = Exclude<AppointmentStatus, 'scheduled'>;

/** What a patient wants done. */
interface Treatment {
  patient: Patient;
  program: Program;
  isConsult: boolean;
}

interface BookingRequest extends Treatment {
  targetDay: number;
}

/** A request being booked now: when the patient asked, and how flexible she is. */
interface Booking extends BookingRequest {
  bookedDay: number;
  bookedMinute: number;
  flexDays: number;
  /** An outcome known in advance (a patient who will not come back). */
  forced?: Outcome;
}

interface Slot {
  serviceIndex: number;
  provider: number;
  day: number;
  startMinute: number;
  durationMin: number;
}

interface Appointment extends Treatment, Slot {
  id: string;
  bookedDay: number;
  /** -1 when the EMR does not record it. */
  bookedMinute: number;
  outcome: Outcome;
  /** The day a cancelled appointment was cancelled (its slot freed), else -1. */
  cancelDay: number;
}

/** A person who is a patient here and at a sister location. */
interface SharedArrival {
  personNumber: number;
  areaCodes: readonly string[];
  homeLocationId: string;
  visiting: boolean;
}

const CONSULTATION = serviceIndex(CONSULTATION_CODE);
/** Appointments prebooked at checkout are only for programs due within this many days. */
const MAX_PREBOOK_INTERVAL = 120;

export function simulatePractice(portfolio: PortfolioPlan, location: LocationPlan, sink: BundleSink): void {
  new PracticeSimulation(portfolio, location, sink).run();
}

class PracticeSimulation {
  private readonly rng: Random;
  private readonly rows: LocationRows;
  private readonly providers: ProviderPlan[];
  private readonly book: AppointmentBook;
  private readonly sales: SalesDesk;
  private readonly memberships: MembershipDesk;
  private readonly marketing: MarketingDesk;
  private readonly horizonEnd: number;
  private readonly lastBookableDay: number;
  private readonly appointmentsByDay: Appointment[][];
  private readonly requestsByDay = new Map<number, BookingRequest[]>();
  private readonly cancellationsByDay = new Map<number, Appointment[]>();
  private readonly sharedByDay = new Map<number, SharedArrival[]>();
  private readonly providersBySkill = new Map<Skill, number[]>();
  private readonly popularityBySkill = new Map<Skill, number[]>();
  private readonly patients: Patient[] = [];
  private appointmentCount = 0;
  private readonly streams = { injector: new DemandStream('injector'), room: new DemandStream('room') };
  /** Each provider's care team, by index. */
  private readonly teams: CareTeam[];
  /** Providers named on a written appointment, by index. */
  private readonly providerReferenced: boolean[] = [];

  constructor(
    private readonly portfolio: PortfolioPlan,
    private readonly location: LocationPlan,
    sink: BundleSink,
  ) {
    this.rng = Random.fromKey(portfolio.seed, 'practice', location.index);
    this.rows = new LocationRows(sink, location);
    // The last pay period that starts inside the window is simulated to its end so it can be paid in full.
    this.horizonEnd = location.closedOn ?? payPeriodEnd(location.dataEnd);
    this.lastBookableDay = location.closedOn ?? this.horizonEnd + 240;
    const firstYear = Number(this.rows.days.date(location.simStart).slice(0, 4));
    const lastYear = Number(this.rows.days.date(this.lastBookableDay).slice(0, 4));
    const holidays = clinicHolidays(firstYear, lastYear);
    // Providers keep working after the export day, so patients can prebook months ahead.
    this.providers = planProviders(portfolio, location, this.lastBookableDay);
    this.teams = this.providers.map((p) => teamOfRole(p.role));
    this.book = new AppointmentBook(location.simStart, this.lastBookableDay, this.providers, holidays);
    this.appointmentsByDay = Array.from({ length: this.lastBookableDay - location.simStart + 1 }, () => []);
    this.sales = new SalesDesk(
      this.rows,
      location,
      this.providers,
      location.simStart,
      this.horizonEnd,
      portfolio.seed,
    );
    this.memberships = new MembershipDesk(this.rows, this.sales, location, portfolio.seed);
    this.marketing = new MarketingDesk(this.rows, portfolio, location);
    for (const service of SERVICES) {
      if (!this.providersBySkill.has(service.skill)) {
        const able = this.providers.flatMap((p, i) => (p.skills.has(service.skill) ? [i] : []));
        this.providersBySkill.set(service.skill, able);
        this.popularityBySkill.set(
          service.skill,
          able.map((p) => this.providers[p]!.popularity),
        );
      }
    }
    this.planSharedArrivals();
  }

  run(): void {
    const { location } = this;
    this.rows.locationRow();
    this.rows.serviceRows();
    this.startDemand();
    for (let day = location.simStart; day <= this.horizonEnd; day++) this.simulateDay(day);
    this.writeScheduledAppointments();
    // A provider who joins after the export day is listed once she is paid or has patients booked.
    this.providers.forEach((p, i) => {
      const worked = p.activeFrom <= this.horizonEnd && p.activeTo >= location.dataStart;
      if (worked || this.providerReferenced[i]) this.rows.providerRow(p);
    });
    this.writePatients();
    this.memberships.writeRows();
    this.marketing.finish();
    writePayroll(this.rows, {
      portfolio: this.portfolio,
      location,
      providers: this.providers,
      book: this.book,
      production: this.sales.production,
    });
  }

  private simulateDay(day: number): void {
    const dateText = this.rows.days.date(day);
    if (dateText.endsWith('-01') && day !== this.location.simStart) {
      const target = this.targetUtilization(day);
      this.streams.injector.steer(target);
      this.streams.room.steer(target);
    }
    const month = Number(dateText.slice(5, 7));

    for (const appointment of this.cancellationsByDay.get(day) ?? []) this.cancel(appointment, day);
    this.cancellationsByDay.delete(day);
    for (const request of this.requestsByDay.get(day) ?? []) this.handleRequest(request, day);
    this.requestsByDay.delete(day);

    // People book online at any hour, but fewer on Sundays.
    const factor = NEW_PATIENT_SEASONALITY[month - 1]! * (weekdayOf(day) === 7 ? 0.5 : 1.08);
    // A closing site stops taking new patients in its last two weeks.
    const closing = this.location.closedOn !== null && day > this.location.closedOn - 14;
    let expected = 0;
    for (const stream of [this.streams.injector, this.streams.room]) {
      expected += stream.expected(factor);
      const arrivals = closing ? 0 : this.rng.poisson(stream.expected(factor));
      for (let i = 0; i < arrivals; i++) this.arrive(day, null, stream.team);
    }
    for (const shared of this.sharedByDay.get(day) ?? []) this.arrive(day, shared, null);

    this.providers.forEach((provider, p) => {
      const minutes = this.book.shiftMinutes(day, p);
      if (minutes === 0) return;
      this.streams[this.teams[p]!].addShift(minutes);
      this.rows.shiftRow(provider, day, this.book.shiftStart(day, p), this.book.shiftEnd(day, p));
    });

    const todays = this.appointmentsByDay[day - this.location.simStart]!;
    todays.sort((a, b) => a.startMinute - b.startMinute || a.provider - b.provider);
    for (const appointment of todays) this.resolve(appointment, day);

    this.sales.daily(day, () => this.somePatient());
    this.memberships.daily(day);
    this.marketing.daily(day, expected);
  }

  // ---- demand -------------------------------------------------------------------------

  private targetUtilization(day: number): number {
    const l = this.location;
    const years = Math.max(0, day - l.dataStart) / 365;
    let target = Math.min(0.88, Math.max(0.5, l.targetUtilization + l.utilizationTrendPerYear * years));
    const age = day - l.openedOn;
    // A new site ramps up over its first year; a closing one winds down over its last months.
    if (l.openedOn >= l.simStart && age < 365) target *= 0.35 + (0.65 * age) / 365;
    if (l.closedOn !== null && l.closedOn - day < 240) target *= 0.6 + (0.4 * (l.closedOn - day)) / 240;
    return target;
  }

  private startDemand(): void {
    const start = this.location.simStart;
    const target = this.targetUtilization(start);
    for (const stream of [this.streams.injector, this.streams.room]) {
      let minutes = 0;
      for (let day = start; day < start + 28; day++) {
        this.providers.forEach((_, p) => {
          if (this.teams[p] === stream.team) minutes += this.book.shiftMinutes(day, p);
        });
      }
      stream.start(minutes / 28, target);
    }
  }

  /** A new patient; `team` says which care team's stream brought her (null for a shared patient). */
  private arrive(day: number, shared: SharedArrival | null, team: CareTeam | null): void {
    const { location, portfolio } = this;
    const rng = this.rng;
    const serial = this.patients.length;
    const space = portfolio.personSpace;
    const patientCapacity = Math.floor(space * 0.6);
    const def = pickProgram(rng, location.focus, [], (p) => team === null || teamOfProgram(p) === team);
    const patient: Patient = {
      serial,
      id: `${location.id}-P${String(serial + 1).padStart(6, '0')}`,
      personNumber: shared?.personNumber ?? location.index * space + (serial % patientCapacity),
      areaCodes: shared?.areaCodes ?? location.city.areaCodes,
      homeLocationId: shared?.homeLocationId ?? location.id,
      createdDay: day,
      channel: shared ? 'referral' : this.marketing.pickChannel(rng),
      kind: shared?.visiting ? 'trial' : shared ? rng.pick(['regular', 'loyal'] as const) : pickKind(rng),
      lapsed: false,
      visits: 0,
      programs: [],
      preferredMinute: rng.pick([9 * 60, 11 * 60, 13 * 60, 15 * 60, 17 * 60, 18 * 60]),
      isMember: false,
      memberCreditCents: 0,
      maxVisits: shared?.visiting ? rng.int(1, 3) : Infinity,
      sharedWithSister: shared !== null,
      referenced: false,
    };
    this.patients.push(patient);
    const program = startProgram(rng, def);
    patient.programs.push(program);
    const isConsult = rng.chance(def.consultChance);
    const leadDays =
      patient.channel === 'walk_in' ? rng.int(1, 3) : Math.min(21, 1 + Math.floor(rng.exponential(5)));
    const first = { patient, program, isConsult, targetDay: day + leadDays };
    if (!this.tryBook({ ...first, bookedDay: day, bookedMinute: this.randomBookingMinute(), flexDays: 7 })) {
      this.request({ ...first, targetDay: day + rng.int(10, 25) }, day + rng.int(5, 12));
    }
    this.writeLeadOf(patient, day);
  }

  private writeLeadOf(patient: Patient, day: number): void {
    const channel = patient.channel;
    const formChannel = this.location.paidChannels.some((c) => c === channel) || channel === 'organic';
    if (!formChannel || !this.rng.chance(LEAD_FORM_SHARE)) return;
    const contact = contactOf(this.portfolio.seed, this.location, patient);
    const leadDay = Math.max(this.location.openedOn, day - this.rng.int(0, 30));
    this.rows.leadRow(
      channel,
      leadDay,
      this.rng.int(6 * 60, 23 * 60 - 1),
      contact.leadEmail,
      contact.leadPhone,
    );
  }

  private somePatient(): Patient | null {
    const n = this.patients.length;
    if (n === 0) return null;
    return this.patients[this.rng.int(Math.max(0, n - 3000), n - 1)]!;
  }

  // ---- booking --------------------------------------------------------------------------

  private request(request: BookingRequest, day: number): void {
    const list = this.requestsByDay.get(day);
    if (list) list.push(request);
    else this.requestsByDay.set(day, [request]);
  }

  private handleRequest(request: BookingRequest, day: number): void {
    if (request.patient.lapsed || !request.program.active) return;
    const targetDay = Math.max(day + 1, request.targetDay);
    const booking = {
      ...request,
      targetDay,
      bookedDay: day,
      bookedMinute: this.randomBookingMinute(),
      flexDays: 10,
    };
    if (this.tryBook(booking)) return;
    // Fully booked: some try again in a few weeks, the rest go elsewhere.
    if (this.rng.chance(0.5)) {
      this.request({ ...request, targetDay: day + this.rng.int(14, 35) }, day + this.rng.int(7, 21));
    }
  }

  private randomBookingMinute(): number {
    return this.rng.chance(0.8) ? this.rng.int(8 * 60, 19 * 60) : this.rng.int(6 * 60, 23 * 60 - 1);
  }

  /**
   * Books the first free slot near the target day: with the patient's usual provider if she
   * can, else with any provider able to perform the service, else up to a month later.
   */
  private tryBook(booking: Booking): boolean {
    const { program, targetDay, flexDays } = booking;
    const index = booking.isConsult ? CONSULTATION : program.serviceIndex;
    const service = SERVICES[index]!;
    const extraSyringes = service.category === 'filler' && program.quantity >= 2;
    const duration = service.durationMin + (extraSyringes ? 15 : 0);
    const able = this.providersBySkill.get(service.skill)!;
    if (able.length === 0) return false;
    const earliest = booking.bookedDay + 1;
    const latest = Math.min(this.lastBookableDay, targetDay + flexDays + 30);
    const preferred =
      program.lastProvider >= 0 && able.includes(program.lastProvider) ? program.lastProvider : -1;
    const startAt = this.rng.weightedIndex(this.popularityBySkill.get(service.skill)!);

    const tryDay = (day: number, onlyPreferred: boolean): boolean => {
      if (day < earliest || day > latest) return false;
      const count = onlyPreferred ? 1 : able.length;
      for (let k = 0; k < count; k++) {
        const p = onlyPreferred ? preferred : able[(startAt + k) % able.length]!;
        const minute = this.book.findSlot(day, p, duration, booking.patient.preferredMinute);
        if (minute >= 0) {
          this.place(booking, {
            serviceIndex: index,
            provider: p,
            day,
            startMinute: minute,
            durationMin: duration,
          });
          return true;
        }
      }
      return false;
    };

    const nearTarget = (onlyPreferred: boolean): boolean => {
      for (let distance = 0; distance <= flexDays; distance++) {
        if (tryDay(targetDay + distance, onlyPreferred)) return true;
        if (distance > 0 && distance <= 3 && tryDay(targetDay - distance, onlyPreferred)) return true;
      }
      return false;
    };

    if (preferred >= 0 && nearTarget(true)) return true;
    if (nearTarget(false)) return true;
    for (let day = targetDay + flexDays + 1; day <= latest; day++) if (tryDay(day, false)) return true;
    this.streams[teamOfSkill(service.skill)].addLost(duration);
    return false;
  }

  private place(booking: Booking, slot: Slot): void {
    const { location, rng } = this;
    const { day, provider } = slot;
    this.book.reserve(day, provider, slot.startMinute, slot.durationMin);
    const outcome = this.outcomeOf(booking, day - booking.bookedDay);
    const appointment: Appointment = {
      ...slot,
      id: `${location.id}-A${String(++this.appointmentCount).padStart(7, '0')}`,
      patient: booking.patient,
      program: booking.program,
      isConsult: booking.isConsult,
      bookedDay: booking.bookedDay,
      bookedMinute: location.bookedAtMissing || rng.chance(0.02) ? -1 : booking.bookedMinute,
      outcome,
      cancelDay: outcome === 'cancelled' ? rng.int(booking.bookedDay + 1, day - 2) : -1,
    };
    this.appointmentsByDay[day - location.simStart]!.push(appointment);
    if (outcome === 'cancelled') {
      const list = this.cancellationsByDay.get(appointment.cancelDay);
      if (list) list.push(appointment);
      else this.cancellationsByDay.set(appointment.cancelDay, [appointment]);
    }
  }

  /** Decided when booked; a first visit is missed more often, a far-off one cancelled more often. */
  private outcomeOf(booking: Booking, leadDays: number): Outcome {
    const { location } = this;
    // A cancellation (not late) is made at least a day ahead, so it needs some lead time.
    if (booking.forced) return leadDays >= 3 ? booking.forced : 'no_show';
    const noShow = location.noShowRate * (booking.patient.visits === 0 ? 1.3 : 1);
    const late = location.lateCancelRate;
    const cancel = leadDays >= 3 ? location.cancelRate * (leadDays > 30 ? 1.3 : 1) : 0;
    const r = this.rng.next();
    if (r < noShow) return 'no_show';
    if (r < noShow + late) return 'late_cancelled';
    if (r < noShow + late + cancel) return 'cancelled';
    return 'completed';
  }

  /** The slot is freed the day the patient cancels; most reschedule on the spot. */
  private cancel(appointment: Appointment, day: number): void {
    const { patient, program, isConsult } = appointment;
    this.book.release(
      appointment.day,
      appointment.provider,
      appointment.startMinute,
      appointment.durationMin,
    );
    if (patient.lapsed || !program.active) return;
    if (this.rng.chance(0.7)) {
      const targetDay = appointment.day + this.rng.int(3, 21);
      const bookedMinute = this.randomBookingMinute();
      if (this.tryBook({ patient, program, isConsult, targetDay, bookedDay: day, bookedMinute, flexDays: 7 }))
        return;
    }
    if (this.rng.chance(0.6)) this.comeBackLater(appointment, appointment.day);
  }

  /** A patient who missed out asks again in one to two months. */
  private comeBackLater({ patient, program, isConsult }: Treatment, from: number): void {
    this.request(
      { patient, program, isConsult, targetDay: from + this.rng.int(30, 75) },
      from + this.rng.int(20, 60),
    );
  }

  // ---- the day of the appointment ----------------------------------------------------------

  private resolve(appointment: Appointment, day: number): void {
    if (this.rows.inWindow(day)) this.writeAppointment(appointment, appointment.outcome);
    if (appointment.outcome === 'cancelled') return;
    if (appointment.outcome === 'completed') {
      this.visit(appointment, day);
      return;
    }
    this.sales.noShowFee(day, appointment.patient, appointment.id);
    const { patient, program, isConsult } = appointment;
    if (patient.lapsed) return;
    if (this.rng.chance(0.55)) {
      const targetDay = day + this.rng.int(3, 16);
      this.request({ patient, program, isConsult, targetDay }, day + this.rng.int(1, 7));
    } else if (patient.visits === 0 && this.rng.chance(0.5)) {
      this.lapse(patient, day);
    } else {
      this.comeBackLater(appointment, day);
    }
  }

  private visit(appointment: Appointment, day: number): void {
    const { patient, program, isConsult } = appointment;
    const rng = this.rng;
    patient.visits++;
    this.streams[this.teams[appointment.provider]!].addVisit(appointment.durationMin);
    const { provider, id: appointmentId } = appointment;
    this.sales.visit({ day, patient, program, provider, appointmentId, isConsult });
    // Booking the next appointment at checkout: the same day, just after the visit.
    const checkout = {
      bookedDay: day,
      bookedMinute: appointment.startMinute + appointment.durationMin + rng.int(1, 10),
    };

    if (isConsult) {
      // Most consultations turn into a treatment, usually booked before leaving.
      if (rng.chance(0.72)) {
        const targetDay = day + rng.int(1, 14);
        const treatment = { patient, program, isConsult: false, targetDay };
        if (rng.chance(0.7) && this.tryBook({ ...treatment, ...checkout, flexDays: 7 })) return;
        this.request({ ...treatment, targetDay: targetDay + rng.int(3, 20) }, day + rng.int(2, 20));
      } else {
        program.active = false;
        if (patient.programs.every((p) => !p.active)) this.lapse(patient, day);
      }
      return;
    }

    program.done++;
    program.lastProvider = appointment.provider;
    this.memberships.maybeJoin(patient, program.def.id, day);
    const hazard = LAPSE_HAZARD[patient.kind] * this.location.churnMultiplier * (patient.isMember ? 0.5 : 1);
    if (patient.visits >= patient.maxVisits || rng.chance(hazard)) {
      // Some patients who will not return still prebook at checkout, then cancel or do not show.
      if (program.intervalMean <= MAX_PREBOOK_INTERVAL && rng.chance(this.location.rebookChance * 0.5)) {
        const targetDay = day + Math.round(program.intervalMean);
        const forced = rng.chance(0.75) ? 'cancelled' : 'no_show';
        this.tryBook({ patient, program, isConsult: false, targetDay, ...checkout, flexDays: 7, forced });
      }
      this.lapse(patient, day);
      return;
    }
    if (patient.programs.length < 4 && rng.chance(patient.kind === 'loyal' ? 0.08 : 0.04)) {
      const added = startProgram(rng, pickProgram(rng, this.location.focus, patient.programs));
      patient.programs.push(added);
      const targetDay = day + rng.int(10, 60);
      this.request({ patient, program: added, isConsult: false, targetDay }, day + rng.int(3, 40));
    }
    const interval = nextSessionIn(rng, program);
    if (interval === null) return;
    const due = day + interval;
    const prebookBias = patient.kind === 'trial' ? 0.9 : patient.kind === 'loyal' ? 1.1 : 1;
    const prebooks = rng.chance(Math.min(0.97, this.location.rebookChance * prebookBias));
    const next = { patient, program, isConsult: false };
    if (interval <= MAX_PREBOOK_INTERVAL && prebooks) {
      if (this.tryBook({ ...next, targetDay: due, ...checkout, flexDays: 7 })) return;
    }
    const dueMonth = Number(this.rows.days.date(due).slice(5, 7));
    const returnDay = due + lateness(rng, patient.kind, dueMonth);
    this.request({ ...next, targetDay: returnDay }, Math.max(day + 1, returnDay - rng.int(2, 14)));
  }

  private lapse(patient: Patient, day: number): void {
    patient.lapsed = true;
    this.memberships.patientLapsed(patient, day);
  }

  // ---- export ---------------------------------------------------------------------------

  private writeAppointment(appointment: Appointment, status: AppointmentStatus): void {
    appointment.patient.referenced = true;
    this.providerReferenced[appointment.provider] = true;
    this.rows.appointmentRow(
      appointment.id,
      appointment.patient.id,
      this.providers[appointment.provider]!.providerId,
      appointment.serviceIndex,
      appointment.bookedDay,
      appointment.bookedMinute,
      appointment.day,
      appointment.startMinute,
      appointment.durationMin,
      status,
    );
  }

  /** Appointments after the window, booked by its end and not cancelled by then, are still scheduled. */
  private writeScheduledAppointments(): void {
    const { location } = this;
    if (location.closedOn !== null) return;
    const exportDay = location.dataEnd;
    for (let day = exportDay + 1; day <= this.lastBookableDay; day++) {
      for (const appointment of this.appointmentsByDay[day - location.simStart]!) {
        if (appointment.bookedDay > exportDay) continue;
        if (appointment.outcome === 'cancelled' && appointment.cancelDay <= exportDay) continue;
        this.writeAppointment(appointment, 'scheduled');
      }
    }
  }

  private writePatients(): void {
    const { location, portfolio } = this;
    for (const patient of this.patients) {
      if (!patient.referenced && !this.rows.inWindow(patient.createdDay)) continue;
      const contact = contactOf(portfolio.seed, location, patient);
      this.rows.patientRow(
        patient.id,
        patient.homeLocationId,
        contact.email,
        contact.phone,
        contact.referralSource,
        this.createdOn(patient),
      );
    }
  }

  /** Patients met in the first months of the simulation stand for the base a site had built since opening. */
  private createdOn(patient: Patient): number {
    const l = this.location;
    if (l.openedOn >= l.simStart || patient.createdDay > l.simStart + 180) return patient.createdDay;
    return Random.fromKey(this.portfolio.seed, 'created', l.index, patient.serial).int(
      l.openedOn,
      patient.createdDay,
    );
  }

  // ---- sister locations --------------------------------------------------------------------

  /**
   * People shared with a sister location arrive on days both bundles compute alike: first at
   * their home location, later (or the same day) at the one they visit.
   */
  private planSharedArrivals(): void {
    const { portfolio, location } = this;
    const space = portfolio.personSpace;
    const sharedBase = Math.floor(space * 0.9);
    const sharedCapacity = space - sharedBase;
    for (const link of portfolio.shared) {
      if (link.home !== location.index && link.visited !== location.index) continue;
      const home = portfolio.locations[link.home]!;
      const visited = portfolio.locations[link.visited]!;
      const from = Math.max(home.dataStart, visited.dataStart);
      const to = Math.min(home.dataEnd, visited.dataEnd) - 45;
      for (let k = 0; k < link.count; k++) {
        const rng = Random.fromKey(portfolio.seed, 'shared', link.home, link.visited, k);
        const atHome = rng.int(from, to);
        const atVisited = rng.int(atHome, to);
        const arrival: SharedArrival = {
          personNumber: home.index * space + sharedBase + ((link.personOffset + k) % sharedCapacity),
          areaCodes: home.city.areaCodes,
          homeLocationId: home.id,
          visiting: link.visited === location.index,
        };
        const day = arrival.visiting ? atVisited : atHome;
        const list = this.sharedByDay.get(day);
        if (list) list.push(arrival);
        else this.sharedByDay.set(day, [arrival]);
      }
    }
  }
}
