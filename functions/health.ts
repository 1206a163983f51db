import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { version } from '../package.json';

/** Liveness only: it does not open the store, so a probe never waits on a slow disk. */
export function health(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return Promise.resolve({ status: 200, jsonBody: { status: 'ok', version } });
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: health });
