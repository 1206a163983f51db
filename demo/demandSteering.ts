import { type ProgramDef, type ProviderRole, serviceIndex, SERVICES, type Skill } from './catalog';

/**
 * How many new patients a location attracts. Each care team (injectors; treatment-room staff)
 * has its own stream of new patients, steered month by month toward the location's target
 * capacity utilization, so neither team sits idle while the other turns patients away. The
 * signal counts the minutes patients wanted but could not book, because a full book hides
 * excess demand from utilization.
 */

export type CareTeam = 'injector' | 'room';

export function teamOfRole(role: ProviderRole): CareTeam {
  return role === 'aesthetician' || role === 'other' ? 'room' : 'injector';
}

export function teamOfSkill(skill: Skill): CareTeam {
  return skill === 'inject' || skill === 'energy' || skill === 'wellness' || skill === 'consult'
    ? 'injector'
    : 'room';
}

export function teamOfProgram(program: ProgramDef): CareTeam {
  return teamOfSkill(SERVICES[serviceIndex(program.services[0]!)]!.skill);
}

/** Minutes a new patient books in her first weeks; sizes the first month's inflow. */
const FIRST_WEEKS_MINUTES = 120;

export class DemandStream {
  /** Expected new patients per day before seasonality. */
  private rate = 0;
  private shiftMinutes = 0;
  private visitMinutes = 0;
  private lostMinutes = 0;

  constructor(readonly team: CareTeam) {}

  /** Starts the inflow from the team's capacity (shift minutes per day) and the target. */
  start(shiftMinutesPerDay: number, target: number): void {
    this.rate = (shiftMinutesPerDay * target) / FIRST_WEEKS_MINUTES;
  }

  expected(factor: number): number {
    return this.rate * factor;
  }

  addShift(minutes: number): void {
    this.shiftMinutes += minutes;
  }

  addVisit(minutes: number): void {
    this.visitMinutes += minutes;
  }

  addLost(minutes: number): void {
    this.lostMinutes += minutes;
  }

  /**
   * Closes a month: more new patients when treatment minutes (plus demand turned away) fell
   * short of the target, fewer when above. Damped and bounded, because patients won today keep
   * coming back for months.
   */
  steer(target: number): void {
    if (this.shiftMinutes > 0) {
      const demand = (this.visitMinutes + 0.85 * this.lostMinutes) / this.shiftMinutes;
      const ratio = target / Math.max(0.05, demand);
      this.rate *= Math.min(1.25, Math.max(0.75, Math.pow(ratio, 0.8)));
    }
    this.shiftMinutes = 0;
    this.visitMinutes = 0;
    this.lostMinutes = 0;
  }
}
