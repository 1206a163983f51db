import { PAY_BANDS, type ProviderRole, ROLE_SKILLS, type Skill } from './catalog';
import { weekdayOf } from './holidays';
import { providerDisplayName, randomName } from './people';
import type { FloatPlan, LocationPlan, PortfolioPlan, SizeTier } from './portfolioPlan';
import { hashKey, Random, unitHash } from './random';

/**
 * Who works at a location, when, and on what pay plan. A location has 3–9 chairs (seats) by
 * size; each seat is held by a sequence of providers as people leave and are replaced. A
 * floating provider adds a row at two locations with the same provider and payroll ids.
 * Shifts are stateless lookups so both bundles of a floating provider agree on her days off.
 */

export interface ProviderPlan {
  providerId: string;
  payrollEmployeeId: string;
  displayName: string;
  role: ProviderRole;
  skills: ReadonlySet<Skill>;
  hourlyCents: number;
  commissionRate: number;
  bonusEligible: boolean;
  /** Dates shown in providers.csv (null = the export does not know). */
  startedOn: number | null;
  endedOn: number | null;
  /** Days this provider can be scheduled at this location. */
  activeFrom: number;
  activeTo: number;
  /** ISO weekdays worked at this location. */
  weekdays: readonly number[];
  shiftStart: number;
  shiftEnd: number;
  /** Seeds the stateless vacation and sick-day lookups. */
  scheduleKey: number;
  float: FloatPlan | null;
  /** Relative pull on new patients (some providers build a following). */
  popularity: number;
}

const SEATS: Record<SizeTier, readonly [number, number]> = { S: [3, 3], M: [4, 4], L: [5, 6], XL: [8, 9] };

type ShiftTemplate = readonly [number, number];

/**
 * Shift templates. Injectors work full days; treatment-room staff mostly work six- or
 * seven-hour days staggered to cover evenings; a small site's nurse injector comes in for
 * the busy afternoons only.
 */
const INJECTOR_SHIFTS: Record<SizeTier, readonly ShiftTemplate[]> = {
  S: [[14 * 60, 18 * 60]],
  M: [
    [9 * 60, 17 * 60],
    [10 * 60, 18 * 60],
    [11 * 60, 19 * 60],
  ],
  L: [
    [9 * 60, 17 * 60],
    [10 * 60, 18 * 60],
    [11 * 60, 19 * 60],
  ],
  XL: [
    [9 * 60, 17 * 60],
    [10 * 60, 19 * 60],
    [8 * 60, 16 * 60],
    [11 * 60, 20 * 60],
  ],
};

const ROOM_SHIFTS: Record<SizeTier, readonly ShiftTemplate[]> = {
  S: [
    [10 * 60, 16 * 60],
    [9 * 60, 15 * 60],
    [12 * 60, 18 * 60],
  ],
  M: [
    [9 * 60, 15 * 60],
    [10 * 60, 16 * 60],
    [12 * 60, 18 * 60],
    [13 * 60, 19 * 60],
  ],
  L: [
    [9 * 60, 15 * 60],
    [10 * 60, 16 * 60],
    [12 * 60, 18 * 60],
    [13 * 60, 19 * 60],
  ],
  XL: [
    [9 * 60, 16 * 60],
    [10 * 60, 17 * 60],
    [12 * 60, 19 * 60],
  ],
};

/** Share of seats working five days a week rather than four. */
const FIVE_DAY_SHARE: Record<SizeTier, number> = { S: 0, M: 0.1, L: 0.25, XL: 0.7 };

const SATURDAY_SHIFT: readonly [number, number] = [9 * 60, 15 * 60];

/**
 * Injector seats (MD, NP, PA, RN) by size; the other seats are aestheticians. Injectors earn
 * most per hour, so their number is what separates the revenue bands.
 */
const INJECTORS: Record<SizeTier, number> = { S: 1, M: 1, L: 2, XL: 4 };

/** Laser-heavy sites trade an injector for a laser nurse (large sites only). */
const FOCUS_INJECTOR_ADJUSTMENT: Record<LocationPlan['focus'], number> = {
  injectables: 0,
  balanced: 0,
  laser: -1,
  skin: 0,
};

