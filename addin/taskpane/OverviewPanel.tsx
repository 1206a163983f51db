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

import type { CaliperClient, IngestReport, Portfolio } from '../api/caliperClient';
import { countText, monthText } from './figureText';
import { type FreshnessStatus, type LocationFreshness, locationFreshness } from './freshness';
import { KpiStrip } from './KpiStrip';
import { usePanelStyles } from './styles';
import { rowsSummary } from './uploadReport';

type BadgeColor = 'success' | 'warning' | 'danger' | 'informative' | 'subtle';

const STATUS: Record<FreshnessStatus, { label: string; color: BadgeColor }> = {
  open: { label: 'Open', color: 'success' },
  stale: { label: 'Stale', color: 'warning' },
  closed: { label: 'Closed', color: 'subtle' },
  not_opened: { label: 'Not yet open', color: 'informative' },
  no_sales: { label: 'No sales', color: 'danger' },
};

/** What the badge's tooltip says: the dates behind the status. */
function statusDetail(r: LocationFreshness): string {
  switch (r.status) {
    case 'closed':
      return `Closed on ${r.closedOn ?? '?'}`;
    case 'not_opened':
      return `Opens on ${r.openedOn ?? '?'}`;
    case 'stale':
      return `Last sale ${countText(r.daysBehind ?? 0)} days before the portfolio's newest: an upload may be missing`;
    case 'no_sales':
      return 'No sales uploaded for this location';
    case 'open':
      return 'Open, with sales up to date';
  }
}

function plural(n: number, noun: string): string {
  return `${countText(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export interface OverviewPanelProps {
  client: Pick<CaliperClient, 'metricsBatch'>;
  portfolio: Portfolio;
  lastReport: IngestReport | null;
  onReload: () => void;
}

export function OverviewPanel({ client, portfolio, lastReport, onReload }: OverviewPanelProps) {
  const styles = usePanelStyles();
  const rows = locationFreshness(portfolio);
  const closed = rows.filter((r) => r.status === 'closed').length;
  const { periods } = portfolio;
  return (
    <section className={styles.panel} aria-label="Portfolio overview">
      <KpiStrip client={client} asOfMonth={periods.as_of_month} dataVersion={portfolio.data_version} />
      <Text>
        {plural(portfolio.locations.length, 'location')}
        {closed === 0 ? '' : ` (${countText(rows.length - closed)} open, ${countText(closed)} closed)`},{' '}
        {plural(portfolio.providers.length, 'provider')}
        {periods.first_month === null
          ? ''
          : `, data ${monthText(periods.first_month)} to ${monthText(periods.last_month ?? '…')}`}
        {periods.as_of_month === null ? '' : ` (complete through ${monthText(periods.as_of_month)})`}.
      </Text>
      <Text className={styles.muted}>
        {lastReport === null
          ? 'No upload in this session.'
          : `Last upload: ${lastReport.committed ? 'committed' : 'not committed'}, ${rowsSummary(lastReport)}`}
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
                <TableCell className={styles.noWrap}>{r.lastSaleOn ?? '—'}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={STATUS[r.status].color} title={statusDetail(r)}>
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
