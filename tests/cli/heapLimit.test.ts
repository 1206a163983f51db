import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
  flagsToRelaunchWith,
  heapToRelaunchWith,
  ingestKind,
  LARGE_INGEST_BYTES,
  WANTED_HEAP_MB,
  WANTED_INGEST_SEMI_SPACE_MB,
  WANTED_SEMI_SPACE_MB,
} from '../../cli/heapLimit';
import { WANTED_HEAP_GROWING_PERCENT } from '../../io/heapGrowth';
import { tempDir } from '../support/testStore';

const GB = 2 ** 30;
const CALIPER = path.join(__dirname, '..', '..', 'dist', 'cli', 'caliper.js');

describe('the heap a Caliper process re-launches with', () => {
  const laptop = { totalMemoryBytes: 8 * GB, heapLimitBytes: 2.06 * GB, nodeFlags: '', env: {} };

  it('asks an 8 GB laptop for 4 GB, not the default quarter of its memory', () => {
    expect(heapToRelaunchWith(laptop)).toBe(WANTED_HEAP_MB);
    expect(WANTED_HEAP_MB).toBe(4096);
  });

  it('asks a 4 GB machine for three quarters of it', () => {
    expect(heapToRelaunchWith({ ...laptop, totalMemoryBytes: 4 * GB, heapLimitBytes: 1.03 * GB })).toBe(3072);
  });

  it('leaves a limit within a tenth of the wanted one alone (24 GiB: 4.35 GB by default)', () => {
    expect(
      heapToRelaunchWith({ ...laptop, totalMemoryBytes: 24 * GB, heapLimitBytes: 4.35 * GB }),
    ).toBeNull();
  });

  it("keeps the user's own --max-old-space-size, from the command line or NODE_OPTIONS", () => {
    expect(heapToRelaunchWith({ ...laptop, nodeFlags: '--max-old-space-size=1024 ' })).toBeNull();
    expect(
      heapToRelaunchWith({ ...laptop, nodeFlags: ' --enable-source-maps --max-old-space-size=900' }),
    ).toBeNull();
  });

  it('never re-launches a re-launched process', () => {
    expect(heapToRelaunchWith({ ...laptop, env: { CALIPER_HEAP_RELAUNCHED: '4096' } })).toBeNull();
  });

  it('takes CALIPER_HEAP_MB over the machine rule, smaller or larger', () => {
    expect(heapToRelaunchWith({ ...laptop, env: { CALIPER_HEAP_MB: '1500' } })).toBe(1500);
    expect(heapToRelaunchWith({ ...laptop, env: { CALIPER_HEAP_MB: '6000' } })).toBe(6000);
    expect(heapToRelaunchWith({ ...laptop, env: { CALIPER_HEAP_MB: ' ' } })).toBe(WANTED_HEAP_MB);
  });

  it('names the variable when CALIPER_HEAP_MB is not a size', () => {
    for (const value of ['4g', '100', '1.5e3x', '-2000']) {
      expect(() => heapToRelaunchWith({ ...laptop, env: { CALIPER_HEAP_MB: value } })).toThrow(
        `CALIPER_HEAP_MB=${value} is not a heap size in MB (a whole number, at least 256)`,
      );
    }
  });
});

