import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';

import { createKey } from '../../cli/commands/keysCommand';
import { createRuntime, runtime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/** The key requests carry unless a test passes its own headers: a key of tenant t1. */
let defaultKey: string | undefined;

/** A temp SQLite store with the north and south fixtures ingested for tenant t1, wired into the handlers. */
export async function openApiTestStore(): Promise<TestStore> {
  const t = openTestStore();
  await t.ingest([fixture('north'), fixture('south')]);
  await useTestStore(t);
  return t;
}

/** Points the handlers at `t` in api-key mode with a fresh metrics cache and a new t1 key. */
export async function useTestStore(t: TestStore): Promise<void> {
  setRuntimeForTests(createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store));
  defaultKey = (await createKey(t.store, 't1', 'tests')).key;
}

export async function closeApiTestStore(t: TestStore): Promise<void> {
  await runtime().close();
  setRuntimeForTests(undefined);
  defaultKey = undefined;
  await t.close();
}

export function bearer(credential: string): Record<string, string> {
  return { authorization: `Bearer ${credential}` };
}

function defaultHeaders(): Record<string, string> {
  return defaultKey === undefined ? {} : bearer(defaultKey);
}

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** A GET carrying the default t1 key, or exactly `headers` when given (`{}`: no credential). */
export function get(path: string, headers: Record<string, string> = defaultHeaders()): HttpRequest {
  return new HttpRequest({ method: 'GET', url: `http://localhost/api/${path}`, headers });
}

export function post(
  path: string,
  body: string,
  headers: Record<string, string> = defaultHeaders(),
): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/${path}`,
    body: { string: body },
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Calls a handler as the host would and returns its status, headers and JSON body. */
export async function call(
  handler: Handler,
  request: HttpRequest,
  context = new InvocationContext(),
  // Bodies are asserted field by field; typing each shape here would only restate the handlers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await handler(request, context);
  return {
    status: response.status ?? 200,
    headers: new Headers(response.headers),
    body: response.jsonBody,
  };
}
