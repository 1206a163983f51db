import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

import { editLocation, type LocationField, locationOrReason, SETTABLE_FIELDS } from '../io/locationEdits';
import { loadTenantSecret } from '../io/tenantSecrets';
import { normalizeLocationName } from '../shared/connectors/locationIdentity';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { ApiError, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { locationPatchSchema } from './schemas';
import { tenantOf } from './tenant';

/**
 * `GET /api/locations`: the tenant's locations with every field and their saved aliases — the
 * ones the exports created too, whose opening date is unknown until someone sets it.
 * `PATCH /api/locations/{locationId}`: sets fields (a new version of the row through the
 * canonical ingest, checked like a locations.csv row) and saves aliases, as `caliper locations`.
 */
export const locations = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { store } = runtime();
  const tenant = await tenantOf(request);
  return { status: 200, jsonBody: { tenant, locations: await store.locationIdentities(tenant) } };
});

async function readPatch(request: HttpRequest): Promise<z.infer<typeof locationPatchSchema>> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text()) as unknown;
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON');
  }
  const parsed = locationPatchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(
      'bad_request',
      `Bad location change: ${where}${issue?.message ?? 'invalid'} (fields: ${SETTABLE_FIELDS.join(', ')}; aliases: a list of names)`,
    );
  }
  for (const alias of parsed.data.aliases ?? []) {
    if (normalizeLocationName(alias) === '') {
      throw new ApiError('bad_request', `alias ${JSON.stringify(alias)} has no letters or digits`);
    }
  }
  return parsed.data;
}

export const updateLocation = withErrorMapping(
  async (request: HttpRequest): Promise<HttpResponseInit> => {
    const { config, writer, writeLock } = runtime();
    const tenant = await tenantOf(request, 'ingest');
    const locationId = request.params.locationId ?? '';
    const patch = await readPatch(request);
    const changes: Partial<Record<LocationField, string>> = {};
    for (const [field, value] of Object.entries(patch.fields ?? {})) {
      if (value !== undefined) changes[field as LocationField] = value === null ? '' : value.trim();
    }
    return writeLock.run(async () => {
      const found = await locationOrReason(writer, tenant, locationId);
      if (typeof found === 'string') throw new ApiError('unknown_location', found);
      let report = null;
      if (Object.keys(changes).length > 0) {
        const edit = await editLocation(
          writer,
          tenant,
          createPseudonymizer(loadTenantSecret(config.storeFile, tenant)),
          locationId,
          changes,
          `PATCH /api/locations/${locationId}`,
        );
        if (edit.kind === 'unknown_location') throw new ApiError('unknown_location', edit.message);
        report = edit.report;
        // A refused value writes nothing, aliases included: the change is one request.
        if (!report.committed) return { status: 422, jsonBody: { location: found, report } };
      }
      for (const alias of patch.aliases ?? []) await writer.saveLocationAlias(tenant, locationId, alias);
      const location = (await writer.locationIdentities(tenant)).find((l) => l.location_id === locationId);
      return { status: 200, jsonBody: { location, report } };
    });
  },
);

app.http('locations', { methods: ['GET'], authLevel: 'anonymous', route: 'locations', handler: locations });
app.http('updateLocation', {
  methods: ['PATCH'],
  authLevel: 'anonymous',
  route: 'locations/{locationId}',
  handler: updateLocation,
});
