/* What the Locations view says after a save: what changed, or why the API refused it. Pure. */
import type { LocationRecord, LocationUpdate } from '../api/caliperClient';
import { FIELD_LABELS, type LocationFieldName } from './locationFields';

type Report = NonNullable<LocationUpdate['report']>;

function shown(value: string | number | null): string {
  return value === null ? 'not set' : String(value);
}

/**
 * `Opened: not set → 2021-03-01`, `Alias added: CC Charleston`: the reloaded location against the
 * one the form was opened on, so the lines say what the API stored, not what the form sent.
 */
export function changeLines(before: LocationRecord, after: LocationRecord): string[] {
  const lines: string[] = [];
  for (const field of Object.keys(FIELD_LABELS) as LocationFieldName[]) {
    if (before[field] !== after[field]) {
      lines.push(`${FIELD_LABELS[field]}: ${shown(before[field])} → ${shown(after[field])}`);
    }
  }
  for (const alias of after.aliases.filter((a) => !before.aliases.includes(a))) {
    lines.push(`Alias added: ${alias}`);
  }
  return lines;
}

/**
 * The API's reasons, word for word, each with the column it is about
 * (`opened_on: "2021-13-01" is not a calendar date in YYYY-MM-DD form`). An edit is one row, so
 * every refused value is among the issue groups' examples.
 */
export function refusalLines(report: Report): string[] {
  const lines = report.issue_groups
    .filter((g) => g.severity === 'error')
    .flatMap((g) => g.examples)
    .map((e) => (e.column === null || e.column === '' ? e.message : `${e.column}: ${e.message}`));
  return lines.length > 0 ? lines : [report.failure ?? 'The API refused the change.'];
}
