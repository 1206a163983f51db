import fs from 'node:fs';
import path from 'node:path';

/** Every file of a demo folder (`<location>/<file>`) with its bytes, in name order. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const location of fs.readdirSync(dir).sort()) {
    for (const file of fs.readdirSync(path.join(dir, location)).sort()) {
      files.set(`${location}/${file}`, fs.readFileSync(path.join(dir, location, file)));
    }
  }
  return files;
}
