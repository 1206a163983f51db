import { SerialWrites } from '../../../shared/ingest/serialWrites';

/** A write that records its start and end, and finishes when `release` is called. */
function controlledWrite(log: string[], name: string) {
  let release: (fail?: Error) => void = () => undefined;
  const write = () => {
    log.push(`start ${name}`);
    return new Promise<void>((resolve, reject) => {
      release = (fail?: Error) => {
        log.push(`end ${name}`);
        if (fail) reject(fail);
        else resolve();
      };
    });
  };
  return { write, release: (fail?: Error) => release(fail) };
}

/** Writes a and b added, with a limit of four: the log of their starts and ends. */
async function twoWritesAdded(ordered: boolean) {
  const log: string[] = [];
  const writes = new SerialWrites(4, ordered);
  const a = controlledWrite(log, 'a');
  const b = controlledWrite(log, 'b');
  await writes.add(a.write);
  await writes.add(b.write);
  return { log, writes, a, b };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SerialWrites (a file’s batch writes, made while the next batches are read)', () => {
  it('starts each write after the one before has finished, for a transaction whose calls must not overlap', async () => {
    const { log, writes, a, b } = await twoWritesAdded(false);
    await tick();
    expect(log).toEqual(['start a']);
    a.release();
    await tick();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b.release();
    await writes.drain();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('makes each write at once for a transaction that queues its calls itself', async () => {
    const { log, writes, a, b } = await twoWritesAdded(true);
    expect(log).toEqual(['start a', 'start b']);
    a.release();
    b.release();
    await writes.drain();
  });

  it('lets at most `limit` writes wait: the add past it returns when the oldest has finished', async () => {
    const log: string[] = [];
    const writes = new SerialWrites(1, true);
    const a = controlledWrite(log, 'a');
    const b = controlledWrite(log, 'b');
    await writes.add(a.write);
    let returned = false;
    const adding = writes.add(b.write).then(() => {
      returned = true;
    });
    await tick();
    expect(returned).toBe(false);
    a.release();
    await adding;
    expect(returned).toBe(true);
    b.release();
    await writes.drain();
  });

  it('throws a failed write from the drain that meets it, and starts no write after it', async () => {
    const { log, writes, a } = await twoWritesAdded(false);
    a.release(new Error('SQLITE_FULL: database or disk is full'));
    await expect(writes.drain()).rejects.toThrow('SQLITE_FULL: database or disk is full');
    expect(log).toEqual(['start a', 'end a']);
  });

  it('throws a failed write from the add past the limit', async () => {
    const log: string[] = [];
    const writes = new SerialWrites(1, true);
    const a = controlledWrite(log, 'a');
    await writes.add(a.write);
    const b = controlledWrite(log, 'b');
    const adding = writes.add(b.write);
    a.release(new Error('constraint failed'));
    await expect(adding).rejects.toThrow('constraint failed');
    b.release();
    const c = controlledWrite(log, 'c');
    await writes.add(c.write).catch(() => undefined);
    // b was made before a failed (the transaction queues it); c, after, is never made.
    expect(log).toEqual(['start a', 'start b', 'end a', 'end b']);
  });

  it('on stop, waits for the writes running and starts none of those queued', async () => {
    const { log, writes, a } = await twoWritesAdded(false);
    let stopped = false;
    const stopping = writes.stop().then(() => {
      stopped = true;
    });
    await tick();
    expect(stopped).toBe(false);
    a.release();
    await stopping;
    await tick();
    expect(log).toEqual(['start a', 'end a']);
  });
});
