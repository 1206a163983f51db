import type { DataQualityIssue, IssueCode, IssueGroup, IssueSeverity } from './dataQuality';

/** How many rows of a group are shown as examples. */
const EXAMPLES_PER_GROUP = 2;

/** What to change in the file (or in Caliper) so the rows of a code pass; codes not here have no hint. */
const FIX_HINTS: Partial<Record<IssueCode, string>> = {
  missing_value: 'fill in the required value; the column may not be empty in this file',
  invalid_id: 'ids are plain text up to 200 characters, without control characters',
  invalid_date:
    'dates as YYYY-MM-DD (e.g. 2024-06-01); set the column to text or that date format before exporting',
  invalid_datetime: 'date-times as YYYY-MM-DDTHH:MM (e.g. 2024-06-01T09:30), optionally with a UTC offset',
  invalid_time: 'times of day as HH:MM in 24-hour form (e.g. 09:00, 17:30)',
  invalid_money:
    'amounts in dollars without currency symbols or thousands separators, up to 2 decimals (e.g. 1234.50)',
  invalid_number: 'whole numbers (or hours with up to 4 decimals) without units or separators',
  invalid_value: 'use one of the values the column allows (listed in the message)',
  invalid_timezone: 'time zones by IANA name, e.g. America/Chicago',
  invalid_email: 'correct the email address in the source system; the row was kept without it',
  invalid_phone: 'correct the phone number in the source system; the row was kept without it',
  inconsistent_row: 'correct the values that contradict each other in the row (e.g. an end before its start)',
  column_count: 'every row needs as many cells as the header: check for unquoted commas or cut-off lines',
  duplicate_key: 'keep one row per id; two different rows with the same id cannot both be true',
  unknown_location: 'add the location to locations.csv or let Caliper create it',
  unknown_reference: 'add the provider or service to providers.csv / services.csv, or correct the id',
  missing_column: 'add the required column to the header, named as the canonical bundle names it',
  duplicate_column: 'remove or rename the repeated column in the header',
  personal_column_dropped:
    'nothing to do: Caliper does not store personal data (names, contact details, notes, dates of birth); drop the column from the export to silence this, or, if it is one of Caliper\'s columns under another name, map it to that column with `caliper map`',
  personal_value_dropped:
    'nothing to do: values that look like personal data are not stored; correct the cells in the source system if they are in the wrong column',
  unknown_file: 'rename the file to a canonical name (e.g. sales.csv), or leave it out of the bundle',
  empty_file: 'export the file again with its header row, or leave it out',
  timezone_unknown: 'give the location a timezone in locations.csv (e.g. America/Chicago)',
  csv_structure: 'the file is not valid CSV (e.g. a quote never closed): export it again as CSV (UTF-8)',
  unreadable_file: 'check the file can be opened and export it again',
  shared_payroll_id: 'give each provider their own payroll_employee_id',
  reconciliation_difference:
    'check the month in both systems, or name which system is the revenue source of the location',
  kpi_cross_check_difference:
    'check the period in Zenoti: the Business KPI and the detailed reports disagree',
  merged_location:
    'nothing to do: the location was merged into another; use that id in new files to silence this',
  merge_duplicate: 'nothing to do: both locations had the same row, which now counts once',
  merge_conflict:
    'correct one location’s row and ingest it again so both agree, or merge with --keep-into (API: keep_into)',
};

/** The fix for a code, or null for a code without a known fix (a vendor connector's own codes). */
export function fixHintOf(code: IssueCode): string | null {
  return FIX_HINTS[code] ?? null;
}

const SEVERITY_ORDER: Record<IssueSeverity, number> = { error: 0, warning: 1 };

/**
 * Issues grouped by (file, code, severity), each with its count, its first two rows as examples
 * and a fix hint. Files keep the order they first appear in; within a file, rejections come
 * before warnings, then the larger groups first. Pure: the messages are the issues' own, which
 * already withhold personal data (redacted by the ingest's issue constructor and report builder).
 */
export function groupIssues(issues: readonly DataQualityIssue[]): IssueGroup[] {
  const fileOrder = new Map<string, number>();
  const groups = new Map<string, IssueGroup>();
  for (const issue of issues) {
    if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, fileOrder.size);
    const key = JSON.stringify([issue.file, issue.code, issue.severity]);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        file: issue.file,
        code: issue.code,
        severity: issue.severity,
        count: 0,
        examples: [],
        hint: fixHintOf(issue.code),
      };
      groups.set(key, group);
    }
    group.count += 1;
    if (group.examples.length < EXAMPLES_PER_GROUP) {
      group.examples.push({ row: issue.row, column: issue.column, message: issue.message });
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      b.count - a.count,
  );
}
