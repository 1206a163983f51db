import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { csvCell, csvLine, writeDemoPortfolio } from '../../../cli/demo/writeDemoPortfolio';
import { type CanonicalFileName, DEMO_COLUMNS, type DemoOptions } from '../../../demo/demoPortfolio';
import { readTree } from '../../support/fileTree';

const FILES = Object.keys(DEMO_COLUMNS) as CanonicalFileName[];
const OPTIONS: DemoOptions = { locations: 3, years: 1, seed: 42, endMonth: '2025-12' };

describe('writeDemoPortfolio', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-demo-test-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes one bundle folder per location with every canonical file, headers first', async () => {
    const outDir = path.join(root, 'first');
    const progress: string[] = [];
    const result = await writeDemoPortfolio({
      ...OPTIONS,
      outDir,
      onProgress: (done, total, id) => progress.push(`${done}/${total} ${id}`),
    });
    expect(result.bundles).toEqual(['L001', 'L002', 'L003'].map((id) => path.join(outDir, id)));
    expect(progress).toEqual(['1/3 L001', '2/3 L002', '3/3 L003']);

    const lines = Object.fromEntries(FILES.map((file) => [file, 0])) as Record<CanonicalFileName, number>;
    let bytes = 0;
    for (const bundle of result.bundles) {
      expect(fs.readdirSync(bundle).sort()).toEqual([...FILES].sort());
      for (const file of FILES) {
        const text = fs.readFileSync(path.join(bundle, file), 'utf8');
        bytes += Buffer.byteLength(text);
        expect(text.endsWith('\n')).toBe(true);
        expect(text.includes('\r')).toBe(false);
        const rows = text.slice(0, -1).split('\n');
        expect(rows[0]).toBe(DEMO_COLUMNS[file].join(','));
        lines[file] += rows.length - 1;
      }
    }
    expect(result.rows).toEqual(lines);
    expect(result.bytes).toBe(bytes);
    expect(result.rows['appointments.csv']).toBeGreaterThan(1000);
  });

  it('writes byte-identical files when run again with the same options', async () => {
    await writeDemoPortfolio({ ...OPTIONS, outDir: path.join(root, 'a') });
    await writeDemoPortfolio({ ...OPTIONS, outDir: path.join(root, 'b') });
    const a = readTree(path.join(root, 'a'));
    const b = readTree(path.join(root, 'b'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, content] of a) expect(content.equals(b.get(name)!)).toBe(true);
  });
});

describe('CSV cells', () => {
  it('quotes only cells holding a comma, a quote or a line break', () => {
    expect(csvCell('Glow Aesthetics \u2013 Austin')).toBe('Glow Aesthetics \u2013 Austin');
    expect(csvCell('Smith, Jane NP')).toBe('"Smith, Jane NP"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvLine(['a', '', 'b,c'])).toBe('a,,"b,c"\n');
  });
});
