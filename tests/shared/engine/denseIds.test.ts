import { DenseIds } from '../../../shared/engine/denseIds';

describe('dense ids', () => {
  it('numbers each distinct value 0, 1, 2… in the order first seen, and lists the values by their numbers', () => {
    const ids = new DenseIds<string | number>();
    expect(['b', 'a', 'b', 1, '1', 'a'].map((v) => ids.of(v))).toEqual([0, 1, 0, 2, 3, 1]);
    expect(ids.values()).toEqual(['b', 'a', 1, '1']);
  });
});
