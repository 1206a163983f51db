import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';

import { type WriteDemoOptions, writeDemoPortfolio,type WriteDemoResult } from './writeDemoPortfolio';

/**
 * The demo portfolio written on a worker thread, one location folder at a time, so that a
 * caller can ingest each location on the main thread while the next one is generated: the two
 * halves of `npm start`'s seeding run on both cores instead of one after the other.
 */

type WorkerOptions = Omit<WriteDemoOptions, 'onProgress'>;

type DemoMessage =
  | { kind: 'location'; dir: string; done: number; total: number }
  | { kind: 'finished'; result: WriteDemoResult }
  | { kind: 'failed'; message: string };

/**
 * Each location folder as soon as it is complete, in order; then the totals. `script` is this
 * module compiled (tests, which run the TypeScript source, pass dist's).
 */
export async function* writeDemoInBackground(
  options: WorkerOptions,
  script = path.join(__dirname, 'demoWorker.js'),
): AsyncGenerator<{ dir: string; done: number; total: number }, WriteDemoResult> {
  const worker = new Worker(script, { workerData: options });
  const queue: DemoMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: DemoMessage) => {
    queue.push(message);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ kind: 'failed', message: error.message }));
  worker.on('exit', (code) => {
    if (code !== 0) push({ kind: 'failed', message: `the demo generator stopped (exit code ${code})` });
  });
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = queue.shift()!;
      if (message.kind === 'failed') throw new Error(`Demo generation failed: ${message.message}`);
      if (message.kind === 'finished') return message.result;
      yield message;
    }
  } finally {
    // A caller that stops early (a failed ingest) leaves no generator running behind it.
    await worker.terminate();
  }
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'outDir' in workerData) {
  const port = parentPort;
  const options = workerData as WorkerOptions;
  writeDemoPortfolio({
    ...options,
    onProgress: (done, total, locationId) =>
      port.postMessage({ kind: 'location', dir: path.join(options.outDir, locationId), done, total }),
  }).then(
    (result) => port.postMessage({ kind: 'finished', result }),
    (error: unknown) =>
      port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
}
