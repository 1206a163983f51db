/*
 * The add-in's one way to talk to the Caliper API, shared by the custom functions and the task
 * pane. Browser-safe: fetch only. Every request and response type comes from the API contract
 * (shared/contract) through `import type`, the same schemas the server's handlers answer with.
 */
import type {
  BatchResponse as ContractBatchResponse,
  BatchResult,
  BenchmarkBody,
  BriefingBody,
  CallListBody,
  CatalogEntry,
  ErrorBody,
  ForecastBody,
  HealthBody,
  IngestJobBody,
  IngestReportBody,
  LocationPatch,
  LocationRecordBody,
  LocationsBody,
  LocationUpdateBody,
  MetricBody,
  PortfolioBody,
  TraceBody,
} from '../../shared/contract';

export type {
  BatchResult,
  BenchmarkBody,
  BriefingBody,
  CallListBody,
  CatalogEntry,
  ForecastBody,
  HealthBody,
  LocationPatch,
  MetricBody,
  TraceBody,
};

export interface Connection {
  /** The API origin, e.g. https://caliper.example.com; `/api/...` is appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; `getAccessToken` wins when both are set. */
  apiKey?: string;
  getAccessToken?: () => Promise<string>;
}

/** `data_version` is the tenant's latest ingest id (it changes with every ingest); older servers omit it. */
export type Portfolio = Omit<PortfolioBody, 'data_version'> & { data_version?: number };
export type PortfolioLocation = Portfolio['locations'][number];
export type PortfolioProvider = Portfolio['providers'][number];
/** Older servers omit `data_version`. */
export type BatchResponse = Omit<ContractBatchResponse, 'data_version'> & { data_version?: number };
/** A location with every field (null: not set) and the aliases later ingests resolve to it. */
export type LocationRecord = LocationRecordBody;
/** The location after a change, or as it was when the report (committed false) refused one. */
export type LocationUpdate = LocationUpdateBody;
/** The ingest report, with what the server recognized and reconciled among vendor exports. */
export type IngestReport = IngestReportBody;

export interface MetricRequest {
  metric: string;
  period: string;
  location?: string;
  provider?: string;
}

export interface BenchmarkRequest {
  metric: string;
  period: string;
  location: string;
  /** Cohort attributes (size_band, region, dominant_category, age_band), comma-separated. */
  cohort?: string;
}

export interface CallListRequest {
  /** Omitted: the top n across every open location. */
  location?: string;
  n?: number;
  /** YYYY-MM-DD; default each location's last day of sales data. */
  as_of?: string;
}

export interface BriefingRequest {
  /** Omitted: the portfolio's briefing. */
  location?: string;
  /** YYYY-MM-DD; default today (UTC). */
  date?: string;
}

export interface ForecastRequest {
  /** Omitted: the sum of the open locations. */
  location?: string;
  months?: number;
  category?: string;
  /** The origin, YYYY-MM; default the last complete month of data. */
  as_of?: string;
}

/** What `onProgress` hears on each poll of an ingest job. */
export type IngestJobProgress = Pick<IngestJobBody, 'job_id' | 'status' | 'progress'>;

export interface IngestOptions {
  /** The canonical file name of a single CSV upload (sales.csv…); a `File` body names itself. */
  filename?: string;
  signal?: AbortSignal;
  /** How often the job is polled; tests shorten it. */
  pollIntervalMs?: number;
  /** Commit the accepted rows even when a file is over the rejected-row threshold (`?accept_rejected=true`). */
  acceptRejected?: boolean;
}

/** An API answer other than 2xx, or no answer at all (`network_error`, status 0). */
export class CaliperApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'CaliperApiError';
    this.status = status;
    this.code = code;
  }
}

const DEFAULT_POLL_INTERVAL_MS = 500;

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

function isIngestReport(body: unknown): body is IngestReport {
  return typeof body === 'object' && body !== null && 'committed' in body && 'totals' in body;
}

function isLocationUpdate(body: unknown): body is LocationUpdate {
  return typeof body === 'object' && body !== null && 'location' in body && 'report' in body;
}

function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CaliperApiError(0, 'aborted', 'The request was cancelled'));
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new CaliperApiError(0, 'aborted', 'The request was cancelled'));
      },
      { once: true },
    );
  });
}

export class CaliperClient {
  private readonly connection: Connection;
  private readonly fetchImpl: typeof fetch;

