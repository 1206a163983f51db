import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { HttpRequest } from '@azure/functions';

import { ApiError } from './httpErrors';

/** Browsers on Windows label a .zip `application/x-zip-compressed`; both mean the same archive. */
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed']);
const CSV_TYPES = new Set(['text/csv']);
const MULTIPART = 'multipart/form-data';

/** A bare file name: it becomes a path in the temp folder, so no separators and no `..`. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.()-]{0,99}$/;

/**
 * Upload folders are `caliper-ingest-<pid>-<random>`: the process that owns one is in its
 * name, so a later start can tell a crashed process's leftovers from a live one's uploads.
 * (`caliper-ingest-<random>`, without a pid, is how folders were named before.)
 */
export const UPLOAD_DIR_PREFIX = 'caliper-ingest-';
const OWNED_DIR = /^caliper-ingest-(\d+)-[A-Za-z0-9]{6}$/;

/** An upload written to a private temp folder: `bundlePath` is what openBundles reads. */
export interface Upload {
  dir: string;
  bundlePath: string;
  /** Bytes received. */
  bytes: number;
  /** Empties and removes the temp folder; safe to call more than once. */
  remove(): Promise<void>;
}

/** What the request's headers say the upload is, checked before a byte of the body is read. */
export interface UploadShape {
  kind: 'zip' | 'csv' | 'multipart';
  /** The file name of a raw zip or CSV body; a form's files carry their own. */
  name: string | null;
  contentType: string;
}

export interface ReceiveLimits {
  maxBytes: number;
  /** The folder upload folders are made in (the OS temp folder by default). */
  root?: string;
  /** Aborted when the upload's time is up: reception stops with 408 and the folder is removed. */
  signal?: AbortSignal;
}

function mediaTypeOf(request: HttpRequest): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function tooLarge(limit: number): ApiError {
  return new ApiError('payload_too_large', `An upload holds at most ${limit} bytes; split the bundle`);
}

function checkedFileName(name: string, extension: '.csv' | '.zip' | null, source: string): string {
  const trimmed = name.trim();
  const ok = FILE_NAME.test(trimmed) && !trimmed.includes('..');
  const extensionOk = extension === null || trimmed.toLowerCase().endsWith(extension);
  if (!ok || !extensionOk) {
    const expected = extension === null ? 'a .csv or .zip file name' : `a plain ${extension} file name`;
    throw new ApiError('bad_request', `${source} ${JSON.stringify(name)} is not ${expected}`);
  }
  return trimmed;
}

/** The name of a raw text/csv body: `?file=` or the `x-caliper-filename` header (the task pane's). */
function csvBodyName(request: HttpRequest): string {
  const fromQuery = request.query.get('file');
  if (fromQuery !== null && fromQuery.trim() !== '') return checkedFileName(fromQuery, '.csv', '?file=');
  const fromHeader = request.headers.get('x-caliper-filename');
  if (fromHeader !== null && fromHeader.trim() !== '')
    return checkedFileName(fromHeader, '.csv', 'x-caliper-filename');
  throw new ApiError(
    'bad_request',
    'A text/csv upload names its canonical file: ?file=sales.csv or an x-caliper-filename header',
  );
}

/** A zip keeps the name the client gives (`x-caliper-filename: north.zip`), so reports name it. */
function zipBodyName(request: HttpRequest): string {
  const given = request.headers.get('x-caliper-filename')?.trim() ?? '';
  return given === '' ? 'bundle.zip' : checkedFileName(given, '.zip', 'x-caliper-filename');
}

function unsupported(type: string): ApiError {
  return new ApiError(
    'unsupported_media_type',
    `Content-Type ${type === '' ? '(none)' : JSON.stringify(type)} is not accepted: send application/zip (a bundle), text/csv with ?file=<canonical file>, or multipart/form-data with .csv files or one .zip`,
  );
}

/**
 * Everything the headers can settle, before the body is read: the media type (415), the file
 * name (400) and a declared Content-Length over the limit (413). A body without a
 * Content-Length, or one longer than declared, is held to the limit while it streams.
 */
export function uploadShape(request: HttpRequest, maxBytes: number): UploadShape {
  const type = mediaTypeOf(request);
  if (!ZIP_TYPES.has(type) && !CSV_TYPES.has(type) && type !== MULTIPART) throw unsupported(type);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const contentType = request.headers.get('content-type') ?? type;
  if (ZIP_TYPES.has(type)) return { kind: 'zip', name: zipBodyName(request), contentType };
  if (CSV_TYPES.has(type)) return { kind: 'csv', name: csvBodyName(request), contentType };
  return { kind: 'multipart', name: null, contentType };
}

/** The OS temp folder, or the configured one. */
export function uploadRoot(root: string | undefined): string {
  return root ?? os.tmpdir();
}

/** A new private folder (0700) for one upload, named after this process. */
async function makeUploadDir(root: string): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(root, `${UPLOAD_DIR_PREFIX}${process.pid}-`));
  // mkdtemp makes 0700 already; said again so that no umask or platform default widens it.
  await fs.promises.chmod(dir, 0o700);
  return dir;
}

async function emptyFilesUnder(dir: string): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await emptyFilesUnder(full);
    else if (entry.isFile()) await fs.promises.truncate(full, 0).catch(() => undefined);
  }
}

/**
 * Removes an upload folder. Its files are emptied first: a reader that still holds one open
 * (io/bundleFiles.ts keeps a zip's descriptor open after the ingest) keeps only an empty inode
 * alive, not the upload's bytes.
 */
export async function removeUploadDir(dir: string): Promise<void> {
  await emptyFilesUnder(dir);
  await fs.promises.rm(dir, { recursive: true, force: true });
}

