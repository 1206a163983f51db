/**
 * Builds the Excel add-in into dist/addin/: the shared-runtime page (taskpane.html +
 * taskpane.js, bundled by esbuild from addin/taskpane/index.tsx, which also registers the
 * custom functions and ribbon commands), its static files and icons, functions.json and the
 * functions reference functions.html from the functions' JSDoc, and manifest.xml, with every URL
 * (and each function's helpUrl) on the add-in's base URL.
 *
 *   node dist/scripts/build-addin.js            # base URL from CALIPER_ADDIN_BASE_URL, else the dev host
 */
import fs from 'node:fs';
import path from 'node:path';

import * as esbuild from 'esbuild';
import { z } from 'zod';

import { FUNCTIONS_HTML } from './functionsReferenceRead';
import { generateFunctionsJson } from './generate-functions-json';
import { generateFunctionsReference } from './generate-functions-reference';

/** The base URL manifest.xml is written with: the `npm start` host. */
export const DEV_BASE_URL = 'https://localhost:7071';

const baseUrlSchema = z
  .url({
    protocol: /^https$/,
    error: 'CALIPER_ADDIN_BASE_URL must be an https:// URL (Office loads add-ins over HTTPS only)',
  })
  .transform((url) => url.replace(/\/+$/, ''));

/** `CALIPER_ADDIN_BASE_URL`: where the built add-in is served in production. */
export function readAddinBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const text = env.CALIPER_ADDIN_BASE_URL?.trim();
  if (text === undefined || text === '') return DEV_BASE_URL;
  const parsed = baseUrlSchema.safeParse(text);
  if (!parsed.success)
    throw new Error(`Bad environment: ${parsed.error.issues[0]?.message ?? 'CALIPER_ADDIN_BASE_URL'}`);
  return parsed.data;
}

/** Nested app authentication settings compiled into the task pane (addin/taskpane/entraSignIn.ts). */
export interface AddinEntraConfig {
  clientId: string;
  authority: string;
  scopes: string[];
}

export const DEFAULT_ENTRA_AUTHORITY = 'https://login.microsoftonline.com/organizations';

const entraSchema = z.object({
  clientId: z.uuid({
    error: 'CALIPER_ENTRA_CLIENT_ID must be the add-in app registration’s client id (a GUID)',
  }),
  authority: z.url({ protocol: /^https$/, error: 'CALIPER_ENTRA_AUTHORITY must be an https:// URL' }),
  scopes: z
    .array(z.string().min(1))
    .min(1, 'CALIPER_ENTRA_SCOPES must name the Caliper API scope, e.g. api://<api app id>/access_as_user'),
});

/**
 * `CALIPER_ENTRA_CLIENT_ID` (+ `CALIPER_ENTRA_SCOPES`, space- or comma-separated, and optionally
 * `CALIPER_ENTRA_AUTHORITY`): the pane offers "Sign in with Microsoft"; without it, API keys only.
 */
export function readAddinEntraConfig(env: NodeJS.ProcessEnv = process.env): AddinEntraConfig | null {
  const clientId = env.CALIPER_ENTRA_CLIENT_ID?.trim() ?? '';
  if (clientId === '') return null;
  const parsed = entraSchema.safeParse({
    clientId,
    authority: env.CALIPER_ENTRA_AUTHORITY?.trim() || DEFAULT_ENTRA_AUTHORITY,
    scopes: (env.CALIPER_ENTRA_SCOPES ?? '').split(/[\s,]+/).filter((s) => s !== ''),
  });
  if (!parsed.success)
    throw new Error(`Bad environment: ${parsed.error.issues[0]?.message ?? 'CALIPER_ENTRA_*'}`);
  return parsed.data;
}

