/**
 * Reads the `=CALIPER.*` functions' documentation from the JSDoc of addin/functions/functions.ts.
 * What Excel shows (id, description, parameters, helpUrl) comes from custom-functions-metadata,
 * the very parse functions.json is written from; the tags Excel ignores (@option, @example,
 * @error, @returns) are read with the TypeScript compiler's JSDoc parser from the same
 * declarations. A function missing any part of its documentation fails the read.
 */
import fs from 'node:fs';

import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import ts from 'typescript';

export interface ParameterDoc {
  name: string;
  description: string;
  optional: boolean;
  /** The trailing options: as many arguments as wanted. */
  repeating: boolean;
}

export interface OptionDoc {
  /** `units`, `field`, `as_of`… */
  name: string;
  /** What it accepts as written in the tag: `K|M`, `YYYY-MM-DD`… */
  values: string;
  description: string;
}

export interface ExampleDoc {
  formula: string;
  meaning: string;
}

export interface ErrorDoc {
  /** `#N/A`, `#VALUE!`… */
  code: string;
  /** The message Excel shows with the error (an example when it names the arguments). */
  message: string;
  meaning: string;
}

export interface FunctionDoc {
  /** The functions.json id: `KPI`. */
  id: string;
  description: string;
  helpUrl: string;
  parameters: ParameterDoc[];
  options: OptionDoc[];
  examples: ExampleDoc[];
  errors: ErrorDoc[];
  returns: string;
}

/** The reference page's file name on the add-in host, and each function's anchor on it. */
export const FUNCTIONS_HTML = 'functions.html';

export function functionAnchor(id: string): string {
  return id.toLowerCase();
}

export class FunctionsReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionsReferenceError';
  }
}

interface MetadataFunction {
  id: string;
  description?: string;
  helpUrl?: string;
  parameters: { name: string; description?: string; optional?: boolean; repeating?: boolean }[];
}

/** The separator between a formula or a message and what it means, in @example and @error. */
const MEANING = ' — ';

function splitMeaning(text: string, tag: string, fn: string): [string, string] {
  const at = text.indexOf(MEANING);
  if (at < 0)
    throw new FunctionsReferenceError(`${fn}: @${tag} "${text}" has no "${MEANING.trim()}" meaning`);
  return [text.slice(0, at).trim(), text.slice(at + MEANING.length).trim()];
}

/** The first word and the rest: `units=K|M Money in…` → [`units=K|M`, `Money in…`]. */
function firstWord(text: string): [string, string] {
  const match = /^(\S+)\s*(.*)$/.exec(text);
  return [match?.[1] ?? '', match?.[2] ?? ''];
}

/** Each function declaration's JSDoc tags (name and text, whitespace runs as one space), by function name. */
function jsDocTagsByFunction(sourceFile: string): Map<string, { tag: string; text: string }[]> {
  const source = ts.createSourceFile(
    sourceFile,
    fs.readFileSync(sourceFile, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const tags = new Map<string, { tag: string; text: string }[]>();
  for (const statement of source.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.name === undefined) continue;
    tags.set(
      statement.name.text,
      ts.getJSDocTags(statement).map((tag) => ({
        tag: tag.tagName.text.toLowerCase(),
        text: (ts.getTextOfJSDocComment(tag.comment) ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
  }
  return tags;
}

function readFunction(meta: MetadataFunction, tags: readonly { tag: string; text: string }[]): FunctionDoc {
  const fn = meta.id;
  const texts = (name: string) => tags.filter((t) => t.tag === name).map((t) => t.text);
  const doc: FunctionDoc = {
    id: fn,
    description: (meta.description ?? '').replace(/\s+/g, ' ').trim(),
    helpUrl: meta.helpUrl ?? '',
    parameters: meta.parameters.map((p) => ({
      name: p.name,
      description: (p.description ?? '').trim(),
      optional: p.optional === true,
      repeating: p.repeating === true,
    })),
    options: texts('option').map((text) => {
      const [spec, description] = firstWord(text);
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new FunctionsReferenceError(`${fn}: @option "${text}" must start with name=values`);
      return { name: spec.slice(0, eq), values: spec.slice(eq + 1), description };
    }),
    examples: texts('example').map((text) => {
      const [formula, meaning] = splitMeaning(text, 'example', fn);
      return { formula, meaning };
    }),
    errors: texts('error').map((text) => {
      const [codeAndMessage, meaning] = splitMeaning(text, 'error', fn);
      const [code, message] = firstWord(codeAndMessage);
      return { code, message, meaning };
    }),
    returns: texts('returns').join(' '),
  };
  check(doc);
  return doc;
}

/** Every part the reference shows must be there: a gap is a build failure, not an empty cell. */
function check(doc: FunctionDoc): void {
  const fail = (what: string) => {
    throw new FunctionsReferenceError(`${doc.id}: ${what} (addin/functions/functions.ts)`);
  };
  if (doc.description === '') fail('no description');
  if (doc.returns === '') fail('no @returns');
  const url = URL.canParse(doc.helpUrl) ? new URL(doc.helpUrl) : null;
  if (
    url === null ||
    !url.pathname.endsWith(`/${FUNCTIONS_HTML}`) ||
    url.hash !== `#${functionAnchor(doc.id)}`
  ) {
    fail(`@helpurl must be <base URL>/${FUNCTIONS_HTML}#${functionAnchor(doc.id)}, not "${doc.helpUrl}"`);
  }
  for (const p of doc.parameters) if (p.description === '') fail(`@param ${p.name} has no description`);
  const takesOptions = doc.parameters.some((p) => p.name === 'options');
  if (takesOptions !== doc.options.length > 0) fail('an options parameter needs @option tags, and only it');
  if (!doc.examples.some((e) => e.formula.startsWith(`=CALIPER.${doc.id}(`))) {
    fail(`no @example starting =CALIPER.${doc.id}(`);
  }
  for (const e of doc.errors)
    if (!/^#[A-Z/]+[!?]?$/.test(e.code)) fail(`@error "${e.code}" is not an Excel error`);
}

/** The documentation of every custom function in `sourceFile`, in declaration order. */
export async function readFunctionDocs(sourceFile: string): Promise<FunctionDoc[]> {
  const result = await generateCustomFunctionsMetadata(sourceFile);
  if (result.errors.length > 0) {
    throw new FunctionsReferenceError(`custom-functions-metadata: ${result.errors.join('\n')}`);
  }
  const metadata = JSON.parse(result.metadataJson) as { functions: MetadataFunction[] };
  const tags = jsDocTagsByFunction(sourceFile);
  return metadata.functions.map((meta) => {
    const declaration = result.associate.find((a) => a.id === meta.id);
    const own = declaration === undefined ? undefined : tags.get(declaration.functionName);
    if (own === undefined) throw new FunctionsReferenceError(`${meta.id}: no declaration found`);
    return readFunction(meta, own);
  });
}
