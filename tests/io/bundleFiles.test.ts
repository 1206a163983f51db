import fs from 'node:fs';
import path from 'node:path';

import yazl from 'yazl';

import { BundleOpenError, openBundles } from '../../io/bundleFiles';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

function writeZip(file: string, entries: Record<string, string | Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(entries)) {
      zip.addBuffer(typeof content === 'string' ? Buffer.from(content) : content, name);
    }
    zip.end();
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}

function bundleEntries(folder: string, prefix = ''): Record<string, Buffer> {
  return Object.fromEntries(
    fs.readdirSync(folder).map((name) => [`${prefix}${name}`, fs.readFileSync(path.join(folder, name))]),
  );
}

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

describe('bundles as .zip files', () => {
  it('ingests a zipped bundle exactly as the same folder', async () => {
    const zipFile = path.join(t.dir, 'north.zip');
    // "Compress folder" puts the files one folder down, next to macOS litter.
    await writeZip(zipFile, {
      ...bundleEntries(fixture('north'), 'north/'),
      '__MACOSX/north/._sales.csv': 'x',
    });

    const report = await t.ingest([zipFile]);

    expect(report.committed).toBe(true);
    expect(report.totals).toMatchObject({ rows_read: 30, rows_accepted: 30, rows_rejected: 0 });
    expect(report.files.map((f) => f.file)).toContain(`${zipFile}:north/sales.csv`);
    const counts = await t.store.rowCounts('t1');
    expect(counts).toMatchObject({ locations: 1, sales: 6, appointments: 5, patients: 3 });
  });

  it('leaves the store exactly as before when an entry of the zip is corrupted', async () => {
    await t.ingest([fixture('north')]);
    const before = t.dump();
    const zipFile = path.join(t.dir, 'south.zip');
    const big =
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n' +
      Array.from({ length: 5000 }, (_, i) => `Z${i},L2,2024-05-03,,,,retail,,${i}.00,,,\n`).join('');
    await writeZip(zipFile, {
      'locations.csv': fs.readFileSync(path.join(fixture('south'), 'locations.csv')),
      'sales.csv': big,
    });
    // Flip bytes in the middle of the compressed sales.csv data: inflating it fails midway.
    const bytes = fs.readFileSync(zipFile);
    const salesHeader = bytes.indexOf(Buffer.from('sales.csv'));
    for (let i = salesHeader + 200; i < salesHeader + 260; i += 1) bytes[i] = bytes[i]! ^ 0xff;
    fs.writeFileSync(zipFile, bytes);

    const report = await t.ingest([zipFile]);

    expect(report.committed).toBe(false);
    expect(report.failure).toMatch(/south\.zip:sales\.csv: .*nothing was written/);
    expect(t.dump()).toEqual(before);
  });

  it('refuses a file that is not a zip archive with a message naming it', async () => {
    const notZip = path.join(t.dir, 'export.zip');
    fs.writeFileSync(notZip, 'this is not a zip');
    await expect(openBundles(notZip)).rejects.toThrow(BundleOpenError);
    await expect(openBundles(notZip)).rejects.toThrow(`${notZip}: not a readable zip archive`);
  });
});

describe('bundle folders', () => {
  it('names a path that does not exist', async () => {
    await expect(openBundles(path.join(t.dir, 'missing'))).rejects.toThrow(/missing: no such file or folder/);
  });

  it('ignores hidden OS files but reports other files it does not know', async () => {
    const dir = path.join(t.dir, 'b');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.DS_Store'), 'x');
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'x');
    const [bundle] = await openBundles(dir);
    expect(bundle!.files.map((f) => f.name)).toEqual(['readme.txt']);
  });
});

describe('folders of folders', () => {
  it('opens each folder that holds files as a bundle, parents first, skipping hidden and archive folders', async () => {
    const root = path.join(t.dir, 'room');
    for (const file of [
      'L001/sales.csv',
      'L001/directory/services.csv',
      'L002/sales.csv',
      '.git/config',
      '__MACOSX/L001/._sales.csv',
    ]) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), 'x');
    }

    const bundles = await openBundles(root);

    expect(bundles.map((b) => [b.folder, b.files.map((f) => f.name)])).toEqual([
      ['L001', ['sales.csv']],
      ['L001/directory', ['services.csv']],
      ['L002', ['sales.csv']],
    ]);
  });

  it('opens an empty folder as one empty bundle, so the ingest can say nothing was found there', async () => {
    const empty = path.join(t.dir, 'empty');
    fs.mkdirSync(empty);
    expect(await openBundles(empty)).toEqual([{ label: empty, folder: '', files: [] }]);
  });
});

describe('zip handles', () => {
  const openPaths = () =>
    fs.readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [fs.readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return [];
      }
    });

  (fs.existsSync('/proc/self/fd') ? it : it.skip)(
    'keeps no descriptor of the archive open once the bundles are listed and read',
    async () => {
      const zipFile = path.join(t.dir, 'north.zip');
      await writeZip(zipFile, bundleEntries(fixture('north')));

      const bundles = await openBundles(zipFile);
      for (const file of bundles.flatMap((b) => b.files)) {
        for await (const chunk of file.read()) void chunk;
      }

      expect(openPaths()).not.toContain(zipFile);
    },
  );
});
