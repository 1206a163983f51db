import fs from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

import { CaliperApiError, type CaliperClient } from '../../addin/api/caliperClient';
import {
  CALL_LIST_TIMEOUT_MS,
  createCaliperFunctions,
  FORECAST_TIMEOUT_MS,
} from '../../addin/functions/caliperFunctions';
import { toExcelError } from '../../addin/functions/excelErrors';
import { DEFAULT_TIMEOUT_MS, timeoutMessage } from '../../addin/functions/metricBatcher';
import { CALIPER_FUNCTIONS } from '../../addin/functions/register';
import { type FunctionDoc, type OptionDoc, readFunctionDocs } from '../../scripts/functionsReferenceRead';
import { generateFunctionsReference } from '../../scripts/generate-functions-reference';
import { escapeHtml } from '../../scripts/referenceBlocks';
import {
  excelErrorOf,
  installCustomFunctionsRuntime,
  rejectionOf,
} from '../addin/functions/customFunctionsRuntime';

const ROOT = path.join(__dirname, '..', '..');
const SOURCE = path.join(ROOT, 'addin', 'functions', 'functions.ts');

let docs: FunctionDoc[];
let markdown: string;
let html: string;

beforeAll(async () => {
  installCustomFunctionsRuntime();
  docs = await readFunctionDocs(SOURCE);
  ({ markdown, html } = await generateFunctionsReference(SOURCE));
});

