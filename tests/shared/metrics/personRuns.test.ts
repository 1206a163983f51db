import { PersonRuns } from '../../../shared/metrics/personRuns';

interface Item {
  personKey: string;
  n: number;
}

const item = (personKey: string, n: number): Item => ({ personKey, n });
const byPersonThenN = (a: Item, b: Item) =>
  a.personKey < b.personKey ? -1 : a.personKey > b.personKey ? 1 : a.n - b.n;
const numbers = (items: readonly Item[]) => items.map((i) => i.n);

describe('a list in person order with where each person’s items start', () => {
  it('keeps items already in order as they are, a person’s items a slice of them', () => {
    const items = [item('a', 1), item('a', 2), item('b', 1), item('c', 5), item('c', 5)];
    const runs = new PersonRuns(items, byPersonThenN);

    expect(runs.items).toBe(items);
    expect(runs.persons).toBe(3);
    expect(numbers(runs.of('a'))).toEqual([1, 2]);
    expect(numbers(runs.of('c'))).toEqual([5, 5]);
    expect([0, 1, 2, 3].map((n) => runs.startOf(n))).toEqual([0, 2, 3, 5]);
    expect(runs.numberOfPerson('b')).toBe(1);
  });

  it('sorts items out of order, stably: equal items keep the order they came in', () => {
    const first = item('a', 2);
    const second = item('a', 2);
    const runs = new PersonRuns([item('b', 3), first, item('b', 1), second, item('a', 1)], byPersonThenN);

    expect(runs.items.map((i) => `${i.personKey}${i.n}`)).toEqual(['a1', 'a2', 'a2', 'b1', 'b3']);
    expect(runs.of('a')[1]).toBe(first);
    expect(runs.of('a')[2]).toBe(second);
  });

  it('answers no items for a person it does not hold, and nothing for no items', () => {
    const runs = new PersonRuns([item('a', 1)], byPersonThenN);
    expect(runs.of('z')).toEqual([]);
    expect(runs.numberOfPerson('z')).toBeUndefined();
    expect(new PersonRuns<Item>([], byPersonThenN).persons).toBe(0);
  });
});
