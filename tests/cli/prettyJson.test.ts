import { CHUNK_CHARS, JsonItems, prettyJsonChunks } from '../../cli/prettyJson';

/** What the CLI prints: each chunk and a line break. */
function printed(document: object): string {
  return [...prettyJsonChunks(document)].map((chunk) => `${chunk}\n`).join('');
}

describe('a JSON document written in chunks of lines', () => {
  it('is the text of JSON.stringify(document, null, 2): nested values, empty arrays and objects, escapes, undefined and null items', () => {
    const document = {
      tenant: 'bench',
      hidden: 0,
      nothing: null,
      skipped: undefined,
      empty: [],
      emptyObject: {},
      nested: { a: [1, { b: 'x\ny "quoted" ], [' }], c: {} },
      rows: [
        { id: 'A1', sentence: 'Call Kim — overdue 3×', facts: [{ name: 'n', value: 1.5 }], draft: null },
        'a text',
        42,
        undefined,
        [],
        [[1, 2], { deep: { deeper: [true, false] } }],
      ],
      last: 'end',
    };

    expect(printed(document)).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it('makes each item of a JsonItems field its value only as it is written, the same text as the values would give', () => {
    const items = [3, 1, 2];
    const made: number[] = [];
    const document = {
      actions: new JsonItems(items, (n) => {
        made.push(n);
        return { n, twice: [n, n] };
      }),
    };

    expect(printed(document)).toBe(
      `${JSON.stringify({ actions: items.map((n) => ({ n, twice: [n, n] })) }, null, 2)}\n`,
    );
    expect(made).toEqual([3, 1, 2]);
  });

  it('hands over long documents in several chunks of whole lines (each at most a line past CHUNK_CHARS)', () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ row: i, text: 'x'.repeat(60) }));
    const chunks = [...prettyJsonChunks({ rows })];

    expect(chunks.length).toBeGreaterThan(2);
    expect(CHUNK_CHARS).toBe(1 << 15);
    expect(chunks.join('\n')).toBe(JSON.stringify({ rows }, null, 2));
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeLessThan(CHUNK_CHARS + 200);
  });

  it('writes an empty document as {}', () => {
    expect(printed({})).toBe('{}\n');
    expect(printed({ gone: undefined })).toBe('{}\n');
  });
});