  constructor(connection: Connection, fetchImpl?: typeof fetch) {
    this.connection = connection;
    // Bound: a bare `fetch` called as a method of another object throws "Illegal invocation".
    this.fetchImpl = fetchImpl ?? ((input, init) => fetch(input, init));
  }

  health(): Promise<HealthBody> {
    return this.request<HealthBody>('GET', '/api/health');
  }

  catalog(): Promise<CatalogEntry[]> {
    return this.request<CatalogEntry[]>('GET', '/api/catalog');
  }

  portfolio(): Promise<Portfolio> {
    return this.request<Portfolio>('GET', '/api/portfolio');
  }

  metric(q: MetricRequest): Promise<MetricBody> {
    return this.request<MetricBody>('GET', `/api/metrics${queryString({ ...q })}`);
  }

  metricsBatch(requests: MetricRequest[], signal?: AbortSignal): Promise<BatchResponse> {
    return this.request<BatchResponse>('POST', '/api/metrics/batch', {
      body: JSON.stringify({ requests }),
      contentType: 'application/json',
      signal,
    });
  }

  trace(q: MetricRequest): Promise<TraceBody> {
    return this.request<TraceBody>('GET', `/api/trace${queryString({ ...q })}`);
  }

  benchmarks(q: BenchmarkRequest): Promise<BenchmarkBody> {
    return this.request<BenchmarkBody>('GET', `/api/benchmarks${queryString({ ...q })}`);
  }

  callList(q: CallListRequest): Promise<CallListBody> {
    const n = q.n === undefined ? undefined : String(q.n);
    return this.request<CallListBody>(
      'GET',
      `/api/calllist${queryString({ location: q.location, n, as_of: q.as_of })}`,
    );
  }

  briefing(q: BriefingRequest): Promise<BriefingBody> {
    return this.request<BriefingBody>(
      'GET',
      `/api/briefing${queryString({ location: q.location, date: q.date })}`,
    );
  }

  forecast(q: ForecastRequest): Promise<ForecastBody> {
    const months = q.months === undefined ? undefined : String(q.months);
    return this.request<ForecastBody>(
      'GET',
      `/api/forecast${queryString({ location: q.location, months, category: q.category, as_of: q.as_of })}`,
    );
  }

  /**
   * The board-pack workbook (`GET /api/report.xlsx`), the one `caliper report` writes, as a
   * Blob to save; an error answer is thrown as the JSON error it is.
   */
  async reportWorkbook(q: { period: string; locations?: string; as_reported_at?: string }): Promise<Blob> {
    const response = await this.send('GET', `/api/report.xlsx${queryString({ ...q })}`, {
      headers: {
        accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json',
      },
    });
    if (!response.ok) throw this.errorOf(response, await this.readJson(response));
    return response.blob();
  }

  async locations(): Promise<LocationRecord[]> {
    return (await this.request<LocationsBody>('GET', '/api/locations')).locations;
  }

  /**
   * Sets fields of a location and adds aliases. A value the API refuses (422) is returned, not
   * thrown, as for an upload: the report's issues say which value and why, and nothing was written.
   */
  async updateLocation(locationId: string, patch: LocationPatch): Promise<LocationUpdate> {
    const response = await this.send('PATCH', `/api/locations/${encodeURIComponent(locationId)}`, {
      body: JSON.stringify(patch),
      contentType: 'application/json',
    });
    const answer = await this.readJson(response);
    if (isLocationUpdate(answer) && (response.ok || response.status === 422)) return answer;
    if (!response.ok) throw this.errorOf(response, answer);
    throw new CaliperApiError(500, 'bad_response', 'The location change was answered without the location');
  }

