/**
 * A top-level array of a document written by `prettyJsonChunks`, each item made into its JSON
 * value only when it is written (so the values of 100 k actions never exist at once).
 */
export class JsonItems<T> {
  constructor(
    readonly items: readonly T[],
    readonly toJson: (item: T) => unknown,
  ) {}
}

/**
 * About how many characters a chunk holds before it is handed over: few enough that a chunk (and
 * its copy with the line break, two bytes a character at worst) stays under V8's large-object
 * size (128 KB), so it dies in the young generation. A chunk of a megabyte is a large object,
 * freed only by a full collection: the 0.4 GB `caliper actions --portfolio --json` writes at 200
 * locations made 400 of them (docs/benchmarks.md, sixteenth stop).
 */
export const CHUNK_CHARS = 1 << 15;

/**
 * The text of `JSON.stringify(document, null, 2)` in chunks of whole lines, each chunk without
 * its last line break (the CLI's `out` adds one): joined by line breaks, exactly that text. The
 * document's top-level arrays (and `JsonItems`) are written item by item, so no string of the
 * whole document is made: `caliper actions --portfolio --json` at 200 locations is 0.4 GB of
 * text, which one `JSON.stringify` held at once (twice over, as two-byte characters, when any
 * character of it is not Latin-1) beside the values it was made from.
 */
export function* prettyJsonChunks(document: object): Generator<string> {
  const fields: Field[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (value instanceof JsonItems) fields.push({ key, items: value as JsonItems<unknown> });
    else if (Array.isArray(value)) fields.push({ key, items: new JsonItems(value as unknown[], same) });
    else {
      const text = JSON.stringify(value, null, 2) as string | undefined;
      // A field JSON.stringify leaves out (undefined, a function, a symbol) is left out here too.
      if (text !== undefined) fields.push({ key, text });
    }
  }
  if (fields.length === 0) {
    yield '{}';
    return;
  }
  let lines: string[] = ['{'];
  let size = 1;
  const add = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  for (const [f, field] of fields.entries()) {
    const comma = f < fields.length - 1 ? ',' : '';
    const name = `  ${JSON.stringify(field.key)}: `;
    if (!('items' in field) || field.items.items.length === 0) {
      add(`${name}${'text' in field ? indented(field.text, '  ') : '[]'}${comma}`);
      continue;
    }
    add(`${name}[`);
    const { items, toJson } = field.items;
    for (const [i, item] of items.entries()) {
      // An item JSON.stringify cannot write (undefined, a function) is null in an array, as there.
      const text = JSON.stringify(toJson(item), null, 2) ?? 'null';
      add(`    ${indented(text, '    ')}${i < items.length - 1 ? ',' : ''}`);
      if (size >= CHUNK_CHARS) {
        yield lines.join('\n');
        [lines, size] = [[], 0];
      }
    }
    add(`  ]${comma}`);
  }
  add('}');
  yield lines.join('\n');
}

type Field = { key: string; items: JsonItems<unknown> } | { key: string; text: string };

const same = (item: unknown): unknown => item;

/** `text`'s lines after the first, each indented by `by` more (JSON text has line breaks only between tokens). */
function indented(text: string, by: string): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${by}`) : text;
}
