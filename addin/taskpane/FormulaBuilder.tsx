/*
 * The formula builder: any `=CALIPER.*` function, its arguments asked for as its spec says
 * (formulaBuilder/functionSpecs.ts), the formula shown as it will be written, a live preview
 * of what the cell will show, and Insert into the selected cell.
 */
import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Text,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';

import type { CaliperClient, CatalogEntry, Portfolio } from '../api/caliperClient';
import type { CaliperFunctionName } from '../excel/formulas';
import type { CaliperWorkbook } from '../excel/workbook';
import { createCaliperFunctions } from '../functions/caliperFunctions';
import { errorText } from './errorText';
import { ArgumentFieldInput, OptionFieldInput } from './formulaBuilder/ArgumentFields';
import { allowedScope, buildCall, type BuilderState, offeredMetrics } from './formulaBuilder/builderCall';
import { FUNCTION_SPECS, functionSpec } from './formulaBuilder/functionSpecs';
import { MetricPicker } from './formulaBuilder/MetricPicker';
import { PreviewView } from './formulaBuilder/PreviewView';
import { ScopeFields } from './formulaBuilder/ScopeFields';
import { usePreview } from './formulaBuilder/usePreview';
import { usePanelStyles } from './styles';

export interface FormulaBuilderProps {
  catalog: CatalogEntry[];
  portfolio: Portfolio;
  workbook: CaliperWorkbook;
  client: CaliperClient;
}

export function FormulaBuilder({ catalog, portfolio, workbook, client }: FormulaBuilderProps) {
  const styles = usePanelStyles();
  const [state, setState] = useState<BuilderState>(() => ({
    fn: 'KPI',
    scope: 'location',
    locationId: portfolio.locations[0]?.location_id ?? '',
    providerId: '',
    metricId: '',
    texts: {},
    options: {},
  }));
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  // The preview runs the functions the cells run, over the pane's connection.
  const functions = useMemo(() => createCaliperFunctions(client), [client]);

  const call = buildCall(state, catalog, portfolio.periods.as_of_month);
  const preview = usePreview(functions, call, state, catalog);
  const spec = call.spec;

  const change = (next: Partial<BuilderState>) => {
    setMessage(null);
    setState((current) => ({ ...current, ...next }));
  };
  const chooseFunction = (fn: CaliperFunctionName) => {
    const nextSpec = functionSpec(fn);
    // Arguments the functions share (scope, metric, period) are kept; options are not.
    change({ fn, scope: allowedScope(nextSpec, state.scope), options: {} });
  };

  async function insert() {
    if (call.formula === null) return;
    setMessage(null);
    try {
      const address = await workbook.insertFormula(
        call.formula,
        target.trim() === '' ? undefined : target.trim(),
      );
      setMessage({ intent: 'success', text: `Inserted in ${address}` });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    }
  }

  return (
    <section className={styles.panel} aria-label="Formula builder">
      <Field label="Function" hint={spec.summary}>
        <Dropdown
          value={`CALIPER.${state.fn}`}
          selectedOptions={[state.fn]}
          onOptionSelect={(_, d) => chooseFunction(d.optionValue as CaliperFunctionName)}
        >
          {FUNCTION_SPECS.map((s) => (
            <Option key={s.fn} value={s.fn} text={`CALIPER.${s.fn}`}>
              {`CALIPER.${s.fn} — ${s.summary}`}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {spec.fields.map((field) => {
        if (field.kind === 'scope') {
          return (
            <ScopeFields
              key="scope"
              scopes={field.scopes}
              scope={state.scope}
              locationId={state.locationId}
              providerId={state.providerId}
              portfolio={portfolio}
              problems={call.problems}
              onChange={change}
            />
          );
        }
        if (field.kind === 'metric') {
          return (
            <MetricPicker
              key="metric"
              metrics={offeredMetrics(catalog, field.metrics, state.scope)}
              selectedId={state.metricId}
              onSelect={(metricId) => change({ metricId })}
              problem={state.metricId === '' ? undefined : call.problems.metric}
            />
          );
        }
        const initial =
          field.kind === 'period' ? field.initial : field.kind === 'number' ? String(field.initial) : '';
        return (
          <ArgumentFieldInput
            key={field.name}
            field={field}
            value={state.texts[field.name] ?? initial}
            problem={call.problems[field.name]}
            period={call.periods[field.name]}
            onChange={(value) => change({ texts: { ...state.texts, [field.name]: value } })}
          />
        );
      })}
      {spec.options.map((option) => {
        const name = option.kind === 'asOf' ? 'as_of' : option.name;
        return (
          <OptionFieldInput
            key={name}
            option={option}
            value={state.options[name] ?? ''}
            problem={call.problems[name]}
            onChange={(value) => change({ options: { ...state.options, [name]: value } })}
          />
        );
      })}
      <Field label="Cell" hint="Blank: the selected cell. Or e.g. B4, Sheet1!B4">
        <Input value={target} onChange={(_, d) => setTarget(d.value)} />
      </Field>
      <Text className={styles.formula} aria-label="Formula" aria-live="polite">
        {call.formula?.text ?? 'Complete the fields above to see the formula.'}
      </Text>
      <PreviewView state={preview} />
      <div className={styles.row}>
        <Button appearance="primary" disabled={call.formula === null} onClick={() => void insert()}>
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
