import { makeStyles, Spinner, Text, tokens, Tooltip } from '@fluentui/react-components';
import { useEffect, useState } from 'react';

import type { CaliperClient } from '../api/caliperClient';
import { errorText } from './errorText';
import { monthText } from './figureText';
import { fetchKpiStrip, type KpiFigure, kpiFigureText } from './kpiFigures';

const useStyles = makeStyles({
  // Two figures a row in the narrowest pane, four side by side when there is room.
  strip: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(130px, 1fr))',
    gap: tokens.spacingHorizontalS,
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    minWidth: 0,
  },
  label: { color: tokens.colorNeutralForeground3 },
});

export interface KpiStripProps {
  client: Pick<CaliperClient, 'metricsBatch'>;
  /** The month the LTM ends at (the data's as-of month), to say what the figures cover. */
  asOfMonth: string | null;
  /** Changes when the portfolio is reloaded, so the figures are fetched again. */
  dataVersion?: number;
}

export function KpiStrip({ client, asOfMonth, dataVersion }: KpiStripProps) {
  const styles = useStyles();
  const [figures, setFigures] = useState<KpiFigure[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    fetchKpiStrip(client)
      .then((answer) => current && setFigures(answer))
      .catch((e: unknown) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [client, dataVersion]);

  const covers = asOfMonth === null ? 'Last twelve months' : `Last twelve months to ${monthText(asOfMonth)}`;
  if (error !== null) return <Text className={styles.label}>Key figures unavailable: {error}</Text>;
  if (figures === null) return <Spinner size="tiny" label="Loading key figures…" />;
  return (
    <div role="group" aria-label="Key figures">
      <div className={styles.strip}>
        {figures.map((f) => (
          <div key={f.metric} className={styles.card} data-kpi={f.metric}>
            <Text size={200} className={styles.label}>
              {f.label}
            </Text>
            {f.value === null ? (
              <Tooltip content={f.reason} relationship="description">
                <Text size={500} weight="semibold" tabIndex={0} data-kpi-value="">
                  {kpiFigureText(f)}
                </Text>
              </Tooltip>
            ) : (
              <Text size={500} weight="semibold" data-kpi-value="">
                {kpiFigureText(f)}
              </Text>
            )}
          </div>
        ))}
      </div>
      <Text size={200} className={styles.label}>
        {covers}, whole portfolio.
      </Text>
    </div>
  );
}
