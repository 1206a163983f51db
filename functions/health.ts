import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { version } from '../package.json';
import type { HealthBody } from '../shared/contract/portfolio';

/** Liveness only: it does not open the store, so a probe never waits on a slow disk. */
export function health(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const body: HealthBody = { status: 'ok', version };
  return Promise.resolve({ status: 200, jsonBody: body });
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: health });
