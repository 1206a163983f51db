import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';

import {
  HttpRequest,
  type HttpRequestInit,
  HttpResponse,
  type HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import { z } from 'zod';

import { errorResponse } from './httpErrors';
import { type RouteBody, type RouteDefinition, ROUTES } from './routes';
import { type Runtime, runtime as processRuntime, setRuntimeForTests, sweepUploads } from './runtime';

export const DEFAULT_CORS_ORIGINS = ['https://localhost:3000'];

/** Headers the add-in sends cross-origin: its credential and JSON / upload bodies. */
const ALLOWED_HEADERS = 'authorization, content-type, x-api-key, x-caliper-filename';
/** Browsers cache a preflight this long (seconds), so each recalculation is one request. */
const PREFLIGHT_MAX_AGE = '600';

const corsSchema = z
  .string()
  .optional()
  .transform((text) =>
    text === undefined || text.trim() === ''
      ? DEFAULT_CORS_ORIGINS
      : text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/ })));

/** `CALIPER_CORS_ORIGINS`: comma-separated origins of the add-in allowed to call the local API. */
export function readCorsOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const parsed = corsSchema.safeParse(env.CALIPER_CORS_ORIGINS);
  if (!parsed.success) {
    throw new Error('Bad environment: CALIPER_CORS_ORIGINS must be comma-separated http(s) origins');
  }
  return parsed.data.map((o) => new URL(o).origin);
}

export interface LocalHostOptions {
  port: number;
  host?: string;
  /** The handlers' runtime; the environment's (SQLite store from CALIPER_STORE) when absent. */
  runtime?: Runtime;
  /** Built add-in files, served at `/`. */
  staticDir?: string;
  corsOrigins?: readonly string[];
  /** `manifest.xml` of the repository when absent. */
  manifestFile?: string;
  /** Certificate and key (PEM): served over HTTPS, as Excel requires of add-ins; plain HTTP without. */
  tls?: { cert: Buffer | string; key: Buffer | string };
}

export interface LocalHost {
  url: string;
  /** Resolves once no request is being handled (an aborted upload's handler included). */
  idle(): Promise<void>;
  /**
   * Body bytes of the routes that take theirs whole (`{ maxBytes }`): `read` from the sockets
   * since the host started, and `held` now — read and not yet handed to a handler or dropped.
   * (A streamed upload's bytes are its handler's to count.)
   */
  bodyBytes(): { read: number; held: number };
  close(): Promise<void>;
}

interface CompiledRoute {
  definition: RouteDefinition;
  pattern: RegExp;
  params: string[];
}

/** Functions route templates: literal segments, `{name}` and optional `{name?}` parameters. */
function compileRoute(definition: RouteDefinition): CompiledRoute {
  const params: string[] = [];
  const source = definition.route
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\?)?\}$/.exec(segment);
      if (!param?.[1]) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      params.push(param[1]);
      return param[2] === '?' ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  return { definition, pattern: new RegExp(`^/api${source}/?$`, 'i'), params };
}

/** The folder of the add-in manifest: the repository root, from `functions/` or `dist/functions/`. */
function findManifest(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'manifest.xml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(process.cwd(), 'manifest.xml');
    dir = parent;
  }
  return path.join(dir, 'manifest.xml');
}

/**
 * The add-in as `npm run build` leaves it (dist/addin beside manifest.xml: taskpane.html,
 * taskpane.js, functions.json, icons), served by default so `npm start` hosts the add-in too.
 */
function builtAddinDir(manifestFile: string): string | undefined {
  const dir = path.join(path.dirname(manifestFile), 'dist', 'addin');
  return fs.existsSync(path.join(dir, 'taskpane.html')) ? dir : undefined;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

function json(status: number, code: string, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { code, message } } };
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * The request as the handler sees it with its body still arriving, as the Functions host hands
 * it over with HTTP streams on (`createStreamRequest`). `onFirstRead` runs when the handler
 * first pulls from the body: a client that asked `Expect: 100-continue` is told to send it
 * then, and not at all when the handler answers first (a 413 from the headers, a 429).
 */
