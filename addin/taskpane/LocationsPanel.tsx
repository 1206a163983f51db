import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';

import type { CaliperClient, LocationRecord } from '../api/caliperClient';
import { errorText } from './errorText';
import { changeLines } from './locationChanges';
import { LocationEditForm } from './LocationEditForm';
import { FIELD_LABELS, locationTitle, OPENING_DATE_CONSEQUENCE, withoutOpeningDate } from './locationFields';
import { usePanelStyles } from './styles';

export interface LocationsPanelProps {
  client: CaliperClient;
  /** After a saved change: the pane reloads what else shows locations (the overview). */
  onChanged?: () => void;
}

const dash = (value: string | number | null) => (value === null ? '—' : String(value));

/**
 * The tenant's locations with every field and alias, the ones without an opening date flagged
 * with what that costs, and a form to set what no export carries.
 */
export function LocationsPanel({ client, onChanged }: LocationsPanelProps) {
  const styles = usePanelStyles();
  const [locations, setLocations] = useState<LocationRecord[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ title: string; lines: string[] } | null>(null);

  /** The list as the API now has it, or null when it could not be read (the reason is shown). */
  const reload = useCallback(async (): Promise<LocationRecord[] | null> => {
    setLoading(true);
    setLoadError(null);
    try {
      const list = await client.locations();
      setLocations(list);
      return list;
    } catch (e) {
      setLoadError(errorText(e));
      return null;
    } finally {
      setLoading(false);
    }
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function afterSave(before: LocationRecord) {
    setEditing(null);
    const list = await reload();
    const after = list?.find((l) => l.location_id === before.location_id);
    setSaved({
      title: `Saved ${locationTitle(after ?? before)}`,
      lines: after === undefined ? [] : changeLines(before, after),
    });
    onChanged?.();
  }

  function edit(locationId: string) {
    setSaved(null);
    setEditing(locationId);
  }

  const missing = withoutOpeningDate(locations ?? []);
  const editedLocation = locations?.find((l) => l.location_id === editing);

  return (
    <section className={styles.panel} aria-label="Locations">
      <Text>
        Every location with what Caliper knows about it. Locations created from exports start without an
        opening date: set it here, with the region and time zone no export carries.
      </Text>
      {loading ? <Spinner size="small" label="Loading locations…" /> : null}
      {loadError === null ? null : (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrapAnywhere}>{loadError}</MessageBarBody>
        </MessageBar>
      )}
      {saved === null ? null : (
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody className={styles.wrapAnywhere}>
            <MessageBarTitle>{saved.title}</MessageBarTitle>
            {saved.lines.length === 0 ? (
              'Nothing changed.'
            ) : (
              <ul aria-label="What changed">
                {saved.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {missing.length === 0 ? null : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody className={styles.wrapAnywhere}>
            <MessageBarTitle>
              {missing.length === 1 ? 'A location has' : `${missing.length} locations have`} no opening date
            </MessageBarTitle>
            <ul aria-label="Locations without an opening date">
              {missing.map((l) => (
                <li key={l.location_id}>
                  {locationTitle(l)}: {OPENING_DATE_CONSEQUENCE}.{' '}
                  <Button size="small" appearance="transparent" onClick={() => edit(l.location_id)}>
                    Set opening date
                  </Button>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {locations === null ? null : locations.length === 0 ? (
        <Text>No locations yet: upload exports and Caliper creates them.</Text>
      ) : (
        <div className={styles.scroll}>
          <Table size="small" aria-label="Locations and their fields" className={styles.autoTable}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Location</TableHeaderCell>
                <TableHeaderCell>{FIELD_LABELS.emr_system}</TableHeaderCell>
                <TableHeaderCell>{FIELD_LABELS.region}</TableHeaderCell>
                <TableHeaderCell>{FIELD_LABELS.timezone}</TableHeaderCell>
                <TableHeaderCell>{FIELD_LABELS.opened_on}</TableHeaderCell>
                <TableHeaderCell>{FIELD_LABELS.closed_on}</TableHeaderCell>
                <TableHeaderCell>Aliases</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {locations.map((l) => (
                <TableRow key={l.location_id} data-location={l.location_id}>
                  <TableCell>
                    {l.name} <span className={styles.muted}>({l.location_id})</span>{' '}
                    <Button
                      size="small"
                      appearance="subtle"
                      aria-label={`Edit ${locationTitle(l)}`}
                      onClick={() => edit(l.location_id)}
                    >
                      Edit
                    </Button>
                  </TableCell>
                  <TableCell>{dash(l.emr_system)}</TableCell>
                  <TableCell>{dash(l.region)}</TableCell>
                  <TableCell>{dash(l.timezone)}</TableCell>
                  <TableCell className={styles.noWrap}>
                    {l.opened_on ?? (
                      <Badge appearance="tint" color="warning" title={`Not set: ${OPENING_DATE_CONSEQUENCE}`}>
                        Not set
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className={styles.noWrap}>{dash(l.closed_on)}</TableCell>
                  <TableCell className={styles.wrapAnywhere}>
                    {l.aliases.length === 0 ? '—' : l.aliases.join(', ')}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {editedLocation === undefined ? null : (
        <LocationEditForm
          // A fresh form per location: its draft starts from that location's values.
          key={editedLocation.location_id}
          client={client}
          location={editedLocation}
          onSaved={afterSave}
          onCancel={() => setEditing(null)}
        />
      )}
      <div className={styles.row}>
        <Button disabled={loading} onClick={() => void reload()}>
          Reload locations
        </Button>
      </div>
    </section>
  );
}
