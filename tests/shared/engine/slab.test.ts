import { Slab } from '../../../shared/engine/slab';

describe('Slab', () => {
  it('keeps each array as a copy of its own values, none overlapping another, across blocks', () => {
    const slab = new Slab();
    const perBlock = Slab.BLOCK_BYTES / 4;
    // Three arrays of a third of a block and a bit: the third does not fit and opens a new block.
    const size = Math.floor(perBlock / 3) + 1;
    const sources = [1, 2, 3].map((k) => Int32Array.from({ length: size }, (_, i) => k * 1_000_000 + i));
    const kept = sources.map((values) => slab.int32(values));
    sources.forEach((values) => values.fill(0));
    kept.forEach((values, k) => {
      expect(values).toHaveLength(size);
      expect(values[0]).toBe((k + 1) * 1_000_000);
      expect(values[size - 1]).toBe((k + 1) * 1_000_000 + size - 1);
    });
    expect(kept[0]!.buffer).toBe(kept[1]!.buffer);
    expect(kept[2]!.buffer).not.toBe(kept[0]!.buffer);
    expect(kept[1]!.byteOffset).toBe(kept[0]!.byteOffset + kept[0]!.byteLength);
  });

  it('gives an array larger than a block a block of its own, and keeps doubles exact', () => {
    const slab = new Slab();
    const small = slab.float64([0.1, -2.5]);
    const large = slab.float64(new Float64Array(Slab.BLOCK_BYTES / 8 + 3).fill(1.25));
    const after = slab.float64([Number.MAX_SAFE_INTEGER]);
    expect([...small]).toEqual([0.1, -2.5]);
    expect(large).toHaveLength(Slab.BLOCK_BYTES / 8 + 3);
    expect(large[large.length - 1]).toBe(1.25);
    expect([...after]).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(new Set([small.buffer, large.buffer, after.buffer]).size).toBe(3);
  });

  it('keeps an empty array empty', () => {
    expect(new Slab().int32([])).toHaveLength(0);
  });

  it('gives every block back on release, emptying its arrays, and takes new arrays after', () => {
    const slab = new Slab();
    const bytes = slab.int8([1, -2, 3]);
    const ints = slab.int32([7, 8]);
    const large = slab.float64(new Float64Array(Slab.BLOCK_BYTES / 8 + 1).fill(0.5));
    slab.release();
    expect([bytes.length, ints.length, large.length]).toEqual([0, 0, 0]);
    expect(bytes.buffer.byteLength).toBe(0);
    const again = slab.int32([4, 5, 6]);
    expect([...again]).toEqual([4, 5, 6]);
    expect([...slab.int8([-1])]).toEqual([-1]);
  });
});
