/*
 * The preview of the value the cell will show: one value, or the first rows of the spill.
 */
import {
  makeStyles,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';

import type { Preview } from './preview';
import { cellText, tableCellFormat, type ValueFormat } from './previewText';

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
  },
  value: {
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: 'anywhere',
  },
  error: { color: tokens.colorPaletteRedForeground1, overflowWrap: 'anywhere' },
  scroll: { overflowX: 'auto', maxWidth: '100%' },
  /** Columns as wide as their numbers: a narrow pane scrolls the table rather than cut them. */
  table: { tableLayout: 'auto', width: 'auto' },
  cell: { whiteSpace: 'nowrap', maxWidth: '220px', overflow: 'hidden', textOverflow: 'ellipsis' },
});

export type PreviewState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; preview: Preview; format: ValueFormat; formula: string };

export function PreviewView({ state }: { state: PreviewState }) {
  const styles = useStyles();
  if (state.status === 'idle') return null;
  if (state.status === 'loading')
    return <Spinner size="tiny" label="Calculating the preview…" labelPosition="after" />;
  const { preview, format } = state;
  if (preview.kind === 'value') {
    const isError = typeof preview.value === 'object';
    return (
      <section className={styles.box} aria-label="Preview" data-formula={state.formula}>
        <Text size={200}>The cell will show</Text>
        <Text className={isError ? styles.error : styles.value} data-preview-value>
          {cellText(preview.value, format)}
        </Text>
      </section>
    );
  }
  const [header, ...rest] = preview.firstRows;
  const more = preview.rows - preview.firstRows.length;
  return (
    <section className={styles.box} aria-label="Preview" data-formula={state.formula}>
      <Text size={200}>
        The cell will spill {preview.rows} {preview.rows === 1 ? 'row' : 'rows'}
        {more > 0 ? `; the first ${preview.firstRows.length}:` : ':'}
      </Text>
      <div className={styles.scroll}>
        <Table size="extra-small" aria-label="Preview rows" className={styles.table}>
          <TableBody>
            {[header ?? [], ...rest].map((row, r) => (
              <TableRow key={r}>
                {row.map((cell, c) => (
                  <TableCell key={c} className={styles.cell}>
                    {cellText(cell, r === 0 ? { kind: 'number' } : tableCellFormat(header ?? [], row, c))}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
