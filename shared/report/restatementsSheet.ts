import { metricById } from '../metrics/catalog';
import type { MetricUnit } from '../metrics/metricValue';
import { baseName } from '../store/reportSources';
import type { ReportCell, ReportSheet, ReportTable, ReportUnit } from './reportSpec';
import type { Restatement } from './restatements';

const UNIT_CAPTIONS: Record<MetricUnit, string> = {
  usd: 'Dollar figures',
  ratio: 'Rates and shares',
  count: 'Counts',
  hours: 'Hours',
  minutes: 'Minutes',
};

function scopeText(r: Restatement): string {
  if (r.scope.kind === 'portfolio') return 'Portfolio';
  if (r.scope.kind === 'location') return r.scope.locationId;
  return `${r.scope.providerId} @ ${r.scope.locationId ?? 'all locations'}`;
}

/** `sales.csv L1-2024-04 S5 (updated by ingest #2, correction.csv row 2)`, the first few. */
function rowsText(r: Restatement): string {
  const rows = r.changed_rows.slice(0, 5).map((c) => {
    const key = Object.values(c.key).join('/');
    const source = c.source_file === null ? '' : `, ${baseName(c.source_file)} row ${c.source_row}`;
    return `${c.file} ${key} (${c.change} by ingest #${c.ingest_id}${source})`;
  });
  const more = r.changed_rows_total - rows.length;
  return `${rows.join('; ')}${more > 0 ? `; and ${more.toLocaleString('en-US')} more` : ''}`;
}

function unitTable(unit: MetricUnit, items: readonly Restatement[]): ReportTable {
  const rows: ReportCell[][] = items.map((r) => [
    metricById(r.metric)?.label ?? r.metric,
    scopeText(r),
    r.reported,
    r.current,
    { formula: { kind: 'difference', minuend: 'current', subtrahend: 'reported', value: r.difference } },
    [
      r.reported === null ? `as reported: ${r.reported_reason ?? 'no value'}` : '',
      r.current === null ? `now: ${r.current_reason ?? 'no value'}` : '',
    ]
      .filter((t) => t !== '')
      .join('; '),
    rowsText(r),
  ]);
  const valueUnit: ReportUnit = unit;
  return {
    name: `Restatements_${unit}`,
    caption: UNIT_CAPTIONS[unit],
    columns: [
      { key: 'metric', header: 'Metric', unit: 'text', width: 30 },
      { key: 'scope', header: 'Scope', unit: 'text', width: 14 },
      { key: 'reported', header: 'As reported', unit: valueUnit },
      { key: 'current', header: 'Now', unit: valueUnit },
      { key: 'difference', header: 'Change', unit: valueUnit },
      { key: 'note', header: 'Note', unit: 'text', width: 30 },
      { key: 'rows', header: 'Rows that changed it', unit: 'text', width: 90 },
    ],
    rows,
  };
}

/**
 * Every figure of the pack's period that the store now answers differently from the pack as
 * reported, grouped by unit so each column has one format, with the rows that changed it.
 */
export function restatementsSheet(
  items: readonly Restatement[],
  reportedAs: string,
  periodLabel: string,
): ReportSheet {
  const units = [...new Set(items.map((r) => r.unit))];
  return {
    name: 'Restatements',
    title: 'Restatements: figures that changed since the board saw them',
    subtitle: [
      `This pack shows the figures ${reportedAs}; these ${items.length} figure${items.length === 1 ? '' : 's'} of ${periodLabel} read differently on today's data`,
      'Change = now − as reported (a live formula); the rows are the source rows a later ingest inserted, corrected or closed',
    ],
    tables:
      units.length > 0
        ? units.map((unit) =>
            unitTable(
              unit,
              items.filter((r) => r.unit === unit),
            ),
          )
        : [
            {
              name: 'Restatements_none',
              caption: 'No figure changed',
              columns: [{ key: 'note', header: 'Note', unit: 'text', width: 80 }],
              rows: [["every figure of the pack reads the same on today's data"]],
            },
          ],
    orientation: 'landscape',
  };
}
