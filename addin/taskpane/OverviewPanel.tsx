import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';

import type { IngestReport, Portfolio } from '../api/caliperClient';
import { type FreshnessStatus, locationFreshness } from './freshness';
import { usePanelStyles } from './styles';

const STATUS: Record<FreshnessStatus, { label: string; color: 'success' | 'warning' | 'danger' }> = {
  current: { label: 'Current', color: 'success' },
  stale: { label: 'Stale', color: 'warning' },
  no_sales: { label: 'No sales', color: 'danger' },
};

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export interface OverviewPanelProps {
  portfolio: Portfolio;
  lastReport: IngestReport | null;
  onReload: () => void;
}

export function OverviewPanel({ portfolio, lastReport, onReload }: OverviewPanelProps) {
  const styles = usePanelStyles();
  const rows = locationFreshness(portfolio);
  const { periods } = portfolio;
  return (
    <section className={styles.panel} aria-label="Portfolio overview">
      <Text>
        {plural(portfolio.locations.length, 'location')}, {plural(portfolio.providers.length, 'provider')}
        {periods.first_month === null ? '' : `, data ${periods.first_month} to ${periods.last_month ?? '…'}`}
        {periods.as_of_month === null ? '' : ` (complete through ${periods.as_of_month})`}.
      </Text>
      <Text className={styles.muted}>
        {lastReport === null
          ? 'No upload in this session.'
          : `Last upload: ${lastReport.committed ? 'committed' : 'not committed'}, ` +
            `${lastReport.totals.rows_accepted} rows accepted, ${lastReport.totals.rows_rejected} rejected.`}
      </Text>
      <div className={styles.scroll}>
        <Table size="small" aria-label="Locations and data freshness">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Location</TableHeaderCell>
              <TableHeaderCell>Last sale</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.locationId} data-location={r.locationId}>
                <TableCell>
                  {r.name} <span className={styles.muted}>({r.locationId})</span>
                </TableCell>
                <TableCell>{r.lastSaleOn ?? '—'}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={STATUS[r.status].color}>
                    {STATUS[r.status].label}
                  </Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <div className={styles.row}>
        <Button onClick={onReload}>Reload portfolio</Button>
      </div>
    </section>
  );
}
