/*
 * "Sign in with Microsoft" through MSAL's nested app authentication: Office (the host) signs
 * the user in and brokers tokens for the add-in, so no popup or redirect page of our own.
 * Present only when the add-in was built with CALIPER_ENTRA_CLIENT_ID (scripts/build-addin.ts
 * defines CALIPER_ENTRA); MSAL is loaded on first use, and left out of key-only builds.
 */

export interface EntraConfig {
  clientId: string;
  authority: string;
  /** The Caliper API's scope(s), e.g. api://<api app id>/access_as_user. */
  scopes: string[];
}

/** Replaced at build time by esbuild's `define`; absent (tests, key-only builds) means null. */
declare const CALIPER_ENTRA: EntraConfig | null | undefined;

export function entraConfig(): EntraConfig | null {
  return typeof CALIPER_ENTRA === 'undefined' ? null : CALIPER_ENTRA;
}

/** A `Connection.getAccessToken` that asks Office for a token silently, and interactively when it must. */
export async function entraTokenProvider(config: EntraConfig): Promise<() => Promise<string>> {
  const msal = await import('@azure/msal-browser');
  const pca = await msal.createNestablePublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority },
  });
  const request = { scopes: config.scopes };
  return async () => {
    try {
      return (await pca.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
      return (await pca.acquireTokenPopup(request)).accessToken;
    }
  };
}