/** The repository root: the folder holding manifest.xml, from scripts/ or dist/scripts/. */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'manifest.xml')) || !fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No manifest.xml above ${start}`);
    dir = parent;
  }
  return dir;
}

/** manifest.xml with the dev base URL replaced; the result must name no other host. */
export function manifestFor(xml: string, baseUrl: string): string {
  const out = xml.split(DEV_BASE_URL).join(baseUrl);
  const foreign = [...out.matchAll(/DefaultValue="(https?:\/\/[^"]*)"/g)]
    .map((m) => m[1] ?? '')
    .filter((url) => !url.startsWith(`${baseUrl}/`));
  if (foreign.length > 0) throw new Error(`manifest.xml has URLs outside ${baseUrl}: ${foreign.join(', ')}`);
  return out;
}

/**
 * functions.json with each function's helpUrl (written in the JSDoc on the dev host) on the base
 * URL, as the manifest's URLs: Excel opens it from "More help on this function", so every
 * function must have one, on the reference page this build serves.
 */
export function functionsJsonFor(json: string, baseUrl: string): string {
  const out = json.split(DEV_BASE_URL).join(baseUrl);
  const { functions } = JSON.parse(out) as { functions: { id: string; helpUrl?: string }[] };
  const page = `${baseUrl}/${FUNCTIONS_HTML}#`;
  const wrong = functions.filter((f) => !(f.helpUrl ?? '').startsWith(page)).map((f) => f.id);
  if (wrong.length > 0) throw new Error(`functions.json: no helpUrl on ${page}… for ${wrong.join(', ')}`);
  return out;
}

export interface BuildAddinOptions {
  /** dist/addin under the repository when absent. */
  outDir?: string;
  baseUrl?: string;
  minify?: boolean;
  /** readAddinEntraConfig() when absent; null builds for API keys only. */
  entra?: AddinEntraConfig | null;
  /** functions.json and functions.html come from the functions' JSDoc (slow: it runs the TypeScript compiler); tests may skip them. */
  functionsJson?: boolean;
}

export interface BuiltAddin {
  outDir: string;
  baseUrl: string;
  /** Whether the pane offers "Sign in with Microsoft". */
  entra: boolean;
  files: string[];
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(source, target);
    else fs.copyFileSync(source, target);
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

export async function buildAddin(options: BuildAddinOptions = {}): Promise<BuiltAddin> {
  const root = repoRoot();
  const outDir = path.resolve(options.outDir ?? path.join(root, 'dist', 'addin'));
  const baseUrl = options.baseUrl ?? readAddinBaseUrl();
  const entra = options.entra === undefined ? readAddinEntraConfig() : options.entra;
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  // esbuild rejects on any error, with its messages: the build fails rather than ship half a bundle.
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { taskpane: 'addin/taskpane/index.tsx' },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Edge WebView2 (Windows), Safari/WKWebView (Mac) and Excel on the web's browsers.
    target: ['es2020', 'chrome90', 'safari15'],
    jsx: 'automatic',
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"', CALIPER_ENTRA: JSON.stringify(entra) },
    // A key-only build never calls MSAL: it stays out of the bundle (its import is never reached).
    external: entra === null ? ['@azure/msal-browser'] : [],
    logLevel: 'silent',
  });
  copyDir(path.join(root, 'addin', 'static'), outDir);
  if (options.functionsJson ?? true) {
    const source = path.join(root, 'addin', 'functions', 'functions.ts');
    const functionsJson = path.join(outDir, 'functions.json');
    await generateFunctionsJson(source, functionsJson);
    fs.writeFileSync(functionsJson, functionsJsonFor(fs.readFileSync(functionsJson, 'utf8'), baseUrl));
    fs.writeFileSync(path.join(outDir, FUNCTIONS_HTML), (await generateFunctionsReference(source)).html);
  }
  const manifest = fs.readFileSync(path.join(root, 'manifest.xml'), 'utf8');
  fs.writeFileSync(path.join(outDir, 'manifest.xml'), manifestFor(manifest, baseUrl));
  return { outDir, baseUrl, entra: entra !== null, files: listFiles(outDir) };
}

async function main(): Promise<void> {
  const built = await buildAddin();
  console.log(
    `add-in built in ${path.relative(process.cwd(), built.outDir) || '.'} for ${built.baseUrl}` +
      (built.entra ? ' (with Microsoft sign-in)' : ' (API keys)'),
  );
  console.log(`  ${built.files.join(', ')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
