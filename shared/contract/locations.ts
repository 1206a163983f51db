import { z } from 'zod';

import { LOCATION_COLUMNS } from '../connectors/locationIdentity';
import { nullableString } from './common';
import { MAX_LOCATION_ALIAS_LENGTH, MAX_LOCATION_ALIASES, MAX_LOCATION_FIELD_LENGTH } from './constants';
import { type IngestReportBody, ingestReportSchema, refreshBodySchema } from './ingest';

/* `GET /api/locations`, a location's edit (`PATCH`) and a merge of two locations. */

/** A field of a location that an edit may set: every locations.csv column but the id. */
export type LocationField = Exclude<(typeof LOCATION_COLUMNS)[number], 'location_id'>;

/** The fields an edit may set, in locations.csv order. */
export const SETTABLE_FIELDS: readonly LocationField[] = LOCATION_COLUMNS.filter(
  (c): c is LocationField => c !== 'location_id',
);

/** A location as `GET /api/locations` answers it: every field, null when unknown, and its aliases. */
export const locationRecordSchema = z.object({
  location_id: z.string(),
  name: z.string(),
  region: nullableString,
  timezone: nullableString,
  opened_on: nullableString.describe('null for a location created from an export until someone sets it'),
  closed_on: nullableString,
  acquired_on: nullableString,
  emr_system: nullableString,
  rooms: z.number().nullable(),
  aliases: z.array(z.string()).readonly().describe('Other names and vendor ids under which exports name it'),
});

export const locationsBodySchema = z.object({ tenant: z.string(), locations: z.array(locationRecordSchema) });

/**
 * `PATCH /api/locations/{locationId}` answers: the location as it now is (200) or as it was (422),
 * and the ingest report of the field change — null when only aliases were saved.
 */
export const locationUpdateBodySchema = z.object({
  location: locationRecordSchema,
  report: ingestReportSchema
    .nullable()
    .describe(
      'committed false (422): a value was refused, the issues say which and why; nothing was written',
    ),
});

/** `PATCH /api/locations/{locationId}`: fields to set (null or "" clears one) and aliases to save. */
export const locationPatchSchema = z
  .object({
    fields: z
      .object(
        Object.fromEntries(
          SETTABLE_FIELDS.map((f) => [f, z.string().max(MAX_LOCATION_FIELD_LENGTH).nullable().optional()]),
        ),
      )
      .strict()
      .optional(),
    aliases: z.array(z.string().max(MAX_LOCATION_ALIAS_LENGTH)).max(MAX_LOCATION_ALIASES).optional(),
  })
  .strict();

/** `POST /api/locations/{into}/merge`: the location that becomes `into`. */
export const locationMergeSchema = z
  .object({
    from: z.string().min(1).max(200).describe('The location that goes away (e.g. one an export created)'),
    keep_into: z
      .boolean()
      .optional()
      .describe(
        "true: where both have a row with one key and different values, keep into's (from's stays in history) instead of refusing",
      ),
  })
  .strict();

const storedValue = z.union([z.string(), z.number()]).nullable();

/** `POST /api/locations/{into}/merge` answers: what moved, what was filled, and the ingest report. */
export const locationMergeBodySchema = z.object({
  from: z.string(),
  into: z.string(),
  committed: z.boolean(),
  failure: nullableString.describe('Why nothing was written (422)'),
  ingest_id: z.number().nullable(),
  location: locationRecordSchema.nullable().describe('into as it now is: its fields and aliases'),
  moved: z
    .partialRecord(z.string(), z.number())
    .describe("from's rows now at into, per entity (patients: their home location)"),
  duplicates: z
    .partialRecord(z.string(), z.number())
    .describe('Rows both had with the same key and values (providers, shifts, spend): counted once now'),
  providers_combined: z.array(z.string()).describe('Providers with a row at both: one row at into now'),
  conflicts: z
    .array(
      z.object({
        entity: z.string(),
        key: z.record(z.string(), z.string()),
        differences: z.array(z.object({ column: z.string(), from: nullableString, into: nullableString })),
      }),
    )
    .describe("Rows with one key and different values: why a merge was refused, or where into's were kept"),
  filled: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .describe('Fields into lacked, taken from from'),
  kept: z
    .record(z.string(), z.object({ into: storedValue, from: storedValue }))
    .describe('Fields where into kept its own value (closed_on is never taken: empty means open)'),
  aliases_added: z.array(z.string()).describe("from's aliases, name and id, now into's"),
  aliases_skipped: z.array(z.object({ alias: z.string(), location_id: z.string() })),
  report: ingestReportSchema,
  refresh: refreshBodySchema
    .nullable()
    .optional()
    .describe('The locations whose aggregates were recomputed (or queued) after the merge'),
});

export type LocationRecordBody = z.infer<typeof locationRecordSchema>;
export type LocationsBody = z.infer<typeof locationsBodySchema>;
export type LocationPatch = z.infer<typeof locationPatchSchema>;
/* The report in these answers is the precise one the core writes (the schema describes it loosely). */
export type LocationUpdateBody = Omit<z.infer<typeof locationUpdateBodySchema>, 'report'> & {
  report: IngestReportBody | null;
};
export type LocationMergeBody = Omit<z.infer<typeof locationMergeBodySchema>, 'report'> & {
  report: IngestReportBody;
};