/** A function's section of docs/functions.md: from its heading to the next one of its level. */
function section(id: string): string {
  const start = markdown.indexOf(`\n## ${id}\n`);
  expect(start).toBeGreaterThan(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The names in options.ts' `OptionName` union, read from the source so a new option cannot be missed. */
function optionNames(): string[] {
  const file = path.join(ROOT, 'addin', 'functions', 'options.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'OptionName',
  );
  if (alias === undefined || !ts.isUnionTypeNode(alias.type))
    throw new Error('options.ts has no OptionName union');
  return alias.type.types.map((t) => {
    if (!ts.isLiteralTypeNode(t) || !ts.isStringLiteral(t.literal))
      throw new Error('OptionName is not all strings');
    return t.literal.text;
  });
}

/** Each function declaration's parameter names, by its @customfunction id, as TypeScript reads them. */
function declaredParameters(): Map<string, string[]> {
  const source = ts.createSourceFile(SOURCE, fs.readFileSync(SOURCE, 'utf8'), ts.ScriptTarget.ES2022, true);
  const byId = new Map<string, string[]>();
  for (const s of source.statements) {
    if (!ts.isFunctionDeclaration(s)) continue;
    const tag = ts.getJSDocTags(s).find((t) => t.tagName.text === 'customfunction');
    const id = ts.getTextOfJSDocComment(tag?.comment)?.trim();
    if (id !== undefined)
      byId.set(
        id,
        s.parameters.map((p) => p.name.getText(source)),
      );
  }
  return byId;
}

describe('the functions reference', () => {
  it('is committed as docs/functions.md exactly as generated (run `npm run docs:functions` after a JSDoc change)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'functions.md'), 'utf8')).toBe(markdown);
  });

  it('has a section for every registered function, with its helpUrl anchor in functions.html', () => {
    expect(docs.map((d) => d.id).sort()).toEqual(Object.keys(CALIPER_FUNCTIONS).sort());
    for (const doc of docs) {
      expect(section(doc.id)).toContain(`=CALIPER.${doc.id}(`);
      const url = new URL(doc.helpUrl);
      expect(url.pathname).toBe('/functions.html');
      expect(html).toContain(`<h2 id="${url.hash.slice(1)}">${doc.id}</h2>`);
    }
  });

  it('documents every parameter of every function, as declared', () => {
    const declared = declaredParameters();
    for (const doc of docs) {
      expect({ id: doc.id, parameters: doc.parameters.map((p) => p.name) }).toEqual({
        id: doc.id,
        parameters: declared.get(doc.id),
      });
      for (const p of doc.parameters) {
        expect({ id: doc.id, parameter: p.name, documented: p.description.length > 10 }).toEqual({
          id: doc.id,
          parameter: p.name,
          documented: true,
        });
        expect(section(doc.id)).toContain(`| \`${p.optional ? '[' : ''}${p.name}`);
      }
    }
  });

  it('names every option options.ts parses, and CALLLIST and FORECAST’s as_of', () => {
    const names = optionNames();
    expect(names).toEqual(expect.arrayContaining(['units', 'na', 'headers', 'field', 'cohort', 'grain']));
    for (const name of [...names, 'as_of']) expect(markdown).toContain(`| \`${name}\` |`);
  });

  it('gives each function at least one example of itself, and examples only of registered functions', () => {
    for (const doc of docs) {
      expect(doc.examples.length).toBeGreaterThan(0);
      for (const example of doc.examples) {
        for (const [, id] of example.formula.matchAll(/CALIPER\.([A-Z]+)\(/g)) {
          expect(Object.keys(CALIPER_FUNCTIONS)).toContain(id);
        }
      }
    }
  });

  it('quotes the add-in’s own messages for connection failures and timeouts', () => {
    const notConnected = excelErrorOf(toExcelError(new CaliperApiError(401, 'unauthorized', 'details')));
    expect(notConnected.message).toBe(
      'Not connected to Caliper: open the Caliper pane and connect (details)',
    );
    expect(markdown).toContain('Not connected to Caliper: open the Caliper pane and connect (…)');
    expect(markdown).toContain(timeoutMessage(DEFAULT_TIMEOUT_MS));
    expect(timeoutMessage(CALL_LIST_TIMEOUT_MS)).toBe('Caliper did not answer in 120 s');
    expect(timeoutMessage(FORECAST_TIMEOUT_MS)).toBe('Caliper did not answer in 120 s');
    expect(section('CALLLIST')).toContain(timeoutMessage(CALL_LIST_TIMEOUT_MS));
    expect(section('FORECAST')).toContain(timeoutMessage(FORECAST_TIMEOUT_MS));
    expect(excelErrorOf(toExcelError(new TypeError('x'))).message).toBe('Caliper add-in error: x');
  });

  it('is a self-contained HTML page: no script, no external resource, links only within it, text escaped', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(docs.length);
    for (const href of hrefs) {
      expect(href).toMatch(/^#/);
      expect(html).toContain(`id="${href.slice(1)}"`);
    }
    // JSDoc text such as provider:<id> is shown, not read as markup.
    expect(html).toContain(escapeHtml('<location>/<provider id>'));
    expect(html).not.toContain('<location>');
  });
});

describe('support.html', () => {
  it('sends users to the reference, each link to a section that exists, and no longer to GET /api/catalog', () => {
    const support = fs.readFileSync(path.join(ROOT, 'addin', 'static', 'support.html'), 'utf8');
    expect(support).not.toContain('/api/catalog');
    const anchors = [...support.matchAll(/href="functions\.html(#[^"]*)?"/g)].map((m) => m[1] ?? '');
    expect(anchors).toContain('');
    for (const anchor of anchors.filter((a) => a !== '')) expect(html).toContain(`id="${anchor.slice(1)}"`);
  });
});

/**
 * A client whose every call fails as if the API were unreachable: an option the function accepts
 * gets as far as the request (#N/A, not connected); one it does not is refused before (#VALUE!).
 */
function unreachableClient(): CaliperClient {
  return new Proxy({} as CaliperClient, {
    get: () => () => Promise.reject(new CaliperApiError(0, 'network_error', 'unreachable in this test')),
  });
}

/** The arguments before the options, valid for each function. */
const LEADING_ARGUMENTS: Record<string, unknown[]> = {
  KPI: ['L001', 'net_revenue', 'LTM'],
  SERIES: ['L001', 'net_revenue', '2025-01', '2025-03'],
  SAMESTORE: ['PORTFOLIO', 'FY0', ''],
  SAMESTORESET: ['PORTFOLIO', 'FY0'],
  PROVIDERS: ['L001', 'FY0'],
  MEMBERSHIP: ['L001', 'FY0'],
  BENCHMARK: ['L001', 'net_revenue', 'FY0'],
  LOCATIONS: [],
  METRICS: [],
  TRACE: ['L001', 'net_revenue', 'FY0'],
  PERIODS: [],
  CALLLIST: ['L001', 25],
  FORECAST: ['L001', 3, ''],
};

/** A value the documented option accepts: the first of `K|M`, a day for YYYY-MM-DD, a month for YYYY-MM. */
function sampleValue(option: OptionDoc | undefined): string {
  if (option === undefined) return 'x';
  if (option.values === 'YYYY-MM-DD') return '2026-09-30';
  if (option.values === 'YYYY-MM') return '2026-09';
  return option.values.split(/[|,]/)[0] ?? '';
}

describe('the options each function documents', () => {
  it('are exactly the options it accepts', async () => {
    const functions = createCaliperFunctions(unreachableClient(), { timeoutMs: 5_000 });
    // The functions by their lowercase ids, called as plain functions, as Excel calls them.
    const byName = functions as unknown as Record<
      string,
      ((...args: unknown[]) => Promise<unknown>) | undefined
    >;
    const candidates = [...optionNames(), 'as_of'];
    for (const doc of docs) {
      if (!doc.parameters.some((p) => p.name === 'options')) continue;
      const leading = LEADING_ARGUMENTS[doc.id];
      if (leading === undefined) throw new Error(`no test arguments for ${doc.id}`);
      const call = byName[doc.id.toLowerCase()];
      if (call === undefined) throw new Error(`no function ${doc.id.toLowerCase()}`);
      const accepted: string[] = [];
      for (const name of candidates) {
        const option = `${name}=${sampleValue(doc.options.find((o) => o.name === name))}`;
        const error = await rejectionOf(call(...leading, option));
        const refused = error.code === '#VALUE!' && /^Unknown \w+ option/.test(error.message ?? '');
        if (!refused) accepted.push(name);
      }
      expect({ id: doc.id, options: accepted.sort() }).toEqual({
        id: doc.id,
        options: doc.options.map((o) => o.name).sort(),
      });
    }
  });
});

/** A documented message as a pattern: "…" stands for what depends on the data or the arguments. */
function documentedPattern(message: string): RegExp {
  const parts = message.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/**
 * Calls whose error the add-in decides alone, before any request (PROVIDERS' and SAMESTORESET's
 * scope checks need the portfolio first): the documented message must be the one shown.
 */
const MALFORMED_CALLS: [string, unknown[]][] = [
  ['KPI', ['L001', 'net_revenue', 'LTM', 'unit=K']],
  ['KPI', ['L001', 'net_revenue', 'FY25']],
  ['SERIES', ['L001', 'net_revenue', 'FY0', '2025-01']],
  ['SERIES', ['L001', 'net_revenue', '2025-02', '2025-01']],
  ['SERIES', ['L001', 'net_revenue', '2025-01', '2025-02', 'grain=week']],
  ['SAMESTORE', ['PORTFOLIO', 'FY0', 'net_revenue']],
  ['SAMESTORE', ['PORTFOLIO', '']],
  ['MEMBERSHIP', ['L001', 'FY0', 'field=members']],
  ['CALLLIST', ['L001', 0]],
  ['CALLLIST', ['L001', 25, 'asof=2026-09']],
  ['CALLLIST', ['provider:L001-PR01']],
  ['FORECAST', ['L001', 24]],
  ['FORECAST', ['L001', 3, 'botox']],
  ['FORECAST', ['L001', 3, '', 'as_of=2026-06-30']],
  ['FORECAST', ['provider:L001-PR01', 3]],
];

describe('the errors each function documents', () => {
  it.each(MALFORMED_CALLS)('include what %s answers to %j', async (id, args) => {
    const functions = createCaliperFunctions(unreachableClient(), { timeoutMs: 5_000 });
    const byName = functions as unknown as Record<
      string,
      ((...a: unknown[]) => Promise<unknown>) | undefined
    >;
    const error = await rejectionOf(byName[id.toLowerCase()]!(...args));
    const documented = docs.find((d) => d.id === id)?.errors ?? [];
    const matching = documented.filter(
      (e) => e.code === error.code && documentedPattern(e.message).test(error.message ?? ''),
    );
    expect({ error, documented: matching.length > 0 }).toEqual({ error, documented: true });
  });
});
