/**
 * The data-quality report: every problem an ingest meets is a row of data (file, row, column,
 * code, message), never an exception and never silently dropped. `error` means the row was
 * rejected; `warning` means it was kept and something about it deserves a look.
 */
export type IssueSeverity = 'error' | 'warning';

export type IssueCode =
  | 'missing_value'
  | 'invalid_id'
  | 'invalid_date'
  | 'invalid_datetime'
  | 'invalid_time'
  | 'invalid_money'
  | 'invalid_number'
  | 'invalid_value'
  | 'invalid_timezone'
  | 'invalid_email'
  | 'invalid_phone'
  | 'inconsistent_row'
  | 'column_count'
  | 'duplicate_key'
  | 'unknown_location'
  | 'unknown_reference'
  | 'missing_column'
  | 'duplicate_column'
  | 'personal_column_dropped'
  // A kept extra column's later value that looked personal: that cell alone was not stored.
  | 'personal_value_dropped'
  | 'unknown_file'
  | 'empty_file'
  | 'timezone_unknown'
  | 'csv_structure'
  | 'unreadable_file'
  | 'shared_payroll_id'
  | 'reconciliation_difference'
  | 'kpi_cross_check_difference'
  // A location merge: an id of a merged location read as the one it became; rows of two merged
  // locations with one key (identical: kept once; different: the merge is refused).
  | 'merged_location'
  | 'merge_duplicate'
  | 'merge_conflict'
  // A vendor connector's own finding while converting its file (`vendor.unmapped_service`).
  | `vendor.${string}`;

export interface DataQualityIssue {
  file: string;
  /** 1-based row as Excel shows it (header = 1); null for problems with the whole file. */
  row: number | null;
  column: string | null;
  code: IssueCode;
  severity: IssueSeverity;
  message: string;
}

export interface FileReport {
  /** Bundle-relative display path, e.g. `L001/sales.csv` or `portfolio.zip:sales.csv`. */
  file: string;
  entity: string | null;
  bytes: number;
  sha256: string;
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_inserted: number;
  rows_updated: number;
  rows_unchanged: number;
  issues: DataQualityIssue[];
}

/**
 * One row of an issue group: where, and the message — which never carries personal data: it is
 * redacted where it leaves the core (shared/privacy/redact.ts).
 */
export interface IssueExample {
  row: number | null;
  column: string | null;
  message: string;
}

/**
 * The issues of one file with one code and severity: what a person reads instead of the same
 * line 20 times. `hint` says how to fix the code, null for codes without a known fix.
 */
export interface IssueGroup {
  file: string;
  code: IssueCode;
  severity: IssueSeverity;
  count: number;
  /** The first two issues of the group, in file order. */
  examples: IssueExample[];
  hint: string | null;
}

/** A file whose rejected rows are above the share an ingest allows. */
export interface FileOverThreshold {
  file: string;
  rows_read: number;
  rows_rejected: number;
  /** rows_rejected / rows_read, 0–1. */
  share: number;
}

/** The rejection threshold an ingest was held to, before it committed. */
export interface RejectionCheck {
  /** The largest share of a file's data rows that may be rejected (0.05 = 5 %). */
  max_share: number;
  /** The caller accepted rejected rows above the threshold: the accepted rows were committed. */
  accepted: boolean;
  files_over: FileOverThreshold[];
}

export interface IngestReport {
  ingest_id: number | null;
  tenant: string;
  committed: boolean;
  /** Why nothing was written, when committed is false. */
  failure: string | null;
  /** Null when the ingest stopped before the threshold was checked (a broken file, no file read). */
  rejection: RejectionCheck | null;
  files: FileReport[];
  /** The issues of `files` (and the findings made before the ingest) grouped by file, code and severity. */
  issue_groups: IssueGroup[];
  totals: {
    files: number;
    rows_read: number;
    rows_accepted: number;
    rows_rejected: number;
    rows_inserted: number;
    rows_updated: number;
    rows_unchanged: number;
    bytes: number;
  };
}
