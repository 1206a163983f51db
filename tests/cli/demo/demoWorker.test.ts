import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoInBackground } from '../../../cli/demo/demoWorker';
import { writeDemoPortfolio } from '../../../cli/demo/writeDemoPortfolio';
import type { DemoOptions } from '../../../demo/demoPortfolio';
import { readTree } from '../../support/fileTree';

// The worker runs the compiled module (npm test builds dist/ before jest runs).
const SCRIPT = path.join(__dirname, '..', '..', '..', 'dist', 'cli', 'demo', 'demoWorker.js');
const OPTIONS: DemoOptions = { locations: 3, years: 1, seed: 7, endMonth: '2025-12' };

describe('writeDemoInBackground (the demo written on a worker thread, for npm start)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-demo-worker-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('hands over each location folder complete, in order, and writes what the in-process writer writes', async () => {
    const outDir = path.join(root, 'worker');
    const seen: string[] = [];
    const locations = writeDemoInBackground({ ...OPTIONS, outDir }, SCRIPT);
    let next = await locations.next();
    while (next.done !== true) {
      const { dir, done, total } = next.value;
      // Complete when handed over: every file ends with its last line, before the next location exists.
      expect(fs.readdirSync(dir)).toHaveLength(11);
      for (const file of fs.readdirSync(dir))
        expect(fs.readFileSync(path.join(dir, file), 'utf8')).toMatch(/\n$/);
      seen.push(`${done}/${total} ${path.basename(dir)}`);
      next = await locations.next();
    }
    expect(seen).toEqual(['1/3 L001', '2/3 L002', '3/3 L003']);

    const inProcess = await writeDemoPortfolio({ ...OPTIONS, outDir: path.join(root, 'main') });
    expect(next.value).toEqual({
      ...inProcess,
      bundles: inProcess.bundles.map((b) => path.join(outDir, path.basename(b))),
    });
    const a = readTree(outDir);
    const b = readTree(path.join(root, 'main'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!)).toBe(true);
  });

  it('fails with the reason when the generator cannot run, and leaves no worker behind', async () => {
    const bad = writeDemoInBackground({ ...OPTIONS, locations: 0, outDir: path.join(root, 'bad') }, SCRIPT);
    await expect(bad.next()).rejects.toThrow(/^Demo generation failed: .*locations/);
  });
});
