import path from 'node:path';

import * as esbuild from 'esbuild';

/** excelStandIn.ts as one browser script that installs the stand-in, for page.addInitScript. */
export async function standInScript(): Promise<string> {
  const result = await esbuild.build({
    stdin: {
      contents: "import { installExcelStandIn } from './excelStandIn'; installExcelStandIn();",
      resolveDir: __dirname,
      sourcefile: path.join(__dirname, 'install.ts'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild wrote no stand-in script');
  return output.text;
}
