import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

import yazl from 'yazl';

import { BundleOpenError, limitInflated, openBundles } from '../../io/bundleFiles';
import { openVendorBundles } from '../../io/vendorBundle';
import type { ByteFile } from '../../shared/ingest/bundle';
import { DEFAULT_LIMITS, type IngestLimits } from '../../shared/ingest/limits';
import { openTestStore, type TestStore } from '../support/testStore';

const MiB = 1024 * 1024;

/** `bytes` of `fill`, produced a MiB at a time: the archive is written without holding them. */
function filled(bytes: number, fill = '\0'): Readable {
  const chunk = Buffer.alloc(MiB, fill);
  let left = bytes;
  return new Readable({
    read() {
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === 0 ? null : chunk.subarray(0, n));
    },
  });
}

function writeZip(file: string, entries: Record<string, Buffer | Readable>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(entries)) {
      if (Buffer.isBuffer(content)) zip.addBuffer(content, name);
      else zip.addReadStream(content, name);
    }
    zip.end();
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}

/** Reads a file to the end (as a vendor export is read), counting the bytes it produced. */
async function drain(file: ByteFile): Promise<{ produced: number; error: Error | null }> {
  let produced = 0;
  try {
    for await (const chunk of file.read()) produced += chunk.length;
  } catch (error) {
    return { produced, error: error as Error };
  }
  return { produced, error: null };
}