describe('the V8 flags a Caliper command re-launches with', () => {
  const workstation = { totalMemoryBytes: 24 * GB, heapLimitBytes: 4.35 * GB, nodeFlags: '', env: {} };

  it('gives a command over the metric data a 16 MB young generation and a quarter of growth, its heap as it is when near the wanted one', () => {
    expect(flagsToRelaunchWith(workstation, 'metricData')).toEqual({
      heapMb: Math.round((4.35 * GB) / 2 ** 20),
      flags: [
        `--max-semi-space-size=${WANTED_SEMI_SPACE_MB}`,
        `--heap-growing-percent=${WANTED_HEAP_GROWING_PERCENT}`,
      ],
    });
    expect(WANTED_SEMI_SPACE_MB).toBe(16);
    expect(WANTED_HEAP_GROWING_PERCENT).toBe(25);
  });

  it("gives an ingest a 32 MB semi-space and no change to the old generation's growth", () => {
    expect(flagsToRelaunchWith(workstation, 'ingest')).toEqual({
      heapMb: Math.round((4.35 * GB) / 2 ** 20),
      flags: [`--max-semi-space-size=${WANTED_INGEST_SEMI_SPACE_MB}`],
    });
    expect(WANTED_INGEST_SEMI_SPACE_MB).toBe(32);
    expect(
      flagsToRelaunchWith({ ...workstation, nodeFlags: ' --max-semi-space-size=8' }, 'ingest'),
    ).toBeNull();
    expect(
      flagsToRelaunchWith({ ...workstation, totalMemoryBytes: 8 * GB, heapLimitBytes: 2.06 * GB }, 'ingest'),
    ).toEqual({ heapMb: 4096, flags: ['--max-semi-space-size=32', '--max-old-space-size=4096'] });
  });

  it('runs a light command as it is, and re-launches it only for the heap', () => {
    expect(flagsToRelaunchWith(workstation, 'light')).toBeNull();
    expect(
      flagsToRelaunchWith({ ...workstation, totalMemoryBytes: 8 * GB, heapLimitBytes: 2.06 * GB }, 'light'),
    ).toEqual({
      heapMb: 4096,
      flags: ['--max-old-space-size=4096'],
    });
  });

  it('asks an 8 GB laptop for both when the command is heavy', () => {
    expect(
      flagsToRelaunchWith(
        { ...workstation, totalMemoryBytes: 8 * GB, heapLimitBytes: 2.06 * GB },
        'metricData',
      ),
    ).toEqual({
      heapMb: 4096,
      flags: ['--max-semi-space-size=16', '--heap-growing-percent=25', '--max-old-space-size=4096'],
    });
  });

  it("keeps the user's own --max-semi-space-size and --heap-growing-percent, and never re-launches a re-launched process", () => {
    expect(
      flagsToRelaunchWith(
        { ...workstation, nodeFlags: ' --max-semi-space-size=8 --heap-growing-percent=100' },
        'metricData',
      ),
    ).toBeNull();
    expect(
      flagsToRelaunchWith({ ...workstation, nodeFlags: ' --max-semi-space-size=8' }, 'metricData')?.flags,
    ).toEqual(['--heap-growing-percent=25']);
    expect(
      flagsToRelaunchWith({ ...workstation, env: { CALIPER_HEAP_RELAUNCHED: '4454' } }, 'metricData'),
    ).toBeNull();
  });
});

