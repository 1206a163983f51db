import type { IngestReport } from '../../../addin/api/caliperClient';

/** The vendor export of the issue: 26,937 of 34,571 rows rejected, nothing written. */
export function overThreshold(over: Partial<IngestReport> = {}): IngestReport {
  return {
    ingest_id: null,
    tenant: 't1',
    committed: false,
    failure: 'more than 5 % of the rows were rejected in 1 file: …; nothing was written',
    rejection: {
      max_share: 0.05,
      accepted: false,
      files_over: [
        {
          file: 'zenoti.csv → appointments.csv',
          rows_read: 34571,
          rows_rejected: 26937,
          share: 26937 / 34571,
        },
      ],
    },
    files: [],
    issue_groups: [
      {
        file: 'zenoti.csv → appointments.csv',
        code: 'unknown_location',
        severity: 'error',
        count: 26937,
        examples: [
          { row: 2, column: 'location_id', message: 'location_id "Z9" is not in locations.csv' },
          { row: 3, column: 'location_id', message: 'location_id "Z9" is not in locations.csv' },
        ],
        hint: 'add the location to locations.csv or let Caliper create it',
      },
    ],
    totals: {
      files: 1,
      rows_read: 34571,
      rows_accepted: 7634,
      rows_rejected: 26937,
      rows_inserted: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      bytes: 1,
    },
    ...over,
  };
}
