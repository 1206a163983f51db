#!/usr/bin/env node
/**
 * `npm start`'s build step: builds (`npm run build`) only when a source, the build's
 * configuration or the add-in's build settings changed since the last build. The TypeScript
 * compiler's own incremental check and the add-in bundle take ~3 s even when nothing changed, a
 * sixth of `npm start`'s first screen on a fresh clone (where `npm ci`'s `prepare` just built).
 *
 *   node scripts/build-if-changed.cjs            # build if changed, then record the sources
 *   node scripts/build-if-changed.cjs --record   # only record them (the end of `npm run build`)
 *
 * Plain CommonJS, not TypeScript: it runs before anything is compiled.
 */
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** The project: npm runs its scripts in the package's folder. */
const ROOT = process.cwd();
/** Everything `npm run build` reads: the source folders, the project files, the add-in settings. */
const SOURCE_DIRS = ['addin', 'shared', 'demo', 'store', 'io', 'functions', 'cli', 'scripts'];
const SOURCE_FILES = [
  'manifest.xml',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
const BUILD_ENV = [
  'CALIPER_ADDIN_BASE_URL',
  'CALIPER_ENTRA_CLIENT_ID',
  'CALIPER_ENTRA_AUTHORITY',
  'CALIPER_ENTRA_SCOPES',
];
const RECORD = path.join(ROOT, 'dist', '.build-sources');

function filesBelow(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesBelow(full) : [full];
    });
}

/** One digest of every source's path and bytes and of the build settings in the environment. */
function sourcesDigest() {
  const hash = createHash('sha256');
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => filesBelow(path.join(ROOT, dir))),
    ...SOURCE_FILES.map((f) => path.join(ROOT, f)),
  ];
  for (const file of files) {
    hash.update(`${path.relative(ROOT, file)}\0`);
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '(absent)');
    hash.update('\0');
  }
  for (const name of BUILD_ENV) hash.update(`${name}=${process.env[name] ?? ''}\0`);
  return hash.digest('hex');
}

function record(digest) {
  fs.mkdirSync(path.dirname(RECORD), { recursive: true });
  fs.writeFileSync(RECORD, `${digest}\n`);
}

function main() {
  const digest = sourcesDigest();
  if (process.argv.includes('--record')) {
    record(digest);
    return 0;
  }
  const recorded = fs.existsSync(RECORD) ? fs.readFileSync(RECORD, 'utf8').trim() : null;
  if (recorded === digest) return 0;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return build.status ?? 1;
}

process.exitCode = main();
