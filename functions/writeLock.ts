/**
 * One writer at a time per process: ingests and aggregate refreshes take turns, in arrival
 * order. SQLite allows one writing transaction per file anyway; queueing here turns "database
 * is locked" / "an ingest is already open" failures into a short wait.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    // The next writer waits for this one to end, whether it succeeded or failed.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
