import fs from 'node:fs';
import path from 'node:path';

import { engineFingerprint, fingerprintOf } from '../../io/engineFingerprint';
import { tempDir } from '../support/testStore';

/*
 * Stored answers are keyed by the engine that answered them: any change to the core's code
 * (a source or compiled file under shared/) is another engine; files that are not code are not.
 */
describe('the engine fingerprint', () => {
  it("changes with any byte, name or file of the core's code, and with nothing else", () => {
    const root = tempDir('caliper-engine-');
    fs.mkdirSync(path.join(root, 'metrics'));
    fs.writeFileSync(path.join(root, 'metrics', 'a.js'), 'exports.a = 1;\n');
    fs.writeFileSync(path.join(root, 'b.ts'), 'export const b = 2;\n');
    const first = fingerprintOf(root);
    expect(fingerprintOf(root)).toBe(first);

    // Not code: maps, declarations, notes.
    fs.writeFileSync(path.join(root, 'metrics', 'a.js.map'), '{}');
    fs.writeFileSync(path.join(root, 'b.d.ts'), 'export declare const b: number;\n');
    fs.writeFileSync(path.join(root, 'README.md'), 'notes');
    expect(fingerprintOf(root)).toBe(first);

    fs.writeFileSync(path.join(root, 'metrics', 'a.js'), 'exports.a = 2;\n');
    const changed = fingerprintOf(root);
    expect(changed).not.toBe(first);
    fs.renameSync(path.join(root, 'b.ts'), path.join(root, 'c.ts'));
    expect(fingerprintOf(root)).not.toBe(changed);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("is this build's core, the same on every call", () => {
    expect(engineFingerprint()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(engineFingerprint()).toBe(fingerprintOf(path.join(__dirname, '..', '..', 'shared')));
  });
});
