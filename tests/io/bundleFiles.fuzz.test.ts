import fs from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';
import yazl from 'yazl';

import { BundleLimitError, BundleOpenError, openBundles } from '../../io/bundleFiles';
import { csvLikeText, errorName, FUZZ_TIMEOUT_MS, fuzzParameters, SMALL_LIMITS } from '../support/fuzz';
import { tempDir } from '../support/testStore';

/*
 * Fuzzing the zip reader (issue 11, item 8): openBundles on arbitrary bytes saved as a .zip, on
 * valid zips with arbitrary entry names, contents and sizes, and on valid zips with some bytes
 * overwritten. Opening the bundles and reading every file to its end either works or fails
 * with a BundleOpenError (a BundleLimitError for a limit) — never another exception, never a
 * hang — and no file yields more than the limits allow.
 */

const LIMITS = SMALL_LIMITS;

let dir: string;
let count = 0;
beforeAll(() => {
  dir = tempDir('caliper-zip-fuzz-');
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function zipPath(): string {
  count += 1;
  return path.join(dir, `fuzz-${count}.zip`);
}

interface Entry {
  name: string;
  content: Buffer;
  compress: boolean;
}

function zipOf(entries: readonly Entry[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const e of entries) zip.addBuffer(e.content, e.name, { compress: e.compress });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** What opening and reading every file of `bytes` (saved as a .zip) came to. */
async function openAndRead(bytes: Buffer): Promise<{ produced: number[]; error: unknown }> {
  const file = zipPath();
  fs.writeFileSync(file, bytes);
  const produced: number[] = [];
  try {
    const bundles = await openBundles(file, LIMITS);
    for (const bundle of bundles) {
      for (const f of bundle.files) {
        let n = 0;
        for await (const chunk of f.read()) n += chunk.length;
        produced.push(n);
      }
    }
  } catch (error) {
    return { produced, error };
  } finally {
    fs.rmSync(file, { force: true });
  }
  return { produced, error: null };
}

function expectBoundedAnswer({ produced, error }: { produced: number[]; error: unknown }): void {
  for (const n of produced) expect(n).toBeLessThanOrEqual(LIMITS.zipEntryBytes);
  expect(produced.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LIMITS.zipTotalBytes);
  if (error === null) return;
  if (!(error instanceof BundleOpenError)) throw new Error(`openBundles crashed: ${errorName(error)}`);
  if (error instanceof BundleLimitError) expect(error.message).toMatch(/CALIPER_LIMIT_/);
}

/** Entry names as archives carry them: folders, litter, odd characters, data file extensions. */
const entryName: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom('L001', 'directory', '__MACOSX', '.hidden', 'a b', 'é', '😀', '..x', 'x..'),
        fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[/\\]/.test(s) && s !== '.' && s !== '..'),
      ),
      { maxLength: 3 },
    ),
    fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('sales', 'locations', 'Thumbs', '')),
    fc.constantFrom('.csv', '.CSV', '.json', '.txt', '.tsv', '.zip', '', '/'),
  )
  .map(([folders, base, ext]) => [...folders, `${base.replace(/[/\\]/g, '_')}${ext}`].join('/'))
  .filter((name) => name !== '' && !name.startsWith('/') && !name.split('/').includes('..'));

/** Contents of every size around the limits: text, bytes, and runs that compress absurdly well. */
const entryContent: fc.Arbitrary<Buffer> = fc.oneof(
  csvLikeText.map((t) => Buffer.from(t)),
  fc.uint8Array({ maxLength: 1500 }).map((b) => Buffer.from(b)),
  fc
    .tuple(fc.constantFrom('a', '\n', ',', '\0', 'x,y\n'), fc.integer({ min: 0, max: 12_000 }))
    .map(([c, n]) => Buffer.from(c.repeat(n))),
);

const entries: fc.Arbitrary<Entry[]> = fc.array(
  fc.record({ name: entryName, content: entryContent, compress: fc.boolean() }),
  { maxLength: 5 },
);

