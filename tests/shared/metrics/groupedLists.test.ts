import { groupedLists } from '../../../shared/metrics/groupedLists';

interface Item {
  person: string;
  n: number;
}

const item = (person: string, n: number): Item => ({ person, n });
const numbers = (lists: Map<string, Item[]>) =>
  [...lists].map(([key, list]) => [key, list.map((i) => i.n)] as const);

describe('groupedLists', () => {
  it('groups runs of one key in order, keys in the order they first appear', () => {
    const items = [item('b', 1), item('b', 2), item('a', 3), item('c', 4), item('c', 5)];
    expect(numbers(groupedLists(items, (i) => i.person))).toEqual([
      ['b', [1, 2]],
      ['a', [3]],
      ['c', [4, 5]],
    ]);
  });

  it('joins the runs of a key that comes back after another, keeping the input order', () => {
    const items = [item('a', 1), item('b', 2), item('a', 3), item('b', 4), item('a', 5)];
    expect(numbers(groupedLists(items, (i) => i.person))).toEqual([
      ['a', [1, 3, 5]],
      ['b', [2, 4]],
    ]);
  });

  it('leaves out the items not kept, and a key none of whose items is kept', () => {
    const items = [item('a', 1), item('a', 2), item('b', 3), item('a', 4)];
    expect(
      numbers(
        groupedLists(
          items,
          (i) => i.person,
          (i) => i.n % 2 === 0,
        ),
      ),
    ).toEqual([['a', [2, 4]]]);
  });

  it('gives every key a list of its own', () => {
    const lists = groupedLists([item('a', 1), item('b', 2)], (i) => i.person);
    lists.get('a')?.push(item('a', 9));
    expect(lists.get('b')?.map((i) => i.n)).toEqual([2]);
    expect(groupedLists([], (i: Item) => i.person).size).toBe(0);
  });
});
