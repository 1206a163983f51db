import { z } from 'zod';

import { parsePeriod } from './period';

/*
 * Kept apart from period.ts so the add-in, which parses periods in the browser, does not
 * bundle zod for a schema only the API boundary uses.
 */

/** Zod schema for API boundaries: the value stays the caller's string, the issue carries our message. */
export const periodStringSchema = z.string().superRefine((value, ctx) => {
  const result = parsePeriod(value);
  if (!result.success) {
    ctx.addIssue({ code: 'custom', message: result.error.message, params: { code: result.error.code } });
  }
});
