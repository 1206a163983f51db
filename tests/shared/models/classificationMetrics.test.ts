import { auc, brierScore, calibrationTable, topLift } from '../../../shared/models/classificationMetrics';

describe('auc (Mann–Whitney, ties half)', () => {
  it('counts the positive–negative pairs ranked right', () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats 0.1 only, 0.8 beats both → 3/4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts a tie as half a pair', () => {
    // Positives {0.5, 0.9}, negatives {0.5, 0.2}: ½ + 1 + 1 + 1 = 3.5 of 4 pairs.
    expect(auc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBe(0.875);
    expect(auc([3, 3, 3, 3], [1, 0, 1, 0])).toBe(0.5);
  });

  it('is null without both classes', () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNull();
    expect(auc([], [])).toBeNull();
    expect(() => auc([0.1], [1, 0])).toThrow(RangeError);
  });
});

describe('topLift', () => {
  it('is the event rate in the top 10 % ÷ the overall rate', () => {
    // 20 rows, 5 events; the top 2 by score are one event and one non-event: (1/2)/(5/20) = 2.
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const outcomes: (0 | 1)[] = [1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(topLift(scores, outcomes)).toBe(2);
    expect(topLift(scores, outcomes, 0.25)).toBeCloseTo(4 / 5 / (5 / 20), 12);
  });

  it('shares the boundary among tied rows in proportion', () => {
    // 10 rows, top 1: the two highest tie (one event, one not), so the top holds half of each.
    const scores = [9, 9, 1, 1, 1, 1, 1, 1, 1, 1];
    const outcomes: (0 | 1)[] = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    // Top rate ½, overall 2/10 → 2.5, whichever of the tied rows comes first.
    expect(topLift(scores, outcomes)).toBeCloseTo(2.5, 12);
    expect(topLift([9, 9, ...scores.slice(2)], [0, 1, ...outcomes.slice(2)])).toBeCloseTo(2.5, 12);
  });

  it('is null without rows or events', () => {
    expect(topLift([1, 2], [0, 0])).toBeNull();
    expect(topLift([], [])).toBeNull();
  });
});

describe('calibrationTable', () => {
  it('cuts rows sorted by prediction into groups of equal size', () => {
    const predicted = [0.9, 0.1, 0.5, 0.3, 0.7, 0.2];
    const outcomes: (0 | 1)[] = [1, 0, 1, 0, 0, 1];
    // Sorted: 0.1(0) 0.2(1) | 0.3(0) 0.5(1) | 0.7(0) 0.9(1).
    const table = calibrationTable(predicted, outcomes, 3);
    expect(table).toHaveLength(3);
    expect(table[0]).toEqual({ bin: 1, count: 2, meanPredicted: expect.closeTo(0.15, 12), actualRate: 0.5 });
    expect(table[1]).toEqual({ bin: 2, count: 2, meanPredicted: expect.closeTo(0.4, 12), actualRate: 0.5 });
    expect(table[2]).toEqual({ bin: 3, count: 2, meanPredicted: expect.closeTo(0.8, 12), actualRate: 0.5 });
  });

  it('splits 25 rows into deciles of 2 and 3 and leaves out empty groups', () => {
    const predicted = Array.from({ length: 25 }, (_, i) => i / 25);
    const table = calibrationTable(predicted, new Array<0 | 1>(25).fill(0));
    expect(table.map((b) => b.count)).toEqual([2, 3, 2, 3, 2, 3, 2, 3, 2, 3]);
    expect(calibrationTable([0.2, 0.4], [0, 1])).toEqual([
      { bin: 5, count: 1, meanPredicted: 0.2, actualRate: 0 },
      { bin: 10, count: 1, meanPredicted: 0.4, actualRate: 1 },
    ]);
  });
});

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    // (0.9−1)² + (0.2−0)² + (0.6−0)² = 0.01 + 0.04 + 0.36 → 0.41 / 3.
    expect(brierScore([0.9, 0.2, 0.6], [1, 0, 0])).toBeCloseTo(0.41 / 3, 15);
    expect(brierScore([], [])).toBeNull();
  });
});
