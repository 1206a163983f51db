const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default is one worker fewer than the cores: on the 2-core CI machine that is one, every
  // suite in series, while a suite that waits on a child process, a browser or a socket leaves its
  // core idle. Two workers there (the full suite: ~800 s → ~700 s here even beside other jobs).
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  // A folder for the run (tests/support/runCache.ts): demos generated and ingested once, then
  // copied by every suite that starts from them.
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Ingest tests run real SQLite files and real CSV parsing; a generous timeout keeps a
  // loaded 2-core CI machine (two workers side by side) from flaking without hiding anything:
  // no timing is asserted, and a set-up that generates and ingests a demo takes a minute there.
  testTimeout: 180000,
};
