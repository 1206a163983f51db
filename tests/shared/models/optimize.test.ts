import { minimize, nelderMead } from '../../../shared/models/optimize';

const rosenbrock = ([x = 0, y = 0]: number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const result = nelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.fx).toBeLessThan(1e-12);
    expect(result.evaluations).toBeGreaterThan(result.iterations);
  });

  it('minimizes a badly scaled four-dimensional quadratic to the point tolerance', () => {
    const centre = [3, -1, 0.5, 10];
    const scale = [1, 100, 0.01, 10];
    const f = (x: number[]) => x.reduce((s, v, i) => s + scale[i]! * (v - centre[i]!) ** 2, 0);
    const result = minimize(f, [[0, 0, 0, 0]], { xTolerance: 1e-9 });
    expect(result.converged).toBe(true);
    result.x.forEach((v, i) => expect(v).toBeCloseTo(centre[i]!, 6));
  });

  it('reports a run that ran out of iterations as not converged, with the reason', () => {
    const result = nelderMead(([x = 0]) => x, [0], { maxIterations: 50 });
    expect(result.converged).toBe(false);
    expect(result.reason).toMatch(/stopped after 50 iterations/);
  });

  it('treats non-finite values as +∞ and says when it found no finite value', () => {
    expect(nelderMead(() => NaN, [1, 1], { maxIterations: 20 })).toMatchObject({
      converged: false,
      reason: 'no finite value found',
    });
    const fenced = nelderMead(([x = 0]) => (x < 0 ? NaN : (x - 2) ** 2), [0.5]);
    expect(fenced.converged).toBe(true);
    expect(fenced.x[0]).toBeCloseTo(2, 6);
  });
});

describe('minimize (several starts, each restarted)', () => {
  it('keeps the best of two local minima and says how many starts reached it', () => {
    const doubleWell = ([x = 0]: number[]) => (x * x - 1) ** 2 + 0.3 * x;
    const result = minimize(doubleWell, [[2], [-2], [-0.5]]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeLessThan(0);
    expect(result.starts).toBe(3);
    expect(result.startsAtBest).toBe(2);
    expect(result.runs.map((r) => Math.sign(r.x[0]!))).toEqual([1, -1, -1]);
  });

  it('restarts a run until a fresh simplex no longer improves it', () => {
    const result = minimize(rosenbrock, [[-1.2, 1]]);
    expect(result.restarts).toBeGreaterThanOrEqual(1);
    expect(result.x[0]).toBeCloseTo(1, 7);
  });

  it('is not converged when its best start did not converge', () => {
    const result = minimize(([x = 0]) => x, [[0]], { maxIterations: 30 });
    expect(result.converged).toBe(false);
    expect(result.reason).toMatch(/stopped after 30 iterations/);
  });
});
