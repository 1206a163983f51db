import { CaliperApiError } from '../api/caliperClient';

/** What the pane shows for a failure: the API's own message, or the error's. */
export function errorText(error: unknown): string {
  if (error instanceof CaliperApiError) {
    return error.status === 0 ? error.message : `${error.message} (${error.code}, HTTP ${error.status})`;
  }
  return error instanceof Error ? error.message : String(error);
}
