import { firstDayOfMonth, lastDayOfMonth } from '../model/localDate';
import { monthsOf } from '../periods/period';
import type { ReportSources } from '../store/reportSources';
import { locationLabel, locationScope, periodWithDates, type ReportContext } from './reportContext';
import type { ReportCell, ReportColumn, ReportSheet, ReportTable } from './reportSpec';

/** Coverage per location and month of P: the share of open days the data covers (blank = closed). */
function coverageTable(r: ReportContext): ReportTable {
  const months = monthsOf(r.period);
  return {
    name: 'Quality_Coverage',
    caption: "Coverage: share of each month's operating days with data (blank = not open)",
    columns: [
      { key: 'location', header: 'Location', unit: 'text', width: 36 },
      ...months.map((m): ReportColumn => ({ key: `m${m}`, header: m, unit: 'ratio', width: 9 })),
    ],
    rows: r.locations.map((l) => [
      locationLabel(l),
      ...months.map((m) =>
        r.ctx.coverage(locationScope(l.location_id), {
          label: m,
          start: firstDayOfMonth(m),
          end: lastDayOfMonth(m),
          months: 1,
        }),
      ),
    ]),
    colorScaleColumns: months.map((m) => `m${m}`),
  };
}

function issueRows(issues: ReportSources['issues']): ReportCell[][] {
  return issues.map((i) => [
    i.file,
    i.code,
    i.severity,
    i.count,
    i.rows.join(', '),
    i.example,
    i.last_ingest_id,
  ]);
}

const ISSUE_COLUMNS: ReportColumn[] = [
  { key: 'file', header: 'File', unit: 'text', width: 26 },
  { key: 'code', header: 'Reason', unit: 'text', width: 26 },
  { key: 'severity', header: 'Severity', unit: 'text', width: 10 },
  { key: 'count', header: 'Rows', unit: 'count' },
  { key: 'rows', header: 'First rows', unit: 'text', width: 24 },
  { key: 'example', header: 'Example', unit: 'text', width: 70 },
  { key: 'ingest', header: 'Last ingest', unit: 'count' },
];

export function dataQualitySheet(r: ReportContext, sources: ReportSources): ReportSheet {
  const unmapped = sources.issues.filter((i) => i.code.includes('unmapped'));
  const others = sources.issues.filter((i) => !i.code.includes('unmapped'));
  const rejected = sources.files.reduce((total, f) => total + (f.rows_rejected ?? 0), 0);
  return {
    name: 'Data quality',
    title: 'Data quality',
    subtitle: [
      `Period: ${periodWithDates(r.period)}`,
      `${sources.files.length} file${sources.files.length === 1 ? '' : 's'} read, ${rejected.toLocaleString('en-US')} row${rejected === 1 ? '' : 's'} rejected in all (sources on the Definitions sheet)`,
    ],
    tables: [
      coverageTable(r),
      {
        name: 'Quality_Issues',
        caption: 'Rejected rows and warnings, by file and reason',
        columns: ISSUE_COLUMNS,
        rows: others.length > 0 ? issueRows(others) : [['(none)', '', '', null, '', 'no issue found', null]],
      },
      {
        name: 'Quality_Unmapped',
        caption: 'Services no category was found for (counted as other services until mapped)',
        columns: ISSUE_COLUMNS,
        rows:
          unmapped.length > 0
            ? issueRows(unmapped)
            : [['(none)', '', '', null, '', 'every service is mapped', null]],
      },
    ],
    orientation: 'landscape',
  };
}
