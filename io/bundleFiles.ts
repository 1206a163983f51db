import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

import yauzl from 'yauzl';

import type { Bundle, BundleFile } from '../shared/ingest/bundle';

/** Files a bundle folder or zip may carry that are nobody's data (OS and archive litter). */
function isLitter(name: string): boolean {
  const base = path.posix.basename(name);
  return base.startsWith('.') || name.includes('__MACOSX/') || base === 'Thumbs.db' || base === 'desktop.ini';
}

export class BundleOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleOpenError';
  }
}

/** Opens a canonical bundle given as a folder or a `.zip` of one. */
export async function openBundle(bundlePath: string): Promise<Bundle> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(bundlePath);
  } catch {
    throw new BundleOpenError(`${bundlePath}: no such file or folder`);
  }
  if (stat.isDirectory()) return openFolderBundle(bundlePath);
  if (bundlePath.toLowerCase().endsWith('.zip')) return openZipBundle(bundlePath);
  if (bundlePath.toLowerCase().endsWith('.csv')) {
    // A single canonical file is a bundle of one.
    return { label: bundlePath, files: [folderFile(bundlePath, path.basename(bundlePath), stat.size)] };
  }
  throw new BundleOpenError(`${bundlePath}: not a folder, a .zip or a .csv file`);
}

function folderFile(fullPath: string, displayPath: string, bytes: number): BundleFile {
  return {
    name: path.basename(fullPath),
    displayPath,
    bytes,
    read: () => fs.createReadStream(fullPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>,
  };
}

async function openFolderBundle(folder: string): Promise<Bundle> {
  const entries = await fs.promises.readdir(folder, { withFileTypes: true });
  const files: BundleFile[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (isLitter(entry.name)) continue;
    const full = path.join(folder, entry.name);
    // A sub-folder is not part of this bundle; a file that cannot be read fails at read time.
    if (entry.isDirectory()) continue;
    const stat = await fs.promises.stat(full);
    files.push(folderFile(full, path.join(folder, entry.name), stat.size));
  }
  return { label: folder, files };
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

async function openZipBundle(zipPath: string): Promise<Bundle> {
  const zip = await openZip(zipPath);
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(zip);
  } catch (error) {
    zip.close();
    throw new BundleOpenError(`${zipPath}: the archive is damaged (${(error as Error).message})`);
  }
  // A zip made by "compress folder" holds the files one folder down; the bundle is the files.
  const files = entries
    .filter((e) => !e.fileName.endsWith('/') && !isLitter(e.fileName))
    .map((entry): BundleFile => ({
      name: path.posix.basename(entry.fileName),
      displayPath: `${zipPath}:${entry.fileName}`,
      bytes: entry.uncompressedSize,
      read: () => readEntry(zip, entry),
    }));
  return { label: zipPath, files };
}

async function* readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  const stream = await openEntry(zip, entry);
  for await (const chunk of stream) yield chunk as Buffer;
}
