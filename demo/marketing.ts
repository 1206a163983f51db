import { type AcquisitionChannel, CAC_CENTS, CHANNEL_SHARE, type PaidChannel } from './catalog';
import type { LocationRows } from './locationRows';
import { personFor } from './people';
import type { LocationPlan, PortfolioPlan } from './portfolioPlan';
import { Random } from './random';

/**
 * Marketing: where new patients come from, what the paid channels cost, and the web leads
 * they produce. Spend follows the day's expected new patients (so it scales with location size
 * and seasonality) times the channel's cost per acquisition. Most leads never book; the ones
 * that do are written by the practice when their patient arrives (same email or phone).
 */

/** Share of paid and website patients who first filled in a lead form. */
export const LEAD_FORM_SHARE = 0.75;

const LEAD_CHANNELS_UNPAID: readonly AcquisitionChannel[] = ['organic'];

export class MarketingDesk {
  readonly channels: AcquisitionChannel[];
  private readonly shares: number[];
  private readonly cacCents = new Map<PaidChannel, number>();
  private readonly rng: Random;
  private monthKey = '';
  private readonly monthSpend = new Map<PaidChannel, number>();
  private leadOnlyCount = 0;

  constructor(
    private readonly rows: LocationRows,
    private readonly portfolio: PortfolioPlan,
    private readonly location: LocationPlan,
  ) {
    this.rng = Random.fromKey(portfolio.seed, 'marketing', location.index);
    const offered = new Set<AcquisitionChannel>(['referral', 'organic', 'walk_in', ...location.paidChannels]);
    this.channels = (Object.keys(CHANNEL_SHARE) as AcquisitionChannel[]).filter((c) => offered.has(c));
    const total = this.channels.reduce((sum, c) => sum + CHANNEL_SHARE[c], 0);
    this.shares = this.channels.map((c) => CHANNEL_SHARE[c] / total);
    for (const channel of location.paidChannels) {
      const [lo, hi] = CAC_CENTS[channel];
      this.cacCents.set(channel, this.rng.range(lo, hi) * location.cacFactor);
    }
  }

  pickChannel(rng: Random): AcquisitionChannel {
    return this.channels[rng.weightedIndex(this.shares)]!;
  }

  /**
   * Spend and leads that did not convert, for a day on which `expectedNewPatients` patients
   * were expected to arrive.
   */
  daily(day: number, expectedNewPatients: number): void {
    if (!this.rows.inWindow(day)) return;
    const month = this.rows.days.date(day).slice(0, 7);
    if (month !== this.monthKey) this.flushMonth();
    this.monthKey = month;
    // A new location buys its first patients: launch campaigns cost more per patient.
    const launch = day - this.location.openedOn < 90 ? 1.8 : 1;
    this.channels.forEach((channel, i) => {
      const expected = expectedNewPatients * this.shares[i]!;
      const cac = this.cacCents.get(channel as PaidChannel);
      if (cac !== undefined) {
        const spend = Math.round(expected * cac * launch * this.rng.range(0.8, 1.2));
        if (this.location.dailySpend) this.rows.spendRow(channel, day, spend);
        else
          this.monthSpend.set(
            channel as PaidChannel,
            (this.monthSpend.get(channel as PaidChannel) ?? 0) + spend,
          );
      }
      if (cac !== undefined || LEAD_CHANNELS_UNPAID.includes(channel)) {
        const converting = expected * LEAD_FORM_SHARE;
        const lost = this.rng.poisson(converting * (1 / this.location.leadConversion - 1));
        for (let k = 0; k < lost; k++) this.leadThatNeverBooks(channel, day);
      }
    });
  }

  /** The monthly spend rows of the last month (for locations whose ad accounts report monthly). */
  finish(): void {
    this.flushMonth();
  }

  private flushMonth(): void {
    if (this.monthKey === '') return;
    for (const channel of this.location.paidChannels) {
      const spend = this.monthSpend.get(channel);
      if (spend !== undefined) this.rows.spendRow(channel, this.monthKey, spend);
    }
    this.monthSpend.clear();
  }

  private leadThatNeverBooks(channel: AcquisitionChannel, day: number): void {
    const space = this.portfolio.personSpace;
    const leadBase = Math.floor(space * 0.6);
    const leadCapacity = Math.floor(space * 0.3);
    const personNumber = this.location.index * space + leadBase + (this.leadOnlyCount++ % leadCapacity);
    const person = personFor(this.portfolio.seed, personNumber, this.location.city.areaCodes);
    const hasEmail = this.rng.chance(0.85);
    const email = hasEmail ? person.email : '';
    const phone = !hasEmail || this.rng.chance(0.6) ? `+1${person.phoneDigits}` : '';
    this.rows.leadRow(channel, day, this.rng.int(6 * 60, 23 * 60), email, phone);
  }
}
