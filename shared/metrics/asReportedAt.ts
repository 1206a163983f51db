import { isLocalDate } from '../model/localDate';
import type { IngestRecord } from '../store/store.port';

/*
 * "As reported at": which committed ingest a board pack, a CLI listing or an API answer is
 * taken as of. The user names an ingest (`3` or `#3`) or a moment (`2025-06-30`, or a datetime)
 * and gets the last ingest that had finished by then — what anyone reading the numbers at that
 * moment saw.
 */

/** The ingest figures are as reported at: its id, when it committed, what it read. */
export interface ReportedIngest {
  ingest_id: number;
  /** ISO 8601 UTC, as the store recorded the commit. */
  finished_at: string;
  label: string;
}

/** Why nothing is named: the tenant has no ingest at all, or the value names none of its ingests. */
export type AsReportedRefusal = { ok: false; code: 'no_ingest' | 'not_found'; message: string };

export type AsReportedResolution = { ok: true; ingest: ReportedIngest } | AsReportedRefusal;

const INGEST_ID = /^#?(\d{1,15})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The last instant `text` covers, in epoch ms: a date is the whole day, a datetime that instant.
 * Both are UTC unless the datetime carries an offset — the same clock as the ingests' commit
 * times, so a date never depends on the machine the question is asked on.
 */
function cutoffOf(text: string): number | null {
  if (isLocalDate(text)) return Date.parse(`${text}T23:59:59.999Z`);
  if (!DATETIME.test(text) || !isLocalDate(text.slice(0, 10))) return null;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : ms;
}

function reported(r: IngestRecord): ReportedIngest {
  return { ingest_id: r.ingest_id, finished_at: r.finished_at, label: r.label };
}

/**
 * Resolves an ingest id or a date against the tenant's committed ingests. An id must be one of
 * the tenant's own (ids are numbered across tenants); a moment before the first ingest finished
 * names nothing. A refusal says why in words; the caller prefixes the option and the value.
 */
export function resolveAsReportedAt(text: string, ingests: readonly IngestRecord[]): AsReportedResolution {
  const given = text.trim();
  // An ingest still open (no finish time) has reported nothing yet.
  const committed = ingests.filter((i) => typeof i.finished_at === 'string' && i.finished_at !== '');
  if (committed.length === 0)
    return { ok: false, code: 'no_ingest', message: 'the tenant has no committed ingest yet' };
  const idMatch = INGEST_ID.exec(given);
  if (idMatch) {
    const id = Number(idMatch[1]);
    const found = committed.find((i) => i.ingest_id === id);
    if (found) return { ok: true, ingest: reported(found) };
    const ids = committed.map((i) => `#${i.ingest_id}`);
    const listed =
      ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} … ${ids.slice(-2).join(', ')}`;
    return {
      ok: false,
      code: 'not_found',
      message: `no ingest #${id} in this tenant (its ingests: ${listed})`,
    };
  }
  const cutoff = cutoffOf(given);
  if (cutoff === null) {
    return {
      ok: false,
      code: 'not_found',
      message:
        'expected an ingest id (e.g. 3) or a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] in UTC or with an offset)',
    };
  }
  const finished = (i: IngestRecord) => Date.parse(i.finished_at);
  // The latest commit by then; of two at the same instant, the later ingest.
  const by = committed
    .filter((i) => finished(i) <= cutoff)
    .sort((a, b) => finished(a) - finished(b) || a.ingest_id - b.ingest_id);
  const best = by[by.length - 1];
  if (best === undefined) {
    const first = [...committed].sort((a, b) => finished(a) - finished(b))[0]!;
    const moment = isLocalDate(given) ? `the end of ${given} (UTC)` : given;
    return {
      ok: false,
      code: 'not_found',
      message: `no ingest had finished by ${moment}; the first, #${first.ingest_id}, finished at ${first.finished_at}`,
    };
  }
  return { ok: true, ingest: reported(best) };
}
