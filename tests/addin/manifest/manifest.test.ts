/*
 * manifest.xml checked offline. Microsoft's XML validator calls an online service, so CI
 * converts the manifest with office-addin-manifest-converter and validates the JSON against
 * the schema bundled with @microsoft/app-manifest (office-addin-manifest's dependency), then
 * checks what the add-in relies on: the shared runtime, the CALIPER namespace, one page for
 * pane, functions and commands, and every command the ribbon names being registered.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { DOMParser } from '@xmldom/xmldom';
import { convert } from 'office-addin-manifest-converter';

import { COMMAND_NAMES } from '../../../addin/commands/commands';
import { DEV_BASE_URL, manifestFor } from '../../../scripts/build-addin';

const ROOT = path.join(__dirname, '..', '..', '..');
const MANIFEST = path.join(ROOT, 'manifest.xml');
const ADDIN_ID = '6b0f8f1e-3c2a-4d55-9a51-2f4b7c1d9e30';
/** The unified-manifest version validated; the converter's default (1.17) predates menus without actions. */
const SCHEMA_VERSION = '1.24';

const xml = fs.readFileSync(MANIFEST, 'utf8');
// xmldom implements the DOM Core interfaces; the DOM lib's types describe what is used here.
const doc = new DOMParser().parseFromString(xml, 'text/xml');

function all(name: string): Element[] {
  return Array.from(doc.getElementsByTagName(name));
}
function one(name: string): Element {
  const found = all(name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0]!;
}
/** The resource value an id stands for, in bt:Urls, bt:Images or bt:ShortStrings. */
function resource(id: string): string | undefined {
  return (
    [...all('bt:Url'), ...all('bt:Image'), ...all('bt:String')]
      .find((e) => e.getAttribute('id') === id)
      ?.getAttribute('DefaultValue') ?? undefined
  );
}
function sourceOf(parent: string): string | undefined {
  const location = one(parent).getElementsByTagName('SourceLocation')[0];
  return resource(location?.getAttribute('resid') ?? '');
}

function schemaValidator(version: string) {
  const appManifest = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  // The schemas are draft-04: ajv-draft-04 and ajv-formats, resolved as @microsoft/app-manifest resolves them.
  const load = createRequire(path.join(appManifest, 'package.json'));
  const Ajv = load('ajv-draft-04') as new (options: object) => {
    compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
  };
  const formats = load('ajv-formats') as { default: (ajv: unknown) => void };
  const schemaFile = path.join(
    appManifest,
    'build',
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  formats.default(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
}

describe('manifest.xml', () => {
  it('keeps the add-in id workbooks refer to', () => {
    expect(one('Id').textContent).toBe(ADDIN_ID);
  });

  it('converts to a unified manifest that the bundled schema accepts', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-manifest-'));
    try {
      await convert(
        MANIFEST,
        out,
        false,
        `https://developer.microsoft.com/json-schemas/teams/v${SCHEMA_VERSION}/MicrosoftTeams.schema.json#`,
        SCHEMA_VERSION,
        false,
      );
      const json = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
        id: string;
        extensions: { runtimes: { lifetime: string; actions?: { id: string }[] }[] }[];
      };
      const validate = schemaValidator(SCHEMA_VERSION);
      expect(validate(json) ? [] : validate.errors).toEqual([]);
      expect(json.id).toBe(ADDIN_ID);
      const actions = json.extensions[0]?.runtimes.flatMap((r) => r.actions ?? []).map((a) => a.id);
      expect(actions).toEqual(expect.arrayContaining([...COMMAND_NAMES]));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('requires the shared runtime and runs it long-lived on the task pane page', () => {
    const sets = all('Set').map((s) => [s.getAttribute('Name'), s.getAttribute('MinVersion')]);
    expect(sets).toEqual([['SharedRuntime', '1.1']]);
    const runtime = one('Runtime');
    expect(runtime.getAttribute('lifetime')).toBe('long');
    expect(resource(runtime.getAttribute('resid') ?? '')).toBe(`${DEV_BASE_URL}/taskpane.html`);
  });

  it('hosts the task pane, the CALIPER functions and the ribbon commands on that one page', () => {
    const page = `${DEV_BASE_URL}/taskpane.html`;
    expect(
      one('DefaultSettings').getElementsByTagName('SourceLocation')[0]?.getAttribute('DefaultValue'),
    ).toBe(page);
    expect(sourceOf('Page')).toBe(page);
    expect(resource(one('FunctionFile').getAttribute('resid') ?? '')).toBe(page);
    const showPane = all('Action').filter((a) => a.getAttribute('xsi:type') === 'ShowTaskpane');
    expect(
      showPane.map((a) => resource(a.getElementsByTagName('SourceLocation')[0]?.getAttribute('resid') ?? '')),
    ).toEqual([page]);
    expect(sourceOf('Script')).toBe(`${DEV_BASE_URL}/taskpane.js`);
    expect(sourceOf('Metadata')).toBe(`${DEV_BASE_URL}/functions.json`);
    expect(resource(one('Namespace').getAttribute('resid') ?? '')).toBe('CALIPER');
  });

  it('names on the ribbon exactly the commands the add-in registers', () => {
    const functions = all('FunctionName').map((f) => f.textContent);
    expect(functions).toEqual([...COMMAND_NAMES]);
  });

  it('defines every resource it refers to, with ids Office accepts (≤ 32 characters)', () => {
    const referenced = [...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1] ?? '');
    const missing = [...new Set(referenced)].filter((id) => resource(id) === undefined);
    expect(missing).toEqual([]);
    // Definitions carry an id; the ribbon's <bt:Image size resid> references do not.
    const ids = [...all('bt:Url'), ...all('bt:Image'), ...all('bt:String')]
      .filter((e) => e.hasAttribute('id'))
      .map((e) => e.getAttribute('id') ?? '');
    expect(ids.filter((id) => id.length > 32)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves everything over HTTPS from the one base URL the build replaces', () => {
    const urls = [...xml.matchAll(/DefaultValue="(https?:\/\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls.length).toBeGreaterThan(8);
    expect(urls.filter((u) => !u.startsWith(`${DEV_BASE_URL}/`))).toEqual([]);
  });
});

describe('manifestFor', () => {
  it('moves every URL to the production base URL', () => {
    const built = manifestFor(xml, 'https://addin.caliper.example');
    expect(built).not.toContain(DEV_BASE_URL);
    expect(built).toContain(
      '<bt:Url id="Taskpane.Url" DefaultValue="https://addin.caliper.example/taskpane.html"/>',
    );
    expect(built).toContain(`<Id>${ADDIN_ID}</Id>`);
  });

  it('refuses a manifest that names another host', () => {
    const stray = xml.replace(`${DEV_BASE_URL}/support.html`, 'https://elsewhere.example/help.html');
    expect(() => manifestFor(stray, 'https://addin.caliper.example')).toThrow(
      'manifest.xml has URLs outside https://addin.caliper.example: https://elsewhere.example/help.html',
    );
  });
});
