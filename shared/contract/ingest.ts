import { z } from 'zod';

import type { CreatedLocation } from '../connectors/locationIdentity';
import type { IngestReport } from '../ingest/dataQuality';
import type { ReconciliationRow } from '../reconciliation/salesReconciliation';
import { errorBodySchema, nullableString } from './common';
import { INGEST_JOB_STATES, INGEST_PHASES } from './constants';

/*
 * `POST /api/ingest` and `GET /api/ingest/jobs/{id}`: the ingest report and the job that ends
 * with it. The schemas describe the answers for the OpenAPI document and the conformance tests;
 * the report's precise type is the core's own (`IngestReport`) with what the vendor exports were.
 */

/** A finding of a vendor export's conversion, in the file as the user named it. */
export const fileIssueSchema = z.object({
  file: z.string().describe('The vendor file as the user named it, e.g. exports/zenoti_appointments.csv'),
  severity: z.enum(['error', 'warning']),
  row: z
    .number()
    .nullable()
    .describe('Row in the vendor file as the user counts it (header = 1); null for a file-level problem'),
  column: nullableString.describe('Vendor column or JSON path, e.g. PurchasedItems[2].UnitPrice'),
  code: z.string(),
  message: z.string(),
});

export type FileIssue = z.infer<typeof fileIssueSchema>;

/** A Zenoti Business KPI figure against the same figure recomputed from the detailed reports. */
export const kpiCrossCheckRowSchema = z.object({
  file: z.string().describe('The Business KPI file the figure came from'),
  locationId: z.string(),
  period: z.string().describe('YYYY-MM-DD (daily report) or YYYY-MM (monthly report)'),
  figure: z.string().describe('service_sales, product_sales, membership_sales…'),
  unit: z.enum(['cents', 'count', 'minutes']),
  kpiValue: z.number(),
  detailedValue: z.number().describe("The same figure recomputed from the detailed reports' canonical rows"),
  difference: z.number().describe('detailed − Business KPI'),
  differenceRatio: z
    .number()
    .nullable()
    .describe("difference / Business KPI value; null when Zenoti's figure is 0"),
  flagged: z.boolean(),
});

export type KpiCrossCheckBody = z.infer<typeof kpiCrossCheckRowSchema>;

/** A vendor export the upload recognized, and the profile that read it. */
export const recognizedFileSchema = z.object({
  file: z.string(),
  profile: z.string(),
  vendor: z.string(),
  report: z.string(),
  score: z.number().describe('How well the headers matched the profile (detection score)'),
  forced: z.boolean().describe('true: the profile was named by ?profile=, not detected'),
  rows: z.number(),
});

export type RecognizedFile = z.infer<typeof recognizedFileSchema>;

/** The answer when the locations' aggregates were recomputed (inline) or queued after a commit. */
export const refreshBodySchema = z
  .object({ mode: z.enum(['inline', 'queue']), locations: z.array(z.string()) })
  .describe('The locations whose aggregates were recomputed (or queued) after the commit');

export type RefreshBody = z.infer<typeof refreshBodySchema>;

export const ingestReportSchema = z
  .object({
    ingest_id: z.number().nullable(),
    tenant: z.string(),
    committed: z.boolean(),
    failure: nullableString.describe('Why nothing was written, when committed is false'),
    files: z
      .array(z.record(z.string(), z.unknown()))
      .describe('Per file: rows read, accepted, rejected, issues'),
    totals: z.record(z.string(), z.number()),
    rejection: z
      .object({
        max_share: z.number().describe('The largest share (0–1) of a file’s rows that may be rejected'),
        accepted: z.boolean().describe('true: the caller accepted rejected rows above the threshold'),
        files_over: z
          .array(
            z.object({
              file: z.string(),
              rows_read: z.number(),
              rows_rejected: z.number(),
              share: z.number(),
            }),
          )
          .describe('Files with more rejected rows than max_share allows'),
      })
      .nullable()
      .describe('The rejected-row threshold checked before commit; null when the ingest stopped before it'),
    issue_groups: z
      .array(
        z.object({
          file: z.string(),
          code: z.string(),
          severity: z.enum(['error', 'warning']),
          count: z.number(),
          examples: z
            .array(z.object({ row: z.number().nullable(), column: nullableString, message: z.string() }))
            .describe('The first two issues of the group'),
          hint: nullableString.describe('How to fix issues of this code; null when there is no known fix'),
        }),
      )
      .describe('The issues grouped by file, code and severity, with a count, two examples and a fix'),
    vendor_files: z
      .array(recognizedFileSchema)
      .optional()
      .describe('Vendor exports recognized: file, profile, vendor, report, detection score, rows'),
    conversion_issues: z
      .array(fileIssueSchema)
      .optional()
      .describe('Findings of the vendor conversion: file, row, column, code, severity, message'),
    reconciliation: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('EMR vs POS net sales per location-month where a location has both; flagged above 2 %'),
    kpi_cross_check: z
      .array(kpiCrossCheckRowSchema)
      .optional()
      .describe('Zenoti Business KPI figures against the same figures from the detailed reports'),
    created_locations: z
      .array(
        z.object({
          location_id: z.string(),
          name: z.string(),
          emr_system: nullableString,
          mentions: z.array(z.string()).describe('What the exports called it'),
          vendor: z.string(),
        }),
      )
      .optional()
      .describe('Locations the exports named that no one had described, created by this (committed) ingest'),
    refresh: refreshBodySchema
      .nullable()
      .optional()
      .describe('A synchronous ingest only: the aggregates recomputed (or queued) after the commit'),
  })
  .describe('The ingest report: all-or-nothing, with row-level issues as data');

export const ingestJobBodySchema = z.object({
  job_id: z.string(),
  status: z
    .enum(INGEST_JOB_STATES)
    .describe(
      'queued: waiting for the tenant’s earlier upload or for the store’s writer (it may go back to queued between converting and ingesting); running: converting or ingesting',
    ),
  created_at: z.string(),
  finished_at: nullableString,
  progress: z.object({
    phase: z
      .enum(INGEST_PHASES)
      .optional()
      .describe('Vendor exports are converted first, then ingested; each phase counts its own bytes'),
    bytes_done: z.number(),
    bytes_total: z.number(),
    file: nullableString.describe('The file being read'),
  }),
  report: ingestReportSchema.optional().describe('When finished: the ingest report'),
  error: errorBodySchema.shape.error.optional().describe('When the server failed; nothing was written'),
  status_url: z.string().optional().describe('Where to poll (in the 202 answer)'),
});

/** What an ingest found beside the canonical report: what the vendor exports were and how they reconciled. */
export interface VendorOutcome {
  vendor_files: RecognizedFile[];
  conversion_issues: FileIssue[];
  reconciliation: ReconciliationRow[];
  kpi_cross_check: KpiCrossCheckBody[];
  /** Locations the exports named that no one had described, created by this (committed) ingest. */
  created_locations: CreatedLocation[];
}

/**
 * The ingest report as the API answers it: the core's report, what the vendor exports were
 * (absent in a report that never read them, e.g. a location edit's), and, from a synchronous
 * `POST /api/ingest`, the refresh after the commit.
 */
export type IngestReportBody = IngestReport & Partial<VendorOutcome> & { refresh?: RefreshBody | null };

type IngestJobSchemaBody = z.infer<typeof ingestJobBodySchema>;

export type IngestJobProgress = IngestJobSchemaBody['progress'];

/** `GET /api/ingest/jobs/{id}` (and the 202 answer, with `status_url`): the report is the precise one. */
export type IngestJobBody = Omit<IngestJobSchemaBody, 'report'> & { report?: IngestReportBody };
