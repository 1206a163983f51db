import type { BatchResult } from '../contract/metrics';
import type { CaliperStore } from '../store/store.port';
import { type AnswerBasis, answerCell, type CellRequest, standardCells, storedCellKey } from './cellAnswers';
import type { MetricContext } from './metricContext';

/**
 * "Aggregate once, answer many", one step further: the standard cells of a workbook
 * (shared/metrics/cellAnswers.ts) are answered once after the refresh that follows an ingest and
 * stored under the data version, so the first recalculation in any process — a fresh API
 * instance, a restarted one — reads them instead of loading the tenant and computing. A question
 * outside them is computed as before. A version's answers go with the next ingest.
 */

export interface StoredAnswersReport {
  /** The data version the answers are of. */
  version: number;
  cells: number;
  /** False when an ingest committed while they were computed: they answer data no longer current. */
  stored: boolean;
}

/**
 * How many answers are computed, then stored, at a time (and progress reported): at 200
 * locations the 506 k standard answers, held until the last was computed, were 0.5 GB.
 */
const CELLS_PER_SAVE = 5000;

/**
 * Computes the standard cells' answers from `ctx` — the tenant at `version` — and stores them a
 * chunk at a time, keyed by the context's settings and the `engine` that answered them. Once
 * the version has moved on, no further chunk is stored and the report says `stored: false`
 * (the next ingest's own answers are the ones to keep): the chunks stored before are answers of a
 * version no read asks for (reads ask for the current one), and the next version's answers
 * replace them (`saveAnswers` drops older versions').
 */
export async function storeStandardAnswers(
  store: Pick<CaliperStore, 'dataVersion' | 'saveAnswers'>,
  tenant: string,
  ctx: MetricContext,
  version: number,
  engine: string,
  onProgress?: (done: number, total: number) => void,
): Promise<StoredAnswersReport> {
  const basis: AnswerBasis = { settings: ctx.settings, engine };
  const cells = standardCells(ctx);
  for (let from = 0; from < cells.length; from += CELLS_PER_SAVE) {
    onProgress?.(from, cells.length);
    const answers = cells.slice(from, from + CELLS_PER_SAVE).map((cell) => ({
      key: storedCellKey(basis, cell),
      // Each cell is asked once here: its answer is not kept in the context's memo.
      answer: JSON.stringify(answerCell(ctx, cell, { remember: false })),
    }));
    if ((await store.dataVersion(tenant)) !== version) return { version, cells: cells.length, stored: false };
    await store.saveAnswers(tenant, version, answers);
  }
  onProgress?.(cells.length, cells.length);
  return { version, cells: cells.length, stored: true };
}

/**
 * The stored answers of `requests` for the tenant at `version` on `basis`, by each request's
 * index in `requests`; a request without one is absent.
 */
export async function readStoredAnswers(
  store: Pick<CaliperStore, 'storedAnswers'>,
  tenant: string,
  version: number,
  basis: AnswerBasis,
  requests: readonly CellRequest[],
): Promise<Map<number, BatchResult>> {
  const stored = await store.storedAnswers(
    tenant,
    version,
    requests.map((r) => storedCellKey(basis, r)),
  );
  const answers = new Map<number, BatchResult>();
  stored.forEach((text, i) => {
    if (text !== undefined) answers.set(i, JSON.parse(text) as BatchResult);
  });
  return answers;
}