/** Mean tenure of a provider; medspa turnover is high. */
const MEAN_TENURE_DAYS = 4 * 365;

export function planProviders(
  portfolio: PortfolioPlan,
  location: LocationPlan,
  /** Last day anyone can be booked: providers keep working after the export day. */
  lastWorkDay: number,
): ProviderPlan[] {
  const rng = Random.fromKey(portfolio.seed, 'staff', location.index);
  const floats = portfolio.floats.filter((f) => f.home === location.index || f.away === location.index);
  const [minSeats, maxSeats] = SEATS[location.tier];
  const seats = Math.min(rng.int(minSeats, maxSeats), 9 - floats.length);
  const adjustment =
    location.tier === 'L' || location.tier === 'XL' ? FOCUS_INJECTOR_ADJUSTMENT[location.focus] : 0;
  const injectors = Math.min(seats - 1, Math.max(1, INJECTORS[location.tier] + adjustment));
  const roles: ProviderRole[] = [];
  for (let seat = 0; seat < seats; seat++) {
    if (seat < injectors) {
      const hasMedicalDirector = location.tier === 'L' || location.tier === 'XL';
      // A small site's only injector is a nurse who also does skin and laser work.
      const injector = location.tier === 'S' ? 'rn' : rng.pick(['np', 'np', 'pa', 'rn', 'rn'] as const);
      roles.push(seat === 0 && hasMedicalDirector ? 'md' : injector);
    } else {
      // Laser-heavy sites keep a laser nurse; everyone else behind the treatment-room door is an aesthetician.
      roles.push(seat === injectors && location.focus === 'laser' ? 'rn' : 'aesthetician');
    }
  }
  if (location.tier !== 'S' && location.utilizationTrendPerYear > 0.03 && seats < 9 - floats.length) {
    roles.push(rng.pick(['rn', 'aesthetician', 'aesthetician'] as const));
  }

  const providers: ProviderPlan[] = [];
  const end = Math.min(lastWorkDay, location.closedOn ?? lastWorkDay);
  let serial = 0;
  roles.forEach((role, seat) => {
    const isGrowthHire = seat >= seats;
    const daysPerWeek = rng.chance(FIVE_DAY_SHARE[location.tier]) ? 5 : 4;
    const weekdays = workWeek(seat + rng.int(0, 5), daysPerWeek);
    const templates = role === 'aesthetician' ? ROOM_SHIFTS : INJECTOR_SHIFTS;
    const [shiftStart, shiftEnd] = rng.pick(templates[location.tier]);
    const openedRecently = location.openedOn >= location.simStart;
    let from = isGrowthHire
      ? rng.int(location.dataStart + 90, Math.max(location.dataStart + 90, location.dataEnd - 120))
      : location.simStart;
    let startedOn: number | null = openedRecently || isGrowthHire ? from : rng.int(location.openedOn, from);
    while (from <= end) {
      const tenure = Math.round(rng.exponential(MEAN_TENURE_DAYS));
      const leaves = from + Math.max(120, tenure);
      const activeTo = Math.min(leaves, end);
      const endedOn = leaves <= end ? leaves : location.closedOn;
      providers.push(
        makeProvider(rng, portfolio, location, serial++, role, {
          startedOn: startedOn !== null && rng.chance(0.9) ? startedOn : null,
          endedOn,
          activeFrom: from,
          activeTo,
          weekdays,
          shiftStart,
          shiftEnd,
        }),
      );
      from = leaves + rng.int(21, 70);
      startedOn = from;
    }
  });
  for (const float of floats) providers.push(floatProvider(portfolio, location, float, end));
  return providers;
}

/** `days` of Monday–Saturday, rotated by `offset` so seats cover different days off. */
function workWeek(offset: number, days: number): number[] {
  const off = new Set<number>();
  off.add((offset % 6) + 1);
  if (days === 4) off.add(((offset + 3) % 6) + 1);
  return [1, 2, 3, 4, 5, 6].filter((d) => !off.has(d));
}

interface Tenure {
  startedOn: number | null;
  endedOn: number | null;
  activeFrom: number;
  activeTo: number;
  weekdays: readonly number[];
  shiftStart: number;
  shiftEnd: number;
}

