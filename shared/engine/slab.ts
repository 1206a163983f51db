/*
 * Long-lived typed arrays packed into a few large blocks. A load keeps tens of thousands of
 * small arrays (a location's running totals of one provider and measure: a few KB each) while
 * it makes and drops far larger ones (each location's stored value, its columns until the merge).
 * Allocated one by one, the small ones end up spread over the C heap between the large ones and
 * keep it from giving their memory back once they are dropped. Packed in blocks the C heap maps
 * on their own (above glibc's largest mmap threshold, 32 MiB), they are out of the way:
 * `caliper metrics` at 200 locations peaked 50–110 MB lower (docs/benchmarks.md, thirteenth stop).
 *
 * A block lives as long as any array in it: a slab is for arrays that live as long as each other.
 * Pages of a block not yet written to are not resident, so a small tenant's block costs what it
 * holds. Arrays that all die at one known moment can be given back then (`release`).
 */

/** Blocks of one element type: arrays are placed one after the other, a new block when one is full. */
class Blocks<T extends Int8Array | Int32Array | Float64Array> {
  private block: T;
  private used = 0;
  /** Every block's buffer (never shared: made here), for `release`. */
  private readonly made: ArrayBuffer[] = [];

  // The array type itself, not a closure: two slabs of the same arrays compare equal.
  constructor(private readonly Type: { new (length: number): T; readonly BYTES_PER_ELEMENT: number }) {
    this.block = new Type(0);
  }

  copyOf(values: ArrayLike<number>): T {
    const n = values.length;
    if (this.used + n > this.block.length) {
      // An array larger than a block gets a block of its own.
      this.block = new this.Type(Math.max(n, Slab.BLOCK_BYTES / this.Type.BYTES_PER_ELEMENT));
      this.used = 0;
      this.made.push(this.block.buffer as ArrayBuffer);
    }
    const out = this.block.subarray(this.used, this.used + n) as T;
    out.set(values);
    this.used += n;
    return out;
  }

  release(): void {
    // Transferring a buffer detaches it here; the clone, never referenced, is young garbage.
    for (const buffer of this.made.splice(0)) structuredClone(buffer, { transfer: [buffer] });
    this.block = new this.Type(0);
    this.used = 0;
  }
}

/** Typed arrays copied into shared blocks (see above). */
export class Slab {
  /** Bytes per block: just over glibc's largest mmap threshold, so a block is always mapped on its own. */
  static readonly BLOCK_BYTES = 32 * 1024 * 1024 + 64 * 1024;

  private readonly int8s = new Blocks(Int8Array);
  private readonly int32s = new Blocks(Int32Array);
  private readonly float64s = new Blocks(Float64Array);

  /** A copy of `values` in the slab. */
  int8(values: ArrayLike<number>): Int8Array {
    return this.int8s.copyOf(values);
  }

  /** A copy of `values` in the slab. */
  int32(values: ArrayLike<number>): Int32Array {
    return this.int32s.copyOf(values);
  }

  /** A copy of `values` in the slab. */
  float64(values: ArrayLike<number>): Float64Array {
    return this.float64s.copyOf(values);
  }

  /**
   * Gives back the blocks' memory now, for a slab of arrays that are all dropped at once (a load's
   * per-location parts after they are merged): every array in it becomes empty (length 0). Left
   * to the garbage collector, a block goes only with a full collection, which a process answering
   * questions may not run for minutes; a transferred (detached) buffer's memory goes at the next
   * young-generation one. The slab can be used again after.
   */
  release(): void {
    this.int8s.release();
    this.int32s.release();
    this.float64s.release();
  }
}
