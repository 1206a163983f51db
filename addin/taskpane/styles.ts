/* Layout shared by the panels: one column that holds at 320 px and breathes when wider. */
import { makeStyles, tokens } from '@fluentui/react-components';

export const usePanelStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    minWidth: 0,
  },
  /** A column inside a panel (a form in a panel): the panel's gaps without its padding again. */
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    alignItems: 'flex-end',
  },
  grow: { flexGrow: 1, minWidth: '120px' },
  scroll: { overflowX: 'auto', maxWidth: '100%' },
  /** Column widths from the content: long file names get the room, counts stay narrow. */
  autoTable: { tableLayout: 'auto' },
  wrapAnywhere: { overflowWrap: 'anywhere' },
  /** Dates and short badges stay on one line in a narrow table cell. */
  noWrap: { whiteSpace: 'nowrap' },
  formula: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    wordBreak: 'break-all',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});
