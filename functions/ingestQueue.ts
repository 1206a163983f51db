import { type LockWait, Mutex } from './writeLock';

/** A tenant already has as many ingests in hand as it may: 429, try again after `retryAfterSeconds`. */
export class TenantQueueFull extends Error {
  constructor(readonly inHand: number) {
    super(`${inHand} ingests of this tenant are already in progress or waiting`);
    this.name = 'TenantQueueFull';
  }
}

/** A place in a tenant's line, taken before the upload is read. */
export interface TenantTicket {
  /** Waits until every earlier ticket of the tenant that asked for its turn has left. */
  turn(wait?: LockWait): Promise<void>;
  /** Gives the place (and the turn, if held) back; safe to call more than once. */
  leave(): void;
  /** True once the turn was given. */
  readonly running: boolean;
}

interface Line {
  mutex: Mutex;
  inHand: number;
}

/**
 * One ingest at a time per tenant, and a bounded line behind it. `enter` counts every upload
 * of the tenant from the moment its request is accepted (receiving, waiting or running) and
 * refuses one more than `1 + queued` with TenantQueueFull, before a byte of its body is read.
 * Turns go in the order tickets ask for them (after their upload has arrived), so a slow upload
 * does not hold up the tenant's next one. Different tenants never wait on each other here.
 */
export class TenantQueues {
  private readonly lines = new Map<string, Line>();

  constructor(private readonly queued: number) {}

  /** Uploads the tenant has in hand (receiving, waiting or running). */
  inHand(tenant: string): number {
    return this.lines.get(tenant)?.inHand ?? 0;
  }

  enter(tenant: string): TenantTicket {
    let line = this.lines.get(tenant);
    if (line === undefined) {
      line = { mutex: new Mutex(), inHand: 0 };
      this.lines.set(tenant, line);
    }
    if (line.inHand >= 1 + this.queued) throw new TenantQueueFull(line.inHand);
    line.inHand += 1;
    return new Ticket(line, () => {
      if (line.inHand === 0 && this.lines.get(tenant) === line) this.lines.delete(tenant);
    });
  }
}

class Ticket implements TenantTicket {
  private state: 'entered' | 'waiting' | 'running' | 'left' = 'entered';

  constructor(
    private readonly line: Line,
    private readonly onLeft: () => void,
  ) {}

  get running(): boolean {
    return this.state === 'running';
  }

  async turn(wait: LockWait = {}): Promise<void> {
    if (this.state !== 'entered') throw new Error(`A ticket ${this.state} cannot ask for its turn`);
    this.state = 'waiting';
    try {
      await this.line.mutex.acquire(wait);
    } catch (error) {
      if (this.state === 'waiting') this.state = 'entered';
      throw error;
    }
    if (this.isLeft()) {
      // Left while waiting: the turn goes straight on.
      this.line.mutex.release();
      return;
    }
    this.state = 'running';
  }

  private isLeft(): boolean {
    return this.state === 'left';
  }

  leave(): void {
    if (this.state === 'left') return;
    if (this.state === 'running') this.line.mutex.release();
    this.state = 'left';
    this.line.inHand -= 1;
    this.onLeft();
  }
}
