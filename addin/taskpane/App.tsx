import {
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Tab,
  TabList,
  Text,
  tokens,
  webLightTheme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';

import type { CaliperClient, CatalogEntry, Connection, IngestReport, Portfolio } from '../api/caliperClient';
import {
  loadConnection,
  saveConnection,
  setAccessTokenProvider,
  type StoredConnection,
  toConnection,
} from '../api/connectionStore';
import type { CaliperWorkbook } from '../excel/workbook';
import { BoardPackPanel } from './BoardPackPanel';
import { BriefingPanel } from './BriefingPanel';
import { CallListPanel } from './CallListPanel';
import { ConnectPanel } from './ConnectPanel';
import { type EntraConfig, entraConfig, entraTokenProvider } from './entraSignIn';
import { errorText } from './errorText';
import { FormulaBuilder } from './FormulaBuilder';
import { loadPortfolio } from './loadPortfolio';
import { LocationsPanel } from './LocationsPanel';
import { NAVIGATE_EVENT, type PanelId } from './navigation';
import { OverviewPanel } from './OverviewPanel';
import { RefreshPanel } from './RefreshPanel';
import { UploadPanel } from './UploadPanel';

const useStyles = makeStyles({
  root: { minHeight: '100vh', boxSizing: 'border-box', minWidth: '280px' },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  tabs: { flexWrap: 'wrap', padding: `0 ${tokens.spacingHorizontalS}` },
});

const PANELS: { id: PanelId; label: string; needsConnection: boolean }[] = [
  { id: 'connect', label: 'Connect', needsConnection: false },
  { id: 'overview', label: 'Overview', needsConnection: true },
  { id: 'upload', label: 'Upload', needsConnection: true },
  { id: 'locations', label: 'Locations', needsConnection: true },
  { id: 'formula', label: 'Formula', needsConnection: true },
  { id: 'boardPack', label: 'Board pack', needsConnection: true },
  { id: 'callList', label: 'Call list', needsConnection: true },
  { id: 'briefing', label: 'Briefing', needsConnection: true },
  { id: 'refresh', label: 'Refresh & share', needsConnection: false },
];

interface Session {
  client: CaliperClient;
  baseUrl: string;
  portfolio: Portfolio;
  catalog: CatalogEntry[];
}

export interface AppProps {
  workbook: CaliperWorkbook;
  createClient: (connection: Connection) => CaliperClient;
  /** Microsoft sign-in settings of this build; null: API keys only. */
  entra?: EntraConfig | null;
}

export function App({ workbook, createClient, entra = entraConfig() }: AppProps) {
  const styles = useStyles();
  const [initial] = useState<StoredConnection>(() => loadConnection());
  const [session, setSession] = useState<Session | null>(null);
  const [panel, setPanel] = useState<PanelId>('connect');
  const [lastReport, setLastReport] = useState<IngestReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const listener = (event: Event) => setPanel((event as CustomEvent<PanelId>).detail);
    window.addEventListener(NAVIGATE_EVENT, listener);
    return () => window.removeEventListener(NAVIGATE_EVENT, listener);
  }, []);

  const open = useCallback(
    async (connection: Connection, stored: StoredConnection) => {
      const client = createClient(connection);
      await client.health();
      const [portfolio, catalog] = await Promise.all([loadPortfolio(client), client.catalog()]);
      saveConnection(stored);
      setSession({ client, baseUrl: stored.baseUrl, portfolio, catalog });
      setPanel(portfolio.locations.length === 0 ? 'upload' : 'overview');
    },
    [createClient],
  );
  const connect = useCallback((stored: StoredConnection) => open(toConnection(stored), stored), [open]);

  // A saved key reconnects by itself when the workbook is opened again; if that fails (key
  // revoked, server down) the Connect panel stays, pre-filled, with the reason.
  useEffect(() => {
    if (initial.apiKey === undefined) return;
    connect(initial).catch((e: unknown) => setError(errorText(e)));
  }, [initial, connect]);
  const signIn = useCallback(
    async (baseUrl: string) => {
      if (entra === null) return;
      const getAccessToken = await entraTokenProvider(entra);
      // Fails here, in the pane, when the user cannot get a token, rather than in every cell.
      await getAccessToken();
      // Before the save in open(): the custom functions rebuild their client on the save.
      setAccessTokenProvider(getAccessToken);
      await open({ baseUrl, getAccessToken }, { baseUrl });
    },
    [open, entra],
  );

  async function reload() {
    if (session === null) return;
    setError(null);
    try {
      setSession({ ...session, portfolio: await loadPortfolio(session.client) });
    } catch (e) {
      setError(errorText(e));
    }
  }

  function body() {
    if (panel === 'refresh') return <RefreshPanel workbook={workbook} />;
    if (session === null || panel === 'connect') {
      return (
        <ConnectPanel
          initial={initial}
          onConnect={connect}
          onSignIn={entra === null ? undefined : signIn}
          connectedTo={session?.baseUrl ?? null}
        />
      );
    }
    switch (panel) {
      case 'overview':
        return (
          <OverviewPanel
            client={session.client}
            portfolio={session.portfolio}
            lastReport={lastReport}
            onReload={() => void reload()}
          />
        );
      case 'upload':
        return (
          <UploadPanel
            client={session.client}
            onUploaded={(report) => {
              setLastReport(report);
              if (report.committed) void reload();
            }}
          />
        );
      case 'locations':
        return <LocationsPanel client={session.client} onChanged={() => void reload()} />;
      case 'formula':
        return (
          <FormulaBuilder
            catalog={session.catalog}
            portfolio={session.portfolio}
            workbook={workbook}
            client={session.client}
          />
        );
      case 'boardPack':
        return (
          <BoardPackPanel
            client={session.client}
            catalog={session.catalog}
            portfolio={session.portfolio}
            workbook={workbook}
          />
        );
      case 'callList':
        return <CallListPanel client={session.client} portfolio={session.portfolio} workbook={workbook} />;
      case 'briefing':
        return <BriefingPanel client={session.client} portfolio={session.portfolio} />;
    }
  }

  return (
    // Layout goes on an inner div: Fluent copies the provider's className onto its portals
    // (dropdown lists), where a full-height box would cover the pane.
    <FluentProvider theme={webLightTheme}>
      <div className={styles.root}>
        <header className={styles.header}>
          <Text weight="semibold" size={400}>
            Caliper
          </Text>
          <Text size={200}>
            {session === null
              ? 'Not connected'
              : session.portfolio.tenant === ''
                ? 'Connected: no data yet'
                : `Tenant ${session.portfolio.tenant}`}
          </Text>
        </header>
        <nav aria-label="Caliper panels">
          <TabList
            className={styles.tabs}
            size="small"
            selectedValue={panel}
            onTabSelect={(_, d) => setPanel(d.value as PanelId)}
          >
            {PANELS.map((p) => (
              <Tab key={p.id} value={p.id} disabled={p.needsConnection && session === null}>
                {p.label}
              </Tab>
            ))}
          </TabList>
        </nav>
        {error === null ? null : (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <main>{body()}</main>
      </div>
    </FluentProvider>
  );
}
