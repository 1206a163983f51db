import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

import { nodeFlagsInForce, WANTED_HEAP_GROWING_PERCENT } from '../io/heapGrowth';

/**
 * The heap a Caliper process asks for. Node's default is a quarter of the machine's memory:
 * 2 GB on an 8 GB laptop, where a question over a 200-location portfolio (2.25 GB live after a
 * full collection, docs/benchmarks.md) ended in a V8 fatal error instead of an answer. 4 GB is
 * what this machine's default gave (a quarter of 24 GiB, every benchmark ran under it).
 */
export const WANTED_HEAP_MB = 4096;

/**
 * The young generation's semi-space a command over a tenant's metric data asks for: Node's own
 * default, named so a command runs with what was measured whatever the Node build. It was 64 MB
 * while loading made millions of short-lived objects beside a large live set (`caliper metrics`
 * at 200 locations 114 → 95 s); once the load read columns and merged the dimensions after the
 * facts, 64 MB cost both ways there: 72–95 s at 1.45–1.50 GiB against 75–80 s at 1.34–1.37 GiB
 * with 16 (docs/benchmarks.md, sixteenth stop). It costs at most three times this in memory.
 */
export const WANTED_SEMI_SPACE_MB = 16;

/**
 * The semi-space the ingest's main thread asks for: it reads, checks and hashes every row, each
 * batch of rows living through several young collections before its write is posted; with
 * Node's 16 MB those took ≈ 10 s of a 50-location ingest's ≈ 60 (`--trace-gc`). With 32 MB the
 * ingest ran 5–15 % faster at ≈ 0.1 GB more (docs/benchmarks.md, seventeenth stop); its worker
 * threads keep Node's default (`WORKER_YOUNG_GENERATION_MB`).
 */
export const WANTED_INGEST_SEMI_SPACE_MB = 32;

/** What a command does with memory: a light one, one over a tenant's metric data, or an ingest. */
export type CommandKind = 'light' | 'metricData' | 'ingest';

/**
 * The files an ingest reads from which it re-launches with `WANTED_INGEST_SEMI_SPACE_MB`: the
 * re-launch costs ≈ 0.6 s (Node starts twice), about what a tenth of an ingest of this size saves.
 * One location's monthly export (a few hundred KB) runs as it is.
 */
export const LARGE_INGEST_BYTES = 32 * 2 ** 20;

/**
 * An ingest of `paths` (files, or folders of them) is an `ingest` when they hold at least
 * `LARGE_INGEST_BYTES`, a `light` command otherwise. Counting stops at the threshold; a path
 * that cannot be read counts nothing (the ingest itself says what is wrong with it).
 */
export function ingestKind(paths: readonly string[]): CommandKind {
  let bytes = 0;
  const visit = (file: string, depth: number): void => {
    if (bytes >= LARGE_INGEST_BYTES) return;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isFile()) bytes += stat.size;
    else if (stat.isDirectory() && depth < 3) {
      let names: string[];
      try {
        names = fs.readdirSync(file);
      } catch {
        return;
      }
      for (const name of names) visit(path.join(file, name), depth + 1);
    }
  };
  for (const p of paths) visit(p, 0);
  return bytes >= LARGE_INGEST_BYTES ? 'ingest' : 'light';
}

/** Never more than this share of the machine's memory: the workbook and Excel need the rest. */
const MACHINE_SHARE = 0.75;

/** The variable that overrides the heap Caliper asks for, in MB. */
export const HEAP_VARIABLE = 'CALIPER_HEAP_MB';

/** Set in a process Caliper re-launched, so it never re-launches again. */
const RELAUNCHED_VARIABLE = 'CALIPER_HEAP_RELAUNCHED';

