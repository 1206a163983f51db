import {
  type AcquisitionChannel,
  MIX_WEIGHTS,
  type MixFocus,
  type ProgramDef,
  PROGRAMS,
  serviceIndex,
  SERVICES,
} from './catalog';
import type { Random } from './random';

/**
 * A patient's habits: which treatment programs she follows, how reliably she comes back, and
 * when the next visit is due. Retention follows a per-visit lapse hazard: trial patients
 * mostly drop after one to three visits, regulars stay a year or two, loyal ones for years.
 */

export type PatientKind = 'trial' | 'regular' | 'loyal';

const KINDS: readonly PatientKind[] = ['trial', 'regular', 'loyal'];
const KIND_WEIGHTS: readonly number[] = [0.45, 0.35, 0.2];

/** Chance of lapsing after each visit, before the location's own multiplier. */
export const LAPSE_HAZARD: Record<PatientKind, number> = { trial: 0.42, regular: 0.12, loyal: 0.035 };

/** Mean days a patient who did not prebook comes back after the due date. */
const MEAN_LATENESS: Record<PatientKind, number> = { trial: 30, regular: 18, loyal: 10 };

export interface Program {
  def: ProgramDef;
  serviceIndex: number;
  /** Units, syringes, vials or cycles this patient usually gets. */
  quantity: number;
  /** Sessions in the current series (Infinity for maintenance habits). */
  sessions: number;
  done: number;
  maintenance: boolean;
  /** Sessions already paid for by a package. */
  prepaidLeft: number;
  /** Index of the provider of the last session (patients stay with their injector), or -1. */
  lastProvider: number;
  intervalMean: number;
  active: boolean;
}

export interface Patient {
  /** Position in the location's patient list; the patient id is derived from it. */
  serial: number;
  id: string;
  /** Portfolio-wide person number (identity), see people.ts. */
  personNumber: number;
  /** Area codes of the patient's home metro (the phone is derived from them). */
  areaCodes: readonly string[];
  homeLocationId: string;
  createdDay: number;
  channel: AcquisitionChannel;
  kind: PatientKind;
  lapsed: boolean;
  visits: number;
  programs: Program[];
  preferredMinute: number;
  isMember: boolean;
  /** Membership dues not yet spent on treatments. */
  memberCreditCents: number;
  /** A patient visiting from a sister location comes only a few times. */
  maxVisits: number;
  /** Also a patient of a sister location (same person, same email). */
  sharedWithSister: boolean;
  /** Appointment ids reference the patient, so an emitted appointment forces a patients.csv row. */
  referenced: boolean;
}

export function pickKind(rng: Random): PatientKind {
  return KINDS[rng.weightedIndex(KIND_WEIGHTS)]!;
}

/** A program from the location's mix, optionally only among those `allowed`, never one in `exclude`. */
export function pickProgram(
  rng: Random,
  focus: MixFocus,
  exclude: readonly Program[] = [],
  allowed: (def: ProgramDef) => boolean = () => true,
): ProgramDef {
  const weights = MIX_WEIGHTS[focus];
  const candidates = PROGRAMS.filter(
    (p) => (weights[p.id] ?? 0) > 0 && allowed(p) && !exclude.some((e) => e.def.id === p.id),
  );
  if (candidates.length === 0) return PROGRAMS[0]!;
  return candidates[rng.weightedIndex(candidates.map((p) => weights[p.id] ?? 0))]!;
}

export function startProgram(rng: Random, def: ProgramDef): Program {
  const code = def.services[rng.weightedIndex(def.serviceWeights)]!;
  const index = serviceIndex(code);
  const [lo, hi] = def.intervalDays;
  return {
    def,
    serviceIndex: index,
    quantity: Math.round(rng.int(def.quantity[0], def.quantity[1]) * SERVICES[index]!.unitFactor),
    sessions: def.sessions === null ? Infinity : rng.int(def.sessions[0], def.sessions[1]),
    done: 0,
    maintenance: false,
    prepaidLeft: 0,
    lastProvider: -1,
    intervalMean: rng.range(lo, hi),
    active: true,
  };
}

/**
 * Days until the program's next session after one was just completed, or null when the
 * series is over and the patient does not come back for maintenance.
 */
export function nextSessionIn(rng: Random, program: Program): number | null {
  if (!program.maintenance && program.done >= program.sessions) {
    if (!rng.chance(program.def.maintenanceChance)) {
      program.active = false;
      return null;
    }
    program.maintenance = true;
  }
  if (program.maintenance) {
    const [lo, hi] = program.def.maintenanceDays;
    return rng.int(lo, hi);
  }
  return Math.max(7, Math.round(program.intervalMean * rng.range(0.9, 1.1)));
}

/** Extra days a patient who did not prebook waits past the due date. */
export function lateness(rng: Random, kind: PatientKind, dueMonth: number): number {
  // January and high summer push visits back: holidays paid for, vacations.
  const seasonal = dueMonth === 1 || dueMonth === 7 || dueMonth === 8 ? 7 : 0;
  return Math.round(rng.exponential(MEAN_LATENESS[kind])) + seasonal;
}
