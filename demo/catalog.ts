/**
 * What a medspa sells and how patients come back for it: the service menu (services.csv),
 * list prices (not a services.csv column, so they live only here), treatment programs with
 * their clinical cadences, membership plans, retail, channels and seasonality. Cadences follow
 * docs/sources.md: neurotoxin 12–16 weeks, HA filler 6–12 months, laser hair removal 6–8
 * sessions 4–6 weeks apart.
 */

import type { ProviderRole, ServiceCategory } from '../shared/model/canonicalBundle';

export type { ProviderRole, ServiceCategory };

/** What a provider must be able to do to perform a service (see ROLE_SKILLS). */
export type Skill = 'inject' | 'energy' | 'laser' | 'body' | 'skin' | 'facial' | 'consult' | 'wellness';

export const ROLE_SKILLS: Record<ProviderRole, readonly Skill[]> = {
  md: ['inject', 'energy', 'consult', 'wellness'],
  np: ['inject', 'energy', 'laser', 'consult', 'wellness'],
  pa: ['inject', 'energy', 'laser', 'consult', 'wellness'],
  rn: ['inject', 'energy', 'laser', 'body', 'skin', 'consult', 'wellness'],
  aesthetician: ['laser', 'body', 'skin', 'facial', 'consult'],
  other: ['facial'],
};

export interface ServiceDef {
  code: string;
  name: string;
  category: ServiceCategory;
  durationMin: number;
  /** List price of one unit (a neurotoxin unit, a syringe, a cycle, or the whole treatment). */
  unitPriceCents: number;
  /** Dysport is dosed about 2.5× Botox units; every other service 1. */
  unitFactor: number;
  skill: Skill;
}

