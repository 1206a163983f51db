import {
  CONNECTION_STORAGE_KEY,
  loadConnection,
  onConnectionChange,
  saveConnection,
  setAccessTokenProvider,
  toConnection,
} from '../../../addin/api/connectionStore';
import { installLocalStorage, type MemoryStorage, removeLocalStorage } from './webStorage';

let storage: MemoryStorage;

beforeEach(() => {
  storage = installLocalStorage();
});
afterEach(removeLocalStorage);

describe('connectionStore', () => {
  it('defaults to no key and the page origin (none under Node)', () => {
    expect(loadConnection()).toEqual({ baseUrl: '' });
  });

  it('saves to localStorage under caliper.connection and reads it back', () => {
    saveConnection({ baseUrl: 'https://caliper.example.com', apiKey: 'k1' });
    expect(JSON.parse(storage.getItem(CONNECTION_STORAGE_KEY) ?? 'null')).toEqual({
      baseUrl: 'https://caliper.example.com',
      apiKey: 'k1',
    });
    expect(loadConnection()).toEqual({ baseUrl: 'https://caliper.example.com', apiKey: 'k1' });
  });

  it('ignores a corrupt entry and an empty key', () => {
    storage.setItem(CONNECTION_STORAGE_KEY, '{not json');
    expect(loadConnection()).toEqual({ baseUrl: '' });
    storage.setItem(CONNECTION_STORAGE_KEY, JSON.stringify({ baseUrl: 'https://a.example', apiKey: '' }));
    expect(loadConnection()).toEqual({ baseUrl: 'https://a.example' });
  });

  it('tells listeners about every save until they unsubscribe', () => {
    const seen: string[] = [];
    const unsubscribe = onConnectionChange((c) => seen.push(c.baseUrl));
    saveConnection({ baseUrl: 'https://one.example' });
    unsubscribe();
    saveConnection({ baseUrl: 'https://two.example' });
    expect(seen).toEqual(['https://one.example']);
  });

  it('turns a stored connection into a client connection', () => {
    expect(toConnection({ baseUrl: 'https://a.example' })).toEqual({ baseUrl: 'https://a.example' });
    expect(toConnection({ baseUrl: 'https://a.example', apiKey: 'k' })).toEqual({
      baseUrl: 'https://a.example',
      apiKey: 'k',
    });
  });

  it('gives the custom functions the pane’s Microsoft sign-in, unless an API key is stored', async () => {
    const provider = () => Promise.resolve('entra-token');
    setAccessTokenProvider(provider);
    try {
      const signedIn = toConnection({ baseUrl: 'https://a.example' });
      expect(await signedIn.getAccessToken?.()).toBe('entra-token');
      expect(toConnection({ baseUrl: 'https://a.example', apiKey: 'k' })).toEqual({
        baseUrl: 'https://a.example',
        apiKey: 'k',
      });
    } finally {
      setAccessTokenProvider(null);
    }
    expect(toConnection({ baseUrl: 'https://a.example' })).toEqual({ baseUrl: 'https://a.example' });
  });
});
