/**
 * Long-lived typed arrays packed into a few large blocks. A load keeps tens of thousands of
 * small arrays (a location's running totals of one provider and measure: a few KB each) while
 * it makes and drops far larger ones (each location's stored value, its columns until the merge).
 * Allocated one by one, the small ones end up spread over the C heap between the large ones, and
 * the heap cannot give the large ones' memory back once they are dropped: at 200 locations the
 * process held 0.4 GB more than it used after the load. Packed here, they sit in blocks the C
 * heap maps on their own (above glibc's largest mmap threshold, 32 MiB), out of the way.
 *
 * A block lives as long as any array in it; a slab is for arrays that live as long as each other.
 * Pages of a block not yet written to are not resident: a small tenant's one block costs what it
 * holds.
 */
export class Slab {
  private int32Block = new Int32Array(0);
  private int32Used = 0;
  private float64Block = new Float64Array(0);
  private float64Used = 0;

  /** Bytes per block: just over glibc's largest mmap threshold, so a block is always mapped on its own. */
  static readonly BLOCK_BYTES = 32 * 1024 * 1024 + 64 * 1024;

  /** A copy of `values` in the slab. */
  int32(values: ArrayLike<number>): Int32Array {
    const n = values.length;
    if (this.int32Used + n > this.int32Block.length) {
      // An array larger than a block gets a block of its own.
      this.int32Block = new Int32Array(Math.max(n, Slab.BLOCK_BYTES / 4));
      this.int32Used = 0;
    }
    const out = this.int32Block.subarray(this.int32Used, this.int32Used + n);
    out.set(values);
    this.int32Used += n;
    return out;
  }

  /** A copy of `values` in the slab. */
  float64(values: ArrayLike<number>): Float64Array {
    const n = values.length;
    if (this.float64Used + n > this.float64Block.length) {
      this.float64Block = new Float64Array(Math.max(n, Slab.BLOCK_BYTES / 8));
      this.float64Used = 0;
    }
    const out = this.float64Block.subarray(this.float64Used, this.float64Used + n);
    out.set(values);
    this.float64Used += n;
    return out;
  }
}
