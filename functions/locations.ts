import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { z } from 'zod';

import { editLocation, locationOrReason, mergeLocation } from '../io/locationEdits';
import { loadTenantSecret } from '../io/tenantSecrets';
import { normalizeLocationName } from '../shared/connectors/locationIdentity';
import {
  type LocationField,
  type LocationMergeBody,
  locationMergeSchema,
  locationPatchSchema,
  type LocationsBody,
  type LocationUpdateBody,
  SETTABLE_FIELDS,
} from '../shared/contract/locations';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { ApiError, withErrorMapping } from './httpErrors';
import { dispatchRefresh, refreshQueueOutput } from './refreshLocation';
import { runtime } from './runtime';
import { tenantOf } from './tenant';
import { asTenantWrite } from './tenantTurn';

/**
 * `GET /api/locations`: the tenant's locations with every field and their saved aliases — the
 * ones the exports created too, whose opening date is unknown until someone sets it.
 * `PATCH /api/locations/{locationId}`: sets fields (a new version of the row through the
 * canonical ingest, checked like a locations.csv row) and saves aliases, as `caliper locations`.
 * `POST /api/locations/{locationId}/merge` (`{from}`): merges `from` into it, as `caliper
 * locations merge`.
 */
export const locations = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { store } = runtime();
  const tenant = await tenantOf(request);
  const body: LocationsBody = { tenant, locations: await store.locationIdentities(tenant) };
  return { status: 200, jsonBody: body };
});

async function readJson(request: HttpRequest): Promise<unknown> {
  try {
    return JSON.parse(await request.text()) as unknown;
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON');
  }
}

async function readPatch(request: HttpRequest): Promise<z.infer<typeof locationPatchSchema>> {
  const body = await readJson(request);
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

export const updateLocation = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { config, writer } = runtime();
  const tenant = await tenantOf(request, 'ingest');
  const locationId = request.params.locationId ?? '';
  const patch = await readPatch(request);
  const changes: Partial<Record<LocationField, string>> = {};
  for (const [field, value] of Object.entries(patch.fields ?? {})) {
    if (value !== undefined) changes[field as LocationField] = value === null ? '' : value.trim();
  }
  return asTenantWrite(tenant, async () => {
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
      if (!report.committed) {
        const refused: LocationUpdateBody = { location: found, report };
        return { status: 422, jsonBody: refused };
      }
    }
    for (const alias of patch.aliases ?? []) await writer.saveLocationAlias(tenant, locationId, alias);
    const location = (await writer.locationIdentities(tenant)).find((l) => l.location_id === locationId);
    // Found above, under the tenant's write turn: nothing can have removed it since.
    if (location === undefined) throw new Error(`location ${locationId} vanished during its edit`);
    const body: LocationUpdateBody = { location, report };
    return { status: 200, jsonBody: body };
  });
});

/**
 * Merges the body's `from` into the path's location, for the credential's tenant only (a
 * location of another tenant is unknown like any other): 200 with what moved, 422 when the
 * merge was refused (rows of both with one key and different values; nothing written), 404 for
 * an unknown id, 400 for merging a location into itself. The changed locations' aggregates are
 * refreshed as after an ingest.
 */
export const mergeLocationInto = withErrorMapping(
  async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { writer } = runtime();
    const tenant = await tenantOf(request, 'ingest');
    const into = request.params.locationId ?? '';
    const parsed = locationMergeSchema.safeParse(await readJson(request));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw new ApiError(
        'bad_request',
        `Bad merge: ${where}${issue?.message ?? 'invalid'} (body: {"from": "<location id>", "keep_into"?: true})`,
      );
    }
    const { from, keep_into: keepInto } = parsed.data;
    return asTenantWrite(tenant, async () => {
      const merge = await mergeLocation(writer, tenant, from, into, {
        label: `POST /api/locations/${into}/merge from ${from}`,
        keepInto: keepInto === true,
      });
      if (merge.kind === 'unknown_location') throw new ApiError('unknown_location', merge.message);
      if (merge.kind === 'same_location') throw new ApiError('bad_request', merge.message);
      const { answer } = merge;
      const refresh = answer.committed ? await dispatchRefresh(tenant, context) : null;
      const body: LocationMergeBody = { ...answer, refresh };
      return { status: answer.committed ? 200 : 422, jsonBody: body };
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
app.http('mergeLocation', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'locations/{locationId}/merge',
  handler: mergeLocationInto,
  extraOutputs: [refreshQueueOutput],
});