function streamingRequest(
  req: http.IncomingMessage,
  url: URL,
  method: string,
  params: Record<string, string>,
  onFirstRead: () => void,
): HttpRequest {
  // Nothing is read from the socket until the handler asks for the body.
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (reader === undefined) {
          onFirstRead();
          reader = (Readable.toWeb(req) as ReadableStream<Uint8Array>).getReader();
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        await reader?.cancel(reason);
      },
    },
    // No read ahead: pull runs only when the handler reads.
    { highWaterMark: 0 },
  );
  const nativeRequest = new Request(url, {
    method,
    headers: headersOf(req),
    body,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  // `nativeRequest` is how the library's own streaming path builds a request (not in its typings).
  return new HttpRequest({ nativeRequest, params } as unknown as HttpRequestInit);
}

/** A route's body limit as the 413 names it: `33,554,432 bytes (32 MiB)`. */
function bytesText(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  const unit = Number.isInteger(mib) ? ` (${mib} MiB)` : '';
  return `${bytes.toLocaleString('en-US')} bytes${unit}`;
}

/**
 * 413 for a body over its route's limit: names the route (its template, never the request's
 * own path, which may carry any id) and the limit.
 */
function bodyTooLarge(method: string, definition: RouteDefinition, limit: number): HttpResponseInit {
  const where = `${method} /api/${definition.route}`;
  return errorResponse({
    code: 'payload_too_large',
    message:
      limit === 0
        ? `${where} takes no request body`
        : `A request body of ${where} holds at most ${bytesText(limit)}`,
  });
}

/** The most a route that reads its body whole takes: its declared limit, or none at all. */
function wholeLimit(body: RouteBody | undefined): number {
  return body === undefined || body === 'stream' ? 0 : body.maxBytes;
}

/** What a body's `Content-Length` says, or null without one (chunked). */
function declaredLength(req: http.IncomingMessage): number | null {
  const text = req.headers['content-length'];
  // Node's parser has already refused a malformed or repeated Content-Length (400).
  return text === undefined || !/^\d+$/.test(text) ? null : Number(text);
}

/** Counts of the host's whole-body reads (`LocalHost.bodyBytes`). */
interface BodyCounts {
  read: number;
  held: number;
}

/**
 * A body read whole, held to `limit` as it arrives (for a body without `Content-Length`, or one
 * that says less than it sends): at one byte over, reading stops, what was read is dropped and
 * it resolves `null`: the answer is 413 and the connection closes after it, so the rest is never
 * read. The chunks are kept as they came (no concatenation: the handler's own read makes the
 * one copy).
 */
function readWhole(req: http.IncomingMessage, limit: number, counts: BodyCounts): Promise<Buffer[] | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const release = () => {
      counts.held -= size;
      size = 0;
      chunks = [];
    };
    const onData = (chunk: Buffer) => {
      counts.read += chunk.length;
      if (size + chunk.length > limit) {
        req.off('data', onData);
        req.pause();
        release();
        resolve(null);
        return;
      }
      size += chunk.length;
      counts.held += chunk.length;
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      const body = chunks;
      release();
      resolve(body);
    });
    req.on('error', (error) => {
      release();
      reject(error);
    });
    // A client gone mid-body: nothing more will come.
    req.on('close', () => {
      if (req.complete) return;
      release();
      reject(new Error('The client went away before the end of its request body'));
    });
  });
}

/** `chunks` as a request body stream, each chunk let go of once the handler has read it. */
function bodyStream(chunks: Buffer[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next];
      if (chunk === undefined) {
        controller.close();
        return;
      }
      chunks[next] = Buffer.alloc(0);
      next += 1;
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    },
  });
}

/**
 * The request as the handler sees it with a body the host has read whole: handed over as a
 * stream of the chunks read, so @azure/functions does not copy it (its `body: { bytes }` copies
 * a body twice).
 */
