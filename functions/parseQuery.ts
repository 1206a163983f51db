import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';

import { ApiError } from './httpErrors';

/**
 * The request's query parameters parsed with `schema`; an empty parameter counts as absent.
 * A missing or malformed one is the caller's mistake: 400 `bad_request` naming the parameter.
 */
export function parseQuery<T extends z.ZodObject>(request: HttpRequest, schema: T): z.infer<T> {
  const given: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = request.query.get(key)?.trim();
    if (value !== undefined && value !== '') given[key] = value;
  }
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
    throw new ApiError('bad_request', `Missing or invalid query parameter: ${names.join(', ')}`);
  }
  return parsed.data;
}
