/*
 * The Locations view's edit form as data: pure, so it is tested without a browser. Each value is
 * checked with the predicates the canonical locations.csv reader uses (the API runs every edit
 * through that reader), so the form refuses what the API would refuse before a request is sent.
 * Checks across the row (closed before opened) stay with the API: they compare with the stored
 * row, and the pane shows the API's refusal word for word.
 */
import { MAX_LOCATION_ALIAS_LENGTH, MAX_LOCATION_FIELD_LENGTH } from '../../shared/contract/constants';
import type { LocationField } from '../../shared/contract/locations';
import { isKnownTimeZone, quoteCell } from '../../shared/model/cellTypes';
import { isLocalDate } from '../../shared/model/localDate';
import type { LocationRecord } from '../api/caliperClient';

/** What the form edits: the facts no export carries. Each is one the API accepts (`satisfies`). */
export const EDITABLE_FIELDS = [
  'opened_on',
  'closed_on',
  'region',
  'timezone',
  'rooms',
] as const satisfies readonly LocationField[];

export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** The form's text per field; "" is an unset field (and clears a set one on save). */
export type LocationDraft = Record<EditableField, string>;

export type DraftErrors = Partial<Record<EditableField, string>>;

export function draftOf(location: LocationRecord): LocationDraft {
  const text = (value: string | number | null) => (value === null ? '' : String(value));
  return {
    opened_on: text(location.opened_on),
    closed_on: text(location.closed_on),
    region: text(location.region),
    timezone: text(location.timezone),
    rooms: text(location.rooms),
  };
}

function fieldError(field: EditableField, text: string): string | null {
  if (text === '') return null;
  if (text.length > MAX_LOCATION_FIELD_LENGTH) return `longer than ${MAX_LOCATION_FIELD_LENGTH} characters`;
  switch (field) {
    case 'opened_on':
    case 'closed_on':
      return isLocalDate(text) ? null : `${quoteCell(text)} is not a calendar date in YYYY-MM-DD form`;
    case 'timezone':
      return isKnownTimeZone(text)
        ? null
        : `${quoteCell(text)} is not an IANA time zone (e.g. America/Chicago)`;
    case 'rooms':
      // locations.csv's count cells: up to nine digits, no sign, no decimals.
      return /^\d{1,9}$/.test(text) ? null : `${quoteCell(text)} is not a whole number ≥ 0`;
    case 'region':
      return null;
  }
}

/** Why each field's value would be refused; empty when the draft may be sent. */
export function validateDraft(draft: LocationDraft): DraftErrors {
  const errors: DraftErrors = {};
  for (const field of EDITABLE_FIELDS) {
    const error = fieldError(field, draft[field].trim());
    if (error !== null) errors[field] = error;
  }
  return errors;
}

/**
 * The fields to send: only the changed ones, trimmed as the API trims them, so an untouched field
 * is never rewritten. An emptied field is sent as null, which clears it.
 */
export function changedFields(
  location: LocationRecord,
  draft: LocationDraft,
): Partial<Record<EditableField, string | null>> {
  const before = draftOf(location);
  const fields: Partial<Record<EditableField, string | null>> = {};
  for (const field of EDITABLE_FIELDS) {
    const value = draft[field].trim();
    if (value !== before[field]) fields[field] = value === '' ? null : value;
  }
  return fields;
}

/** Why an alias would be refused, or null: it must name something (a letter or a digit). */
export function aliasError(text: string): string | null {
  const alias = text.trim();
  if (alias === '') return 'Enter a name or a vendor id, e.g. CC Charleston or mindbody:3';
  if (alias.length > MAX_LOCATION_ALIAS_LENGTH) return `longer than ${MAX_LOCATION_ALIAS_LENGTH} characters`;
  return /[\p{L}\p{N}]/u.test(alias) ? null : `alias ${JSON.stringify(alias)} has no letters or digits`;
}
