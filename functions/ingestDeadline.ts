import { type Bundle, type BundleFile, isRecordFile } from '../shared/ingest/bundle';
import type { CaliperStore, IngestTransaction } from '../shared/store/store.port';

/** The reason an upload's signal aborts when its time is up. */
export class IngestTimedOut extends Error {
  constructor(readonly seconds: number) {
    super(`the ingest took longer than ${seconds} s (CALIPER_INGEST_TIMEOUT_S), so it was stopped`);
    this.name = 'IngestTimedOut';
  }
}

/**
 * The one time limit of an upload, from the moment its request is accepted: receiving it,
 * waiting for its turn, converting and ingesting all happen within it. The signal aborts when
 * it passes; the store transaction checks it between reads and writes and rolls back.
 */
export class IngestDeadline {
  readonly at: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.at = Date.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(new IngestTimedOut(Math.round(ms / 1000))), ms);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Throws IngestTimedOut once the time is up. */
  check(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

async function* checkedChunks(
  chunks: AsyncIterable<Buffer>,
  deadline: IngestDeadline,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    deadline.check();
    yield chunk;
  }
}

/** The file, read under the deadline: each chunk of a canonical CSV checks it. */
export function underDeadline(file: BundleFile, deadline: IngestDeadline): BundleFile {
  if (isRecordFile(file)) return file;
  return { ...file, read: () => checkedChunks(file.read(), deadline) };
}

export function bundlesUnderDeadline(bundles: readonly Bundle[], deadline: IngestDeadline): Bundle[] {
  return bundles.map((bundle) => ({ ...bundle, files: bundle.files.map((f) => underDeadline(f, deadline)) }));
}

/** Calls that write (or start writing) check the deadline first; commit and rollback never do. */
const CHECKED_TX_CALLS = new Set<string | symbol>(['addSourceFile', 'upsert', 'currentRows', 'retire']);

function transactionUnderDeadline(tx: IngestTransaction, deadline: IngestDeadline): IngestTransaction {
  return new Proxy(tx, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!CHECKED_TX_CALLS.has(name)) return method.bind(target);
      return (...args: unknown[]) => {
        deadline.check();
        return method.apply(target, args);
      };
    },
  });
}

/**
 * The store, its ingest transactions held to the deadline: a batch of rows is not written once
 * the time is up, so the ingest fails, rolls back and releases the writer, whatever the upload
 * holds. Everything else passes straight through.
 */
export function storeUnderDeadline(store: CaliperStore, deadline: IngestDeadline): CaliperStore {
  return new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (name !== 'beginIngest') return method.bind(target);
      return async (...args: unknown[]) => {
        deadline.check();
        const tx = (await method.apply(target, args)) as IngestTransaction;
        return transactionUnderDeadline(tx, deadline);
      };
    },
  });
}
