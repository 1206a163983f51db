import fs from 'node:fs';
import path from 'node:path';

import yazl from 'yazl';

/** A zip of every file in `folder`, in memory: the body the task pane uploads. */
export function zipFolder(folder: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const name of fs.readdirSync(folder)) zip.addFile(path.join(folder, name), name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
