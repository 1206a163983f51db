/*
 * The identifier: Portfolio, a location or a provider at a location, offered as the function
 * takes them, from the portfolio the pane loaded.
 */
import { Dropdown, Field, Option, Radio, RadioGroup } from '@fluentui/react-components';

import type { Portfolio } from '../../api/caliperClient';
import type { ScopeKind } from './functionSpecs';

const SCOPE_LABELS: Record<ScopeKind, string> = {
  portfolio: 'Portfolio',
  location: 'Location',
  provider: 'Provider',
};

export interface ScopeFieldsProps {
  scopes: readonly ScopeKind[];
  scope: ScopeKind;
  locationId: string;
  providerId: string;
  portfolio: Portfolio;
  problems: Readonly<Record<string, string>>;
  onChange: (change: { scope?: ScopeKind; locationId?: string; providerId?: string }) => void;
}

export function ScopeFields({
  scopes,
  scope,
  locationId,
  providerId,
  portfolio,
  problems,
  onChange,
}: ScopeFieldsProps) {
  const location = portfolio.locations.find((l) => l.location_id === locationId);
  const providers = portfolio.providers.filter((p) => p.location_ids.includes(locationId));
  const provider = providers.find((p) => p.provider_id === providerId);
  return (
    <>
      {scopes.length > 1 ? (
        <Field label="Scope">
          <RadioGroup
            layout="horizontal"
            value={scope}
            onChange={(_, d) => onChange({ scope: d.value as ScopeKind })}
          >
            {scopes.map((kind) => (
              <Radio key={kind} value={kind} label={SCOPE_LABELS[kind]} />
            ))}
          </RadioGroup>
        </Field>
      ) : null}
      {scope === 'portfolio' ? null : (
        <Field
          label="Location"
          required
          validationState={problems.location === undefined ? 'none' : 'error'}
          validationMessage={problems.location}
        >
          <Dropdown
            placeholder="Choose a location"
            value={location === undefined ? '' : location.name}
            selectedOptions={location === undefined ? [] : [location.location_id]}
            onOptionSelect={(_, d) => onChange({ locationId: d.optionValue ?? '', providerId: '' })}
          >
            {portfolio.locations.map((l) => (
              <Option key={l.location_id} value={l.location_id} text={l.name}>
                {l.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
      {scope === 'provider' ? (
        <Field
          label="Provider"
          required
          validationState={problems.provider === undefined ? 'none' : 'error'}
          validationMessage={problems.provider}
        >
          <Dropdown
            placeholder="Choose a provider"
            value={provider === undefined ? '' : provider.display_name}
            selectedOptions={provider === undefined ? [] : [provider.provider_id]}
            onOptionSelect={(_, d) => onChange({ providerId: d.optionValue ?? '' })}
          >
            {providers.map((p) => (
              <Option key={p.provider_id} value={p.provider_id} text={p.display_name}>
                {p.display_name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      ) : null}
    </>
  );
}
