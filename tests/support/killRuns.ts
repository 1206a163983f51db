import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

/*
 * What the kill-during-ingest tests need: a seeded random source, a child process killed with
 * SIGKILL at a chosen moment, and the store as a fingerprint to compare before and after.
 */

export const ROOT = path.join(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'caliper.js');
export const START = path.join(ROOT, 'dist', 'cli', 'start.js');

/** Kills per test: a handful in CI, more with `CALIPER_KILL_RUNS=50`. */
export function killRuns(fallback: number): number {
  const runs = Number(process.env.CALIPER_KILL_RUNS ?? fallback);
  return Number.isInteger(runs) && runs > 0 ? runs : fallback;
}

/** The seed of the kill moments (`CALIPER_KILL_SEED`), printed with every run so a failure replays. */
export function killSeed(fallback: number): number {
  const seed = Number(process.env.CALIPER_KILL_SEED ?? fallback);
  return Number.isInteger(seed) ? seed : fallback;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The store as the tests compare it. */
export interface StoreState {
  integrity: string;
  /** Rows per table. */
  counts: Record<string, number>;
  /** SHA-256 of the schema and of every row of every table, in a fixed order. */
  hash: string;
  /** Rows of the ingest log: one more means an ingest committed. */
  ingests: number;
}

/**
 * Opens the file as the next process would (a WAL left by a killed writer is recovered here:
 * its uncommitted frames are ignored), checks it and fingerprints it. Planner statistics
 * (`sqlite_stat*`, which `PRAGMA optimize` may rewrite when a connection closes) are not data
 * and are left out; every other table is dumped ordered by all its columns.
 */
export function storeState(file: string): StoreState {
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const schema = db
      .prepare<[], { type: string; name: string; sql: string | null }>(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
      )
      .all();
    const hash = createHash('sha256').update(JSON.stringify(schema));
    const counts: Record<string, number> = {};
    for (const { name } of schema.filter((s) => s.type === 'table' && !s.name.startsWith('sqlite_'))) {
      const columns = db.prepare(`SELECT * FROM "${name}" LIMIT 0`).columns();
      const order = columns.map((_, i) => i + 1).join(', ');
      let n = 0;
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).raw().iterate()) {
        hash.update(
          JSON.stringify(row, (_key, value: unknown) =>
            typeof value === 'bigint'
              ? `${value}n`
              : Buffer.isBuffer(value)
                ? `0x${value.toString('hex')}`
                : value,
          ),
        );
        n += 1;
      }
      hash.update(`\u0000${name}:${n}\u0000`);
      counts[name] = n;
    }
    return { integrity, counts, hash: hash.digest('hex'), ingests: counts.ingests ?? 0 };
  } finally {
    db.close();
  }
}

/** The files SQLite keeps beside `file` (`-wal`, `-shm`, a rollback `-journal`). */
export function sidecars(file: string): string[] {
  return ['-journal', '-wal', '-shm'].filter((suffix) => fs.existsSync(`${file}${suffix}`));
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Copies a store with its tenant secrets (kept beside it) to `into`. */
export function copyStore(from: string, into: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(`${into}${suffix}`, { force: true });
    if (fs.existsSync(`${from}${suffix}`)) fs.copyFileSync(`${from}${suffix}`, `${into}${suffix}`);
  }
  const secrets = path.join(path.dirname(from), 'secrets');
  const target = path.join(path.dirname(into), 'secrets');
  if (fs.existsSync(secrets) && secrets !== target) fs.cpSync(secrets, target, { recursive: true });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A child process with its output collected and its end as a promise. */
export interface Child {
  process: ChildProcess;
  exited: Promise<Exit>;
  stdout(): string;
}

export function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { process: child, exited, stdout: () => stdout };
}

/**
 * Whether a process holds the store's write lock right now (an ingest transaction is open):
 * a connection of its own tries `BEGIN IMMEDIATE` without waiting and closes again, so no
 * connection of the test is open when the writer is killed.
 */
export function writerBusy(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0, fileMustExist: true });
  } catch {
    return false;
  }
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/** What watching an uninterrupted writer found. */
export interface WriterWatch {
  /** Spans (ms from the start of watching) in which a writer held the lock; the longest is the ingest's transaction. */
  spans: [number, number][];
  /** The most bytes the WAL held while a writer held the lock. */
  walBytes: number;
  ms: number;
}

/** Watches `file`'s write lock and WAL every `everyMs` until `until` settles (a child's end, an answer). */
export async function watchWriter(until: Promise<unknown>, file: string, everyMs = 20): Promise<WriterWatch> {
  const started = performance.now();
  const spans: [number, number][] = [];
  let open: number | null = null;
  let walBytes = 0;
  const timer = setInterval(() => {
    const now = performance.now() - started;
    const busy = writerBusy(file);
    if (busy) walBytes = Math.max(walBytes, fileSize(`${file}-wal`));
    if (busy && open === null) open = now;
    if (!busy && open !== null) {
      spans.push([open, now]);
      open = null;
    }
  }, everyMs);
  await until.catch(() => undefined);
  const ms = performance.now() - started;
  clearInterval(timer);
  if (open !== null) spans.push([open, ms]);
  return { spans, walBytes, ms };
}

/** The longest of `spans`. */
export function longest(spans: readonly [number, number][]): [number, number] {
  return spans.reduce<[number, number]>((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a), [0, 0]);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** When to kill: `ms` after the start, or once the store's WAL holds `walBytes` (spilled pages). */
export type KillMoment = { afterMs: number } | { walBytes: number };

export interface Kill {
  killed: boolean;
  /** The kill's moment in ms from the start. */
  atMs: number;
  /** Bytes in the WAL at the kill: pages the open transaction had already written out. */
  walBytes: number;
  /** Whether a writer held the lock at the kill: the transaction was open. */
  writing: boolean;
  exit: Exit;
}

/**
 * SIGKILL at `moment` (polled every 5 ms) unless the child ended first, measured from `started`
 * (performance.now(); now by default). What the moment found is answered with it.
 */
export async function killAt(
  child: Child,
  moment: KillMoment,
  storeFile: string,
  started = performance.now(),
): Promise<Kill> {
  let ended = false;
  void child.exited.then(() => {
    ended = true;
  });
  for (;;) {
    if (ended) break;
    const reached =
      'afterMs' in moment
        ? performance.now() - started >= moment.afterMs
        : fileSize(`${storeFile}-wal`) >= moment.walBytes;
    if (reached) break;
    await sleep(5);
  }
  const atMs = performance.now() - started;
  let walBytes = 0;
  let writing = false;
  if (!ended) {
    walBytes = fileSize(`${storeFile}-wal`);
    writing = writerBusy(storeFile);
    child.process.kill('SIGKILL');
  }
  const exit = await child.exited;
  return { killed: exit.signal === 'SIGKILL', atMs, walBytes, writing, exit };
}
