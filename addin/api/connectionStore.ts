/*
 * Where the task pane keeps the connection and the custom functions read it. In the shared
 * runtime both run in one page, so `localStorage` is the one place they both see.
 */
import type { Connection } from './caliperClient';

export const CONNECTION_STORAGE_KEY = 'caliper.connection';

/** The parts of a connection that can be stored; a token provider is code, not data. */
export interface StoredConnection {
  baseUrl: string;
  apiKey?: string;
}

type Listener = (connection: StoredConnection) => void;
const listeners = new Set<Listener>();

/**
 * The Entra token source after a Microsoft sign-in in the pane. It cannot be stored (it is
 * code), but the pane and the functions share one page in the shared runtime, so the
 * functions find it here. Null: no sign-in, the stored API key is the credential.
 */
let accessTokenProvider: (() => Promise<string>) | null = null;

export function setAccessTokenProvider(provider: (() => Promise<string>) | null): void {
  accessTokenProvider = provider;
}

function storage(): Storage | undefined {
  // Node tests and some Office runtimes without storage: no connection is remembered.
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The add-in is served by the API host itself unless the user names another one. */
export function defaultBaseUrl(): string {
  return typeof location === 'undefined' ? '' : location.origin;
}

export function loadConnection(): StoredConnection {
  const text = storage()?.getItem(CONNECTION_STORAGE_KEY);
  if (text !== null && text !== undefined) {
    try {
      const parsed = JSON.parse(text) as { baseUrl?: unknown; apiKey?: unknown };
      if (typeof parsed.baseUrl === 'string' && parsed.baseUrl !== '') {
        return {
          baseUrl: parsed.baseUrl,
          ...(typeof parsed.apiKey === 'string' && parsed.apiKey !== '' ? { apiKey: parsed.apiKey } : {}),
        };
      }
    } catch {
      // A corrupt entry is ignored: the user reconnects in the pane.
    }
  }
  return { baseUrl: defaultBaseUrl() };
}

export function saveConnection(connection: StoredConnection): void {
  storage()?.setItem(CONNECTION_STORAGE_KEY, JSON.stringify(connection));
  for (const listener of listeners) listener(connection);
}

/** Called on every save in this page (the custom functions drop their cache on a new connection). */
export function onConnectionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function toConnection(stored: StoredConnection): Connection {
  if (stored.apiKey !== undefined) return { baseUrl: stored.baseUrl, apiKey: stored.apiKey };
  return accessTokenProvider === null
    ? { baseUrl: stored.baseUrl }
    : { baseUrl: stored.baseUrl, getAccessToken: accessTokenProvider };
}