export const SERVICES: readonly ServiceDef[] = [
  {
    code: 'TOX-BOT',
    name: 'Botox Cosmetic (per unit)',
    category: 'neurotoxin',
    durationMin: 30,
    unitPriceCents: 1250,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'TOX-DYS',
    name: 'Dysport (per unit)',
    category: 'neurotoxin',
    durationMin: 30,
    unitPriceCents: 500,
    unitFactor: 2.5,
    skill: 'inject',
  },
  {
    code: 'TOX-XEO',
    name: 'Xeomin (per unit)',
    category: 'neurotoxin',
    durationMin: 30,
    unitPriceCents: 1100,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'TOX-JEU',
    name: 'Jeuveau (per unit)',
    category: 'neurotoxin',
    durationMin: 30,
    unitPriceCents: 1050,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'FIL-JUV',
    name: 'Juvederm Ultra XC (syringe)',
    category: 'filler',
    durationMin: 45,
    unitPriceCents: 70000,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'FIL-VOL',
    name: 'Juvederm Voluma XC (syringe)',
    category: 'filler',
    durationMin: 60,
    unitPriceCents: 80000,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'FIL-RES',
    name: 'Restylane Kysse (syringe)',
    category: 'filler',
    durationMin: 45,
    unitPriceCents: 65000,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'FIL-RHA',
    name: 'RHA 3 (syringe)',
    category: 'filler',
    durationMin: 45,
    unitPriceCents: 67500,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'FIL-SCU',
    name: 'Sculptra (vial)',
    category: 'filler',
    durationMin: 45,
    unitPriceCents: 85000,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'OTH-KYB',
    name: 'Kybella (vial)',
    category: 'other_service',
    durationMin: 30,
    unitPriceCents: 65000,
    unitFactor: 1,
    skill: 'inject',
  },
  {
    code: 'LHR-S',
    name: 'Laser hair removal - small area',
    category: 'laser',
    durationMin: 15,
    unitPriceCents: 11000,
    unitFactor: 1,
    skill: 'laser',
  },
  {
    code: 'LHR-M',
    name: 'Laser hair removal - medium area',
    category: 'laser',
    durationMin: 30,
    unitPriceCents: 20000,
    unitFactor: 1,
    skill: 'laser',
  },
  {
    code: 'LHR-L',
    name: 'Laser hair removal - large area',
    category: 'laser',
    durationMin: 45,
    unitPriceCents: 34000,
    unitFactor: 1,
    skill: 'laser',
  },
  {
    code: 'LAS-BBL',
    name: 'BBL / IPL photofacial',
    category: 'laser',
    durationMin: 45,
    unitPriceCents: 40000,
    unitFactor: 1,
    skill: 'laser',
  },
  {
    code: 'LAS-MOXI',
    name: 'Moxi laser',
    category: 'laser',
    durationMin: 45,
    unitPriceCents: 55000,
    unitFactor: 1,
    skill: 'laser',
  },
  {
    code: 'LAS-HALO',
    name: 'Halo hybrid fractional laser',
    category: 'laser',
    durationMin: 90,
    unitPriceCents: 150000,
    unitFactor: 1,
    skill: 'laser',
  },
  {
    code: 'ED-M8',
    name: 'Morpheus8 RF microneedling',
    category: 'energy_device',
    durationMin: 60,
    unitPriceCents: 100000,
    unitFactor: 1,
    skill: 'energy',
  },
  {
    code: 'ED-ULT',
    name: 'Ultherapy full face',
    category: 'energy_device',
    durationMin: 90,
    unitPriceCents: 300000,
    unitFactor: 1,
    skill: 'energy',
  },
  {
    code: 'BC-COOL',
    name: 'CoolSculpting Elite (per cycle)',
    category: 'body_contouring',
    durationMin: 60,
    unitPriceCents: 80000,
    unitFactor: 1,
    skill: 'body',
  },
  {
    code: 'BC-EMS',
    name: 'Emsculpt NEO',
    category: 'body_contouring',
    durationMin: 30,
    unitPriceCents: 75000,
    unitFactor: 1,
    skill: 'body',
  },
  {
    code: 'SK-PEEL',
    name: 'Chemical peel',
    category: 'skin_treatment',
    durationMin: 30,
    unitPriceCents: 17500,
    unitFactor: 1,
    skill: 'skin',
  },
  {
    code: 'SK-MN',
    name: 'Microneedling (SkinPen)',
    category: 'skin_treatment',
    durationMin: 60,
    unitPriceCents: 37500,
    unitFactor: 1,
    skill: 'skin',
  },
  {
    code: 'SK-PRP',
    name: 'Microneedling with PRP',
    category: 'skin_treatment',
    durationMin: 75,
    unitPriceCents: 65000,
    unitFactor: 1,
    skill: 'skin',
  },
  {
    code: 'FAC-HYD',
    name: 'HydraFacial Signature',
    category: 'facial',
    durationMin: 45,
    unitPriceCents: 19900,
    unitFactor: 1,
    skill: 'facial',
  },
  {
    code: 'FAC-DLX',
    name: 'HydraFacial Deluxe',
    category: 'facial',
    durationMin: 60,
    unitPriceCents: 27500,
    unitFactor: 1,
    skill: 'facial',
  },
  {
    code: 'FAC-SIG',
    name: 'Signature facial',
    category: 'facial',
    durationMin: 60,
    unitPriceCents: 15000,
    unitFactor: 1,
    skill: 'facial',
  },
  {
    code: 'FAC-DPL',
    name: 'Dermaplaning',
    category: 'facial',
    durationMin: 30,
    unitPriceCents: 9500,
    unitFactor: 1,
    skill: 'facial',
  },
  {
    code: 'CON-NEW',
    name: 'New patient consultation',
    category: 'consultation',
    durationMin: 30,
    unitPriceCents: 0,
    unitFactor: 1,
    skill: 'consult',
  },
  {
    code: 'OTH-IV',
    name: 'IV vitamin therapy',
    category: 'other_service',
    durationMin: 45,
    unitPriceCents: 19500,
    unitFactor: 1,
    skill: 'wellness',
  },
  {
    code: 'OTH-B12',
    name: 'Vitamin B12 injection',
    category: 'other_service',
    durationMin: 15,
    unitPriceCents: 3500,
    unitFactor: 1,
    skill: 'wellness',
  },
];

export const CONSULTATION_CODE = 'CON-NEW';

export function serviceIndex(code: string): number {
  const index = SERVICES.findIndex((s) => s.code === code);
  if (index < 0) throw new Error(`Unknown demo service code ${code}`);
  return index;
}

export type ProgramId =
  | 'tox'
  | 'filler'
  | 'biostim'
  | 'kybella'
  | 'laser_hair'
  | 'photofacial'
  | 'moxi'
  | 'resurfacing'
  | 'rf_microneedling'
  | 'lifting'
  | 'body'
  | 'emsculpt'
  | 'peel'
  | 'microneedling'
  | 'facial'
  | 'wellness';