  /**
   * Uploads a bundle (zip) or one canonical CSV and waits for its ingest report, polling the
   * job and calling `onProgress` on each answer. A report that did not commit is returned, not
   * thrown: its `failure` and per-file issues are what the user needs to see. A server that
   * answers synchronously (200/422 with the report) is accepted as well.
   */
  async ingest(
    body: Blob | ArrayBuffer | FormData,
    contentType: string | undefined,
    onProgress?: (p: IngestJobProgress) => void,
    options: IngestOptions = {},
  ): Promise<IngestReport> {
    const filename =
      options.filename ?? (typeof File !== 'undefined' && body instanceof File ? body.name : undefined);
    const isCsv = contentType?.split(';')[0]?.trim().toLowerCase() === 'text/csv';
    const path = `/api/ingest${queryString({
      async: 'true',
      file: isCsv ? filename : undefined,
      accept_rejected: options.acceptRejected === true ? 'true' : undefined,
    })}`;
    const response = await this.send('POST', path, {
      body,
      // A FormData body gets its multipart content type, with the boundary, from fetch itself.
      contentType,
      // The server names the upload after it, so the report says north.zip, not a temp name.
      headers: filename !== undefined ? { 'x-caliper-filename': filename } : {},
      signal: options.signal,
    });
    const answer = await this.readJson(response);
    if (isIngestReport(answer) && (response.ok || response.status === 422)) return answer;
    if (!response.ok) throw this.errorOf(response, answer);

    const statusUrl = this.jobStatusPath(answer);
    const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    for (;;) {
      const job = await this.request<IngestJobBody>('GET', statusUrl, { signal: options.signal });
      onProgress?.({ job_id: job.job_id, status: job.status, progress: job.progress });
      if (job.status === 'done') {
        if (job.report === undefined) {
          throw new CaliperApiError(500, 'bad_response', 'The ingest job finished without a report');
        }
        return job.report;
      }
      if (job.status === 'failed') {
        if (job.report !== undefined) return job.report;
        throw new CaliperApiError(
          500,
          job.error?.code ?? 'ingest_failed',
          job.error?.message ?? 'The ingest failed',
        );
      }
      await delay(interval, options.signal);
    }
  }

  private jobStatusPath(answer: unknown): string {
    const job = answer as { job_id?: unknown; status_url?: unknown } | null;
    if (typeof job?.status_url === 'string' && job.status_url !== '') {
      // The server may answer an absolute URL or a path; only the path is kept, on our base URL.
      return job.status_url.startsWith('http') ? new URL(job.status_url).pathname : job.status_url;
    }
    if (typeof job?.job_id === 'string') return `/api/ingest/jobs/${encodeURIComponent(job.job_id)}`;
    throw new CaliperApiError(500, 'bad_response', 'The ingest answer names no job to follow');
  }

  private async request<T>(
    method: string,
    path: string,
    init: { body?: BodyInit; contentType?: string; signal?: AbortSignal | undefined } = {},
  ): Promise<T> {
    const response = await this.send(method, path, init);
    const body = await this.readJson(response);
    if (!response.ok) throw this.errorOf(response, body);
    return body as T;
  }

  /**
   * What a file input gives: one `.zip` goes up as the archive itself; any other selection
   * (canonical CSVs, vendor CSV and JSON exports) as one multipart upload, read as one bundle.
   */
  ingestFiles(
    files: readonly File[],
    onProgress?: (p: IngestJobProgress) => void,
    options: Omit<IngestOptions, 'filename'> = {},
  ): Promise<IngestReport> {
    const [only] = files;
    if (files.length === 1 && only !== undefined && only.name.toLowerCase().endsWith('.zip')) {
      return this.ingest(only, 'application/zip', onProgress, { ...options, filename: only.name });
    }
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    return this.ingest(form, undefined, onProgress, options);
  }

  private async send(
    method: string,
    path: string,
    init: {
      body?: BodyInit;
      contentType?: string | undefined;
      headers?: Record<string, string>;
      signal?: AbortSignal | undefined;
    },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    const token = await this.credential();
    if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
    if (init.contentType !== undefined) headers['content-type'] = init.contentType;
    const url = `${this.connection.baseUrl.replace(/\/+$/, '')}${path}`;
    try {
      return await this.fetchImpl(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      });
    } catch (error) {
      if (init.signal?.aborted) throw new CaliperApiError(0, 'aborted', 'The request was cancelled');
      const why = error instanceof Error ? error.message : String(error);
      throw new CaliperApiError(0, 'network_error', `Caliper could not be reached at ${url}: ${why}`);
    }
  }

  private async credential(): Promise<string | undefined> {
    if (this.connection.getAccessToken !== undefined) {
      try {
        return await this.connection.getAccessToken();
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new CaliperApiError(401, 'unauthorized', `Could not sign in to Caliper: ${why}`);
      }
    }
    return this.connection.apiKey;
  }

  private async readJson(response: Response): Promise<unknown> {
    const text = await response.text();
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (response.ok)
        throw new CaliperApiError(response.status, 'bad_response', 'Caliper answered non-JSON');
      return null;
    }
  }

  private errorOf(response: Response, body: unknown): CaliperApiError {
    if (isErrorBody(body)) return new CaliperApiError(response.status, body.error.code, body.error.message);
    return new CaliperApiError(
      response.status,
      `http_${response.status}`,
      `Caliper answered ${response.status} ${response.statusText}`.trim(),
    );
  }
}