async function openingError(bundlePath: string, limits?: IngestLimits): Promise<Error> {
  try {
    await openBundles(bundlePath, limits);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${bundlePath} opened`);
}

async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const name of Object.keys(vars)) delete process.env[name];
  }
}

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

describe('zip bombs', () => {
  it('refuses an entry whose header already says it is too large, naming it and the limit, before inflating it', async () => {
    const bomb = path.join(t.dir, 'bomb.zip');
    await writeZip(bomb, { 'L001/sales.csv': filled(24 * MiB), 'orders.json': filled(24 * MiB) });
    expect(fs.statSync(bomb).size).toBeLessThan(200 * 1024);

    const error = await openingError(bomb, { ...DEFAULT_LIMITS, zipEntryBytes: 8 * MiB });

    expect(error).toBeInstanceOf(BundleOpenError);
    expect(error.message).toMatch(
      /bomb\.zip:L001\/sales\.csv: decompresses to 24 MiB, more than the limit of 8 MiB per file in a zip.*CALIPER_LIMIT_ZIP_ENTRY_BYTES/,
    );
  });

  it('refuses an entry compressed more than the ratio allows, but not a small one', async () => {
    const bomb = path.join(t.dir, 'ratio.zip');
    await writeZip(bomb, { 'tiny.csv': Buffer.alloc(512 * 1024, 'a'), 'sales.json': filled(24 * MiB, ' ') });

    const error = await openingError(bomb);

    expect(error).toBeInstanceOf(BundleOpenError);
    expect(error.message).toMatch(
      /ratio\.zip:sales\.json: .*compressed more than 100:1.*CALIPER_LIMIT_ZIP_RATIO/,
    );
  });

  it('refuses an archive whose files decompress to more than the archive limit', async () => {
    const zip = path.join(t.dir, 'many.zip');
    await writeZip(zip, { 'a.csv': filled(6 * MiB, 'a'), 'b.csv': filled(6 * MiB, 'b') });

    const error = await openingError(zip, { ...DEFAULT_LIMITS, zipRatio: 1e6, zipTotalBytes: 10 * MiB });

    expect(error.message).toMatch(
      /many\.zip: its files decompress to 12 MiB, more than the limit of 10 MiB per zip.*CALIPER_LIMIT_ZIP_TOTAL_BYTES/,
    );
  });

  it('stops inflating an entry that holds more than its header says, naming it', async () => {
    const zip = path.join(t.dir, 'lying.zip');
    await writeZip(zip, { 'sales.csv': filled(24 * MiB, 'x') });
    // The central directory says the entry inflates to 1 MiB; it holds 24.
    const bytes = fs.readFileSync(zip);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(MiB, central + 24);
    fs.writeFileSync(zip, bytes);

    const [bundle] = await openBundles(zip);
    const { produced, error } = await drain(bundle!.files[0]!);

    expect(error).toBeInstanceOf(BundleOpenError);
    expect(error?.message).toMatch(/lying\.zip:sales\.csv: decompresses to more than its header says/);
    expect(produced).toBeLessThanOrEqual(MiB);
  });

  it('counts the bytes as they are inflated and stops at the limit, whatever the header said', async () => {
    let produced = 0;
    async function* endless() {
      const chunk = Buffer.alloc(64 * 1024);
      for (;;) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const drainAll = async (chunks: AsyncIterable<Buffer>) => {
      for await (const _ of chunks) {
        // inflate
      }
    };
    const entry = { zipPath: 'x.zip', displayPath: 'x.zip:a.csv', compressedSize: 1 << 30 };

    await expect(
      drainAll(limitInflated(endless(), entry, { ...DEFAULT_LIMITS, zipEntryBytes: 4 * MiB })),
    ).rejects.toThrow(/x\.zip:a\.csv: decompresses to more than 4 MiB.*CALIPER_LIMIT_ZIP_ENTRY_BYTES/);
    expect(produced).toBeLessThanOrEqual(4 * MiB + 64 * 1024);

    produced = 0;
    await expect(
      drainAll(limitInflated(endless(), { ...entry, compressedSize: 20_000 }, DEFAULT_LIMITS)),
    ).rejects.toThrow(/x\.zip:a\.csv: .*compressed more than 100:1.*CALIPER_LIMIT_ZIP_RATIO/);
    expect(produced).toBeLessThanOrEqual(2 * MiB + 64 * 1024);

    // Two entries of one archive share its budget, counted once however often each is read.
    const archive = new Map<string, number>();
    const limits = { ...DEFAULT_LIMITS, zipTotalBytes: 3 * MiB };
    const take = async (chunks: AsyncIterable<Buffer>, bytes: number) => {
      let n = 0;
      for await (const chunk of chunks) {
        n += chunk.length;
        if (n >= bytes) break;
      }
    };
    await take(limitInflated(endless(), entry, limits, archive), 2 * MiB);
    await take(limitInflated(endless(), entry, limits, archive), 2 * MiB);
    await expect(
      drainAll(limitInflated(endless(), { ...entry, displayPath: 'x.zip:b.csv' }, limits, archive)),
    ).rejects.toThrow(/x\.zip: its files decompress to more than 3 MiB.*CALIPER_LIMIT_ZIP_TOTAL_BYTES/);
  });

  it('fails the vendor ingest of a zip bomb with a message naming the entry, under CALIPER_LIMIT_* from the environment', async () => {
    const bomb = path.join(t.dir, 'export.zip');
    await writeZip(bomb, { 'charges.json': filled(24 * MiB, ' ') });

    const opening = withEnv({ CALIPER_LIMIT_ZIP_ENTRY_BYTES: '8M' }, () => openVendorBundles([bomb]));

    await expect(opening).rejects.toThrow(BundleOpenError);
    await expect(
      withEnv({ CALIPER_LIMIT_ZIP_ENTRY_BYTES: '8M' }, () => openVendorBundles([bomb])),
    ).rejects.toThrow(/export\.zip:charges\.json: decompresses to 24 MiB.*CALIPER_LIMIT_ZIP_ENTRY_BYTES/);
  });
});

describe('text files read whole', () => {
  it('stops reading a line longer than the limit allows, naming the file, the line and the limit', async () => {
    const dir = path.join(t.dir, 'long');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'export.csv'), `a,b\n${'x'.repeat(8 * MiB)}\n`);

    const [bundle] = await openBundles(dir, { ...DEFAULT_LIMITS, lineBytes: 64 * 1024 });
    const { produced, error } = await drain(bundle!.files[0]!);

    expect(error).toBeInstanceOf(BundleOpenError);
    expect(error?.message).toMatch(/export\.csv: line 2 is longer than .*CALIPER_LIMIT_LINE_BYTES/);
    expect(error?.message).not.toContain('xxx');
    expect(produced).toBeLessThan(3 * MiB);
  });

  it('counts CRLF and CR line breaks once each when naming the line', async () => {
    const dir = path.join(t.dir, 'crlf');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'export.csv'), `a,b\r\n1,2\r\n\r3,4\r\n${'x'.repeat(4 * MiB)}\r\n`);

    const [bundle] = await openBundles(dir, { ...DEFAULT_LIMITS, lineBytes: 1024 });
    const { error } = await drain(bundle!.files[0]!);

    expect(error?.message).toMatch(/export\.csv: line 5 is longer than/);
  });

  it('refuses a JSON file larger than the JSON limit while reading it', async () => {
    const dir = path.join(t.dir, 'json');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'charges.json'), `[${' '.repeat(3 * MiB)}]`);

    const [bundle] = await openBundles(dir, { ...DEFAULT_LIMITS, jsonBytes: MiB });
    const { produced, error } = await drain(bundle!.files[0]!);

    expect(error?.message).toMatch(/charges\.json: larger than 1 MiB.*CALIPER_LIMIT_JSON_BYTES/);
    expect(produced).toBeLessThanOrEqual(MiB);
  });

  it('refuses random binary named .csv or .json as not a text file without printing a byte of it', async () => {
    const dir = path.join(t.dir, 'binary');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'export.csv'), crypto.randomBytes(256 * 1024));
    fs.writeFileSync(path.join(dir, 'photo.png'), crypto.randomBytes(4096));
    const zip = path.join(t.dir, 'binary.zip');
    await writeZip(zip, { 'orders.json': crypto.randomBytes(64 * 1024) });

    const [folder] = await openBundles(dir);
    const [zipped] = await openBundles(zip);

    for (const file of [folder!.files[0]!, zipped!.files[0]!]) {
      const { produced, error } = await drain(file);
      expect(error).toBeInstanceOf(BundleOpenError);
      expect(error?.message).toMatch(/(export\.csv|binary\.zip:orders\.json): not a text file/);
      expect(error?.message).toMatch(/^[\x20-\x7e]*$/);
      expect(produced).toBe(0);
    }
    // A file that is not data is not read as text.
    expect((await drain(folder!.files[1]!)).error).toBeNull();
  });

  it('names a CALIPER_LIMIT_* variable it cannot read', async () => {
    const error = await withEnv({ CALIPER_LIMIT_LINE_BYTES: 'lots' }, () => openingError(t.dir));
    expect(error).toBeInstanceOf(BundleOpenError);
    expect(error.message).toMatch(/CALIPER_LIMIT_LINE_BYTES/);
  });

  it('fails a canonical ingest on a too long line naming the file and row, writing nothing', async () => {
    const dir = path.join(t.dir, 'canonical');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'locations.csv'),
      `location_id,name,opened_on\nL1,North,2020-01-01\nL2,${'n'.repeat(4096)},2020-01-01\n`,
    );

    const report = await withEnv({ CALIPER_LIMIT_LINE_BYTES: '1K' }, () => t.ingest([dir]));

    expect(report.committed).toBe(false);
    expect(report.failure).toMatch(
      /locations\.csv: row 3: .*longer than 1 KiB.*CALIPER_LIMIT_LINE_BYTES.*nothing was written/,
    );
    expect(report.files[0]?.issues[0]).toMatchObject({ row: 3, code: 'csv_structure' });
  });
});
