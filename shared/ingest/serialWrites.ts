/**
 * A file's batch writes, made while the next batches are read. An ingest's transaction is one
 * connection, so its writes run one at a time, in order: either the transaction queues its
 * calls itself (`ordered`: SQLite's on a worker thread, workerIngest.ts), and a write is made
 * at once, or each write starts when the one before it has finished (Azure SQL's round trips
 * must not overlap). At most `limit` writes wait, which bounds the rows held. A failed write is
 * thrown by the `add` or `drain` that meets it; no write starts after it.
 */
export class SerialWrites {
  private last: Promise<void> = Promise.resolve();
  private readonly waiting: Promise<void>[] = [];
  private readonly started = new Set<Promise<void>>();
  private failed = false;
  private stopped = false;

  constructor(
    private readonly limit: number,
    private readonly ordered: boolean,
  ) {}

  /** Makes `write` after the writes before it; returns once at most `limit` wait. */
  async add(write: () => Promise<void>): Promise<void> {
    const done = this.ordered ? this.start(write) : this.last.then(() => this.start(write));
    // Handled here so a failure waits, unreported, for the caller that meets it.
    done.catch(() => {
      this.failed = true;
    });
    // Settles after every write before it, and fails with the first of them that failed.
    this.last = this.last.then(() => done);
    this.last.catch(() => undefined);
    this.waiting.push(done);
    while (this.waiting.length > this.limit) await this.waiting.shift();
  }

  private start(write: () => Promise<void>): Promise<void> {
    if (this.failed || this.stopped) {
      return Promise.reject(new Error('the ingest stopped before this batch was written'));
    }
    const running = write();
    this.started.add(running);
    void running.then(
      () => this.started.delete(running),
      () => this.started.delete(running),
    );
    return running;
  }

  /** Waits for every write made; throws the first failure. */
  async drain(): Promise<void> {
    this.waiting.length = 0;
    await this.last;
  }

  /**
   * After a failure elsewhere: no further write starts, and those running are waited for, so
   * nothing writes into the transaction while it is rolled back.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.started]);
  }
}