/**
 * A treatment plan a patient follows: a maintenance habit (toxin, filler, facials) or a series
 * of sessions (laser hair removal) that may be followed by occasional maintenance.
 */
export interface ProgramDef {
  id: ProgramId;
  /** The patient settles on one of these (brand or treatment area), weighted. */
  services: readonly string[];
  serviceWeights: readonly number[];
  /** Sessions of a series; maintenance programs repeat until the patient lapses. */
  sessions: readonly [number, number] | null;
  intervalDays: readonly [number, number];
  /** After a series: chance of coming back for maintenance, and how often. */
  maintenanceChance: number;
  maintenanceDays: readonly [number, number];
  /** Units, syringes, vials or cycles per visit (one value per patient). */
  quantity: readonly [number, number];
  /** Share of new patients who start with a consultation. */
  consultChance: number;
  /** Share of series patients who prepay the series as a package. */
  packageChance: number;
}

export const PROGRAMS: readonly ProgramDef[] = [
  {
    id: 'tox',
    services: ['TOX-BOT', 'TOX-DYS', 'TOX-XEO', 'TOX-JEU'],
    serviceWeights: [0.55, 0.2, 0.15, 0.1],
    sessions: null,
    intervalDays: [84, 112],
    maintenanceChance: 0,
    maintenanceDays: [0, 0],
    quantity: [14, 44],
    consultChance: 0.2,
    packageChance: 0,
  },
  {
    id: 'filler',
    services: ['FIL-JUV', 'FIL-VOL', 'FIL-RES', 'FIL-RHA'],
    serviceWeights: [0.4, 0.2, 0.25, 0.15],
    sessions: null,
    intervalDays: [180, 365],
    maintenanceChance: 0,
    maintenanceDays: [0, 0],
    quantity: [1, 2],
    consultChance: 0.45,
    packageChance: 0,
  },
  {
    id: 'biostim',
    services: ['FIL-SCU'],
    serviceWeights: [1],
    sessions: [2, 3],
    intervalDays: [35, 49],
    maintenanceChance: 0.4,
    maintenanceDays: [330, 420],
    quantity: [1, 2],
    consultChance: 0.6,
    packageChance: 0.3,
  },
  {
    id: 'kybella',
    services: ['OTH-KYB'],
    serviceWeights: [1],
    sessions: [2, 3],
    intervalDays: [35, 49],
    maintenanceChance: 0,
    maintenanceDays: [0, 0],
    quantity: [1, 3],
    consultChance: 0.6,
    packageChance: 0.3,
  },
  {
    id: 'laser_hair',
    services: ['LHR-S', 'LHR-M', 'LHR-L'],
    serviceWeights: [0.4, 0.35, 0.25],
    sessions: [6, 8],
    intervalDays: [28, 42],
    maintenanceChance: 0.25,
    maintenanceDays: [150, 365],
    quantity: [1, 1],
    consultChance: 0.3,
    packageChance: 0.45,
  },
  {
    id: 'photofacial',
    services: ['LAS-BBL'],
    serviceWeights: [1],
    sessions: [3, 3],
    intervalDays: [28, 35],
    maintenanceChance: 0.5,
    maintenanceDays: [150, 240],
    quantity: [1, 1],
    consultChance: 0.3,
    packageChance: 0.3,
  },
  {
    id: 'moxi',
    services: ['LAS-MOXI'],
    serviceWeights: [1],
    sessions: [3, 4],
    intervalDays: [28, 35],
    maintenanceChance: 0.3,
    maintenanceDays: [180, 365],
    quantity: [1, 1],
    consultChance: 0.3,
    packageChance: 0.35,
  },
  {
    id: 'resurfacing',
    services: ['LAS-HALO'],
    serviceWeights: [1],
    sessions: [1, 1],
    intervalDays: [28, 42],
    maintenanceChance: 0.35,
    maintenanceDays: [300, 420],
    quantity: [1, 1],
    consultChance: 0.7,
    packageChance: 0,
  },
  {
    id: 'rf_microneedling',
    services: ['ED-M8'],
    serviceWeights: [1],
    sessions: [3, 3],
    intervalDays: [28, 42],
    maintenanceChance: 0.35,
    maintenanceDays: [240, 365],
    quantity: [1, 1],
    consultChance: 0.6,
    packageChance: 0.45,
  },
  {
    id: 'lifting',
    services: ['ED-ULT'],
    serviceWeights: [1],
    sessions: [1, 1],
    intervalDays: [28, 42],
    maintenanceChance: 0.4,
    maintenanceDays: [330, 420],
    quantity: [1, 1],
    consultChance: 0.8,
    packageChance: 0,
  },
  {
    id: 'body',
    services: ['BC-COOL'],
    serviceWeights: [1],
    sessions: [2, 3],
    intervalDays: [42, 56],
    maintenanceChance: 0.15,
    maintenanceDays: [180, 365],
    quantity: [1, 2],
    consultChance: 0.8,
    packageChance: 0.5,
  },
  {
    id: 'emsculpt',
    services: ['BC-EMS'],
    serviceWeights: [1],
    sessions: [4, 4],
    intervalDays: [5, 9],
    maintenanceChance: 0.3,
    maintenanceDays: [90, 180],
    quantity: [1, 1],
    consultChance: 0.6,
    packageChance: 0.7,
  },
  {
    id: 'peel',
    services: ['SK-PEEL'],
    serviceWeights: [1],
    sessions: [3, 6],
    intervalDays: [28, 42],
    maintenanceChance: 0.4,
    maintenanceDays: [60, 120],
    quantity: [1, 1],
    consultChance: 0.15,
    packageChance: 0.3,
  },
  {
    id: 'microneedling',
    services: ['SK-MN', 'SK-PRP'],
    serviceWeights: [0.7, 0.3],
    sessions: [3, 3],
    intervalDays: [28, 42],
    maintenanceChance: 0.35,
    maintenanceDays: [120, 240],
    quantity: [1, 1],
    consultChance: 0.25,
    packageChance: 0.4,
  },
  {
    id: 'facial',
    services: ['FAC-HYD', 'FAC-DLX', 'FAC-SIG', 'FAC-DPL'],
    serviceWeights: [0.4, 0.15, 0.3, 0.15],
    sessions: null,
    intervalDays: [26, 42],
    maintenanceChance: 0,
    maintenanceDays: [0, 0],
    quantity: [1, 1],
    consultChance: 0.05,
    packageChance: 0,
  },
  {
    id: 'wellness',
    services: ['OTH-IV', 'OTH-B12'],
    serviceWeights: [0.5, 0.5],
    sessions: null,
    intervalDays: [14, 42],
    maintenanceChance: 0,
    maintenanceDays: [0, 0],
    quantity: [1, 1],
    consultChance: 0.1,
    packageChance: 0,
  },
];

