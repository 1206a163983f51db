import { toDayNumber } from '../shared/model/localDate';
import type { AppointmentBook } from './appointmentBook';
import type { LocationRows } from './locationRows';
import type { LocationPlan, PortfolioPlan } from './portfolioPlan';
import { Random } from './random';
import type { ProviderPlan } from './staffing';

/**
 * Bi-weekly payroll: Monday-to-Sunday periods of 14 days paid the Friday after, so periods
 * straddle month and quarter ends (metrics pro-rate them by day). Hours come from shifts,
 * wages are hours × rate, commission is a share of the period's service production, a
 * quarterly bonus lands in the first period of the next quarter, and employer taxes and
 * benefits are 9–14 % on top. A floating provider's payroll runs through her home location,
 * where part of it carries no location at all.
 */

/** A Monday that anchors the bi-weekly grid. */
const GRID_ANCHOR = toDayNumber('2000-01-03');
const PAY_LAG_DAYS = 5;

export function payPeriodStart(day: number): number {
  return day - ((((day - GRID_ANCHOR) % 14) + 14) % 14);
}

export function payPeriodEnd(day: number): number {
  return payPeriodStart(day) + 13;
}

export interface PayrollInputs {
  portfolio: PortfolioPlan;
  location: LocationPlan;
  providers: readonly ProviderPlan[];
  book: AppointmentBook;
  /** Net service + package cents by provider by day, from simStart. */
  production: Float64Array;
}

export function writePayroll(rows: LocationRows, inputs: PayrollInputs): void {
  const { portfolio, location, providers, book, production } = inputs;
  const rng = Random.fromKey(portfolio.seed, 'payroll', location.index);
  const firstDay = location.simStart;
  const count = providers.length;
  const productionBetween = (p: number, from: number, to: number): number => {
    let sum = 0;
    for (let day = Math.max(from, firstDay); day <= to; day++) {
      sum += production[(day - firstDay) * count + p] ?? 0;
    }
    return sum;
  };
  // The home location's payroll did not tag hours with a location for the first third of the window.
  const untaggedUntil = portfolio.windowStart + Math.floor((portfolio.windowEnd - portfolio.windowStart) / 3);

  for (let grid = payPeriodStart(location.dataStart); grid <= location.dataEnd; grid += 14) {
    const gridEnd = grid + 13;
    const start = Math.max(grid, location.openedOn);
    const closes = location.closedOn !== null && location.closedOn <= gridEnd;
    // A closing location runs a final off-cycle payroll on its last day.
    const end = closes ? location.closedOn! : gridEnd;
    const payDate = Math.min(gridEnd + PAY_LAG_DAYS, location.closedOn ?? Infinity);
    const quarterStart = quarterStartWithin(grid, gridEnd, rows);

    providers.forEach((provider, p) => {
      let minutes = 0;
      for (let day = start; day <= end; day++) minutes += book.shiftMinutes(day, p);
      const produced = productionBetween(p, start, end);
      if (minutes === 0 && produced === 0) return;
      const wages = Math.round((minutes * provider.hourlyCents) / 60);
      const commission = Math.max(0, Math.round(produced * provider.commissionRate));
      let bonus = 0;
      const isAwayRow = provider.float !== null && provider.float.away === location.index;
      if (quarterStart !== null && provider.bonusEligible && !isAwayRow && rng.chance(0.7)) {
        const quarterProduction = productionBetween(p, quarterStart - 91, quarterStart - 1);
        if (quarterProduction > 0) {
          bonus = Math.min(
            500_000,
            Math.max(25_000, Math.round((quarterProduction * rng.range(0.01, 0.025)) / 5000) * 5000),
          );
        }
      }
      const employer = (cents: number): number =>
        Math.round(cents * location.employerTaxRate * rng.range(0.97, 1.03));
      const hundredthHours = Math.round((minutes * 100) / 60);
      if (provider.float === null || isAwayRow) {
        rows.payrollRow(
          provider.payrollEmployeeId,
          location.id,
          start,
          end,
          payDate,
          hundredthHours,
          wages,
          commission,
          bonus,
          employer(wages + commission + bonus),
        );
        return;
      }
      const tag = grid < untaggedUntil ? '' : location.id;
      rows.payrollRow(
        provider.payrollEmployeeId,
        tag,
        start,
        end,
        payDate,
        hundredthHours,
        wages,
        commission,
        0,
        employer(wages + commission),
      );
      if (bonus > 0)
        rows.payrollRow(provider.payrollEmployeeId, '', start, end, payDate, 0, 0, 0, bonus, employer(bonus));
    });
  }
}

/** The first day of a calendar quarter that falls inside [from, to], or null. */
function quarterStartWithin(from: number, to: number, rows: LocationRows): number | null {
  for (let day = from; day <= to; day++) {
    const text = rows.days.date(day);
    if (text.endsWith('-01') && ['01', '04', '07', '10'].includes(text.slice(5, 7))) return day;
  }
  return null;
}
