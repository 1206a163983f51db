import { metricById } from '../metrics/catalog';
import type { ReportSources } from '../store/reportSources';
import type { ReportCell, ReportSheet } from './reportSpec';

/** Each metric the pack shows, defined as the catalog defines it, and every file behind the numbers. */
export function definitionsSheet(metrics: readonly string[], sources: ReportSources): ReportSheet {
  const definitions: ReportCell[][] = [...new Set(metrics)].flatMap((id) => {
    const d = metricById(id);
    return d ? [[d.label, d.id, d.unit, d.definition]] : [];
  });
  const files: ReportCell[][] = sources.files.map((f) => [
    f.ingest_id,
    f.ingested_at.replace('T', ' ').slice(0, 19),
    f.file,
    f.canonical,
    f.rows_read,
    f.rows_accepted,
    f.rows_rejected,
    f.sha256 === null ? '' : f.sha256.slice(0, 16),
  ]);
  return {
    name: 'Definitions',
    title: 'Definitions and sources',
    subtitle: ['How each figure is computed (the Caliper metric catalog) and the files it was computed from'],
    tables: [
      {
        name: 'Definitions_Metrics',
        caption: 'Metrics',
        columns: [
          { key: 'label', header: 'Metric', unit: 'text', width: 30 },
          { key: 'id', header: 'Id', unit: 'text', width: 28 },
          { key: 'unit', header: 'Unit', unit: 'text', width: 8 },
          { key: 'definition', header: 'Definition', unit: 'text', width: 110 },
        ],
        rows: definitions,
      },
      {
        name: 'Definitions_Sources',
        caption: 'Source files, by ingest',
        columns: [
          { key: 'ingest', header: 'Ingest', unit: 'count' },
          { key: 'at', header: 'Ingested at', unit: 'text', width: 20 },
          { key: 'file', header: 'File', unit: 'text', width: 40 },
          { key: 'canonical', header: 'Read as', unit: 'text', width: 20 },
          { key: 'read', header: 'Rows read', unit: 'count' },
          { key: 'accepted', header: 'Accepted', unit: 'count' },
          { key: 'rejected', header: 'Rejected', unit: 'count' },
          { key: 'sha', header: 'SHA-256 (first 16)', unit: 'text', width: 20 },
        ],
        rows: files.length > 0 ? files : [[null, '', '(no file)', '', null, null, null, '']],
      },
    ],
    orientation: 'landscape',
  };
}
