import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';

import type { StoredConnection } from '../api/connectionStore';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

export interface ConnectPanelProps {
  initial: StoredConnection;
  /** Checks the connection against the API (health, then the portfolio) and keeps it; throws on failure. */
  onConnect: (connection: StoredConnection) => Promise<void>;
  /** Present when the add-in was built with Microsoft sign-in: connects with an Entra token instead of a key. */
  onSignIn?: (baseUrl: string) => Promise<void>;
  connectedTo: string | null;
}

export function ConnectPanel({ initial, onConnect, onSignIn, connectedTo }: ConnectPanelProps) {
  const styles = usePanelStyles();
  const [baseUrl, setBaseUrl] = useState(initial.baseUrl);
  const [apiKey, setApiKey] = useState(initial.apiKey ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function attempt(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  function connect() {
    const key = apiKey.trim();
    return attempt(() => onConnect({ baseUrl: baseUrl.trim(), ...(key === '' ? {} : { apiKey: key }) }));
  }

  return (
    <form
      className={styles.panel}
      aria-label="Connect to Caliper"
      onSubmit={(e) => {
        e.preventDefault();
        void connect();
      }}
    >
      <Text>Connect the workbook to your Caliper API. The key is kept in this browser only.</Text>
      <Field label="API URL" required hint="The Caliper host, e.g. https://caliper.example.com">
        <Input
          type="url"
          name="baseUrl"
          value={baseUrl}
          onChange={(_, d) => setBaseUrl(d.value)}
          placeholder="https://"
        />
      </Field>
      <Field label="API key" hint="From `caliper keys create`, or printed by `npm start`">
        <Input type="password" name="apiKey" value={apiKey} onChange={(_, d) => setApiKey(d.value)} />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={busy || baseUrl.trim() === ''}>
          Connect
        </Button>
        {onSignIn === undefined ? null : (
          <Button
            type="button"
            disabled={busy || baseUrl.trim() === ''}
            onClick={() => void attempt(() => onSignIn(baseUrl.trim()))}
          >
            Sign in with Microsoft
          </Button>
        )}
        {busy ? <Spinner size="tiny" label="Checking the connection…" /> : null}
      </div>
      {error === null ? null : (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {connectedTo === null || error !== null ? null : (
        <MessageBar intent="success">
          <MessageBarBody>Connected to {connectedTo}</MessageBarBody>
        </MessageBar>
      )}
    </form>
  );
}
