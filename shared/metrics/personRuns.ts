/**
 * A list in person order with where each person's run starts: a person's items are a slice of
 * the one list, and no list is kept per person (900 k persons at 200 locations). The list is
 * the items themselves when they are already in `order` (the loaded facts are), else a stable
 * sort of them.
 */
export class PersonRuns<T extends { personKey: string }> {
  readonly items: readonly T[];
  /** Person key → its number n: the person's items are items[starts[n]] … items[starts[n + 1] − 1]. */
  private readonly numberOf = new Map<string, number>();
  private readonly starts: Int32Array;

  constructor(items: readonly T[], order: (a: T, b: T) => number) {
    let ordered = true;
    for (let i = 1; i < items.length && ordered; i += 1) ordered = order(items[i - 1]!, items[i]!) <= 0;
    this.items = ordered ? items : [...items].sort(order);
    const starts: number[] = [];
    let person: string | undefined;
    this.items.forEach((item, i) => {
      if (item.personKey === person) return;
      person = item.personKey;
      this.numberOf.set(person, starts.length);
      starts.push(i);
    });
    starts.push(this.items.length);
    this.starts = Int32Array.from(starts);
  }

  /** How many persons have items. */
  get persons(): number {
    return this.starts.length - 1;
  }

  /** The person's number (0 … persons − 1, in person order), undefined without items. */
  numberOfPerson(personKey: string): number | undefined {
    return this.numberOf.get(personKey);
  }

  /** Where the items of person number n start; `startOf(persons)` is the list's length. */
  startOf(n: number): number {
    return this.starts[n]!;
  }

  /** The person's items, in the list's order. */
  of(personKey: string): readonly T[] {
    const n = this.numberOf.get(personKey);
    return n === undefined ? [] : this.items.slice(this.starts[n], this.starts[n + 1]);
  }
}
