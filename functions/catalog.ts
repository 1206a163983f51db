import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { METRICS } from '../shared/metrics/catalog';
import { plainDefinition } from '../shared/metrics/catalogPlain';
import { withErrorMapping } from './httpErrors';
import { tenantOf } from './tenant';

// The catalog is the same for every tenant and every request: built once.
const CATALOG = METRICS.map((m) => ({
  id: m.id,
  label: m.label,
  unit: m.unit,
  family: m.family,
  scopes: m.scopes,
  facts: m.facts,
  definition: m.definition,
  // Every catalog metric has one (tests/shared/metrics/catalogPlain.test.ts).
  plain: plainDefinition(m.id) ?? '',
  direction: m.direction,
}));

export const catalog = withErrorMapping(
  async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    // The same for every tenant, but still only for callers who have one.
    await tenantOf(request);
    return { status: 200, jsonBody: CATALOG };
  },
);

app.http('catalog', { methods: ['GET'], authLevel: 'anonymous', route: 'catalog', handler: catalog });
