/*
 * The API contract: every request and response body the HTTP API serves, as zod schemas (the
 * handlers parse with them, openapi.ts describes them, the add-in's client takes its types from
 * them), and the limits and states both sides use. Pure: no I/O, no Node modules.
 *
 * The add-in imports types from here with `import type`, and values only from `./constants`,
 * which has no zod: a value import of a schema file would bundle zod and every schema with it.
 */
export * from './actions';
export * from './briefing';
export * from './callList';
export * from './common';
export * from './constants';
export * from './forecast';
export * from './ingest';
export * from './locations';
export * from './metrics';
export * from './portfolio';
