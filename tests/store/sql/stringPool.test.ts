import { StringPool } from '../../../store/sql/stringPool';

describe('the string pool of a metric load', () => {
  it('answers the first instance of a text for every later occurrence, and passes null through', () => {
    const pool = new StringPool();
    const hash = `h${'a'.repeat(42)}`;
    expect(pool.of(hash)).toBe(hash);
    expect(pool.of(`h${'a'.repeat(42)}`)).toBe(hash);
    expect(pool.of('L001')).toBe('L001');
    expect(pool.of(null)).toBeNull();
  });
});