describe('openBundles under fuzzing', () => {
  it(
    'opens arbitrary bytes saved as a .zip, or refuses them with a BundleOpenError',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 1024 }).map((b) => Buffer.from(b)),
            // A local header or an end of central directory, then anything.
            fc
              .tuple(
                fc.constantFrom('PK\x03\x04', 'PK\x05\x06', 'PK\x01\x02'),
                fc.uint8Array({ maxLength: 200 }),
              )
              .map(([magic, rest]) => Buffer.concat([Buffer.from(magic, 'latin1'), rest])),
          ),
          async (bytes) => expectBoundedAnswer(await openAndRead(bytes)),
        ),
        fuzzParameters(60, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads valid zips with arbitrary entry names, contents and sizes within the limits, or refuses them',
    async () => {
      await fc.assert(
        fc.asyncProperty(entries, async (list) => {
          const unique = [...new Map(list.map((e) => [e.name, e])).values()];
          let bytes: Buffer;
          try {
            bytes = await zipOf(unique);
          } catch {
            return; // a name the zip writer itself refuses
          }
          expectBoundedAnswer(await openAndRead(bytes));
        }),
        fuzzParameters(40, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads valid zips with some bytes overwritten, or refuses them with a BundleOpenError',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          entries.filter((l) => l.length > 0),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
          fc.option(fc.nat(), { nil: undefined }),
          async (list, flips, cut) => {
            const unique = [...new Map(list.map((e) => [e.name, e])).values()];
            let bytes: Buffer;
            try {
              bytes = await zipOf(unique);
            } catch {
              return;
            }
            for (const [at, value] of flips) bytes[at % bytes.length] = value;
            if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
            expectBoundedAnswer(await openAndRead(bytes));
          },
        ),
        fuzzParameters(80, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('openBundles on names a zip writer refuses to write', () => {
  it(
    'refuses or reads entries named `..`, absolute, with backslashes, drive letters or NULs — a BundleOpenError or the files, never a crash',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              name: fc
                .array(fc.constantFrom('QQ', 'a', 'sales', '/', '.csv', '.json', 'é'), {
                  minLength: 1,
                  maxLength: 6,
                })
                .map((parts) => parts.join('').replace(/^\/+/, ''))
                .filter((n) => n !== '' && !n.split('/').includes('..')),
              content: entryContent,
              compress: fc.boolean(),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          fc.constantFrom('..', '/.', 'C:', '\\\\', '\0\0', ' .', './'),
          async (list, replacement) => {
            const unique = [...new Map(list.map((e) => [e.name, e])).values()];
            let bytes: Buffer;
            try {
              bytes = await zipOf(unique);
            } catch {
              return;
            }
            // Same length, so every offset of the archive still holds: only the names change.
            const from = Buffer.from('QQ');
            const to = Buffer.from(replacement, 'latin1');
            for (let at = bytes.indexOf(from); at !== -1; at = bytes.indexOf(from, at + 2))
              to.copy(bytes, at);
            expectBoundedAnswer(await openAndRead(bytes));
          },
        ),
        fuzzParameters(40, { timeout: 10_000 }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('openBundles regressions found by fuzzing', () => {
  it('refuses an entry whose local header is damaged with a BundleOpenError naming it', async () => {
    // Shrunk counterexample (seed -381606670, path "78:4:5:6:6:6:0:0:0:0:0:0"): one empty stored
    // entry `sales.csv`, the archive's first byte overwritten with 0. The central directory
    // still lists the entry, so the archive opened, and reading it threw yauzl's own
    // `Error: invalid local file header signature` — out of openVendorBundles, past the API's
    // BundleOpenError handling, as a 500.
    const bytes = await zipOf([{ name: 'sales.csv', content: Buffer.alloc(0), compress: false }]);
    bytes[0] = 0;
    const { error } = await openAndRead(bytes);
    expect(error).toBeInstanceOf(BundleOpenError);
    expect((error as Error).message).toMatch(
      /fuzz-\d+\.zip:sales\.csv: the archive is damaged \(invalid local file header signature/,
    );
  });

  it('refuses an entry whose compressed data is damaged with a BundleOpenError naming it', async () => {
    const bytes = await zipOf([
      { name: 'sales.csv', content: Buffer.from('date,amount\n'.repeat(50)), compress: true },
    ]);
    // The deflate stream starts after the 30-byte local header and the name.
    for (let i = 30 + 'sales.csv'.length; i < 30 + 'sales.csv'.length + 8; i += 1) bytes[i] = 0xff;
    const { error } = await openAndRead(bytes);
    expect(error).toBeInstanceOf(BundleOpenError);
    expect((error as Error).message).toMatch(/sales\.csv: the archive is damaged \(/);
  });
});