class BodyTooLarge extends Error {}

/** Counts the bytes going by and fails the stream at one byte over `limit`. */
function byteLimit(limit: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.bytes += chunk.length;
      if (counted.bytes > limit) callback(new BodyTooLarge());
      else callback(null, chunk);
    },
  });
}

/** Streams the body to `file` (created 0600, never overwriting), held to `maxBytes`. */
async function spoolBody(request: HttpRequest, file: string, limits: ReceiveLimits): Promise<number> {
  const counted = { bytes: 0 };
  const body = request.body;
  if (body === null) return 0;
  try {
    await pipeline(
      Readable.fromWeb(body as WebReadableStream<Uint8Array>),
      byteLimit(limits.maxBytes, counted),
      fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }),
      { signal: limits.signal ?? new AbortController().signal },
    );
  } catch (error) {
    if (error instanceof BodyTooLarge) throw tooLarge(limits.maxBytes);
    if (limits.signal?.aborted) {
      throw new ApiError('request_timeout', 'The upload did not arrive within the ingest time limit');
    }
    throw new ApiError('bad_request', 'The upload was cut short before its end');
  }
  return counted.bytes;
}

/** Splits a spooled multipart body into its files, as before (the form is held to the same limit). */
async function writeFormFiles(spool: string, contentType: string, dir: string): Promise<string> {
  let form: FormData;
  try {
    const stream = Readable.toWeb(fs.createReadStream(spool)) as unknown as ReadableStream<Uint8Array>;
    form = await new Response(stream, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new ApiError(
      'bad_request',
      'The multipart body cannot be read (boundary missing or body cut short)',
    );
  } finally {
    await fs.promises.rm(spool, { force: true });
  }
  const files: { name: string; value: Blob }[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    files.push({
      name: checkedFileName(value.name, null, `Form field ${JSON.stringify(field)}: file`),
      value,
    });
  }
  if (files.length === 0) throw new ApiError('bad_request', 'The multipart body holds no file');
  const zips = files.filter((f) => f.name.toLowerCase().endsWith('.zip'));
  const others = files.filter((f) => !f.name.toLowerCase().endsWith('.zip'));
  if (zips.length > 0 && files.length > 1)
    throw new ApiError('bad_request', 'Send one .zip, or .csv / .json files, not both in one upload');
  const notData = others.find((f) => !/\.(csv|json)$/i.test(f.name));
  if (notData !== undefined)
    throw new ApiError('bad_request', `${JSON.stringify(notData.name)} is not a .csv, .json or .zip file`);
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name.toLowerCase()))
      throw new ApiError('bad_request', `${JSON.stringify(f.name)} is in the upload twice`);
    names.add(f.name.toLowerCase());
  }
  // Several files are one bundle: a folder, read like `caliper ingest <folder>`.
  const folder = files.length > 1 ? path.join(dir, 'bundle') : dir;
  await fs.promises.mkdir(folder, { recursive: true, mode: 0o700 });
  for (const f of files) {
    const target = path.join(folder, f.name);
    await fs.promises.writeFile(target, Buffer.from(await f.value.arrayBuffer()), {
      flag: 'wx',
      mode: 0o600,
    });
  }
  return files.length > 1 ? folder : path.join(dir, files[0]?.name ?? '');
}

/**
 * Streams `POST /api/ingest`'s body into a new private folder (0700, files 0600): a raw zip, a
 * raw CSV, or a multipart form of CSV / JSON files (canonical or vendor exports: a bundle
 * folder) or one zip — what a browser's file input sends. The body is held to `maxBytes` as it
 * arrives (413); what a zip may inflate to is io/bundleFiles' to check (CALIPER_LIMIT_ZIP_*),
 * before the store's writer is asked for. On any failure — a limit, a broken form, the client
 * going away, the time running out — the folder is removed before the error is thrown; on
 * success the caller removes it (`remove`).
 */
export async function receiveUpload(
  request: HttpRequest,
  shape: UploadShape,
  limits: ReceiveLimits,
): Promise<Upload> {
  const dir = await makeUploadDir(uploadRoot(limits.root));
  const remove = () => removeUploadDir(dir);
  try {
    const spool = path.join(dir, shape.name ?? 'form.multipart');
    const bytes = await spoolBody(request, spool, limits);
    if (bytes === 0) throw new ApiError('bad_request', 'The request body is empty');
    const bundlePath =
      shape.kind === 'multipart' ? await writeFormFiles(spool, shape.contentType, dir) : spool;
    return { dir, bundlePath, bytes, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At start: removes the upload folders a previous process left in `root` — those whose owning
 * process is gone, and any (also of the old, pid-less naming) older than `staleAfterMs`, the
 * longest an upload may live. Only this user's folders are touched; another live process's
 * recent uploads are left alone. Answers the folders removed.
 */
export async function sweepStaleUploads(
  root: string,
  staleAfterMs: number,
  now = Date.now(),
): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return [];
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(UPLOAD_DIR_PREFIX)) continue;
    const dir = path.join(root, name);
    const stat = await fs.promises.lstat(dir).catch(() => null);
    if (stat === null || !stat.isDirectory()) continue;
    if (uid !== undefined && stat.uid !== uid) continue;
    const owner = OWNED_DIR.exec(name)?.[1];
    const ownerPid = owner === undefined ? null : Number(owner);
    const orphaned = ownerPid !== null && ownerPid !== process.pid && !isAlive(ownerPid);
    const stale = now - stat.mtimeMs > staleAfterMs;
    if (!orphaned && !stale) continue;
    try {
      await removeUploadDir(dir);
      removed.push(dir);
    } catch {
      // Not ours to remove after all (permissions): left for its owner.
    }
  }
  return removed;
}
