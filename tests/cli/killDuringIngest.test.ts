import fs from 'node:fs';
import path from 'node:path';

import { runDemo } from '../../cli/commands/demoCommand';
import { runIngest } from '../../cli/commands/ingestCommand';
import {
  CLI,
  copyStore,
  killAt,
  type KillMoment,
  killRuns,
  killSeed,
  longest,
  seededRandom,
  sidecars,
  spawnNode,
  type StoreState,
  storeState,
  watchWriter,
} from '../support/killRuns';
import { fixture, tempDir } from '../support/testStore';

/*
 * "Atomic: a broken file, an I/O error or a database failure halfway leaves the store exactly as
 * it was" — here the worst failure there is: the real `caliper ingest` (dist/cli/caliper.js) as
 * a child process, killed with SIGKILL at seeded random moments of ingesting a 2-location demo
 * (about 5 s, most of it inside the one store transaction: an uninterrupted run measures when
 * its transaction holds the write lock, and the kills fall in that span). After each kill the store is opened
 * as the next process would: integrity_check says ok, and it is exactly the store before the
 * ingest (every table's rows hashed) — or, when the kill came after the commit, exactly the
 * committed ingest. No rollback journal is left to break the next open, and the next ingest
 * commits. CALIPER_KILL_RUNS=50 kills fifty times; CALIPER_KILL_SEED replays a run.
 */

const RUNS = killRuns(3);
const SEED = killSeed(20261103);
const END = '2025-12';

let dir: string;
let base: string;
let demo: string;
/** The uninterrupted ingest: how long it took, when its transaction held the writer, what it left. */
let reference: { ms: number; transaction: [number, number]; walBytes: number; state: StoreState } | undefined;
/** The store's files as the last rolled-back kill left them (-wal and -shm included), never opened since. */
let killedStore: string | undefined;

