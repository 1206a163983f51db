import { CaliperClient } from '../../../addin/api/caliperClient';
import { createCaliperFunctions } from '../../../addin/functions/caliperFunctions';
import { installCustomFunctionsRuntime, rejectionOf } from './customFunctionsRuntime';

/** A network that accepts every request and never answers. */
const silentFetch: typeof fetch = (_input, init) =>
  new Promise<Response>((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
  });

beforeAll(installCustomFunctionsRuntime);
beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the hard timeout', () => {
  it.each([
    [
      'KPI, waiting on its batch',
      (f: ReturnType<typeof createCaliperFunctions>) => f.kpi('net_revenue', '', '2024'),
    ],
    [
      'KPI by name, waiting on the portfolio',
      (f: ReturnType<typeof createCaliperFunctions>) => f.kpi('net_revenue', 'North Dallas', '2024'),
    ],
    ['LOCATIONS', (f: ReturnType<typeof createCaliperFunctions>) => f.locations()],
    ['TRACE', (f: ReturnType<typeof createCaliperFunctions>) => f.trace('net_revenue', 'PORTFOLIO', '2024')],
  ])('leaves no cell busy: %s is #N/A after 30 s', async (_name, call) => {
    const functions = createCaliperFunctions(
      new CaliperClient({ baseUrl: 'http://caliper.test' }, silentFetch),
    );
    const outcome = rejectionOf(call(functions));
    await jest.advanceTimersByTimeAsync(29_999);
    let settled = false;
    void outcome.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual({ code: '#N/A', message: 'Caliper did not answer in 30 s' });
  });
});
