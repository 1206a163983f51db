import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what a full collection left live before the
 * next one, for a process over a tenant's metric data: by a quarter (V8 otherwise picks up to
 * four times, by its own estimate of the collections' cost). `caliper metrics` at 200 locations
 * peaked at 3.87 GB resident with V8's own choice, 3.23 GB with a quarter (10 %: 3.04 GB) and
 * took 64 → 66.5 s (70 s); at 50 locations 1.24 → 1.13–1.16 GB in the same time.
 */
export const WANTED_HEAP_GROWING_PERCENT = 25;

/**
 * The young generation (MB) of the ingest's worker threads: Node's own default (three 16 MB
 * semi-spaces), named so that the larger semi-space the ingest's main thread is launched with
 * (cli/heapLimit.ts) stays on that thread. The writer and the CSV parser were measured with it.
 */
export const WORKER_YOUNG_GENERATION_MB = 48;

/** The node flags in force: the process's own and NODE_OPTIONS. */
export function nodeFlagsInForce(): string {
  return `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
}

/**
 * Sets that growth in a running process (V8 reads it whenever it sizes the old generation), for
 * the API's hosts, which answer questions over metric data and are never re-launched: a
 * `--heap-growing-percent` of the user's own (or a platform's app setting) stands. Answers
 * whether it set it. The CLI's heavy commands pass it as a flag when they re-launch (heapLimit.ts).
 */
export function growOldGenerationByAQuarter(nodeFlags = nodeFlagsInForce()): boolean {
  if (/--heap-growing-percent\b/.test(nodeFlags)) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${WANTED_HEAP_GROWING_PERCENT}`);
  return true;
}
