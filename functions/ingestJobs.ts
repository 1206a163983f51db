import { randomUUID } from 'node:crypto';

import type { IngestJobBody, IngestJobProgress, IngestReportBody } from '../shared/contract/ingest';
import type { ApiErrorBody } from './httpErrors';

/** What `GET /api/ingest/jobs/{id}` answers (the contract's job body, without the 202's status_url). */
export type IngestJobView = Omit<IngestJobBody, 'status_url'>;

interface Job extends IngestJobView {
  tenant: string;
}

/** Finished jobs stay readable this long: a task pane polls every half second, a person comes back later. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;

/**
 * Ingest jobs of this process, for a client that uploads and then polls for progress. A job
 * belongs to the tenant that started it: asking for another tenant's job is answered exactly
 * like asking for one that does not exist. The registry lives in memory: one host process
 * (`npm start`, or a Function App instance with session affinity) keeps its own jobs.
 */
export class IngestJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  create(tenant: string, bytesTotal: number): IngestJobView {
    this.forgetOld();
    const job: Job = {
      job_id: randomUUID(),
      tenant,
      status: 'queued',
      created_at: this.now().toISOString(),
      finished_at: null,
      progress: { bytes_done: 0, bytes_total: bytesTotal, file: null },
    };
    this.jobs.set(job.job_id, job);
    return this.view(job);
  }

  /** Waiting for its turn (again): the tenant's line or the store's writer. */
  queued(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job?.finished_at === null) job.status = 'queued';
  }

  /** Its turn came: working until the next wait or the end. */
  running(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job?.finished_at === null) job.status = 'running';
  }

  progress(jobId: string, progress: IngestJobProgress): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return;
    job.status = 'running';
    job.progress = progress;
  }

  finish(jobId: string, report: IngestReportBody): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return;
    job.status = report.committed ? 'done' : 'failed';
    job.report = report;
    job.finished_at = this.now().toISOString();
    job.progress = { ...job.progress, bytes_done: job.progress.bytes_total };
  }

  fail(jobId: string, error: ApiErrorBody): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return;
    job.status = 'failed';
    job.error = error;
    job.finished_at = this.now().toISOString();
  }

  /** The tenant's job, or undefined for an unknown id or another tenant's job. */
  get(tenant: string, jobId: string): IngestJobView | undefined {
    const job = this.jobs.get(jobId);
    return job === undefined || job.tenant !== tenant ? undefined : this.view(job);
  }

  private view(job: Job): IngestJobView {
    const { tenant: _tenant, ...view } = job;
    return structuredClone(view);
  }

  private forgetOld(): void {
    const cutoff = this.now().getTime() - KEEP_FINISHED_MS;
    for (const [id, job] of this.jobs) {
      if (job.finished_at !== null && Date.parse(job.finished_at) < cutoff) this.jobs.delete(id);
    }
  }
}
