/**
 * A number for each distinct value, 0, 1, 2… in the order first seen: a stored value's texts
 * by index, a load's hashes by number. (A Map's keys keep that order, so `values()` lists the
 * values by their numbers.)
 */
export class DenseIds<T> {
  private readonly ids = new Map<T, number>();

  of(value: T): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(value, id);
    }
    return id;
  }

  /** The number of a value already seen, undefined for another (which this does not number). */
  find(value: T): number | undefined {
    return this.ids.get(value);
  }

  /** Every value seen, the value numbered i at index i. */
  values(): T[] {
    return [...this.ids.keys()];
  }
}
