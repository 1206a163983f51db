/**
 * Writes the `=CALIPER.*` functions reference from the functions' JSDoc: docs/functions.md
 * (committed; a test fails when it is stale) and, for the add-in host, functions.html (written
 * by build-addin.ts into dist/addin, where each function's helpUrl points).
 *
 *   npm run docs:functions                      # docs/functions.md
 *   node dist/scripts/generate-functions-reference.js [--html FILE]
 */
import fs from 'node:fs';
import path from 'node:path';

import { REFERENCE_TITLE, referenceBlocks } from './functionsReferencePage';
import { readFunctionDocs } from './functionsReferenceRead';
import { renderHtml, renderMarkdown } from './referenceBlocks';

export const FUNCTIONS_SOURCE = path.join('addin', 'functions', 'functions.ts');
export const FUNCTIONS_REFERENCE_MD = path.join('docs', 'functions.md');

export interface FunctionsReference {
  markdown: string;
  html: string;
}

/** The reference of the functions declared in `sourceFile` (addin/functions/functions.ts). */
export async function generateFunctionsReference(sourceFile: string): Promise<FunctionsReference> {
  const blocks = referenceBlocks(await readFunctionDocs(sourceFile));
  return { markdown: renderMarkdown(blocks), html: renderHtml(REFERENCE_TITLE, blocks) };
}

/**
 * The repository root from scripts/ or dist/scripts/: the folder holding the functions' source
 * (dist/ has a package.json and an addin/ of its own, but no TypeScript).
 */
function root(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, FUNCTIONS_SOURCE))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No repository root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

async function main(): Promise<void> {
  const base = root();
  const reference = await generateFunctionsReference(path.join(base, FUNCTIONS_SOURCE));
  const markdown = path.join(base, FUNCTIONS_REFERENCE_MD);
  fs.writeFileSync(markdown, reference.markdown);
  console.log(`wrote ${markdown}`);
  const htmlAt = process.argv.indexOf('--html');
  const html = htmlAt < 0 ? undefined : process.argv[htmlAt + 1];
  if (html !== undefined) {
    fs.writeFileSync(html, reference.html);
    console.log(`wrote ${html}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