/** Which treatments a location is known for; drives its patients' first programs. */
export type MixFocus = 'injectables' | 'laser' | 'balanced' | 'skin';

export const MIX_WEIGHTS: Record<MixFocus, Partial<Record<ProgramId, number>>> = {
  injectables: {
    tox: 0.42,
    filler: 0.14,
    biostim: 0.03,
    kybella: 0.02,
    facial: 0.1,
    laser_hair: 0.06,
    photofacial: 0.04,
    moxi: 0.01,
    rf_microneedling: 0.05,
    lifting: 0.01,
    body: 0.03,
    emsculpt: 0.01,
    peel: 0.04,
    microneedling: 0.04,
  },
  laser: {
    tox: 0.2,
    filler: 0.06,
    biostim: 0.01,
    kybella: 0.01,
    facial: 0.1,
    laser_hair: 0.22,
    photofacial: 0.1,
    moxi: 0.06,
    resurfacing: 0.03,
    rf_microneedling: 0.08,
    lifting: 0.02,
    body: 0.04,
    emsculpt: 0.02,
    peel: 0.03,
    microneedling: 0.02,
  },
  balanced: {
    tox: 0.3,
    filler: 0.1,
    biostim: 0.02,
    kybella: 0.02,
    facial: 0.14,
    laser_hair: 0.12,
    photofacial: 0.05,
    moxi: 0.03,
    resurfacing: 0.01,
    rf_microneedling: 0.06,
    lifting: 0.01,
    body: 0.05,
    emsculpt: 0.02,
    peel: 0.04,
    microneedling: 0.03,
    wellness: 0.02,
  },
  skin: {
    tox: 0.24,
    filler: 0.05,
    facial: 0.3,
    peel: 0.1,
    microneedling: 0.1,
    laser_hair: 0.08,
    photofacial: 0.06,
    moxi: 0.03,
    rf_microneedling: 0.03,
    wellness: 0.03,
  },
};

