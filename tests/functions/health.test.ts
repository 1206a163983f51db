import { health } from '../../functions/health';
import { version } from '../../package.json';
import { call, get } from './apiTestRuntime';

describe('GET /api/health', () => {
  it('answers ok with the package version without a credential or the store', async () => {
    const { status, body } = await call(health, get('health', {}));
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', version });
  });
});
