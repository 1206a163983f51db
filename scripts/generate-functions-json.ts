/**
 * Writes the add-in's functions.json from the JSDoc of addin/functions/functions.ts with
 * custom-functions-metadata, and fails when it reports errors: its CLI prints them and still
 * exits 0, which would ship a functions.json without the broken functions.
 *
 *   node dist/scripts/generate-functions-json.js [input.ts] [output.json]
 */
import fs from 'node:fs';
import path from 'node:path';

import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';

export const DEFAULT_FUNCTIONS_SOURCE = 'addin/functions/functions.ts';
export const DEFAULT_FUNCTIONS_JSON = 'dist/addin/functions.json';

export class FunctionsMetadataError extends Error {
  readonly errors: string[];

  constructor(inputFile: string, errors: string[]) {
    super(`custom-functions-metadata found ${errors.length} error(s) in ${inputFile}:\n${errors.join('\n')}`);
    this.name = 'FunctionsMetadataError';
    this.errors = errors;
  }
}

export async function generateFunctionsJson(inputFile: string, outputFile: string): Promise<void> {
  const result = await generateCustomFunctionsMetadata(inputFile);
  if (result.errors.length > 0) throw new FunctionsMetadataError(inputFile, result.errors);
  if (result.metadataJson === '') {
    throw new FunctionsMetadataError(inputFile, ['no @customfunction was found']);
  }
  await fs.promises.mkdir(path.dirname(outputFile), { recursive: true });
  await fs.promises.writeFile(outputFile, `${result.metadataJson}\n`);
}

async function main(): Promise<void> {
  const [input = DEFAULT_FUNCTIONS_SOURCE, output = DEFAULT_FUNCTIONS_JSON] = process.argv.slice(2);
  await generateFunctionsJson(input, output);
  console.log(`wrote ${output}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
