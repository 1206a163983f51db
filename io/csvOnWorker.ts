import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import {
  CsvLimitError,
  type CsvRecord,
  CsvStructureError,
  readCsvRecords,
} from '../shared/ingest/csvRecords';
import {
  type IngestLimits,
  type LimitName,
  limitsFromProcessEnv,
  NotTextError,
} from '../shared/ingest/limits';
import { WORKER_YOUNG_GENERATION_MB } from './heapGrowth';

/**
 * CSV parsing on a worker thread: the same `readCsvRecords` (shared/ingest/csvRecords.ts) over
 * the same bytes, so rows, limits and errors are what they are on the main thread, while the
 * main thread checks and pseudonymizes the records before (a fifth of an ingest's time was the
 * parser). The main thread hands the file's chunks over a few ahead, the worker hands records
 * back in batches a few ahead; both wait when the other is that far behind, so neither holds
 * more than a few megabytes of a file, however large.
 */

/** The compiled worker beside this module; absent when the TypeScript source runs (tests). */
export const CSV_WORKER = path.join(__dirname, 'csvWorker.js');

/** Records per batch handed back. */
export const RECORDS_PER_BATCH = 500;
/** Batches the worker may have handed back and the main thread not yet taken. */
export const BATCHES_AHEAD = 8;
/** Chunks (1 MB from a file on disk) the main thread may have handed over and the worker not yet taken. */
const CHUNKS_AHEAD = 2;

export type ToCsvWorker =
  | { start: IngestLimits }
  | { chunk: Buffer }
  | { end: true }
  /** The main thread took a batch of records. */
  | { took: true };

export type FromCsvWorker =
  | { records: CsvRecord[] }
  /** The worker took a chunk. */
  | { tookChunk: true }
  | { done: true }
  | { error: CarriedCsvError };

/** An error of the parser as it crosses the thread boundary: its class and what it carries. */
export type CarriedCsvError =
  | { kind: 'CsvLimitError'; row: number; reason: string; limit: LimitName }
  | { kind: 'CsvStructureError'; row: number; reason: string }
  | { kind: 'NotTextError'; reason: string }
  | { kind: 'Error'; name: string; message: string };

export function carriedCsvError(error: unknown): CarriedCsvError {
  if (error instanceof CsvLimitError) {
    return { kind: 'CsvLimitError', row: error.row, reason: error.reason, limit: error.limit };
  }
  if (error instanceof CsvStructureError)
    return { kind: 'CsvStructureError', row: error.row, reason: error.reason };
  if (error instanceof NotTextError) return { kind: 'NotTextError', reason: error.reason };
  if (error instanceof Error) return { kind: 'Error', name: error.name, message: error.message };
  return { kind: 'Error', name: 'Error', message: String(error) };
}

function rebuilt(error: CarriedCsvError): Error {
  switch (error.kind) {
    case 'CsvLimitError':
      return new CsvLimitError(error.row, error.reason, error.limit);
    case 'CsvStructureError':
      return new CsvStructureError(error.row, error.reason);
    case 'NotTextError':
      return new NotTextError(error.reason);
    case 'Error': {
      const plain = new Error(error.message);
      plain.name = error.name;
      return plain;
    }
  }
}

/**
 * A wake-up to wait on until something arrives: `notify` wakes every waiter, and each looks
 * again at what it waits for (the worker's parser feeding and its records loop wait side by side).
 */
export class Signal {
  private waiting: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }
  notify(): void {
    const woken = this.waiting;
    this.waiting = [];
    for (const wake of woken) wake();
  }
}

/**
 * One worker for the files of an ingest, one file at a time (files are read in order). `close`
 * ends it; a file left unread midway (the ingest failed) ends it too, and the next file starts
 * another.
 */
export class CsvWorkerReader {
  private worker: Worker | null = null;

  constructor(private readonly script: string = CSV_WORKER) {}

