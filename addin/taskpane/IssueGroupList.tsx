import { Text } from '@fluentui/react-components';

import type { IssueGroup } from '../../shared/ingest/dataQuality';
import { usePanelStyles } from './styles';
import { exampleText, formatCount, groupTitle } from './uploadReport';

/** How many reasons the pane lists; the full report stays with the API. */
const GROUPS_SHOWN = 30;

/** The report's issues by reason: count, code and file, two example rows, and how to fix them. */
export function IssueGroupList({ groups }: { groups: readonly IssueGroup[] }) {
  const styles = usePanelStyles();
  if (groups.length === 0) return null;
  return (
    <>
      <ul aria-label="Data-quality issues by reason">
        {groups.slice(0, GROUPS_SHOWN).map((group) => (
          <li key={`${group.file}\u0000${group.code}\u0000${group.severity}`} className={styles.wrapAnywhere}>
            <Text weight="semibold">{groupTitle(group)}</Text> in {group.file}
            <ul>
              {group.examples.map((example, i) => (
                <li key={i}>{exampleText(example)}</li>
              ))}
              {group.count > group.examples.length ? (
                <li className={styles.muted}>
                  … and {formatCount(group.count - group.examples.length)} more like these
                </li>
              ) : null}
            </ul>
            {group.hint === null ? null : <Text>Fix: {group.hint}</Text>}
          </li>
        ))}
      </ul>
      {groups.length > GROUPS_SHOWN ? (
        <Text className={styles.muted}>
          {formatCount(groups.length - GROUPS_SHOWN)} more reasons are in the full report.
        </Text>
      ) : null}
    </>
  );
}
