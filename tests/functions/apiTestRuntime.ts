import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';

import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/** A temp SQLite store with the north and south fixtures ingested for tenant t1, wired into the handlers. */
export async function openApiTestStore(): Promise<TestStore> {
  const t = openTestStore();
  await t.ingest([fixture('north'), fixture('south')]);
  useTestStore(t);
  return t;
}

/** Points the handlers at `t` with a fresh metrics cache and t1 as the default tenant. */
export function useTestStore(t: TestStore): void {
  setRuntimeForTests(createRuntime({ storeFile: t.file, defaultTenant: 't1' }, t.store));
}

export async function closeApiTestStore(t: TestStore): Promise<void> {
  setRuntimeForTests(undefined);
  await t.close();
}

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function get(path: string, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({ method: 'GET', url: `http://localhost/api/${path}`, headers });
}

export function post(path: string, body: string, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/${path}`,
    body: { string: body },
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Calls a handler as the host would and returns its status and JSON body. */
export async function call(
  handler: Handler,
  request: HttpRequest,
  context = new InvocationContext(),
  // Bodies are asserted field by field; typing each shape here would only restate the handlers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const response = await handler(request, context);
  return { status: response.status ?? 200, body: response.jsonBody };
}
