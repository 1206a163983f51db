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
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${err.slice(-4000)}`);
  const kbytes = /Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1];
  return {
    seconds,
    peakRss: kbytes === undefined ? null : Number(kbytes) * 1024,
    stdout: Buffer.concat(out).toString('utf8'),
  };
}

/** The last line of a child's stdout as JSON (the children of scripts/bench/ report so). */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}