function wholeRequest(
  req: http.IncomingMessage,
  url: URL,
  method: string,
  params: Record<string, string>,
  chunks: Buffer[],
): HttpRequest {
  const nativeRequest = new Request(url, {
    method,
    headers: headersOf(req),
    body: bodyStream(chunks),
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  return new HttpRequest({ nativeRequest, params } as unknown as HttpRequestInit);
}

/**
 * The local stand-in for the Functions host: one Node process answering the same handlers
 * over HTTP (requests and responses are @azure/functions' own classes), plus the add-in's
 * static files and manifest. CORS is allowed for the add-in's origins only, as the Function
 * App's CORS setting does in Azure.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const rt = options.runtime ?? processRuntime();
  // Handlers reach their runtime through runtime(); the host's choice is the one they see.
  if (options.runtime) setRuntimeForTests(options.runtime);
  const routes = ROUTES.map(compileRoute);
  const origins = new Set(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const manifestFile = options.manifestFile ?? findManifest();
  const given = options.staticDir ?? builtAddinDir(manifestFile);
  const staticDir = given === undefined ? undefined : path.resolve(given);
  const bodyCounts: BodyCounts = { read: 0, held: 0 };
  const host = options.host ?? '127.0.0.1';
  let base = '';

  function corsHeaders(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !origins.has(origin)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'WWW-Authenticate, Location, x-caliper-data-version',
      Vary: 'Origin',
    };
  }

  async function send(
    res: http.ServerResponse,
    req: http.IncomingMessage,
    init: HttpResponseInit | HttpResponse,
  ): Promise<void> {
    const response = init instanceof HttpResponse ? init : new HttpResponse(init);
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    res.writeHead(response.status, { ...headers, ...corsHeaders(req) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function serveFile(file: string): HttpResponseInit | null {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return { status: 200, headers: { 'content-type': type }, body: fs.readFileSync(file) };
  }

  function serveStatic(pathname: string): HttpResponseInit | null {
    if (pathname === '/manifest.xml') return serveFile(manifestFile);
    if (staticDir === undefined) return null;
    const relative = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    const file = path.resolve(staticDir, `.${relative}`);
    // `..` in a URL must not reach outside the add-in folder.
    if (file !== staticDir && !file.startsWith(`${staticDir}${path.sep}`)) return null;
    return serveFile(file);
  }

  /**
   * A route that takes its body whole (`{ maxBytes }`, or none): refused with 413 from its
   * `Content-Length` before a byte is read (an `Expect: 100-continue` client is never asked for
   * it), else read up to the limit, 413 past it; then the handler gets it.
   */
  async function takeWhole(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    method: string,
    params: Record<string, string>,
    definition: RouteDefinition,
    expectsContinue: boolean,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const limit = wholeLimit(definition.body);
    const declared = declaredLength(req);
    const refuse = () => {
      // The rest of the body is never read: the connection closes after the answer.
      res.setHeader('Connection', 'close');
      return bodyTooLarge(method, definition, limit);
    };
    if (declared !== null && declared > limit) return refuse();
    if (expectsContinue) res.writeContinue();
    const chunks = await readWhole(req, limit, bodyCounts);
    if (chunks === null) return refuse();
    const request = wholeRequest(req, url, method, params, chunks);
    return (await definition.handler(request, context)) ?? { status: 204 };
  }

  async function dispatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    expectsContinue: boolean,
  ): Promise<HttpResponseInit> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', base);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return json(400, 'bad_request', 'The URL path is not valid percent-encoding');
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req),
        ...(corsHeaders(req)['Access-Control-Allow-Origin'] === undefined
          ? {}
          : {
              'Access-Control-Allow-Methods': 'GET, POST, PATCH, OPTIONS',
              'Access-Control-Allow-Headers': ALLOWED_HEADERS,
              'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
            }),
      });
      res.end();
      return { status: 204 };
    }
    if (pathname.toLowerCase().startsWith('/api/') || pathname.toLowerCase() === '/api') {
      const matches = routes
        .map((r) => ({ route: r, match: r.pattern.exec(pathname) }))
        .filter((m) => m.match !== null);
      if (matches.length === 0) return json(404, 'not_found', `No API route ${pathname}`);
      const hit = matches.find((m) => m.route.definition.methods.includes(method as never));
      if (hit?.match === null || hit === undefined) {
        const allow = [...new Set(matches.flatMap((m) => m.route.definition.methods))].join(', ');
        return {
          ...json(405, 'method_not_allowed', `${method} is not allowed on ${pathname}`),
          headers: { Allow: allow },
        };
      }
      const params: Record<string, string> = {};
      hit.route.params.forEach((name, i) => {
        const value = hit.match?.[i + 1];
        if (value !== undefined) params[name] = value;
      });
      const { definition } = hit.route;
      const context = new InvocationContext({ functionName: definition.name, invocationId: randomUUID() });
      if (method === 'GET' || method === 'HEAD') {
        // No body is read (one sent anyway is left unread, and the connection closes after the answer).
        const request = new HttpRequest({ method, url: url.toString(), headers: headersOf(req), params });
        return (await definition.handler(request, context)) ?? { status: 204 };
      }
      if (definition.body === 'stream') {
        const request = streamingRequest(req, url, method, params, () => {
          if (expectsContinue) res.writeContinue();
        });
        return (await definition.handler(request, context)) ?? { status: 204 };
      }
      return takeWhole(req, res, url, method, params, definition, expectsContinue, context);
    }
    if (method === 'GET' || method === 'HEAD') {
      const file = serveStatic(pathname);
      if (file) return file;
    }
    return json(404, 'not_found', `Nothing at ${pathname}`);
  }

  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  const settled = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, expectsContinue: boolean) => {
    inFlight += 1;
    dispatch(req, res, expectsContinue)
      .catch((error: unknown) => {
        // Whatever a handler throws, the process stays up for the next request.
        console.error(`${req.method} ${req.url} failed:`, error);
        return json(500, 'internal', 'Internal server error');
      })
      .then((init) => {
        if (res.headersSent) return undefined;
        // Answered before the body was read to its end (a 413 from Content-Length, a 429, a
        // refused upload): the connection closes after the answer instead of reading on.
        if (!req.complete) res.setHeader('Connection', 'close');
        return send(res, req, init);
      })
      .catch((error: unknown) => {
        if (!req.destroyed) console.error(`${req.method} ${req.url}: could not send the response:`, error);
        res.destroy();
      })
      .finally(settled);
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res, false);
  const server = options.tls ? https.createServer(options.tls, onRequest) : http.createServer(onRequest);
  // `Expect: 100-continue` (curl asks it for bodies over 1 MB): the body is asked for only when
  // a handler reads it, so an upload refused from its headers is never sent at all.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res, true));

  // What a killed or crashed process left behind goes before the first upload arrives.
  await sweepUploads(rt.config);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  base = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: base,
    idle: () =>
      inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    bodyBytes: () => ({ ...bodyCounts }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
