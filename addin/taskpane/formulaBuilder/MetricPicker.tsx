/*
 * The metric picker: a search box over the metrics grouped by family, each shown with its
 * label and its plain-language sentence (the catalog's `plain`), so a person picks by meaning
 * rather than by id. A listbox of options, chosen by click, Enter or Space.
 */
import { Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { type KeyboardEvent, useState } from 'react';

import { FAMILY_TITLES } from '../../../shared/metrics/familyTitles';
import type { CatalogEntry } from '../../api/caliperClient';

const useStyles = makeStyles({
  list: {
    maxHeight: '260px',
    overflowY: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  family: {
    display: 'block',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
    fontWeight: tokens.fontWeightSemibold,
  },
  option: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    ':hover': { backgroundColor: tokens.colorBrandBackground2 },
  },
  plain: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { padding: tokens.spacingHorizontalS },
});

/** Whether every word of the search is in the metric's label, id or plain sentence. */
export function metricMatches(metric: CatalogEntry, search: string): boolean {
  const haystack = `${metric.label} ${metric.id.replace(/[_.]/g, ' ')} ${metric.plain}`.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .every((word) => haystack.includes(word));
}

export interface MetricPickerProps {
  metrics: readonly CatalogEntry[];
  selectedId: string;
  onSelect: (id: string) => void;
  problem?: string;
}

export function MetricPicker({ metrics, selectedId, onSelect, problem }: MetricPickerProps) {
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const shown = metrics.filter((m) => metricMatches(m, search));
  const families = Object.entries(FAMILY_TITLES).filter(([f]) => shown.some((m) => m.family === f));
  const selected = metrics.find((m) => m.id === selectedId);

  const onKey = (event: KeyboardEvent, id: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(id);
    }
  };

  return (
    <Field
      label="Metric"
      required
      validationState={problem === undefined ? 'none' : 'error'}
      validationMessage={problem}
      hint={selected === undefined ? undefined : `Chosen: ${selected.label}`}
    >
      <div>
        <Input
          aria-label="Search metrics"
          placeholder="Search metrics, e.g. churn, revenue, no-show"
          value={search}
          onChange={(_, d) => setSearch(d.value)}
          style={{ width: '100%', marginBottom: tokens.spacingVerticalXS }}
        />
        <div role="listbox" aria-label="Metrics" className={styles.list}>
          {families.map(([family, title]) => (
            <div role="group" aria-label={title} key={family}>
              <Text className={styles.family} role="presentation">
                {title}
              </Text>
              {shown
                .filter((m) => m.family === family)
                .map((m) => (
                  <div
                    key={m.id}
                    role="option"
                    aria-selected={m.id === selectedId}
                    aria-label={m.label}
                    aria-description={m.plain}
                    tabIndex={0}
                    data-metric={m.id}
                    className={m.id === selectedId ? `${styles.option} ${styles.selected}` : styles.option}
                    onClick={() => onSelect(m.id)}
                    onKeyDown={(e) => onKey(e, m.id)}
                  >
                    <Text weight="semibold">{m.label}</Text>
                    <Text className={styles.plain}>{m.plain}</Text>
                  </div>
                ))}
            </div>
          ))}
          {shown.length === 0 ? <Text className={styles.empty}>No metric matches “{search}”.</Text> : null}
        </div>
      </div>
    </Field>
  );
}
