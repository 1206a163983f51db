import type { HttpRequest } from '@azure/functions';

import { MAX_REJECTED_FORMS, parseMaxRejected } from '../shared/ingest/rejectionThreshold';
import { ApiError } from './httpErrors';

/** The rejection threshold of one upload, as `ingestBundles` takes it. */
export interface IngestThreshold {
  maxRejected?: number;
  acceptRejected: boolean;
}

/**
 * `?max_rejected=10%` (or `0.1`; default 5 %) and `?accept_rejected=true`: the CLI's
 * `--max-rejected` and `--accept-rejected`. Checked before the upload is read.
 */
export function thresholdOf(request: HttpRequest): IngestThreshold {
  const acceptRejected = parseFlag('accept_rejected', request.query.get('accept_rejected'));
  const text = request.query.get('max_rejected')?.trim() ?? '';
  if (text === '') return { acceptRejected };
  const maxRejected = parseMaxRejected(text);
  if (maxRejected === null) {
    throw new ApiError('bad_request', `?max_rejected=${JSON.stringify(text)}: use ${MAX_REJECTED_FORMS}`);
  }
  return { maxRejected, acceptRejected };
}

function parseFlag(name: string, value: string | null): boolean {
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ApiError('bad_request', `?${name}=${JSON.stringify(value)} must be true or false`);
}
