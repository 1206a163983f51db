import { ownCopy, StringPool } from '../../../store/sql/stringPool';

describe('the string pool of a metric load', () => {
  it('answers one instance for every occurrence of a text, and passes null through', () => {
    const pool = new StringPool();
    const packed = 'L001\u001fL001\u001fneurotoxin';
    const [a, b, c] = packed.split('\u001f');
    const first = pool.of(a!);
    expect(pool.of(b!)).toBe(first);
    expect(first).toBe('L001');
    expect(pool.of(c!)).toBe('neurotoxin');
    expect(pool.ofNullable(null)).toBeNull();
    expect(pool.ofNullable('L001')).toBe(first);
  });

  it('pools a value of its own as it is, the same instance as every other occurrence', () => {
    const pool = new StringPool();
    const hash = `h${'a'.repeat(42)}`;
    expect(pool.ofWhole(hash)).toBe(hash);
    expect(pool.ofWhole(`h${'a'.repeat(42)}`)).toBe(hash);
    expect(pool.of(`x${hash}`.slice(1))).toBe(hash);
    expect(pool.ofWhole(null)).toBeNull();
  });

  it('pools the text fields of rows in place, leaving the others', () => {
    const pool = new StringPool();
    const rows = [
      { id: 'A1', person: 'p:1', note: null as string | null, cents: 5 },
      { id: 'A2', person: 'p:1', note: 'x', cents: 7 },
    ];
    pool.textsIn(rows, ['person', 'note']);
    expect(rows).toEqual([
      { id: 'A1', person: 'p:1', note: null, cents: 5 },
      { id: 'A2', person: 'p:1', note: 'x', cents: 7 },
    ]);
    expect(pool.ofWhole('p:1')).toBe(rows[0]!.person);
  });

  it('copies a text exactly, whatever its characters', () => {
    for (const text of ['', 'A, "1"', 'é 中 🙂', 'x'.repeat(100), 'lone \ud800 surrogate'])
      expect(ownCopy(text)).toBe(text);
  });
});