  /** Whether the worker is built (not under jest's TypeScript sources). */
  static available(script: string = CSV_WORKER): boolean {
    return fs.existsSync(script);
  }

  async *read(input: AsyncIterable<Buffer>): AsyncGenerator<CsvRecord> {
    // As readCsvRecords does by default: a misspelled CALIPER_LIMIT_* fails here, on this thread.
    const limits = limitsFromProcessEnv();
    const worker = (this.worker ??= this.start());
    const batches: CsvRecord[][] = [];
    const arrived = new Signal();
    const chunkTaken = new Signal();
    let chunksAhead = 0;
    let done = false;
    // Typed with `as`: set by the handlers, which TypeScript does not follow into the loop.
    let failure = null as Error | null;
    let stopped = false;
    const onMessage = (message: FromCsvWorker) => {
      if ('records' in message) batches.push(message.records);
      else if ('tookChunk' in message) {
        chunksAhead -= 1;
        chunkTaken.notify();
      } else if ('done' in message) done = true;
      else failure ??= rebuilt(message.error);
      arrived.notify();
    };
    const onError = (error: Error) => {
      failure ??= error;
      arrived.notify();
    };
    const onExit = (code: number) => {
      failure ??= new Error(`the CSV worker stopped (exit ${code})`);
      arrived.notify();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ start: limits } satisfies ToCsvWorker);
    // The file's bytes go over a few chunks ahead of the parser; an error reading them (a
    // broken zip entry, a file gone) is the file's failure, as it is on the main thread.
    const pumping = (async () => {
      try {
        for await (const chunk of input) {
          if (stopped) return;
          while (chunksAhead >= CHUNKS_AHEAD && !stopped) await chunkTaken.wait();
          if (stopped) return;
          chunksAhead += 1;
          worker.postMessage({ chunk } satisfies ToCsvWorker);
        }
        if (!stopped) worker.postMessage({ end: true } satisfies ToCsvWorker);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
        arrived.notify();
      }
    })();
    try {
      for (;;) {
        const batch = batches.shift();
        if (batch !== undefined) {
          worker.postMessage({ took: true } satisfies ToCsvWorker);
          yield* batch;
          continue;
        }
        if (failure !== null) throw failure;
        if (done) return;
        await arrived.wait();
      }
    } finally {
      stopped = true;
      chunkTaken.notify();
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // A file not read to its end (a failure, here or in the worker) leaves the worker midway.
      if (!done || failure !== null) await this.close();
      await pumping;
    }
  }

  private start(): Worker {
    const worker = new Worker(this.script, {
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    // Between files nobody listens for its end: a crash then is met by the next read (the
    // worker is gone), never thrown as an unhandled 'error' event.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

/** How an ingest reads a canonical CSV file's records (IngestOptions.readRecords). */
export type RecordReader = (input: AsyncIterable<Buffer>, bytes: number) => AsyncIterable<CsvRecord>;

/**
 * A file smaller than this is parsed on the main thread: the worker's start-up costs more than
 * parsing a few thousand rows (one location's next month: 110–130 KB a file), and its hand-over
 * is not earned back.
 */
export const MIN_BYTES_ON_WORKER = 256 * 2 ** 10;

/**
 * Runs `work` with a reader that parses files of 256 KB or more on a worker thread, started
 * at the first such file and ended afterwards; without the built worker (the TypeScript sources
 * under jest) every file is parsed here.
 */
export async function withCsvReader<T>(
  work: (readRecords: RecordReader) => Promise<T>,
  script: string = CSV_WORKER,
): Promise<T> {
  if (!CsvWorkerReader.available(script)) return work((input) => readCsvRecords(input));
  const reader = new CsvWorkerReader(script);
  try {
    return await work((input, bytes) =>
      bytes < MIN_BYTES_ON_WORKER ? readCsvRecords(input) : reader.read(input),
    );
  } finally {
    await reader.close();
  }
}
