import { isYearMonth, type YearMonth } from '../shared/model/localDate';

export interface DemoOptions {
  locations: number;
  years: number;
  seed: number;
  /** Last month of data, `YYYY-MM`. */
  endMonth: YearMonth;
}

/** Options are a programmer's or operator's input, so a bad one is an exception, not data. */
export function assertDemoOptions(options: DemoOptions): void {
  if (!Number.isInteger(options.locations) || options.locations < 1 || options.locations > 999) {
    throw new Error(`locations must be an integer from 1 to 999, got ${options.locations}`);
  }
  if (!Number.isInteger(options.years) || options.years < 1 || options.years > 10) {
    throw new Error(`years must be an integer from 1 to 10, got ${options.years}`);
  }
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  if (!isYearMonth(options.endMonth)) throw new Error(`endMonth must be YYYY-MM, got ${options.endMonth}`);
}