function ingestChild(store: string) {
  const env = { ...process.env };
  delete env.CALIPER_STORE;
  delete env.CALIPER_TENANT;
  return spawnNode([CLI, 'ingest', demo, '--store', store, '--json'], env);
}

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = tempDir('caliper-kill-cli-');
  demo = path.join(dir, 'demo');
  await runDemo({ locations: 2, years: 1, seed: 42, end: END, out: demo }, () => undefined);
  base = path.join(dir, 'base', 'caliper.db');
  // The store before: the two small fixture bundles, ingested and closed.
  const { exitCode } = await runIngest(
    [fixture('north'), fixture('south')],
    { storeFile: base, tenant: 'default' },
    { json: true, progress: false },
    () => undefined,
  );
  expect(exitCode).toBe(0);
}, 60_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper ingest killed with SIGKILL', () => {
  it('uninterrupted, commits: the reference the kills are measured against', async () => {
    const store = path.join(dir, 'reference', 'caliper.db');
    fs.mkdirSync(path.dirname(store));
    copyStore(base, store);
    const child = ingestChild(store);
    const { spans, walBytes, ms } = await watchWriter(child.exited, store);
    const exit = await child.exited;
    expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });
    const transaction = longest(spans);
    // Most of the ingest runs inside its one transaction, which writes pages out before it commits.
    expect(transaction[1] - transaction[0]).toBeGreaterThan(ms / 4);
    expect(walBytes).toBeGreaterThan(0);
    reference = { ms, transaction, walBytes, state: storeState(store) };
    expect(reference.state.integrity).toBe('ok');
    expect(reference.state.ingests).toBe(storeState(base).ingests + 1);
  });

  it(
    `leaves the store exactly as it was (${RUNS} kills, seed ${SEED})`,
    async () => {
      if (reference === undefined) throw new Error('the reference ingest did not run');
      const { ms: fullMs, transaction, walBytes: fullWal, state: after } = reference;
      const [from, to] = transaction;
      const before = storeState(base);
      expect(before.integrity).toBe('ok');
      const store = path.join(dir, 'killed', 'caliper.db');
      fs.mkdirSync(path.dirname(store));
      copyStore(base, store);
      const leftover = path.join(dir, 'leftover', 'caliper.db');
      fs.mkdirSync(path.dirname(leftover));
      const scratch = path.join(dir, 'scratch', 'caliper.db');
      fs.mkdirSync(path.dirname(scratch));
      const random = seededRandom(SEED);
      const log: string[] = [];
      const outcomes = { rolledBack: 0, committed: 0, finished: 0, midTransaction: 0 };
      for (let run = 0; run < RUNS; run += 1) {
        // Anywhere in the reference's transaction, from its first write lock to its commit; every
        // other kill once the transaction has written a seeded share of its pages to the WAL.
        const share = random();
        const moment: KillMoment =
          run % 2 === 0
            ? { afterMs: Math.round(from + (to - from) * share) }
            : { walBytes: Math.max(1, Math.round(fullWal * (0.05 + 0.85 * share))) };
        const started = performance.now();
        const { killed, atMs, walBytes, writing, exit } = await killAt(ingestChild(store), moment, store);
        const left = sidecars(store);
        // WAL mode: a killed writer leaves a -wal (and -shm) the next open recovers from, never
        // a rollback journal.
        expect(left).not.toContain('-journal');
        // The files exactly as the kill left them, for the next ingest to open.
        copyStore(store, scratch);
        const state = storeState(store);
        expect(state.integrity).toBe('ok');
        let outcome: string;
        if (state.ingests === before.ingests) {
          expect(state.hash).toBe(before.hash);
          expect(state.counts).toEqual(before.counts);
          outcome = 'rolled back: store as before';
          outcomes.rolledBack += 1;
          if (writing) outcomes.midTransaction += 1;
          copyStore(scratch, leftover);
        } else {
          // Killed after its commit (or not killed at all): the whole ingest, nothing less.
          expect(state.ingests).toBe(after.ingests);
          expect(state.counts).toEqual(after.counts);
          outcome = killed ? 'killed after commit: store as committed' : `finished first (exit ${exit.code})`;
          if (killed) outcomes.committed += 1;
          else outcomes.finished += 1;
          copyStore(base, store);
        }
        log.push(
          `kill ${run + 1}/${RUNS} ${'afterMs' in moment ? `at ${moment.afterMs} ms` : `at WAL ≥ ${moment.walBytes} bytes`} ` +
            `(${Math.round(atMs)} ms, ${((100 * atMs) / fullMs).toFixed(0)} % of ${Math.round(fullMs)} ms): ` +
            `${killed ? 'SIGKILL' : 'not killed'}${writing ? ' mid-transaction' : ''}, WAL ${walBytes} bytes, ` +
            `left ${left.join(' ') || 'nothing'} → ${outcome} ` +
            `(${Math.round(performance.now() - started)} ms)`,
        );
      }
      console.log(
        [
          `caliper ingest, seed ${SEED}, reference ${Math.round(fullMs)} ms with its transaction at ${Math.round(from)}–${Math.round(to)} ms ` +
            `(WAL up to ${fullWal} bytes): ` +
            `${outcomes.rolledBack} rolled back (${outcomes.midTransaction} with the transaction open), ` +
            `${outcomes.committed} killed after commit, ${outcomes.finished} finished first`,
          ...log,
        ].join('\n'),
      );
      // Each kill landed in the transaction or after it; at least one rolled back for the next test.
      expect(outcomes.rolledBack).toBeGreaterThan(0);
      killedStore = leftover;
    },
    60_000 + RUNS * 20_000,
  );

  it('the next ingest opens the files a kill left and commits', async () => {
    if (reference === undefined || killedStore === undefined) throw new Error('the kills did not run');
    const store = killedStore;
    const left = sidecars(store);
    const next = await ingestChild(store).exited;
    expect({ code: next.code, stderr: next.stderr }).toEqual({ code: 0, stderr: '' });
    const final = storeState(store);
    expect(final.integrity).toBe('ok');
    expect(final.counts).toEqual(reference.state.counts);
    expect(sidecars(store)).toEqual([]);
    console.log(
      `next ingest after the last kill (left ${left.join(' ') || 'nothing'}): exit 0, integrity ok`,
    );
  });
});
