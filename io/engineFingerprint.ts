import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A fingerprint of the code that computes answers: the domain core beside this file (`shared/`,
 * compiled or as sources). Stored answers are keyed by it (shared/metrics/cellAnswers.ts), so a
 * release that changes how a figure is computed never reads the answers an earlier one stored for
 * the same data — they are computed again instead.
 */
export function fingerprintOf(root: string): string {
  const hash = createHash('sha256');
  const files = fs
    .readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(js|ts)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    hash.update(path.relative(root, file).split(path.sep).join('/'));
    hash.update('\u0000');
    hash.update(fs.readFileSync(file));
    hash.update('\u0000');
  }
  return hash.digest('base64url').slice(0, 22);
}

let engine: string | undefined;

/** This build's fingerprint, computed once per process (a few milliseconds). */
export function engineFingerprint(): string {
  engine ??= fingerprintOf(path.join(__dirname, '..', 'shared'));
  return engine;
}
