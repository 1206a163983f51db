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
const GIFT_CARDS_PER_DAY: Record<LocationPlan['tier'], number> = { S: 0.15, M: 0.3, L: 0.5, XL: 0.7 };

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
  private readonly refundsByDay = new Map<number, SaleLine[]>();
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
      patientId: v.patient.id,
      providerId: provider.providerId,
      appointmentId: v.appointmentId,
    };
    if (v.isConsult) {
      this.record({ ...base, kind: 'service', serviceCode: CONSULTATION_CODE, grossCents: this.location.consultFeeCents, discountCents: 0, taxCents: 0, tipCents: 0 }, v.provider);
      return;
    }
    const program = v.program;
    const service = SERVICES[program.serviceIndex]!;
    const unitPrice = this.unitPrice(program.serviceIndex, v.day);
    // Toxin doses drift a little from visit to visit; syringes, vials and sessions do not.
    const dose = program.quantity > 10 ? this.rng.range(0.9, 1.1) : 1;
    const quantity = Math.max(1, Math.round(program.quantity * dose));
    const listPrice = unitPrice * quantity;

    const startsSeries = program.done === 0 && !program.maintenance && Number.isFinite(program.sessions) && program.sessions > 1;
    if (startsSeries && this.rng.chance(program.def.packageChance * this.location.packageAffinity)) {
      // Prepaid series: the package is the revenue; each session is then redeemed at zero.
      const packageCents = Math.round((listPrice * program.sessions * 0.85) / 500) * 500;
      this.record({ ...base, kind: 'package', serviceCode: service.code, grossCents: packageCents, discountCents: 0, taxCents: 0, tipCents: 0 }, v.provider);
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
    } else {
      const month = this.monthOf(v.day);
      if (this.rng.chance(month >= 11 ? 0.2 : 0.1)) discount = Math.round((gross * this.rng.pick([0.1, 0.15, 0.2])) / 100) * 100;
    }
    let tip = 0;
    const tipChance = (provider.role === 'aesthetician' ? 0.35 : 0.08) * this.location.tipAffinity;
    if (gross > 0 && this.rng.chance(tipChance)) tip = Math.round(((gross - discount) * this.rng.range(0.15, 0.2)) / 100) * 100;
    this.record({ ...base, kind: 'service', serviceCode: service.code, grossCents: gross, discountCents: discount, taxCents: 0, tipCents: tip }, v.provider);

    const skinCare = service.category === 'facial' || service.category === 'skin_treatment';
    if (this.rng.chance(this.location.retailChance * (skinCare ? 1.6 : 1))) {
      const items = this.rng.chance(0.3) ? 2 : 1;
      for (let i = 0; i < items; i++) this.retail(v.day, v.patient.id, provider.providerId);
    }
  }

  /** A no-show or late-cancellation fee, charged where the location enforces its policy. */
  noShowFee(day: number, patientId: string, appointmentId: string): void {
    if (this.location.noShowFeeCents === 0 || !this.rng.chance(0.6)) return;
    this.record({ day, patientId, providerId: '', appointmentId, kind: 'other', serviceCode: '', grossCents: this.location.noShowFeeCents, discountCents: 0, taxCents: 0, tipCents: 0 }, -1);
  }

  membershipFee(day: number, patientId: string, feeCents: number): void {
    this.record({ day, patientId, providerId: '', appointmentId: '', kind: 'membership_fee', serviceCode: '', grossCents: feeCents, discountCents: 0, taxCents: 0, tipCents: 0 }, -1);
  }

  /** Gift cards (never revenue), re-orders of skincare, and refunds falling due today. */
  daily(day: number, somePatient: () => Patient | null): void {
    const giftCards = this.rng.poisson(GIFT_CARDS_PER_DAY[this.location.tier] * GIFT_CARD_SEASONALITY[this.monthOf(day) - 1]!);
    for (let i = 0; i < giftCards; i++) {
      const buyer = this.rng.chance(0.45) ? somePatient() : null;
      const amount = this.rng.pick(GIFT_CARD_AMOUNTS_CENTS);
      this.record({ day, patientId: buyer?.id ?? '', providerId: '', appointmentId: '', kind: 'gift_card', serviceCode: '', grossCents: amount, discountCents: 0, taxCents: 0, tipCents: 0 }, -1);
    }
    const reorders = this.rng.poisson(GIFT_CARDS_PER_DAY[this.location.tier] * 0.4);
    for (let i = 0; i < reorders; i++) {
      const buyer = somePatient();
      if (buyer) this.retail(day, buyer.id, '');
    }
    const refunds = this.refundsByDay.get(day);
    if (refunds) {
      this.refundsByDay.delete(day);
      for (const line of refunds) this.record(line, this.providers.findIndex((p) => p.providerId === line.providerId));
    }
  }

  private retail(day: number, patientId: string, providerId: string): void {
    const price = Math.round((this.rng.pick(RETAIL_PRICES_CENTS) * this.location.priceLevel) / 100) * 100;
    const tax = Math.round(price * this.location.city.salesTax);
    this.record({ day, patientId, providerId, appointmentId: '', kind: 'retail', serviceCode: '', grossCents: price, discountCents: 0, taxCents: tax, tipCents: 0 }, -1);
  }

  private yearOf(day: number): number {
    return Number(this.rows.days.date(day).slice(0, 4));
  }

  private monthOf(day: number): number {
    return Number(this.rows.days.date(day).slice(5, 7));
  }

  /** Writes the line, books production, and now and then schedules its refund. */
  private record(line: SaleLine, provider: number): void {
    this.rows.saleRow(line);
    const net = line.grossCents - line.discountCents;
    if (provider >= 0 && (line.kind === 'service' || line.kind === 'package')) {
      this.production[(line.day - this.firstDay) * this.providers.length + provider]! += net;
    }
    const refundable: readonly SaleKind[] = ['service', 'package', 'retail', 'membership_fee'];
    if (net > 0 && refundable.includes(line.kind) && this.rng.chance(REFUND_RATE)) {
      const isPackage = line.kind === 'package';
      const refundDay = line.day + (isPackage ? this.rng.int(14, 90) : this.rng.int(3, 30));
      // A package refund returns the unused sessions only.
      const share = isPackage ? this.rng.range(0.3, 0.9) : 1;
      const refund: SaleLine = {
        ...line,
        day: refundDay,
        grossCents: -Math.round((net * share) / 100) * 100,
        discountCents: 0,
        taxCents: -Math.round(line.taxCents * share),
        tipCents: 0,
      };
      const due = this.refundsByDay.get(refundDay);
      if (due) due.push(refund);
      else this.refundsByDay.set(refundDay, [refund]);
    }
  }
}