describe('caliper re-launched with the heap it wants (the real CLI, a real child process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI with a preloaded script that reports, in every node process, its heap limit. */
  function run(env: Record<string, string>, preload: string, args: string[]) {
    const file = path.join(dir, 'preload.js');
    fs.writeFileSync(file, preload);
    return spawnSync(process.execPath, [CALIPER, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env, NODE_OPTIONS: `--require ${file}` },
    });
  }

  it('runs the command once, in a child whose heap limit is CALIPER_HEAP_MB', () => {
    const result = run(
      { CALIPER_HEAP_MB: '3000' },
      `process.on('exit', () => process.stderr.write('heap ' +
        Math.round(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20) + ' ' +
        (process.env.CALIPER_HEAP_RELAUNCHED ?? '-') + '\\n'));`,
      ['--help'],
    );
    expect(result.status).toBe(0);
    expect(result.stdout.match(/Usage: caliper/g)).toHaveLength(1);
    const reports = result.stderr.split('\n').filter((line) => line.startsWith('heap '));
    expect(reports).toHaveLength(2);
    const child = reports.find((line) => line.endsWith(' 3000'));
    expect(child).toBeDefined();
    // The old space is 3000 MB; the limit adds the young generation's few dozen MB.
    const limit = Number(child?.split(' ')[1]);
    expect(limit).toBeGreaterThanOrEqual(3000);
    expect(limit).toBeLessThan(3100);
  });

  it('runs a command over the metric data in a child with the 16 MB young generation, a light one in place', () => {
    const preload = `process.on('exit', () => process.stderr.write('flags ' + process.execArgv.join(' ') + '\\n'));`;
    const heavy = run({}, preload, ['metrics', '--help']);
    expect(heavy.status).toBe(0);
    const heavyReports = heavy.stderr.split('\n').filter((line) => line.startsWith('flags'));
    expect(heavyReports).toHaveLength(2);
    expect(heavyReports.filter((line) => line.includes('--max-semi-space-size=16'))).toHaveLength(1);

    const light = run({}, preload, ['summary', '--help']);
    expect(light.status).toBe(0);
    // Re-launched only if this machine's heap is far from the wanted one, never for the young generation.
    const lightReports = light.stderr.split('\n').filter((line) => line.startsWith('flags'));
    expect(lightReports.length).toBeGreaterThanOrEqual(1);
    expect(lightReports.filter((line) => line.includes('--max-semi-space-size'))).toHaveLength(0);
  });

  it('says the command ran out of memory, and what to set, when the child exhausts its heap', () => {
    const result = run(
      { CALIPER_HEAP_MB: '256' },
      `if (process.env.CALIPER_HEAP_RELAUNCHED) { const held = []; for (;;) held.push(new Array(1e5).fill({})); }`,
      ['--help'],
    );
    expect(result.status).toBe(134);
    expect(result.stderr).toContain(
      'error: the command ran out of memory with a 256 MB heap; if this machine has more memory, set CALIPER_HEAP_MB higher (e.g. CALIPER_HEAP_MB=512)',
    );
  });

  it('ends the child when the parent is killed outright, so nothing goes on writing', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const preload = path.join(dir, 'preload.js');
    // The child stands for a long command: it records its pid and keeps running.
    fs.writeFileSync(
      preload,
      `if (process.env.CALIPER_HEAP_RELAUNCHED) { require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => undefined, 1000); }`,
    );
    const parent = spawn(process.execPath, [CALIPER, '--help'], {
      stdio: 'ignore',
      env: { ...process.env, CALIPER_HEAP_MB: '3000', NODE_OPTIONS: `--require ${preload}` },
    });
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i += 1) await new Promise((r) => setTimeout(r, 50));
      return done();
    };
    expect(await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '')).toBe(true);
    const childPid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await until(() => !alive(childPid))).toBe(true);
  });

  it('refuses a CALIPER_HEAP_MB that is not a size, with exit 2 and the reason', () => {
    const result = run({ CALIPER_HEAP_MB: 'lots' }, '', ['--help']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: CALIPER_HEAP_MB=lots is not a heap size in MB');
  });
});

describe('which ingest re-launches for its young generation', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts the files of the folders given, and only a large ingest is an ingest', () => {
    const bundle = path.join(dir, 'L001');
    fs.mkdirSync(path.join(bundle, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(bundle, 'sales.csv'), 'x'.repeat(1000));
    // Sparse: the size is what is counted, not the bytes on disk.
    fs.truncateSync(path.join(bundle, 'sales.csv'), LARGE_INGEST_BYTES - 10);
    fs.writeFileSync(path.join(bundle, 'nested', 'appointments.csv'), 'y'.repeat(9));
    expect(ingestKind([bundle])).toBe('light');
    fs.writeFileSync(path.join(dir, 'leads.csv'), 'z');
    expect(ingestKind([bundle, path.join(dir, 'leads.csv')])).toBe('ingest');
    expect(ingestKind([path.join(dir, 'missing'), path.join(bundle, 'nested')])).toBe('light');
  });
});
