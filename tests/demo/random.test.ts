import { hashKey, Random, unitHash } from '../../demo/random';

describe('Random', () => {
  it('repeats the same sequence for the same key', () => {
    const a = Random.fromKey(42, 'location', 3);
    const b = Random.fromKey(42, 'location', 3);
    expect(Array.from({ length: 100 }, () => a.next())).toEqual(Array.from({ length: 100 }, () => b.next()));
  });

  it('gives different streams to different keys', () => {
    expect(hashKey(42, 'location', 3)).not.toBe(hashKey(42, 'location', 4));
    expect(Random.fromKey(1, 'x').next()).not.toBe(Random.fromKey(2, 'x').next());
  });

  it('draws integers within both inclusive bounds and uniform numbers in [0, 1)', () => {
    const rng = new Random(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const n = rng.int(3, 6);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      seen.add(n);
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws Poisson counts with the requested mean', () => {
    const rng = new Random(9);
    for (const mean of [0.5, 4, 60]) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += rng.poisson(mean);
      expect(sum / 20_000).toBeCloseTo(mean, mean < 10 ? 1 : 0);
    }
  });

  it('answers stateless look-ups the same way in any order', () => {
    const forward = [1, 2, 3].map((day) => unitHash(99, day, 2));
    const backward = [3, 2, 1].map((day) => unitHash(99, day, 2)).reverse();
    expect(forward).toEqual(backward);
    for (const u of forward) expect(u >= 0 && u < 1).toBe(true);
  });
});
