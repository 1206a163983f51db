/**
 * Runs one phase of the bench as its own process, so each phase's peak RSS is its own and not
 * the high-water mark of everything before it. The time is the wall clock around the child
 * (Node's start-up included, as a user running the command pays it); the peak RSS is GNU
 * time's "Maximum resident set size" where /usr/bin/time exists.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const GNU_TIME = '/usr/bin/time';

export interface ChildRun {
  seconds: number;
  /** Why the child failed (its exit and the telling line of its stderr), or null. */
  failure: string | null;
  /** Bytes; null where /usr/bin/time is missing (the child's own report may still give it). */
  peakRss: number | null;
  stdout: string;
}

export async function runChild(args: readonly string[]): Promise<ChildRun> {
  const timed = fs.existsSync(GNU_TIME);
  const [command, ...rest] = timed
    ? [GNU_TIME, '-v', process.execPath, ...args]
    : [process.execPath, ...args];
  const started = process.hrtime.bigint();
  const child = spawn(command, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  // Only the tail matters (GNU time's report, or the error); a chatty child must not fill memory.
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-20_000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failure = code === 0 ? null : `exit ${code}: ${tellingLine(err)}`;
  const kbytes = /Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1];
  return {
    seconds,
    failure,
    peakRss: kbytes === undefined ? null : Number(kbytes) * 1024,
    stdout: Buffer.concat(out).toString('utf8'),
  };
}

/** A run the bench cannot go on without (the ingest): its failure stops the size. */
export function mustSucceed(run: ChildRun, what: string): ChildRun {
  if (run.failure !== null) throw new Error(`${what} failed: ${run.failure}`);
  return run;
}

/** The line of a failed child's stderr that says why: V8's fatal error, else the first error line. */
export function tellingLine(stderr: string): string {
  // GNU time's report ("Command being timed: …") follows the child's own output.
  const report = stderr.lastIndexOf('Command being timed');
  const lines = (report === -1 ? stderr : stderr.slice(0, report))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const fatal = lines.find((line) => line.startsWith('FATAL ERROR'));
  const error = lines.find((line) => /error/i.test(line));
  return (fatal ?? error ?? lines[lines.length - 1] ?? 'no message').slice(0, 300);
}

/** The last line of a child's stdout as JSON (the children of scripts/bench/ report so). */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}
