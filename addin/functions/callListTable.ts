/*
 * CALLLIST's arguments and the table it spills: checked before any request (a malformed
 * argument is #VALUE! with the reason), and the API's answer as cells — dates as Excel date
 * serials, money in dollars as numbers, the churn risk a fraction — under a header row.
 */
import { MAX_CALL_LIST } from '../../shared/contract/constants';
import { isLocalDate, toDayNumber } from '../../shared/model/localDate';
import type { CallListBody } from '../api/caliperClient';
import { optionalText } from './arguments';
import { invalidArgument } from './excelErrors';

/** The core's default (shared/actions/callList.ts), restated: that module is too large for the add-in. */
export const DEFAULT_CALL_LIST_ROWS = 25;

/** `n`: a whole number from 1 to 500; omitted, 25. */
export function callListCountArgument(value: unknown): number {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return DEFAULT_CALL_LIST_ROWS;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CALL_LIST) {
    const shown = typeof value === 'number' ? String(value) : typeof value;
    throw invalidArgument(`n must be a whole number from 1 to ${MAX_CALL_LIST}, got ${shown}`);
  }
  return value;
}

/** `options`: `as_of=YYYY-MM-DD` (the day scored); `;`-separated for later options. */
export function callListOptionsArgument(value: unknown): { asOf?: string } {
  const text = optionalText(value, 'options');
  const options: { asOf?: string } = {};
  for (const part of (text ?? '').split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const [key, given = ''] = part.split('=', 2).map((s) => s.trim());
    if (key?.toLowerCase() !== 'as_of' || !isLocalDate(given)) {
      throw invalidArgument(`Unknown CALLLIST option "${part}": expected as_of=YYYY-MM-DD`);
    }
    options.asOf = given;
  }
  return options;
}

/** Excel's serial of a day (1899-12-30 is 0; exact from 1900-03-01 on). */
export function excelDateSerial(day: string): number {
  return toDayNumber(day) - toDayNumber('1899-12-30');
}

export function callListTable(body: CallListBody): (string | number)[][] {
  const portfolio = body.scope === 'portfolio';
  const header = [
    'Rank',
    ...(portfolio ? ['Location'] : []),
    'Patient ID',
    'Last treatment',
    'Last visit',
    'Provider',
    'Days overdue',
    'Churn risk',
    'Value at risk',
    'Reasons',
  ];
  // Cents to dollars at display only: /100 of an integer is the nearest double to the dollars.
  return [
    header,
    ...body.rows.map((r) => [
      r.rank,
      ...(portfolio ? [r.location_id] : []),
      r.patient_id,
      r.last_treatment ?? '',
      excelDateSerial(r.last_visit_on),
      r.provider_name ?? '',
      r.days_overdue,
      r.churn_risk,
      r.value_at_risk_cents / 100,
      r.reasons,
    ]),
  ];
}
