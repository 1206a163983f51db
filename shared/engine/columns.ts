/*
 * The pieces the fact columns (revenueRows.ts, eventRows.ts) are built from: tables of distinct
 * texts sorted by code units — so comparing two rows' numbers compares their texts, on every
 * machine alike — and linear, stable reorderings of columns by such numbers.
 */

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct texts of `rows`, sorted. */
export function sortedDistinct<T>(rows: readonly T[], textOf: (row: T) => string | null): string[] {
  const texts = new Set<string>();
  for (const row of rows) {
    const text = textOf(row);
    if (text !== null) texts.add(text);
  }
  return [...texts].sort(byCodeUnits);
}

/**
 * The distinct texts `indexes` point at in `texts` (-1: none), sorted, and for each index of
 * `texts` its number among them (-1 for a text not pointed at).
 */
export function sortedTextsOf(texts: readonly string[], indexes: Int32Array): [string[], Int32Array] {
  const numberOf = new Int32Array(texts.length).fill(-1);
  const used: number[] = [];
  for (const index of indexes) {
    if (index >= 0 && numberOf[index] === -1) {
      numberOf[index] = 0;
      used.push(index);
    }
  }
  used.sort((a, b) => byCodeUnits(texts[a]!, texts[b]!));
  used.forEach((index, i) => (numberOf[index] = i));
  return [used.map((index) => texts[index]!), numberOf];
}

/**
 * The distinct texts `indexes` point at in `texts` (-1: none), in the order first met, and for
 * each index of `texts` its number among them (-1 for a text not pointed at).
 */
export function distinctTextsOf(texts: readonly string[], indexes: Int32Array): [string[], Int32Array] {
  const numberOf = new Int32Array(texts.length).fill(-1);
  const used: string[] = [];
  for (const index of indexes) {
    if (index >= 0 && numberOf[index] === -1) {
      numberOf[index] = used.length;
      used.push(texts[index]!);
    }
  }
  return [used, numberOf];
}

/** The distinct texts of several tables, sorted. */
export function mergedTables(tables: readonly (readonly string[])[]): string[] {
  const all = new Set<string>();
  for (const table of tables) for (const text of table) all.add(text);
  return [...all].sort(byCodeUnits);
}

/** Each text of a table → its number. */
export function numbered(table: readonly string[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (let i = 0; i < table.length; i += 1) numbers.set(table[i]!, i);
  return numbers;
}

/** For each text of `from`, its number in `to` (a text → number map of a superset). */
export function renumbering(from: readonly string[], to: ReadonlyMap<string, number>): Int32Array {
  return Int32Array.from(from, (text) => {
    const number = to.get(text);
    if (number === undefined) throw new Error("fact columns: a part's text is not in the table given");
    return number;
  });
}

/** `column` with each number n ≥ 0 replaced by `renumbered[n]`; negative numbers (none) kept. */
export function renumberedColumn(column: Int32Array, renumbered: Int32Array): Int32Array {
  const out = new Int32Array(column.length);
  for (let i = 0; i < column.length; i += 1) {
    const n = column[i]!;
    out[i] = n < 0 ? n : renumbered[n]!;
  }
  return out;
}

/** First index of `sorted` whose text is ≥ `text` (`sorted.length` when none is). */
export function firstAtOrAfter(sorted: readonly string[], text: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < text) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The number of `text` in a sorted table, or -1 when the table lacks it. */
export function numberIn(sorted: readonly string[], text: string): number {
  const at = firstAtOrAfter(sorted, text);
  return sorted[at] === text ? at : -1;
}

/**
 * First position in `rows` (row indexes ordered by `column[row]`) whose row's number is ≥
 * `number` (`rows.length` when none is): a binary search of a per-location list by day or start.
 */
export function firstRowFrom(rows: Int32Array, column: Int32Array, number: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (column[rows[middle]!]! < number) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index of `sorted` whose text is > `text` (`sorted.length` when none is). */
export function firstAfter(sorted: readonly string[], text: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= text) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The row indexes ordered by `key` (0 … buckets − 1), stably with respect to `within` (an
 * order of the rows already; their own order when null): a counting sort.
 */
export function stableOrder(key: Int32Array, buckets: number, within: Int32Array | null): Int32Array {
  const starts = new Int32Array(buckets + 1);
  for (let i = 0; i < key.length; i += 1) starts[key[i]! + 1]! += 1;
  for (let b = 0; b < buckets; b += 1) starts[b + 1]! += starts[b]!;
  const order = new Int32Array(key.length);
  for (let k = 0; k < key.length; k += 1) {
    const i = within === null ? k : within[k]!;
    order[starts[key[i]!]!++] = i;
  }
  return order;
}

type Column = Int32Array | Int8Array | Float64Array;

export function permuted<A extends Column>(column: A, order: Int32Array): A {
  const out = new (column.constructor as new (length: number) => A)(column.length);
  for (let k = 0; k < order.length; k += 1) out[k] = column[order[k]!]!;
  return out;
}

/** Where each number's run starts in `sorted` (a column in number order): `numbers + 1` entries. */
export function runStarts(sorted: Int32Array, numbers: number): Int32Array {
  const starts = new Int32Array(numbers + 1);
  for (let i = 0; i < sorted.length; i += 1) starts[sorted[i]! + 1]! += 1;
  for (let n = 0; n < numbers; n += 1) starts[n + 1]! += starts[n]!;
  return starts;
}
