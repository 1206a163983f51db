import {
  CONSULTATION_CODE,
  GIFT_CARD_AMOUNTS_CENTS,
  GIFT_CARD_SEASONALITY,
  RETAIL_PRICES_CENTS,
  SERVICES,
} from './catalog';
import type { LocationRows, SaleKind, SaleLine } from './locationRows';
import type { Patient, Program } from './patients';
import type { LocationPlan } from './portfolioPlan';
import { Random } from './random';
import type { ProviderPlan } from './staffing';

/**
 * The point of sale: what each visit rings up (service, package, retail, tip), membership
 * fees, no-show fees, gift cards, and refunds made days or weeks after the original sale.
 * It also keeps each provider's daily production (service + package net) for commissions.
 */

const REFUND_RATE = 0.015;
const REFUNDABLE: readonly SaleKind[] = ['service', 'package', 'retail', 'membership_fee'];
const GIFT_CARDS_PER_DAY: Record<LocationPlan['tier'], number> = { S: 0.15, M: 0.3, L: 0.5, XL: 0.7 };

type LineFields = Pick<SaleLine, 'day' | 'kind' | 'grossCents'> &
  Partial<Omit<SaleLine, 'day' | 'kind' | 'grossCents'>>;

export interface VisitFacts {
  day: number;
  patient: Patient;
  program: Program;
  provider: number;
  appointmentId: string;
  isConsult: boolean;
}

export class SalesDesk {
  /** Net service + package cents by provider by day: [(day - firstDay) * providers + p]. */
  readonly production: Float64Array;
  private readonly refundsByDay = new Map<number, { line: SaleLine; provider: number }[]>();
  private readonly rng: Random;
  private readonly firstYear: number;
  private readonly priceCache = new Map<number, number>();

  constructor(
    private readonly rows: LocationRows,
    private readonly location: LocationPlan,
    private readonly providers: readonly ProviderPlan[],
    private readonly firstDay: number,
    lastDay: number,
    seed: number,
  ) {
    this.production = new Float64Array((lastDay - firstDay + 1) * providers.length);
    this.rng = Random.fromKey(seed, 'sales', location.index);
    this.firstYear = this.yearOf(location.dataStart);
  }

  /** List price of one unit of a service on a day: local price level plus a yearly increase each January. */
  unitPrice(serviceIndex: number, day: number): number {
    const year = this.yearOf(day);
    const key = year * 100 + serviceIndex;
    let price = this.priceCache.get(key);
    if (price === undefined) {
      const growth = Math.pow(1 + this.location.priceGrowthPerYear, year - this.firstYear);
      const raw = SERVICES[serviceIndex]!.unitPriceCents * this.location.priceLevel * growth;
      // Toxin is priced per unit to the half dollar; everything else to five dollars.
      price = raw < 5000 ? Math.round(raw / 50) * 50 : Math.round(raw / 500) * 500;
      this.priceCache.set(key, price);
    }
    return price;
  }

  visit(v: VisitFacts): void {
    const provider = this.providers[v.provider]!;
    const base = {
      day: v.day,
      patient: v.patient,
      providerId: provider.providerId,
      appointmentId: v.appointmentId,
    };
    if (v.isConsult) {
      const fee = this.location.consultFeeCents;
      this.ring({ ...base, kind: 'service', serviceCode: CONSULTATION_CODE, grossCents: fee }, v.provider);
      return;
    }
    const program = v.program;
    const service = SERVICES[program.serviceIndex]!;
    const unitPrice = this.unitPrice(program.serviceIndex, v.day);
    // Toxin doses drift a little from visit to visit; syringes, vials and sessions do not.
    const dose = program.quantity > 10 ? this.rng.range(0.9, 1.1) : 1;
    const listPrice = unitPrice * Math.max(1, Math.round(program.quantity * dose));

    const startsSeries =
      program.done === 0 && !program.maintenance && Number.isFinite(program.sessions) && program.sessions > 1;
    if (startsSeries && this.rng.chance(program.def.packageChance * this.location.packageAffinity)) {
      // Prepaid series: the package is the revenue; each session is then redeemed at zero.
      const packageCents = Math.round((listPrice * program.sessions * 0.85) / 500) * 500;
      this.ring(
        { ...base, kind: 'package', serviceCode: service.code, grossCents: packageCents },
        v.provider,
      );
      program.prepaidLeft = program.sessions;
    }

    let gross = listPrice;
    let discount = 0;
    if (program.prepaidLeft > 0) {
      program.prepaidLeft--;
      gross = 0;
    } else if (v.patient.isMember) {
      // Member pricing is 10 % off; the monthly dues are banked as credit and spent on treatments.
      discount = Math.round(gross / 1000) * 100;
      const credit = Math.min(gross - discount, v.patient.memberCreditCents);
      discount += credit;
      v.patient.memberCreditCents -= credit;
    } else if (this.rng.chance(this.monthOf(v.day) >= 11 ? 0.2 : 0.1)) {
      // Promotions, busiest before the holidays.
      discount = Math.round((gross * this.rng.pick([0.1, 0.15, 0.2])) / 100) * 100;
    }
    let tip = 0;
    const tipChance = (provider.role === 'aesthetician' ? 0.35 : 0.08) * this.location.tipAffinity;
    if (gross > 0 && this.rng.chance(tipChance)) {
      tip = Math.round(((gross - discount) * this.rng.range(0.15, 0.2)) / 100) * 100;
    }
    const line = { ...base, kind: 'service' as const, serviceCode: service.code, grossCents: gross };
    this.ring({ ...line, discountCents: discount, tipCents: tip }, v.provider);

    const skinCare = service.category === 'facial' || service.category === 'skin_treatment';
    if (this.rng.chance(this.location.retailChance * (skinCare ? 1.6 : 1))) {
      const items = this.rng.chance(0.3) ? 2 : 1;
      for (let i = 0; i < items; i++) this.retail(v.day, v.patient, provider.providerId);
    }
  }

