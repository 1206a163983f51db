import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';

import type { CatalogEntry, Portfolio } from '../api/caliperClient';
import { kpiCaliperFormula } from '../excel/formulas';
import type { CaliperWorkbook } from '../excel/workbook';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

type ScopeKind = 'portfolio' | 'location' | 'provider';

export interface FormulaBuilderProps {
  catalog: CatalogEntry[];
  portfolio: Portfolio;
  workbook: CaliperWorkbook;
}

export function FormulaBuilder({ catalog, portfolio, workbook }: FormulaBuilderProps) {
  const styles = usePanelStyles();
  const [scope, setScope] = useState<ScopeKind>('location');
  const [metricId, setMetricId] = useState<string>('');
  const [locationId, setLocationId] = useState<string>(portfolio.locations[0]?.location_id ?? '');
  const [providerId, setProviderId] = useState<string>('');
  const [period, setPeriod] = useState('LTM');
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  const metrics = catalog.filter((m) => m.scopes.includes(scope));
  const metric = metrics.find((m) => m.id === metricId);
  const location = portfolio.locations.find((l) => l.location_id === locationId);
  const providers = portfolio.providers.filter((p) => p.location_ids.includes(locationId));
  const provider = providers.find((p) => p.provider_id === providerId);

  const ready =
    metric !== undefined &&
    period.trim() !== '' &&
    (scope === 'portfolio' || location !== undefined) &&
    (scope !== 'provider' || provider !== undefined);
  const formula = ready
    ? kpiCaliperFormula({
        metric: metric.id,
        period: { text: period.trim() },
        ...(scope === 'portfolio' ? {} : { location: locationId }),
        ...(scope === 'provider' ? { provider: providerId } : {}),
      })
    : null;

  async function insert() {
    if (formula === null) return;
    setMessage(null);
    try {
      const address = await workbook.insertFormula(formula, target.trim() === '' ? undefined : target.trim());
      setMessage({ intent: 'success', text: `Inserted in ${address}` });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    }
  }

  return (
    <section className={styles.panel} aria-label="Formula builder">
      <Field label="Scope">
        <RadioGroup
          layout="horizontal"
          value={scope}
          onChange={(_, d) => {
            setScope(d.value as ScopeKind);
            setMessage(null);
          }}
        >
          <Radio value="portfolio" label="Portfolio" />
          <Radio value="location" label="Location" />
          <Radio value="provider" label="Provider" />
        </RadioGroup>
      </Field>
      <Field label="Metric" required hint={metric?.definition}>
        <Dropdown
          placeholder="Choose a metric"
          value={metric === undefined ? '' : metric.label}
          selectedOptions={metric === undefined ? [] : [metric.id]}
          onOptionSelect={(_, d) => setMetricId(d.optionValue ?? '')}
        >
          {metrics.map((m) => (
            <Option key={m.id} value={m.id} text={m.label}>
              {m.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {scope === 'portfolio' ? null : (
        <Field label="Location" required>
          <Dropdown
            placeholder="Choose a location"
            value={location === undefined ? '' : location.name}
            selectedOptions={location === undefined ? [] : [location.location_id]}
            onOptionSelect={(_, d) => {
              setLocationId(d.optionValue ?? '');
              setProviderId('');
            }}
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
        <Field label="Provider" required>
          <Dropdown
            placeholder="Choose a provider"
            value={provider === undefined ? '' : provider.display_name}
            selectedOptions={provider === undefined ? [] : [provider.provider_id]}
            onOptionSelect={(_, d) => setProviderId(d.optionValue ?? '')}
          >
            {providers.map((p) => (
              <Option key={p.provider_id} value={p.provider_id} text={p.display_name}>
                {p.display_name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      ) : null}
      <Field label="Period" required hint="2024, 2024-Q1, 2024-03, FY2024, LTM, YTD, LTM@2024-06">
        <Input value={period} onChange={(_, d) => setPeriod(d.value)} />
      </Field>
      <Field label="Cell" hint="Blank: the active cell. Or e.g. B4, Sheet1!B4">
        <Input value={target} onChange={(_, d) => setTarget(d.value)} />
      </Field>
      <Text className={styles.formula} aria-label="Formula preview" aria-live="polite">
        {formula?.text ?? 'Choose a metric and scope to see the formula.'}
      </Text>
      <div className={styles.row}>
        <Button appearance="primary" disabled={formula === null} onClick={() => void insert()}>
          Insert formula
        </Button>
      </div>
      {message === null ? null : (
        <MessageBar intent={message.intent}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
