import { addMonths, firstDayOfMonth, lastDayOfMonth, toDayNumber } from '../shared/model/localDate';
import {
  EMR_SYSTEMS,
  EMR_WEIGHTS,
  type EmrSystem,
  MEMBERSHIP_PLANS,
  type MixFocus,
  type PaidChannel,
} from './catalog';
import { BRANDS, CITIES, type City, NEIGHBORHOOD_SUFFIXES } from './geography';
import type { DemoOptions } from './options';
import { PERSON_NUMBER_SPACE, PHONE_STYLES, type PhoneStyle } from './people';
import { Random } from './random';

/**
 * The portfolio before any patient exists: which locations there are, where, how big, since
 * when, how well run, and how they are linked (sister locations that share patients, a
 * provider who works at two sites). Every location's plan is a pure function of the options
 * and its index, so each bundle can be generated on its own and still agree with the others.
 */

/** Size by LTM net revenue band: <$1M, $1–3M, $3–6M, >$6M. */
export type SizeTier = 'S' | 'M' | 'L' | 'XL';

export interface LocationPlan {
  index: number;
  id: string;
  name: string;
  city: City;
  emr: EmrSystem;
  rooms: number;
  openedOn: number;
  closedOn: number | null;
  acquiredOn: number | null;
  /** First and last day whose facts the bundle contains. */
  dataStart: number;
  dataEnd: number;
  /** The simulation starts earlier so the window opens on an established patient base. */
  simStart: number;
  tier: SizeTier;
  focus: MixFocus;
  /** 0 = leaky, 1 = excellent; the operating parameters below follow from it with noise. */
  quality: number;
  rebookChance: number;
  noShowRate: number;
  lateCancelRate: number;
  cancelRate: number;
  churnMultiplier: number;
  targetUtilization: number;
  utilizationTrendPerYear: number;
  memberPropensity: number;
  retailChance: number;
  packageAffinity: number;
  tipAffinity: number;
  priceLevel: number;
  priceGrowthPerYear: number;
  consultFeeCents: number;
  noShowFeeCents: number;
  employerTaxRate: number;
  bookedAtMissing: boolean;
  phoneStyle: PhoneStyle;
  displayNameStyle: number;
  paidChannels: PaidChannel[];
  dailySpend: boolean;
  cacFactor: number;
  leadConversion: number;
  offeredPlans: number[];
  monthlyMembershipChurn: number;
}

/** A provider who works at two locations; payroll runs through the home location. */
export interface FloatPlan {
  number: number;
  home: number;
  away: number;
}

/** Patients of `home` who also visit `visited` (about 3 % of a location's patients). */
export interface SharedPatients {
  home: number;
  visited: number;
  count: number;
  /** Where this link's people start among the home location's shared person numbers. */
  personOffset: number;
}

export interface PortfolioPlan {
  seed: number;
  windowStart: number;
  windowEnd: number;
  locations: LocationPlan[];
  floats: FloatPlan[];
  shared: SharedPatients[];
  /** Person numbers available to each location (see people.ts). */
  personSpace: number;
}

const TIER_PATTERN: readonly SizeTier[] = ['L', 'M', 'M', 'XL', 'S', 'M', 'L', 'S'];
const TIER_WEIGHTS: readonly number[] = [0.2, 0.4, 0.28, 0.12];
const TIERS: readonly SizeTier[] = ['S', 'M', 'L', 'XL'];
const FOCI: readonly MixFocus[] = ['injectables', 'laser', 'balanced', 'skin'];
const FOCUS_WEIGHTS: Record<SizeTier, readonly number[]> = {
  S: [0.3, 0, 0.3, 0.4],
  M: [0.35, 0.2, 0.35, 0.1],
  L: [0.4, 0.25, 0.35, 0],
  XL: [0.5, 0, 0.5, 0],
};

/**
 * Small sites are small partly because their chairs sit empty; the largest keep them full.
 * Together with staffing this puts LTM revenue in the tier's band.
 */
const UTILIZATION_OFFSET: Record<SizeTier, number> = { S: -0.1, M: 0, L: 0, XL: 0.03 };

/** No small site is run like the flagship, and no large one is a mess (it would not have grown). */
const QUALITY_RANGE: Record<SizeTier, readonly [number, number]> = {
  S: [0, 0.75],
  M: [0, 1],
  L: [0.1, 1],
  XL: [0.35, 1],
};

/** Rough new patients a month by size, used only to size the shared-patient links. */
export const NEW_PATIENTS_PER_MONTH: Record<SizeTier, number> = { S: 35, M: 70, L: 120, XL: 170 };

export function locationId(index: number): string {
  return `L${String(index + 1).padStart(3, '0')}`;
}

