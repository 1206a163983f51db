import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

import yauzl from 'yauzl';

import type { Bundle, ByteFile } from '../shared/ingest/bundle';
import { textOnly } from '../shared/ingest/csvRecords';
import {
  formatBytes,
  type IngestLimits,
  LimitConfigError,
  type LimitName,
  limitsFromProcessEnv,
  NotTextError,
  raiseHint,
} from '../shared/ingest/limits';

/** Files a bundle folder or zip may carry that are nobody's data (OS and archive litter). */
function isLitter(name: string): boolean {
  const base = path.posix.basename(name);
  return (
    name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX') ||
    base === 'Thumbs.db' ||
    base === 'desktop.ini'
  );
}

export class BundleOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleOpenError';
  }
}

/** A file or archive over one of the ingest limits; the message names it, the limit and how to raise it. */
export class BundleLimitError extends BundleOpenError {
  constructor(
    message: string,
    readonly limit: LimitName,
  ) {
    super(message);
    this.name = 'BundleLimitError';
  }
}

/** The CALIPER_LIMIT_* limits of the environment; a variable that holds no limit fails the opening, naming it. */
export function environmentLimits(): IngestLimits {
  try {
    return limitsFromProcessEnv();
  } catch (error) {
    if (error instanceof LimitConfigError) throw new BundleOpenError(error.message);
    throw error;
  }
}

/**
 * Opens the bundles under a path: a folder and each of its sub-folders that holds files is one
 * bundle (a data room: `L001/`, `L001/directory/`, `payroll/`), parents before their children;
 * a `.zip` the same by the folders inside it; a `.csv` file is a bundle of one.
 *
 * Every file is read within `limits` (by default the CALIPER_LIMIT_* of the environment): a zip
 * whose central directory already says an entry or the whole archive decompresses beyond them,
 * or an entry is compressed more than the ratio allows, is refused here, before a byte is
 * inflated; what an entry actually inflates to is counted as it comes and the read stopped at
 * the limit (limitInflated); CSV and JSON files are checked as they are read (guardBundleFile).
 * Each refusal is a BundleOpenError (a BundleLimitError for a limit) naming the file.
 */
export async function openBundles(
  bundlePath: string,
  limits: Readonly<IngestLimits> = environmentLimits(),
): Promise<Bundle<ByteFile>[]> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(bundlePath);
  } catch {
    throw new BundleOpenError(`${bundlePath}: no such file or folder`);
  }
  if (stat.isDirectory()) {
    const bundles = await openFolderBundles(bundlePath, bundlePath, limits);
    return bundles.length > 0 ? bundles : [{ label: bundlePath, folder: '', files: [] }];
  }
  if (bundlePath.toLowerCase().endsWith('.zip')) return openZipBundles(bundlePath, limits);
  if (bundlePath.toLowerCase().endsWith('.csv')) {
    const file = folderFile(bundlePath, path.basename(bundlePath), stat.size, limits);
    return [{ label: bundlePath, folder: '', files: [file] }];
  }
  throw new BundleOpenError(`${bundlePath}: not a folder, a .zip or a .csv file`);
}

function folderFile(
  fullPath: string,
  displayPath: string,
  bytes: number,
  limits: Readonly<IngestLimits>,
): ByteFile {
  return guardBundleFile(
    {
      name: path.basename(fullPath),
      displayPath,
      bytes,
      read: () => fs.createReadStream(fullPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>,
    },
    limits,
  );
}

/** The folder's own files as one bundle, then its sub-folders' (by name); symbolic links to folders are not followed. */
async function openFolderBundles(
  root: string,
  folder: string,
  limits: Readonly<IngestLimits>,
): Promise<Bundle<ByteFile>[]> {
  const entries = await fs.promises.readdir(folder, { withFileTypes: true });
  const files: ByteFile[] = [];
  const children: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (isLitter(entry.name)) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      children.push(full);
      continue;
    }
    // A file that cannot be read fails at read time, naming it.
    const stat = await fs.promises.stat(full).catch(() => null);
    if (stat !== null && !stat.isFile()) continue;
    files.push(folderFile(full, full, stat?.size ?? 0, limits));
  }
  const relative = path.relative(root, folder).split(path.sep).join('/');
  const bundles: Bundle<ByteFile>[] = files.length > 0 ? [{ label: folder, folder: relative, files }] : [];
  for (const child of children) bundles.push(...(await openFolderBundles(root, child, limits)));
  return bundles;
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: false }, (error, zip) => {
      if (error) reject(new BundleOpenError(`${zipPath}: not a readable zip archive (${error.message})`));
      else resolve(zip);
    });
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(error);
      else resolve(stream);
    });
  });
}

/**
 * Refuses an archive whose central directory already says it is a bomb: an entry larger than
 * zipEntryBytes, compressed more than zipRatio, or entries larger than zipTotalBytes together.
 */
