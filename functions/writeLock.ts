/** Waiting for a turn ended before the turn came: the deadline passed or the signal aborted. */
export class LockWaitTimeout extends Error {
  constructor(message = 'The wait for the store writer ran out') {
    super(message);
    this.name = 'LockWaitTimeout';
  }
}

export interface LockWait {
  /** Epoch milliseconds: not given the turn by then, the waiter leaves the line with LockWaitTimeout. */
  waitUntil?: number;
  /** Aborted while waiting: the waiter leaves the line with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A first-in, first-out mutex whose waiters may give up: a waiter that leaves never runs and
 * never holds up the ones behind it.
 */
export class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  /** True while someone holds it. */
  get busy(): boolean {
    return this.held;
  }

  /** Waiters in line (not counting the holder). */
  get waiting(): number {
    return this.waiters.length;
  }

  async run<T>(work: () => Promise<T>, wait: LockWait = {}): Promise<T> {
    await this.acquire(wait);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  acquire({ waitUntil, signal }: LockWait = {}): Promise<void> {
    signal?.throwIfAborted();
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (error: Error) => {
        const at = this.waiters.indexOf(grant);
        if (at === -1) return; // already granted
        this.waiters.splice(at, 1);
        cleanup();
        reject(error);
      };
      const onAbort = () => {
        const reason: unknown = signal?.reason;
        leave(reason instanceof Error ? reason : new LockWaitTimeout('The wait was called off'));
      };
      const cleanup = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const grant = () => {
        cleanup();
        resolve();
      };
      this.waiters.push(grant);
      if (waitUntil !== undefined) {
        timer = setTimeout(() => leave(new LockWaitTimeout()), Math.max(0, waitUntil - Date.now()));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) this.held = false;
    else next(); // stays held: the turn passes straight to the next waiter
  }
}

/**
 * Who may write to the store at once. SQLite allows one write transaction per database file and
 * every tenant lives in the same file, so on SQLite there is ONE writer for the process: ingests
 * (only their store transaction: reading the upload and converting vendor exports happen before
 * it), location edits and aggregate refreshes take turns in arrival order, and a waiter may give
 * up (`waitUntil`, `signal`). A store that isolates tenants itself (Azure SQL takes a per-tenant
 * application lock inside its ingest transaction) gets one writer per tenant instead, so tenants
 * never wait on each other there.
 */
export class WriteLock {
  private readonly shared = new Mutex();
  private readonly byTenant = new Map<string, Mutex>();

  constructor(private readonly scope: 'store' | 'tenant' = 'store') {}

  /** The mutex `tenant`'s writes take: the store's single one, or the tenant's own. */
  mutexFor(tenant: string | undefined): Mutex {
    if (this.scope === 'store' || tenant === undefined) return this.shared;
    let mutex = this.byTenant.get(tenant);
    if (mutex === undefined) {
      mutex = new Mutex();
      this.byTenant.set(tenant, mutex);
    }
    return mutex;
  }

  run<T>(work: () => Promise<T>, options: LockWait & { tenant?: string } = {}): Promise<T> {
    const { tenant, ...wait } = options;
    const mutex = this.mutexFor(tenant);
    return mutex.run(work, wait).finally(() => {
      if (tenant !== undefined && mutex !== this.shared && !mutex.busy) this.byTenant.delete(tenant);
    });
  }
}
