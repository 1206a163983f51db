import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { tempDir } from '../support/testStore';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'build-if-changed.cjs');

/**
 * A project of its own in a temp folder: a source file, and a `build` script that counts its
 * runs and, like the real one, records the sources at its end.
 */
function project(): string {
  const dir = tempDir('caliper-build-if-changed-');
  fs.mkdirSync(path.join(dir, 'shared'));
  fs.writeFileSync(path.join(dir, 'shared', 'a.ts'), 'export const a = 1;\n');
  const build = `node -e "require('fs').appendFileSync('builds.log', 'x')" && node ${JSON.stringify(SCRIPT)} --record`;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', scripts: { build } }));
  return dir;
}

function run(dir: string, env: NodeJS.ProcessEnv = {}): { status: number | null; builds: number } {
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd: dir,
    env: { ...process.env, CALIPER_ADDIN_BASE_URL: '', ...env },
    encoding: 'utf8',
  });
  const log = path.join(dir, 'builds.log');
  return { status: result.status, builds: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').length : 0 };
}

describe('scripts/build-if-changed.cjs (npm start builds only what changed)', () => {
  let dir: string;
  beforeEach(() => {
    dir = project();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds the first time, then not again until a source or an add-in build setting changes', () => {
    expect(run(dir)).toEqual({ status: 0, builds: 1 });
    expect(run(dir)).toEqual({ status: 0, builds: 1 });

    fs.writeFileSync(path.join(dir, 'shared', 'a.ts'), 'export const a = 2;\n');
    expect(run(dir)).toEqual({ status: 0, builds: 2 });
    expect(run(dir)).toEqual({ status: 0, builds: 2 });

    fs.writeFileSync(path.join(dir, 'shared', 'b.ts'), 'export const b = 1;\n');
    expect(run(dir)).toEqual({ status: 0, builds: 3 });

    expect(run(dir, { CALIPER_ADDIN_BASE_URL: 'https://caliper.example.com' })).toEqual({
      status: 0,
      builds: 4,
    });
    expect(run(dir, { CALIPER_ADDIN_BASE_URL: 'https://caliper.example.com' })).toEqual({
      status: 0,
      builds: 4,
    });
  });

  it('fails as the build fails, and records nothing, so the next start builds again', () => {
    const pkg = path.join(dir, 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'p', scripts: { build: 'node -e "process.exit(3)"' } }));
    expect(run(dir).status).toBe(3);
    expect(fs.existsSync(path.join(dir, 'dist', '.build-sources'))).toBe(false);
  });
});