function checkDeclaredSizes(
  zipPath: string,
  entries: readonly yauzl.Entry[],
  limits: Readonly<IngestLimits>,
): void {
  let declared = 0;
  for (const entry of entries) {
    const where = `${zipPath}:${entry.fileName}`;
    const size = entry.uncompressedSize;
    if (size > limits.zipEntryBytes) {
      throw new BundleLimitError(
        `${where}: decompresses to ${formatBytes(size)}, more than the limit of ${formatBytes(limits.zipEntryBytes)} per file in a zip; ${raiseHint('zipEntryBytes', limits)}`,
        'zipEntryBytes',
      );
    }
    if (size > limits.zipRatioMinBytes && size > limits.zipRatio * Math.max(1, entry.compressedSize)) {
      throw new BundleLimitError(
        `${where}: decompresses to ${formatBytes(size)} from ${formatBytes(entry.compressedSize)}, compressed more than ${limits.zipRatio}:1 (as a zip bomb is); ${raiseHint('zipRatio', limits)}`,
        'zipRatio',
      );
    }
    declared += size;
  }
  if (declared > limits.zipTotalBytes) {
    throw new BundleLimitError(
      `${zipPath}: its files decompress to ${formatBytes(declared)}, more than the limit of ${formatBytes(limits.zipTotalBytes)} per zip; ${raiseHint('zipTotalBytes', limits)}`,
      'zipTotalBytes',
    );
  }
}

async function openZipBundles(zipPath: string, limits: Readonly<IngestLimits>): Promise<Bundle<ByteFile>[]> {
  const zip = await openZip(zipPath);
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(zip);
  } catch (error) {
    zip.close();
    throw new BundleOpenError(`${zipPath}: the archive is damaged (${(error as Error).message})`);
  }
  // The listing's handle is closed now: each read opens the archive for itself and closes it
  // when done, so no descriptor outlives an ingest (an upload's temp folder can be removed).
  await closeZip(zip);
  const fileEntries = entries.filter((e) => !e.fileName.endsWith('/') && !isLitter(e.fileName));
  checkDeclaredSizes(zipPath, fileEntries, limits);
  // What each entry inflated to at most, for the archive's budget (an entry may be read twice).
  const inflated = new Map<string, number>();
  // One bundle per folder inside the archive, as for a folder on disk; sorting the folder names
  // puts each parent before its children.
  const byFolder = new Map<string, ByteFile[]>();
  for (const entry of fileEntries) {
    const folder = path.posix.dirname(entry.fileName);
    const files = byFolder.get(folder) ?? [];
    const displayPath = `${zipPath}:${entry.fileName}`;
    const where = { zipPath, displayPath, compressedSize: entry.compressedSize };
    files.push(
      guardBundleFile(
        {
          name: path.posix.basename(entry.fileName),
          displayPath,
          bytes: entry.uncompressedSize,
          read: () => limitInflated(readEntry(zipPath, entry, displayPath), where, limits, inflated),
        },
        limits,
      ),
    );
    byFolder.set(folder, files);
  }
  if (byFolder.size === 0) return [{ label: zipPath, folder: '', files: [] }];
  return [...byFolder.keys()]
    .sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((folder) => ({
      label: folder === '.' ? zipPath : `${zipPath}:${folder}/`,
      folder: folder === '.' ? '' : folder,
      files: byFolder.get(folder)!,
    }));
}

/** The entry's bytes, from its own handle on the archive (the entry's offsets are the archive's). */
async function* readEntry(zipPath: string, entry: yauzl.Entry, displayPath: string): AsyncGenerator<Buffer> {
  const zip = await openZip(zipPath);
  // A local header, compressed data or size that does not hold (yauzl's and zlib's errors) is a
  // damaged archive, refused naming the entry like every other refusal of the upload.
  const damaged = (error: unknown) =>
    new BundleOpenError(
      `${displayPath}: the archive is damaged (${error instanceof Error ? error.message : String(error)})`,
    );
  let stream: Readable;
  try {
    stream = await openEntry(zip, entry);
  } catch (error) {
    zip.close();
    throw damaged(error);
  }
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    // yauzl stops an entry that inflates to more than its central directory says.
    if (error instanceof Error && error.message.startsWith('too many bytes in the stream')) {
      throw new BundleOpenError(
        `${displayPath}: decompresses to more than its header says (${formatBytes(entry.uncompressedSize)}): the archive is damaged or crafted`,
      );
    }
    throw error instanceof BundleOpenError ? error : damaged(error);
  } finally {
    stream.destroy();
    await closeZip(zip);
  }
}

/** Closes the archive and waits until its descriptor is released (yauzl closes it asynchronously). */
function closeZip(zip: yauzl.ZipFile): Promise<void> {
  return new Promise((resolve) => {
    zip.once('close', () => resolve());
    zip.once('error', () => resolve());
    zip.close();
  });
}

/**
 * The chunks an entry inflates to, counted as they come: past zipEntryBytes, past zipRatio
 * times its compressed size (once over zipRatioMinBytes), or past zipTotalBytes with what the
 * archive's other entries inflated to (`archive`: each entry's most, by display path), the
 * read stops with a BundleLimitError naming the entry. The header's sizes are not trusted.
 */
