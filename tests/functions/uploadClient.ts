import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** What a raw HTTP exchange answered. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  // The tests assert the answers' fields one by one.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Whether the server asked for the body (`100 Continue`) before answering. */
  continued: boolean;
}

/**
 * A POST whose body the test sends when it chooses: headers go out at once, the body piece by
 * piece (`write`), and the upload stays open until `end` — a slow client, deterministically.
 */
export interface OpenUpload {
  write(bytes: Buffer | string): Promise<void>;
  end(bytes?: Buffer | string): void;
  /** The client goes away mid-body. */
  abort(): void;
  answer: Promise<RawAnswer>;
}

export function openUpload(
  baseUrl: string,
  pathAndQuery: string,
  headers: Record<string, string | number>,
): OpenUpload {
  const request = http.request(`${baseUrl}${pathAndQuery}`, { method: 'POST', headers });
  let continued = false;
  request.on('continue', () => {
    continued = true;
  });
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, continued });
      });
      response.on('error', reject);
    });
    // A server that answers early and closes may reset a client still writing; the answer, if
    // it came, stands.
    request.on('error', reject);
  });
  answer.catch(() => undefined);
  request.flushHeaders();
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) =>
        request.write(bytes, (error) => (error ? reject(error) : resolve())),
      ),
    end: (bytes) => {
      request.end(bytes);
    },
    abort: () => {
      request.destroy();
    },
    answer,
  };
}

/** The upload folders under `root` (this process's and any other's). */
export function uploadDirs(root: string): string[] {
  return fs
    .readdirSync(root)
    .filter((name) => name.startsWith('caliper-ingest-'))
    .map((name) => path.join(root, name));
}

/** Polls until `ready()` holds; the test's own timeout bounds it (no wall-clock assertion). */
export async function until(ready: () => boolean, pollMs = 5): Promise<void> {
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, pollMs));
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