export function planPortfolio(options: DemoOptions): PortfolioPlan {
  const windowStart = toDayNumber(firstDayOfMonth(addMonths(options.endMonth, -(12 * options.years - 1))));
  const windowEnd = toDayNumber(lastDayOfMonth(options.endMonth));
  const cityOrder = Random.fromKey(options.seed, 'cities').shuffle(CITIES.map((_, i) => i));
  const locations: LocationPlan[] = [];
  for (let index = 0; index < options.locations; index++) {
    locations.push(planLocation(options, index, windowStart, windowEnd, cityOrder));
  }
  return {
    seed: options.seed,
    windowStart,
    windowEnd,
    locations,
    floats: planFloats(locations),
    shared: planSharedPatients(options.seed, locations),
    personSpace: Math.floor(PERSON_NUMBER_SPACE / options.locations),
  };
}

function planLocation(
  options: DemoOptions,
  index: number,
  windowStart: number,
  windowEnd: number,
  cityOrder: readonly number[],
): LocationPlan {
  const n = options.locations;
  const rng = Random.fromKey(options.seed, 'location', index);
  const windowDays = windowEnd - windowStart + 1;
  const isClosed = n >= 3 && index === 1;
  const isRecent = n >= 3 && index === 2;
  // Larger portfolios also hold a few de novo sites that opened inside the window and a
  // rare second closure, so age bands and same-store exclusions have more than one case.
  const isDeNovo = !isRecent && index >= 8 && windowDays > 500 && rng.chance(0.1);
  const isLateClosure = !isDeNovo && index >= 8 && rng.chance(0.03);

  const tier: SizeTier =
    index < TIER_PATTERN.length ? TIER_PATTERN[index]! : TIERS[rng.weightedIndex(TIER_WEIGHTS)]!;
  const focus = FOCI[rng.weightedIndex(FOCUS_WEIGHTS[tier])]!;

  let openedOn = windowStart - rng.int(400, 3650);
  let acquiredOn: number | null =
    index === 0
      ? windowStart - rng.int(60, 400)
      : rng.int(Math.max(openedOn + 180, windowStart - 365), Math.max(openedOn + 180, windowEnd - 120));
  let closedOn: number | null = null;
  if (isRecent) {
    openedOn = windowEnd - rng.int(120, 240);
    acquiredOn = null;
  } else if (isDeNovo) {
    openedOn = windowStart + rng.int(60, windowDays - 300);
    acquiredOn = null;
  }
  if (isClosed) closedOn = windowEnd - rng.int(90, 180);
  if (isLateClosure) closedOn = windowStart + rng.int(Math.floor(windowDays / 2), windowDays - 100);
  if (closedOn !== null && acquiredOn !== null && acquiredOn >= closedOn)
    acquiredOn = closedOn - rng.int(200, 500);
  if (acquiredOn !== null && acquiredOn < openedOn) acquiredOn = openedOn + rng.int(30, 200);

  const cityIndex = cityOrder[index % cityOrder.length]!;
  const city = CITIES[cityIndex]!;
  const suffix = NEIGHBORHOOD_SUFFIXES[Math.floor(index / cityOrder.length) % NEIGHBORHOOD_SUFFIXES.length]!;
  const brand = BRANDS[Random.fromKey(options.seed, 'brand', cityIndex).int(0, BRANDS.length - 1)]!;

  const noBookedAtIndex = n >= 5 ? 4 : n >= 2 ? n - 1 : -1;
  const bookedAtMissing = index === noBookedAtIndex;
  // A location without booked_at runs an EMR with no public export schema (sources.md).
  const emr: EmrSystem = bookedAtMissing
    ? rng.pick(['PatientNow', 'Nextech'] as const)
    : EMR_SYSTEMS[rng.weightedIndex(EMR_WEIGHTS)]!;

  // Closing sites were the struggling ones.
  const quality =
    isClosed || isLateClosure
      ? rng.range(0.05, 0.3)
      : rng.range(QUALITY_RANGE[tier][0], QUALITY_RANGE[tier][1]);
  const noise = (spread: number): number => rng.range(-spread, spread);
  const paidChannels: PaidChannel[] = ['google_ads', 'meta'];
  if (rng.chance(0.4)) paidChannels.push('tiktok');
  if (rng.chance(0.3)) paidChannels.push('yelp');
  const planCount = rng.int(2, 3);
  const offeredPlans = rng.shuffle(MEMBERSHIP_PLANS.map((_, i) => i)).slice(0, planCount);

  const dataStart = Math.max(windowStart, openedOn);
  const dataEnd = Math.min(windowEnd, closedOn ?? windowEnd);
  return {
    index,
    id: locationId(index),
    name: `${brand} \u2013 ${city.name}${suffix}`,
    city,
    emr,
    rooms: { S: rng.int(3, 4), M: rng.int(4, 5), L: rng.int(5, 7), XL: rng.int(7, 8) }[tier],
    openedOn,
    closedOn,
    acquiredOn,
    dataStart,
    dataEnd,
    simStart: Math.max(openedOn, dataStart - 540),
    tier,
    focus,
    quality,
    rebookChance: clamp(0.62 + 0.38 * quality + noise(0.04), 0.5, 0.98),
    noShowRate: clamp(0.095 - 0.045 * quality + noise(0.01), 0.045, 0.11),
    lateCancelRate: clamp(0.05 - 0.02 * quality + noise(0.005), 0.03, 0.055),
    cancelRate: clamp(0.08 - 0.03 * quality + noise(0.01), 0.045, 0.09),
    churnMultiplier: clamp(1.35 - 0.6 * quality + noise(0.08), 0.7, 1.45),
    targetUtilization: clamp(0.58 + 0.2 * quality + UTILIZATION_OFFSET[tier] + noise(0.03), 0.54, 0.8),
    utilizationTrendPerYear: rng.range(-0.02, 0.05),
    memberPropensity: rng.range(0.6, 1.4) * (0.8 + 0.4 * quality),
    retailChance: rng.range(0.06, 0.16),
    packageAffinity: rng.range(0.5, 1.3),
    tipAffinity: rng.range(0.5, 1.5),
    // Small sites compete on price.
    priceLevel: city.priceLevel * rng.range(0.94, 1.06) * (tier === 'S' ? 0.85 : 1),
    priceGrowthPerYear: rng.range(0.02, 0.05),
    consultFeeCents: rng.chance(0.6) ? 0 : rng.pick([5000, 7500, 10000]),
    noShowFeeCents: rng.chance(0.45) ? rng.pick([5000, 7500, 10000]) : 0,
    employerTaxRate: rng.range(0.09, 0.14),
    bookedAtMissing,
    phoneStyle: rng.pick(PHONE_STYLES),
    displayNameStyle: rng.int(0, 3),
    paidChannels,
    dailySpend: rng.chance(0.45),
    cacFactor: rng.range(0.8, 1.25) * (1.15 - 0.3 * quality),
    leadConversion: rng.range(0.25, 0.45),
    offeredPlans,
    monthlyMembershipChurn: rng.range(0.035, 0.08),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function overlapDays(a: LocationPlan, b: LocationPlan): number {
  return Math.min(a.dataEnd, b.dataEnd) - Math.max(a.dataStart, b.dataStart) + 1;
}

/**
 * One provider floats between the first location and a sister site, plus one more for every
 * further ten locations. The away site must be open for a good part of the window.
 */
function planFloats(locations: readonly LocationPlan[]): FloatPlan[] {
  const floats: FloatPlan[] = [];
  if (locations.length < 2) return floats;
  const firstAway = locations.length >= 7 ? 6 : locations.length >= 4 ? 3 : 1;
  floats.push({ number: 1, home: 0, away: firstAway });
  for (let home = 10; home + 4 < locations.length; home += 10) {
    const homePlan = locations[home]!;
    const awayPlan = locations[home + 4]!;
    if (overlapDays(homePlan, awayPlan) > 180)
      floats.push({ number: floats.length + 1, home, away: home + 4 });
  }
  return floats;
}

/**
 * Each location's sister is its neighbour in a pair (0–1, 2–3, …); a location whose sister is
 * not open long enough alongside it pairs with the first location instead. Links run both
 * ways: patients of A visit B and patients of B visit A.
 */
function planSharedPatients(seed: number, locations: readonly LocationPlan[]): SharedPatients[] {
  const links: SharedPatients[] = [];
  const usedByHome = new Map<number, number>();
  for (const visited of locations) {
    let home = visited.index ^ 1;
    if (home >= locations.length) home = visited.index - 1;
    if (home < 0 || overlapDays(visited, locations[home]!) < 120) home = visited.index === 0 ? -1 : 0;
    if (home < 0 || overlapDays(visited, locations[home]!) < 120) continue;
    const months = overlapDays(visited, locations[home]!) / 30.4;
    const rng = Random.fromKey(seed, 'shared-count', visited.index);
    const count = Math.max(
      2,
      Math.round(0.015 * months * NEW_PATIENTS_PER_MONTH[visited.tier] * rng.range(0.8, 1.2)),
    );
    const personOffset = usedByHome.get(home) ?? 0;
    usedByHome.set(home, personOffset + count);
    links.push({ home, visited: visited.index, count, personOffset });
  }
  return links;
}
