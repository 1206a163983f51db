import { MetricsCache } from '../../functions/metricsCache';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

let t: TestStore;
beforeEach(async () => {
  t = openTestStore();
  await t.ingest([fixture('north')]);
});
afterEach(async () => {
  jest.restoreAllMocks();
  await t.close();
});

describe('MetricsCache', () => {
  it('loads a tenant once and reloads only after a new ingest', async () => {
    const open = jest.spyOn(t.store, 'loadMetricData');
    const cache = new MetricsCache(t.store);
    const first = await cache.forTenant('t1');
    expect(await cache.forTenant('t1')).toBe(first);
    expect(open).toHaveBeenCalledTimes(1);
    await t.ingest([fixture('south')]);
    const second = await cache.forTenant('t1');
    expect(second).not.toBe(first);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('shares one load between concurrent first requests', async () => {
    const open = jest.spyOn(t.store, 'loadMetricData');
    const cache = new MetricsCache(t.store);
    const [a, b] = await Promise.all([cache.forTenant('t1'), cache.forTenant('t1')]);
    expect(a).toBe(b);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('keeps tenants apart and refuses a tenant with no ingest', async () => {
    const cache = new MetricsCache(t.store);
    await expect(cache.forTenant('other')).rejects.toMatchObject({ code: 'no_data' });
    await t.ingest([fixture('south')], 'other');
    const other = await cache.forTenant('other');
    expect(other).not.toBe(await cache.forTenant('t1'));
    expect(other.allLocationIds()).not.toContain('L1');
  });

  it('keeps the most recently asked tenants only, and reloads one it let go', async () => {
    await t.ingest([fixture('south')], 'second');
    await t.ingest([fixture('south')], 'third');
    const open = jest.spyOn(t.store, 'loadMetricData');
    const cache = new MetricsCache(t.store, t.store, undefined, 2);
    const first = await cache.forTenant('t1');
    await cache.forTenant('second');
    expect(await cache.forTenant('t1')).toBe(first); // asked again: now the most recent
    await cache.forTenant('third'); // lets 'second' go, the least recently asked
    expect(open).toHaveBeenCalledTimes(3);
    expect(await cache.forTenant('t1')).toBe(first);
    await cache.forTenant('second'); // reloaded, letting 'third' go
    expect(open).toHaveBeenCalledTimes(4);
    expect(open.mock.calls.map(([tenant]) => tenant)).toEqual(['t1', 'second', 'third', 'second']);
  });
});