export interface MembershipPlanDef {
  name: string;
  monthlyFeeCents: number;
  /** Programs whose patients this plan appeals to most. */
  programs: readonly ProgramId[];
}

export const MEMBERSHIP_PLANS: readonly MembershipPlanDef[] = [
  { name: 'Glow Club', monthlyFeeCents: 14900, programs: ['facial', 'peel', 'microneedling'] },
  { name: 'Toxin Membership', monthlyFeeCents: 19900, programs: ['tox'] },
  { name: 'Skin Essentials', monthlyFeeCents: 9900, programs: ['facial', 'peel', 'wellness'] },
  {
    name: 'VIP Aesthetics',
    monthlyFeeCents: 29900,
    programs: ['filler', 'biostim', 'rf_microneedling', 'lifting'],
  },
  {
    name: 'Laser Club',
    monthlyFeeCents: 17900,
    programs: ['laser_hair', 'photofacial', 'moxi', 'resurfacing'],
  },
];

/** Skincare shelf prices (SkinCeuticals, EltaMD, Alastin, ZO, SkinMedica); retail lines carry no service code. */
export const RETAIL_PRICES_CENTS: readonly number[] = [
  4300, 4800, 6400, 8800, 9800, 12500, 16900, 18200, 22500, 29500,
];

export const GIFT_CARD_AMOUNTS_CENTS: readonly number[] = [
  5000, 10000, 10000, 15000, 20000, 25000, 25000, 30000, 50000,
];

/** Paid channels with spend in marketing_spend.csv; google_ads and meta run everywhere. */
export type PaidChannel = 'google_ads' | 'meta' | 'tiktok' | 'yelp';

/** EMR referral sources: the paid channels plus the unpaid ways patients arrive. */
export type AcquisitionChannel = PaidChannel | 'referral' | 'organic' | 'walk_in';

export const CHANNEL_SHARE: Record<AcquisitionChannel, number> = {
  google_ads: 0.25,
  meta: 0.22,
  tiktok: 0.06,
  yelp: 0.05,
  referral: 0.2,
  organic: 0.15,
  walk_in: 0.07,
};

/** Cost per acquired patient by channel, before the location's own efficiency factor. */
export const CAC_CENTS: Record<PaidChannel, readonly [number, number]> = {
  google_ads: [18000, 32000],
  meta: [12000, 26000],
  tiktok: [14000, 28000],
  yelp: [20000, 38000],
};

export const EMR_SYSTEMS = ['Zenoti', 'Boulevard', 'Mindbody', 'Mangomint', 'PatientNow', 'Nextech'] as const;
export type EmrSystem = (typeof EMR_SYSTEMS)[number];
export const EMR_WEIGHTS: readonly number[] = [0.3, 0.25, 0.15, 0.15, 0.08, 0.07];

/**
 * New-patient demand by calendar month: slow January, strong spring, a summer dip, and a
 * strong November–December before holiday events.
 */
export const NEW_PATIENT_SEASONALITY: readonly number[] = [
  0.72, 0.95, 1.15, 1.2, 1.12, 0.92, 0.82, 0.85, 1.0, 1.05, 1.15, 1.12,
];

/** Gift card sales by calendar month: Valentine's, Mother's Day and the holidays. */
export const GIFT_CARD_SEASONALITY: readonly number[] = [
  0.6, 1.6, 0.8, 0.9, 1.8, 0.8, 0.7, 0.7, 0.8, 0.9, 2.6, 6.0,
];

/** Hourly wage (dollars) and commission ranges by role. */
export const PAY_BANDS: Record<
  ProviderRole,
  { hourly: readonly [number, number]; commission: readonly [number, number] }
> = {
  md: { hourly: [70, 75], commission: [0.18, 0.25] },
  np: { hourly: [55, 72], commission: [0.18, 0.25] },
  pa: { hourly: [56, 72], commission: [0.18, 0.25] },
  rn: { hourly: [45, 62], commission: [0.16, 0.25] },
  aesthetician: { hourly: [30, 42], commission: [0.12, 0.22] },
  other: { hourly: [25, 30], commission: [0, 0.05] },
};
