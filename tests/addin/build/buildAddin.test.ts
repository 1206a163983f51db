import fs from 'node:fs';
import path from 'node:path';

import {
  buildAddin,
  DEFAULT_ENTRA_AUTHORITY,
  DEV_BASE_URL,
  functionsJsonFor,
  readAddinBaseUrl,
  readAddinEntraConfig,
} from '../../../scripts/build-addin';
import { tempDir } from '../../support/testStore';

describe('buildAddin', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = path.join(tempDir('caliper-addin-'), 'addin');
  });
  afterAll(() => fs.rmSync(path.dirname(outDir), { recursive: true, force: true }));

  it('writes the page, its bundle, icons, functions.json and the manifest for the given base URL', async () => {
    const built = await buildAddin({ outDir, baseUrl: 'https://addin.caliper.example', entra: null });
    expect(built.entra).toBe(false);
    expect(built.files).toEqual([
      'functions.html',
      'functions.json',
      'icons/icon-128.png',
      'icons/icon-16.png',
      'icons/icon-32.png',
      'icons/icon-64.png',
      'icons/icon-80.png',
      'manifest.xml',
      'support.html',
      'taskpane.html',
      'taskpane.js',
      'taskpane.js.LEGAL.txt',
      'taskpane.js.map',
    ]);

    const manifest = fs.readFileSync(path.join(outDir, 'manifest.xml'), 'utf8');
    expect(manifest).not.toContain(DEV_BASE_URL);
    expect(manifest).toContain(
      '<bt:Url id="Functions.Metadata.Url" DefaultValue="https://addin.caliper.example/functions.json"/>',
    );

    const functions = JSON.parse(fs.readFileSync(path.join(outDir, 'functions.json'), 'utf8')) as {
      functions: { id: string; helpUrl?: string }[];
    };
    expect(functions.functions.map((f) => f.id)).toContain('KPI');
    // Each function's "More help" link is its section of the reference page this build serves.
    const reference = fs.readFileSync(path.join(outDir, 'functions.html'), 'utf8');
    for (const f of functions.functions) {
      expect(f.helpUrl).toBe(`https://addin.caliper.example/functions.html#${f.id.toLowerCase()}`);
      expect(reference).toContain(`<h2 id="${f.id.toLowerCase()}">`);
    }

    const html = fs.readFileSync(path.join(outDir, 'taskpane.html'), 'utf8');
    expect(html).toContain(
      '<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>',
    );
    expect(html).toContain('<script src="taskpane.js"></script>');
    // A browser bundle: nothing from Node or the server side leaks in.
    const bundle = fs.readFileSync(path.join(outDir, 'taskpane.js'), 'utf8');
    expect(bundle).not.toMatch(/require\("(node:|fs"|better-sqlite3)/);
    // Without Microsoft sign-in configured, MSAL stays out of the bundle.
    expect(bundle).not.toContain('msal.js.browser');
  });

  it('compiles Microsoft sign-in (MSAL nested app authentication) in when Entra is configured', async () => {
    const entra = {
      clientId: '0b5d2b1e-8d3c-4f7a-9e61-2c4d5e6f7a80',
      authority: DEFAULT_ENTRA_AUTHORITY,
      scopes: ['api://caliper-api/access_as_user'],
    };
    const built = await buildAddin({ outDir, baseUrl: DEV_BASE_URL, entra, functionsJson: false });
    expect(built.entra).toBe(true);
    const bundle = fs.readFileSync(path.join(outDir, 'taskpane.js'), 'utf8');
    expect(bundle).toContain('msal.js.browser');
    expect(bundle).toContain('"0b5d2b1e-8d3c-4f7a-9e61-2c4d5e6f7a80"');
    expect(bundle).toContain('"api://caliper-api/access_as_user"');
  });
});

describe('functionsJsonFor', () => {
  const json = (helpUrl?: string) =>
    JSON.stringify({ functions: [{ id: 'KPI', ...(helpUrl === undefined ? {} : { helpUrl }) }] });

  it('puts each helpUrl on the base URL', () => {
    expect(
      JSON.parse(
        functionsJsonFor(json(`${DEV_BASE_URL}/functions.html#kpi`), 'https://addin.example/caliper'),
      ),
    ).toEqual({ functions: [{ id: 'KPI', helpUrl: 'https://addin.example/caliper/functions.html#kpi' }] });
  });

  it('refuses a function without a helpUrl on the reference page', () => {
    expect(() => functionsJsonFor(json(), DEV_BASE_URL)).toThrow(/no helpUrl .* for KPI/);
    expect(() => functionsJsonFor(json('https://elsewhere.example/help#kpi'), DEV_BASE_URL)).toThrow(
      /for KPI/,
    );
  });
});

describe('readAddinBaseUrl', () => {
  it('is the npm start host unless CALIPER_ADDIN_BASE_URL names an https URL', () => {
    expect(readAddinBaseUrl({})).toBe('https://localhost:7071');
    expect(readAddinBaseUrl({ CALIPER_ADDIN_BASE_URL: ' https://addin.example/caliper/ ' })).toBe(
      'https://addin.example/caliper',
    );
    expect(() => readAddinBaseUrl({ CALIPER_ADDIN_BASE_URL: 'http://addin.example' })).toThrow(
      'Bad environment: CALIPER_ADDIN_BASE_URL must be an https:// URL (Office loads add-ins over HTTPS only)',
    );
  });
});

describe('readAddinEntraConfig', () => {
  it('is off without a client id, and needs the API scope with one', () => {
    expect(readAddinEntraConfig({})).toBeNull();
    expect(
      readAddinEntraConfig({
        CALIPER_ENTRA_CLIENT_ID: '0b5d2b1e-8d3c-4f7a-9e61-2c4d5e6f7a80',
        CALIPER_ENTRA_SCOPES: 'api://caliper-api/access_as_user, offline_access',
      }),
    ).toEqual({
      clientId: '0b5d2b1e-8d3c-4f7a-9e61-2c4d5e6f7a80',
      authority: 'https://login.microsoftonline.com/organizations',
      scopes: ['api://caliper-api/access_as_user', 'offline_access'],
    });
    expect(() =>
      readAddinEntraConfig({ CALIPER_ENTRA_CLIENT_ID: '0b5d2b1e-8d3c-4f7a-9e61-2c4d5e6f7a80' }),
    ).toThrow(
      'Bad environment: CALIPER_ENTRA_SCOPES must name the Caliper API scope, e.g. api://<api app id>/access_as_user',
    );
    expect(() =>
      readAddinEntraConfig({ CALIPER_ENTRA_CLIENT_ID: 'caliper', CALIPER_ENTRA_SCOPES: 'x' }),
    ).toThrow(
      'Bad environment: CALIPER_ENTRA_CLIENT_ID must be the add-in app registration’s client id (a GUID)',
    );
  });
});