export interface HeapFacts {
  totalMemoryBytes: number;
  heapLimitBytes: number;
  /** The node flags in force: the process's own and NODE_OPTIONS. */
  nodeFlags: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The heap (MB) to re-launch with, or null to run as the process is: a heap limit the user set
 * (`--max-old-space-size`) stands, and a limit within a tenth of the wanted one is left alone.
 */
export function heapToRelaunchWith(facts: HeapFacts): number | null {
  if (facts.env[RELAUNCHED_VARIABLE] !== undefined) return null;
  if (/--max-old-space-size\b/.test(facts.nodeFlags)) return null;
  const override = facts.env[HEAP_VARIABLE];
  let wanted: number;
  if (override !== undefined && override.trim() !== '') {
    wanted = Number(override);
    if (!Number.isInteger(wanted) || wanted < 256) {
      throw new Error(`${HEAP_VARIABLE}=${override} is not a heap size in MB (a whole number, at least 256)`);
    }
  } else {
    wanted = Math.min(WANTED_HEAP_MB, Math.floor((facts.totalMemoryBytes * MACHINE_SHARE) / 2 ** 20));
  }
  const current = facts.heapLimitBytes / 2 ** 20;
  return Math.abs(wanted - current) > current / 10 ? wanted : null;
}

/**
 * The V8 flags to re-launch with, or null to run as the process is: the heap as
 * `heapToRelaunchWith` says; for a command over a tenant's metric data the young generation and
 * the old generation's growth too, and for an ingest its young generation, unless the user set
 * them (`--max-semi-space-size`, `--heap-growing-percent`). Such a command re-launches for that
 * alone (half a second, against tens of seconds of its work); a light one never does.
 */
export function flagsToRelaunchWith(
  facts: HeapFacts,
  kind: CommandKind,
): { heapMb: number; flags: string[] } | null {
  const heapMb = heapToRelaunchWith(facts);
  const first = facts.env[RELAUNCHED_VARIABLE] === undefined;
  const semiSpaceMb =
    kind === 'metricData' ? WANTED_SEMI_SPACE_MB : kind === 'ingest' ? WANTED_INGEST_SEMI_SPACE_MB : null;
  const young = first && semiSpaceMb !== null && !/--max-semi-space-size\b/.test(facts.nodeFlags);
  const growing = first && kind === 'metricData' && !/--heap-growing-percent\b/.test(facts.nodeFlags);
  if (heapMb === null && !young && !growing) return null;
  const flags = young ? [`--max-semi-space-size=${semiSpaceMb}`] : [];
  if (growing) flags.push(`--heap-growing-percent=${WANTED_HEAP_GROWING_PERCENT}`);
  if (heapMb !== null) flags.push(`--max-old-space-size=${heapMb}`);
  return { heapMb: heapMb ?? Math.round(facts.heapLimitBytes / 2 ** 20), flags };
}

function currentFacts(): HeapFacts {
  return {
    totalMemoryBytes: os.totalmem(),
    heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
    nodeFlags: nodeFlagsInForce(),
    env: process.env,
  };
}

/**
 * Runs `script` again in a child process with the heap Caliper wants, when this process's
 * limit is far from it or the command's `kind` asks for flags (see `flagsToRelaunchWith`);
 * resolves to the child's exit code. Null when this process should run the command itself. Ctrl+C reaches the
 * child from the terminal; the parent only waits for it.
 */
export function relaunchWithWantedHeap(script: string, kind: CommandKind = 'light'): Promise<number> | null {
  let relaunch: { heapMb: number; flags: string[] } | null;
  try {
    relaunch = flagsToRelaunchWith(currentFacts(), kind);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
  if (relaunch === null) {
    followParent();
    return null;
  }
  const { heapMb, flags } = relaunch;
  const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAUNCHED_VARIABLE]: String(heapMb) },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`error: could not start node again with a ${heapMb} MB heap: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGABRT') {
        // V8 aborts when the heap is full; its own message says only that.
        process.stderr.write(
          `error: the command ran out of memory with a ${heapMb} MB heap; if this machine has more ` +
            `memory, set ${HEAP_VARIABLE} higher (e.g. ${HEAP_VARIABLE}=${heapMb * 2})\n`,
        );
      }
      resolve(code ?? (signal === null ? 1 : 128 + os.constants.signals[signal]));
    });
  });
}

let followingParent = false;

/**
 * In a re-launched process: ends it when the parent is gone, so a parent killed outright (an
 * ingest stopped with `kill -9`) does not leave its child writing. The IPC channel closes when
 * the parent dies; unreferenced, it never keeps the process alive by itself.
 */
function followParent(): void {
  // A large ingest asks twice (at start, then once its files are known): one listener.
  if (followingParent || process.env[RELAUNCHED_VARIABLE] === undefined || !process.channel) return;
  followingParent = true;
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
