import fs from 'node:fs';
import path from 'node:path';

import yazl from 'yazl';

/** The files under `folder`, sub-folders included, as zip entry names (`L001/directory/services.csv`). */
function entriesOf(folder: string, prefix = ''): [string, string][] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry): [string, string][] => {
      const full = path.join(folder, entry.name);
      const name = `${prefix}${entry.name}`;
      return entry.isDirectory() ? entriesOf(full, `${name}/`) : [[full, name]];
    });
}

/** A zip of every file under `folder` (sub-folders kept as folders of the archive), in memory: the body the task pane uploads. */
export function zipFolder(folder: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [full, name] of entriesOf(folder)) zip.addFile(full, name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
