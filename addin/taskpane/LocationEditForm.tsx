import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';

import type { CaliperClient, LocationPatch, LocationRecord } from '../api/caliperClient';
import { errorText } from './errorText';
import { refusalLines } from './locationChanges';
import { FIELD_LABELS, locationTitle } from './locationFields';
import {
  aliasError,
  changedFields,
  type DraftErrors,
  draftOf,
  EDITABLE_FIELDS,
  type EditableField,
  validateDraft,
} from './locationForm';
import { usePanelStyles } from './styles';

const HINTS: Record<EditableField, string> = {
  opened_on: 'YYYY-MM-DD. Same-store growth and age cohorts count from it.',
  closed_on: 'YYYY-MM-DD; empty while the location is open.',
  region: 'e.g. Southeast: peer cohorts by region use it.',
  timezone: 'IANA name, e.g. America/Chicago: card sales land on the local day.',
  rooms: 'Treatment rooms, a whole number.',
};

export interface LocationEditFormProps {
  client: CaliperClient;
  location: LocationRecord;
  /** After the API accepted a change: the caller reloads the list and says what changed. */
  onSaved: (before: LocationRecord) => Promise<void>;
  onCancel: () => void;
}

/** One location's facts no export carries, and aliases later ingests should resolve to it. */
export function LocationEditForm({ client, location, onSaved, onCancel }: LocationEditFormProps) {
  const styles = usePanelStyles();
  const [draft, setDraft] = useState(() => draftOf(location));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [alias, setAlias] = useState('');
  const [aliasProblem, setAliasProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'fields' | 'alias' | null>(null);
  const [refused, setRefused] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const top = useRef<HTMLFormElement>(null);

  // Opened from a row far up the list: the form comes into view in a narrow pane. A block, not
  // an expression: Chromium's scrollIntoView returns a Promise, which React would call as cleanup.
  useEffect(() => {
    top.current?.scrollIntoView({ block: 'nearest' });
  }, []);

  async function send(kind: 'fields' | 'alias', patch: LocationPatch) {
    setBusy(kind);
    setRefused(null);
    setError(null);
    setNote(null);
    try {
      const answer = await client.updateLocation(location.location_id, patch);
      if (answer.report !== null && !answer.report.committed) setRefused(refusalLines(answer.report));
      else await onSaved(location);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  function saveFields() {
    const problems = validateDraft(draft);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const fields = changedFields(location, draft);
    if (Object.keys(fields).length === 0) {
      setNote('Nothing to save: no field was changed.');
      return;
    }
    void send('fields', { fields });
  }

  function addAlias() {
    const problem = aliasError(alias);
    setAliasProblem(problem);
    if (problem === null) void send('alias', { aliases: [alias.trim()] });
  }

  return (
    <form
      ref={top}
      className={styles.stack}
      aria-label={`Edit ${locationTitle(location)}`}
      onSubmit={(e) => {
        e.preventDefault();
        saveFields();
      }}
    >
      <Text weight="semibold">Edit {locationTitle(location)}</Text>
      {EDITABLE_FIELDS.map((field) => (
        <Field
          key={field}
          label={FIELD_LABELS[field]}
          hint={HINTS[field]}
          validationState={errors[field] === undefined ? 'none' : 'error'}
          validationMessage={errors[field]}
        >
          <Input
            name={field}
            value={draft[field]}
            placeholder={field.endsWith('_on') ? 'YYYY-MM-DD' : undefined}
            onChange={(_, d) => setDraft({ ...draft, [field]: d.value })}
          />
        </Field>
      ))}
      <div className={styles.row}>
        <Button
          appearance="primary"
          type="submit"
          disabled={busy !== null}
          icon={busy === 'fields' ? <Spinner size="tiny" /> : undefined}
        >
          {busy === 'fields' ? 'Saving…' : 'Save'}
        </Button>
        <Button type="button" disabled={busy !== null} onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <Field
        label="Add alias"
        hint="Another name or a vendor id (mindbody:3) under which exports name this location: later uploads resolve it here."
        validationState={aliasProblem === null ? 'none' : 'error'}
        validationMessage={aliasProblem ?? undefined}
      >
        <Input
          name="alias"
          value={alias}
          onChange={(_, d) => setAlias(d.value)}
          onKeyDown={(e) => {
            // Enter here adds the alias; it must not submit the fields' form.
            if (e.key === 'Enter') {
              e.preventDefault();
              addAlias();
            }
          }}
        />
      </Field>
      <div className={styles.row}>
        <Button
          type="button"
          disabled={busy !== null}
          icon={busy === 'alias' ? <Spinner size="tiny" /> : undefined}
          onClick={addAlias}
        >
          {busy === 'alias' ? 'Adding…' : 'Add alias'}
        </Button>
      </div>
      {note === null ? null : (
        <MessageBar intent="info">
          <MessageBarBody>{note}</MessageBarBody>
        </MessageBar>
      )}
      {refused === null ? null : (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody className={styles.wrapAnywhere}>
            <MessageBarTitle>Not saved: the API refused the change</MessageBarTitle>
            <div>Nothing was written.</div>
            <ul aria-label="Why the change was refused">
              {refused.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {error === null ? null : (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrapAnywhere}>{error}</MessageBarBody>
        </MessageBar>
      )}
    </form>
  );
}