export async function* limitInflated(
  chunks: AsyncIterable<Buffer>,
  entry: { zipPath: string; displayPath: string; compressedSize: number },
  limits: Readonly<IngestLimits>,
  archive: Map<string, number> = new Map(),
): AsyncGenerator<Buffer> {
  let others = 0;
  for (const [key, bytes] of archive) if (key !== entry.displayPath) others += bytes;
  const ratioCap = Math.max(limits.zipRatioMinBytes, limits.zipRatio * Math.max(1, entry.compressedSize));
  let count = 0;
  for await (const chunk of chunks) {
    count += chunk.length;
    if (count > limits.zipEntryBytes) {
      throw new BundleLimitError(
        `${entry.displayPath}: decompresses to more than ${formatBytes(limits.zipEntryBytes)}, the limit per file in a zip; ${raiseHint('zipEntryBytes', limits)}`,
        'zipEntryBytes',
      );
    }
    if (count > ratioCap) {
      throw new BundleLimitError(
        `${entry.displayPath}: decompresses to more than ${formatBytes(ratioCap)} from ${formatBytes(entry.compressedSize)}, compressed more than ${limits.zipRatio}:1 (as a zip bomb is); ${raiseHint('zipRatio', limits)}`,
        'zipRatio',
      );
    }
    const most = Math.max(count, archive.get(entry.displayPath) ?? 0);
    archive.set(entry.displayPath, most);
    if (others + most > limits.zipTotalBytes) {
      throw new BundleLimitError(
        `${entry.zipPath}: its files decompress to more than ${formatBytes(limits.zipTotalBytes)}, the limit per zip; ${raiseHint('zipTotalBytes', limits)}`,
        'zipTotalBytes',
      );
    }
    yield chunk;
  }
}

const LINE_FILE = /\.(csv|tsv|txt)$/i;
const JSON_FILE = /\.json$/i;

/**
 * The file, read within `limits` as a whole-file reader needs it (a vendor export is read whole
 * before it is converted): a CSV or JSON file that is not text is refused at its first KB; a
 * CSV line far longer than lineBytes (twice it and a MiB: the CSV readers refuse a line just
 * over it themselves, naming its row) and a JSON file over jsonBytes are refused as soon as
 * the stream reaches them. Other files (not data) pass as they are. Refusals are
 * BundleOpenError / BundleLimitError naming the file; never a byte of its content.
 */
export function guardBundleFile(
  file: ByteFile,
  limits: Readonly<IngestLimits> = environmentLimits(),
): ByteFile {
  const kind = LINE_FILE.test(file.name) ? 'lines' : JSON_FILE.test(file.name) ? 'json' : null;
  if (kind === null) return file;
  return { ...file, read: () => guardedRead(file, kind, limits) };
}

async function* guardedRead(
  file: ByteFile,
  kind: 'lines' | 'json',
  limits: Readonly<IngestLimits>,
): AsyncGenerator<Buffer> {
  const maxLine = 2 * limits.lineBytes + (1 << 20);
  let total = 0;
  let line = 1;
  let lineLength = 0;
  let afterCr = false;
  try {
    for await (const chunk of textOnly(file.read())) {
      total += chunk.length;
      if (kind === 'json') {
        if (total > limits.jsonBytes) {
          throw new BundleLimitError(
            `${file.displayPath}: larger than ${formatBytes(limits.jsonBytes)}, the limit for a JSON file; ${raiseHint('jsonBytes', limits)}`,
            'jsonBytes',
          );
        }
        yield chunk;
        continue;
      }
      // Line lengths by the positions of the next CR and LF (found natively, each at most once a line).
      let nextLf = chunk.indexOf(0x0a);
      let nextCr = chunk.indexOf(0x0d);
      let at = 0;
      for (;;) {
        if (nextLf !== -1 && nextLf < at) nextLf = chunk.indexOf(0x0a, at);
        if (nextCr !== -1 && nextCr < at) nextCr = chunk.indexOf(0x0d, at);
        const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
        lineLength += (end === -1 ? chunk.length : end) - at;
        if (lineLength > maxLine) {
          throw new BundleLimitError(
            `${file.displayPath}: line ${line} is longer than ${formatBytes(maxLine)} (the limit for a line is ${formatBytes(limits.lineBytes)}); ${raiseHint('lineBytes', limits)}`,
            'lineBytes',
          );
        }
        if (end === -1) break;
        // A CRLF is one line break: its LF (here or at the start of the next chunk) is skipped.
        if (!(afterCr && end === 0 && chunk[0] === 0x0a)) line += 1;
        afterCr = chunk[end] === 0x0d;
        if (afterCr && chunk[end + 1] === 0x0a) {
          at = end + 2;
          afterCr = false;
        } else {
          at = end + 1;
        }
        lineLength = 0;
      }
      if (chunk.length > 0) afterCr = afterCr && at === chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof NotTextError) throw new BundleOpenError(`${file.displayPath}: ${error.reason}`);
    throw error;
  }
}