  /** A no-show or late-cancellation fee, charged where the location enforces its policy. */
  noShowFee(day: number, patient: Patient, appointmentId: string): void {
    if (this.location.noShowFeeCents === 0 || !this.rng.chance(0.6)) return;
    this.ring({ day, patient, appointmentId, kind: 'other', grossCents: this.location.noShowFeeCents });
  }

  membershipFee(day: number, patient: Patient, feeCents: number): void {
    this.ring({ day, patient, kind: 'membership_fee', grossCents: feeCents });
  }

  /** Gift cards (never revenue), re-orders of skincare, and refunds falling due today. */
  daily(day: number, somePatient: () => Patient | null): void {
    const perDay = GIFT_CARDS_PER_DAY[this.location.tier];
    const giftCards = this.rng.poisson(perDay * GIFT_CARD_SEASONALITY[this.monthOf(day) - 1]!);
    for (let i = 0; i < giftCards; i++) {
      const buyer = this.rng.chance(0.45) ? somePatient() : null;
      this.ring({
        day,
        patient: buyer,
        kind: 'gift_card',
        grossCents: this.rng.pick(GIFT_CARD_AMOUNTS_CENTS),
      });
    }
    const reorders = this.rng.poisson(perDay * 0.4);
    for (let i = 0; i < reorders; i++) {
      const buyer = somePatient();
      if (buyer) this.retail(day, buyer, '');
    }
    const refunds = this.refundsByDay.get(day);
    if (refunds) {
      this.refundsByDay.delete(day);
      for (const refund of refunds) this.record(refund.line, refund.provider);
    }
  }

  private retail(day: number, patient: Patient, providerId: string): void {
    const price = Math.round((this.rng.pick(RETAIL_PRICES_CENTS) * this.location.priceLevel) / 100) * 100;
    const tax = Math.round(price * this.location.city.salesTax);
    this.ring({ day, patient, providerId, kind: 'retail', grossCents: price, taxCents: tax });
  }

  private yearOf(day: number): number {
    return Number(this.rows.days.date(day).slice(0, 4));
  }

  private monthOf(day: number): number {
    return Number(this.rows.days.date(day).slice(5, 7));
  }

  /** A line with every field it does not name left empty or zero; `provider` earns its production. */
  private ring(fields: LineFields, provider = -1): void {
    this.record(
      {
        patient: null,
        providerId: '',
        appointmentId: '',
        serviceCode: '',
        discountCents: 0,
        taxCents: 0,
        tipCents: 0,
        ...fields,
      },
      provider,
    );
  }

  /** Writes the line, books production, and now and then schedules its refund. */
  private record(line: SaleLine, provider: number): void {
    this.rows.saleRow(line);
    const net = line.grossCents - line.discountCents;
    if (provider >= 0 && (line.kind === 'service' || line.kind === 'package')) {
      this.production[(line.day - this.firstDay) * this.providers.length + provider]! += net;
    }
    if (net > 0 && REFUNDABLE.includes(line.kind) && this.rng.chance(REFUND_RATE)) {
      const isPackage = line.kind === 'package';
      const refundDay = line.day + (isPackage ? this.rng.int(14, 90) : this.rng.int(3, 30));
      // A package refund returns the unused sessions only.
      const share = isPackage ? this.rng.range(0.3, 0.9) : 1;
      const refund: SaleLine = {
        ...line,
        // A refund of a sale from before the export window cannot point at its appointment.
        appointmentId: this.rows.inWindow(line.day) ? line.appointmentId : '',
        day: refundDay,
        grossCents: -Math.round((net * share) / 100) * 100,
        discountCents: 0,
        taxCents: -Math.round(line.taxCents * share),
        tipCents: 0,
      };
      const due = this.refundsByDay.get(refundDay);
      if (due) due.push({ line: refund, provider });
      else this.refundsByDay.set(refundDay, [{ line: refund, provider }]);
    }
  }
}
