import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import ts from 'typescript';

/*
 * The add-in runs in Excel's browser: it may reach its own code and the pure core (`shared/`,
 * the API contract included), never server code, Node built-ins or server packages. The walk
 * follows every import, `import type` and `export … from` too: a type import of a server file
 * is how server code crept into the add-in before, one edit away from a value import.
 */

const REPOSITORY = path.resolve(__dirname, '../../..');

/** Where the add-in's code may come from, relative to the repository root. */
const ALLOWED_FOLDERS = ['addin/', 'shared/'];

/** Packages that only run on the server (or in a CLI): a browser bundle must not name them. */
const SERVER_PACKAGES = [
  '@azure/functions',
  'better-sqlite3',
  'cli-progress',
  'commander',
  'csv-parse',
  'exceljs',
  'mssql',
  'office-addin-dev-certs',
  'tedious',
  'yauzl',
];

const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

function sourceFilesUnder(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Every module a file names: imports, `import type`, `export … from`, `import()`. */
function specifiersOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** A relative specifier as the file it names (TypeScript's resolution for our own sources). */
function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (found === undefined) throw new Error(`${from} imports ${specifier}, which resolves to no file`);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Why a package may not be imported by the add-in, or null when it may. */
function forbiddenPackage(specifier: string): string | null {
  if (specifier.startsWith('node:')) return 'a Node built-in';
  const name = packageName(specifier);
  if (NODE_BUILTINS.has(name)) return 'a Node built-in';
  if (SERVER_PACKAGES.includes(name)) return 'a server package';
  return null;
}

/**
 * Walks the import graph from every file under `root`/addin, breadth first so each reported
 * chain is a shortest one, and answers each forbidden module reached with the chain to it.
 */
function forbiddenImports(root: string): string[] {
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const reachedFrom = new Map<string, string | null>();
  const queue: string[] = [];
  for (const file of sourceFilesUnder(path.join(root, 'addin'))) {
    reachedFrom.set(file, null);
    queue.push(file);
  }
  const chainTo = (file: string): string[] => {
    const chain = [relative(file)];
    for (let at = reachedFrom.get(file) ?? null; at !== null; at = reachedFrom.get(at) ?? null) {
      chain.unshift(relative(at));
    }
    return chain;
  };

  const problems: string[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const specifier of specifiersOf(next)) {
      if (!specifier.startsWith('.')) {
        const why = forbiddenPackage(specifier);
        if (why !== null) problems.push(`${[...chainTo(next), specifier].join(' → ')} (${why})`);
        continue;
      }
      const target = resolveRelative(next, specifier);
      const where = relative(target);
      if (!ALLOWED_FOLDERS.some((folder) => where.startsWith(folder))) {
        problems.push(`${[...chainTo(next), where].join(' → ')} (outside ${ALLOWED_FOLDERS.join(' and ')})`);
        continue;
      }
      if (!reachedFrom.has(target)) {
        reachedFrom.set(target, next);
        queue.push(target);
      }
    }
  }
  return problems;
}

describe("the add-in's imports", () => {
  it('reach only the add-in and the pure core: no server code, Node built-in or server package', () => {
    expect(forbiddenImports(REPOSITORY)).toEqual([]);
  });

  it('are walked through type imports and re-exports, and each chain to server code is named', () => {
    // A small tree with every kind of trespass, so the empty answer above means something.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-imports-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    try {
      write(
        'addin/pane.tsx',
        "import { Button } from '@fluentui/react-components';\nimport type { Body } from '../shared/contract';\n",
      );
      write('addin/client.ts', "export { helper } from './helper';\nimport { z } from 'zod';\n");
      write(
        'addin/helper.ts',
        "import path from 'node:path';\nexport const helper = () => import('exceljs');\n",
      );
      write('shared/contract/index.ts', "export type { Body } from './body';\n");
      write(
        'shared/contract/body.ts',
        "import type { Row } from '../../functions/rows';\nimport { createHash } from 'crypto';\n",
      );
      write('functions/rows.ts', "import { app } from '@azure/functions';\n");
      expect(forbiddenImports(root)).toEqual([
        'addin/helper.ts → node:path (a Node built-in)',
        'addin/helper.ts → exceljs (a server package)',
        'addin/pane.tsx → shared/contract/index.ts → shared/contract/body.ts → functions/rows.ts (outside addin/ and shared/)',
        'addin/pane.tsx → shared/contract/index.ts → shared/contract/body.ts → crypto (a Node built-in)',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('tell browser packages from Node built-ins and server packages', () => {
    expect(forbiddenPackage('node:fs')).toBe('a Node built-in');
    expect(forbiddenPackage('crypto')).toBe('a Node built-in');
    expect(forbiddenPackage('fs/promises')).toBe('a Node built-in');
    expect(forbiddenPackage('@azure/functions')).toBe('a server package');
    expect(forbiddenPackage('better-sqlite3')).toBe('a server package');
    expect(forbiddenPackage('react')).toBeNull();
    expect(forbiddenPackage('@fluentui/react-components')).toBeNull();
    expect(forbiddenPackage('@azure/msal-browser')).toBeNull();
    expect(forbiddenPackage('zod')).toBeNull();
  });
});
