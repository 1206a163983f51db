import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

import yauzl from 'yauzl';

import type { Bundle, ByteFile } from '../shared/ingest/bundle';

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

/**
 * Opens the bundles under a path: a folder and each of its sub-folders that holds files is one
 * bundle (a data room: `L001/`, `L001/directory/`, `payroll/`), parents before their children;
 * a `.zip` the same by the folders inside it; a `.csv` file is a bundle of one.
 */
export async function openBundles(bundlePath: string): Promise<Bundle<ByteFile>[]> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(bundlePath);
  } catch {
    throw new BundleOpenError(`${bundlePath}: no such file or folder`);
  }
  if (stat.isDirectory()) {
    const bundles = await openFolderBundles(bundlePath, bundlePath);
    return bundles.length > 0 ? bundles : [{ label: bundlePath, folder: '', files: [] }];
  }
  if (bundlePath.toLowerCase().endsWith('.zip')) return openZipBundles(bundlePath);
  if (bundlePath.toLowerCase().endsWith('.csv')) {
    const file = folderFile(bundlePath, path.basename(bundlePath), stat.size);
    return [{ label: bundlePath, folder: '', files: [file] }];
  }
  throw new BundleOpenError(`${bundlePath}: not a folder, a .zip or a .csv file`);
}

function folderFile(fullPath: string, displayPath: string, bytes: number): ByteFile {
  return {
    name: path.basename(fullPath),
    displayPath,
    bytes,
    read: () => fs.createReadStream(fullPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>,
  };
}

/** The folder's own files as one bundle, then its sub-folders' (by name); symbolic links to folders are not followed. */
async function openFolderBundles(root: string, folder: string): Promise<Bundle<ByteFile>[]> {
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
    files.push(folderFile(full, full, stat?.size ?? 0));
  }
  const relative = path.relative(root, folder).split(path.sep).join('/');
  const bundles: Bundle<ByteFile>[] = files.length > 0 ? [{ label: folder, folder: relative, files }] : [];
  for (const child of children) bundles.push(...(await openFolderBundles(root, child)));
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

async function openZipBundles(zipPath: string): Promise<Bundle<ByteFile>[]> {
  const zip = await openZip(zipPath);
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(zip);
  } catch (error) {
    zip.close();
    throw new BundleOpenError(`${zipPath}: the archive is damaged (${(error as Error).message})`);
  }
  // One bundle per folder inside the archive, as for a folder on disk; sorting the folder names
  // puts each parent before its children.
  const byFolder = new Map<string, ByteFile[]>();
  for (const entry of entries) {
    if (entry.fileName.endsWith('/') || isLitter(entry.fileName)) continue;
    const folder = path.posix.dirname(entry.fileName);
    const files = byFolder.get(folder) ?? [];
    files.push({
      name: path.posix.basename(entry.fileName),
      displayPath: `${zipPath}:${entry.fileName}`,
      bytes: entry.uncompressedSize,
      read: () => readEntry(zip, entry),
    });
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

async function* readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  const stream = await openEntry(zip, entry);
  for await (const chunk of stream) yield chunk as Buffer;
}
