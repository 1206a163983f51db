import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { HttpRequest } from '@azure/functions';

import { ApiError } from './httpErrors';

/** Browsers on Windows label a .zip `application/x-zip-compressed`; both mean the same archive. */
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed']);
const CSV_TYPES = new Set(['text/csv']);
const MULTIPART = 'multipart/form-data';

/** A bare file name: it becomes a path in the temp folder, so no separators and no `..`. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.()-]{0,99}$/;

/** An upload written to a private temp folder: `bundlePath` is what openBundles reads. */
export interface Upload {
  dir: string;
  bundlePath: string;
  bytes: number;
  /** Removes the temp folder; safe to call more than once. */
  remove(): Promise<void>;
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
 * Reads `POST /api/ingest`'s body into a private temp folder: a raw zip, a raw CSV, or a
 * multipart form of CSV / JSON files (canonical or vendor exports: a bundle folder) or one zip —
 * what a browser's file input sends. The size limit is checked before the body is read when the client declares it.
 */
export async function receiveUpload(request: HttpRequest, limit: number): Promise<Upload> {
  const type = mediaTypeOf(request);
  if (!ZIP_TYPES.has(type) && !CSV_TYPES.has(type) && type !== MULTIPART) throw unsupported(type);
  const rawName = ZIP_TYPES.has(type)
    ? zipBodyName(request)
    : CSV_TYPES.has(type)
      ? csvBodyName(request)
      : null;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const files: { name: string; bytes: Buffer }[] = [];
  if (rawName !== null) {
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > limit) throw tooLarge(limit);
    if (body.length === 0) throw new ApiError('bad_request', 'The request body is empty');
    files.push({ name: rawName, bytes: body });
  } else {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new ApiError(
        'bad_request',
        'The multipart body cannot be read (boundary missing or body cut short)',
      );
    }
    let total = 0;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') continue;
      const name = checkedFileName(value.name, null, `Form field ${JSON.stringify(field)}: file`);
      const bytes = Buffer.from(await value.arrayBuffer());
      total += bytes.length;
      if (total > limit) throw tooLarge(limit);
      files.push({ name, bytes });
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
  }

  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'caliper-ingest-'));
  const remove = () => fs.promises.rm(dir, { recursive: true, force: true });
  try {
    // Several CSVs are one bundle: a folder, read like `caliper ingest <folder>`.
    const folder = files.length > 1 ? path.join(dir, 'bundle') : dir;
    await fs.promises.mkdir(folder, { recursive: true });
    for (const f of files) await fs.promises.writeFile(path.join(folder, f.name), f.bytes, { mode: 0o600 });
    const bundlePath = files.length > 1 ? folder : path.join(dir, files[0]?.name ?? '');
    return { dir, bundlePath, bytes: files.reduce((n, f) => n + f.bytes.length, 0), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