function makeProvider(
  rng: Random,
  portfolio: PortfolioPlan,
  location: LocationPlan,
  serial: number,
  role: ProviderRole,
  tenure: Tenure,
): ProviderPlan {
  const { first, last } = randomName(rng);
  const pay = payPlan(rng, role);
  const providerId = `${location.id}-PR${String(serial + 1).padStart(2, '0')}`;
  return {
    providerId,
    payrollEmployeeId: `E${1001 + location.index * 50 + (serial % 50)}`,
    displayName: providerDisplayName(first, last, role, location.displayNameStyle),
    role,
    skills: new Set(ROLE_SKILLS[role]),
    ...pay,
    ...tenure,
    scheduleKey: hashKey(portfolio.seed, 'schedule', providerId),
    float: null,
    popularity: rng.range(0.6, 1.4),
  };
}

function payPlan(
  rng: Random,
  role: ProviderRole,
): { hourlyCents: number; commissionRate: number; bonusEligible: boolean } {
  const band = PAY_BANDS[role];
  // A few providers negotiated the top of the band: they show up as comp-to-production outliers.
  const generous = rng.chance(0.15);
  const hourly = generous ? band.hourly[1] : rng.range(band.hourly[0], band.hourly[1]);
  const commission = generous ? band.commission[1] + 0.05 : rng.range(band.commission[0], band.commission[1]);
  return {
    hourlyCents: Math.round(hourly * 2) * 50,
    commissionRate: Math.round(Math.min(0.25, commission) * 200) / 200,
    bonusEligible: role !== 'aesthetician' && rng.chance(0.5),
  };
}

/** The floating provider's row at one of her two locations: same ids, that location's days. */
function floatProvider(
  portfolio: PortfolioPlan,
  location: LocationPlan,
  float: FloatPlan,
  end: number,
): ProviderPlan {
  const rng = Random.fromKey(portfolio.seed, 'float', float.number);
  const { first, last } = randomName(rng);
  const role = rng.pick(['np', 'rn'] as const);
  const pay = payPlan(rng, role);
  const home = portfolio.locations[float.home]!;
  const away = portfolio.locations[float.away]!;
  const hired = Math.max(home.openedOn, portfolio.windowStart - rng.int(100, 800));
  const isHome = location.index === float.home;
  const activeFrom = Math.max(hired, location.openedOn, location.simStart);
  return {
    providerId: `PF${String(float.number).padStart(3, '0')}`,
    payrollEmployeeId: `E${1001 + portfolio.locations.length * 50 + float.number}`,
    displayName: providerDisplayName(first, last, role, location.displayNameStyle),
    role,
    skills: new Set(ROLE_SKILLS[role]),
    ...pay,
    startedOn: Math.max(hired, location.openedOn),
    endedOn: location.closedOn,
    activeFrom,
    activeTo: end,
    weekdays: isHome ? [1, 2, 3] : [4, 5],
    shiftStart: 9 * 60,
    shiftEnd: isHome || away.tier === 'S' ? 17 * 60 : 18 * 60,
    scheduleKey: hashKey(portfolio.seed, 'schedule', 'float', float.number),
    float,
    popularity: 1.2,
  };
}

/**
 * The shift a provider works on `day` at this location, or null: off that weekday, on a
 * clinic holiday, on vacation (about three weeks a year, whole weeks) or out sick.
 */
export function shiftOn(
  provider: ProviderPlan,
  day: number,
  holidays: ReadonlySet<number>,
): readonly [number, number] | null {
  if (day < provider.activeFrom || day > provider.activeTo || holidays.has(day)) return null;
  const weekday = weekdayOf(day);
  if (!provider.weekdays.includes(weekday)) return null;
  const mondayWeek = Math.floor((day - 4) / 7);
  if (unitHash(provider.scheduleKey, mondayWeek, 1) < 0.058) return null;
  if (unitHash(provider.scheduleKey, day, 2) < 0.015) return null;
  if (weekday === 6) return SATURDAY_SHIFT;
  return [provider.shiftStart, provider.shiftEnd];
}
