import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CALIPER_FUNCTIONS } from '../../../addin/functions/register';
import { FunctionsMetadataError, generateFunctionsJson } from '../../../scripts/generate-functions-json';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-functions-json-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface FunctionsJson {
  functions: {
    id: string;
    name: string;
    helpUrl?: string;
    parameters: { name: string; type: string; optional?: boolean; repeating?: boolean }[];
    result: { type?: string; dimensionality?: string };
  }[];
}

function signature(f: FunctionsJson['functions'][number]): string {
  const params = f.parameters.map(
    (p) => `${p.optional ? '[' : ''}${p.name}:${p.type}${p.repeating ? '…' : ''}${p.optional ? ']' : ''}`,
  );
  return `${f.id}(${params.join(', ')}) → ${f.result.dimensionality ?? f.result.type ?? 'any'}`;
}

describe('generateFunctionsJson', () => {
  it('writes every CALIPER function with its parameters from the JSDoc of functions.ts', async () => {
    const output = path.join(dir, 'nested', 'functions.json');
    await generateFunctionsJson(path.join(__dirname, '../../../addin/functions/functions.ts'), output);
    const json = JSON.parse(fs.readFileSync(output, 'utf8')) as FunctionsJson;

    expect(json.functions.map(signature)).toEqual([
      'KPI(scope:string, metric:string, [period:any], [options:string…]) → any',
      'SERIES(scope:string, metric:string, start:any, end:any, [options:string…]) → matrix',
      'SAMESTORE(scope:any, [period:any], [metric:string], [options:string…]) → any',
      'SAMESTORESET(scope:any, [period:any], [options:string…]) → matrix',
      'PROVIDERS(location:string, period:any, [options:string…]) → matrix',
      'MEMBERSHIP(scope:string, period:any, [options:string…]) → matrix',
      'BENCHMARK(scope:string, metric:string, period:any, [options:string…]) → matrix',
      'LOCATIONS([options:string…]) → matrix',
      'METRICS([options:string…]) → matrix',
      'TRACE(scope:string, metric:string, period:any, [options:string…]) → matrix',
      'ASOF() → number',
      'PERIODS([options:string…]) → matrix',
      'CALLLIST(scope:string, [n:number], [options:string]) → matrix',
      'FORECAST(scope:string, months:number, [category:string], [options:string]) → matrix',
    ]);
    // The trailing options are one repeating parameter: as many name=value arguments as wanted.
    // register.ts associates exactly the ids functions.json declares.
    expect(Object.keys(CALIPER_FUNCTIONS).sort()).toEqual(json.functions.map((f) => f.id).sort());
  });

  it('gives every function a helpUrl: its section of the reference page, on the dev host until the build rewrites it', async () => {
    const output = path.join(dir, 'help', 'functions.json');
    await generateFunctionsJson(path.join(__dirname, '../../../addin/functions/functions.ts'), output);
    const json = JSON.parse(fs.readFileSync(output, 'utf8')) as FunctionsJson;
    expect(json.functions.map((f) => [f.id, f.helpUrl])).toEqual(
      json.functions.map((f) => [f.id, `https://localhost:7071/functions.html#${f.id.toLowerCase()}`]),
    );
  });

  it('throws with the tool’s errors when a JSDoc is broken, although its CLI would exit 0', async () => {
    const input = path.join(dir, 'broken.ts');
    fs.writeFileSync(
      input,
      [
        '/**',
        ' * Two functions cannot share an id.',
        ' * @customfunction TWICE',
        ' */',
        'export function first(): number { return 1; }',
        '/**',
        ' * @customfunction TWICE',
        ' */',
        'export function second(): number { return 2; }',
        '',
      ].join('\n'),
    );
    const output = path.join(dir, 'broken.json');
    const failure = generateFunctionsJson(input, output);
    await expect(failure).rejects.toBeInstanceOf(FunctionsMetadataError);
    await expect(failure).rejects.toThrow(/found \d+ error\(s\) in .*broken\.ts/);
    expect(fs.existsSync(output)).toBe(false);
  });

  it('throws when the file declares no custom function', async () => {
    const input = path.join(dir, 'empty.ts');
    fs.writeFileSync(input, 'export const nothing = 1;\n');
    await expect(generateFunctionsJson(input, path.join(dir, 'empty.json'))).rejects.toThrow(
      /no @customfunction was found/,
    );
  });
});
