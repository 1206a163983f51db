/*
 * The arguments after the identifier and the metric: periods checked live with the grammar
 * (the dates they stand for, or the grammar's refusal), counts, a category, then the options.
 */
import { Dropdown, Field, Input, Option } from '@fluentui/react-components';

import type { ArgumentField, OptionField } from './functionSpecs';
import type { PeriodCheck } from './periodCheck';

type TextField = Exclude<ArgumentField, { kind: 'scope' } | { kind: 'metric' }>;

export interface ArgumentFieldProps {
  field: TextField;
  value: string;
  problem?: string;
  period?: PeriodCheck;
  onChange: (value: string) => void;
}

const PERIOD_EXAMPLES = 'e.g. LTM, 2025, 2025-Q3, 2025-09, FY2025, FY0, YTD, LTM@2025-06';
const SERIES_EXAMPLES = 'A month (2025-01), quarter (2025-Q1), year (2025) or date range';

function periodHint(field: TextField, period: PeriodCheck | undefined): string | undefined {
  if (field.kind !== 'period') return undefined;
  if (period?.ok === true && period.dates !== null) return `${field.label} → ${period.dates}`;
  return field.series === true ? SERIES_EXAMPLES : PERIOD_EXAMPLES;
}

/**
 * The grammar's refusal without its list of every accepted form, which runs to a dozen lines
 * in a narrow pane: the reason stays, and the hint below gives the common forms instead.
 */
export function refusalReason(message: string): string {
  const cut = message.search(/;? ?expected one of: /);
  return cut < 0 ? message : message.slice(0, cut).replace(/[:;]\s*$/, '');
}

export function ArgumentFieldInput({ field, value, problem, period, onChange }: ArgumentFieldProps) {
  const validation = problem === undefined ? ('none' as const) : ('error' as const);
  if (field.kind === 'choice') {
    return (
      <Field label={field.label}>
        <Dropdown
          value={value === '' ? 'All categories' : value.replace(/_/g, ' ')}
          selectedOptions={[value]}
          onOptionSelect={(_, d) => onChange(d.optionValue ?? '')}
        >
          <Option value="" text="All categories">
            All categories
          </Option>
          {field.values.map((v) => (
            <Option key={v} value={v} text={v.replace(/_/g, ' ')}>
              {v.replace(/_/g, ' ')}
            </Option>
          ))}
        </Dropdown>
      </Field>
    );
  }
  return (
    <Field
      label={field.label}
      required
      validationState={validation}
      validationMessage={problem === undefined ? undefined : refusalReason(problem)}
      hint={periodHint(field, period)}
    >
      <Input
        value={value}
        inputMode={field.kind === 'number' ? 'numeric' : 'text'}
        onChange={(_, d) => onChange(d.value)}
      />
    </Field>
  );
}

export interface OptionFieldProps {
  option: OptionField;
  value: string;
  problem?: string;
  onChange: (value: string) => void;
}

export function OptionFieldInput({ option, value, problem, onChange }: OptionFieldProps) {
  if (option.kind === 'asOf') {
    return (
      <Field
        label={option.label}
        validationState={problem === undefined ? 'none' : 'error'}
        validationMessage={problem}
      >
        <Input value={value} onChange={(_, d) => onChange(d.value)} />
      </Field>
    );
  }
  const chosen = option.choices.find((c) => c.value === value) ?? option.choices[0];
  return (
    <Field label={option.label}>
      <Dropdown
        value={chosen?.label ?? ''}
        selectedOptions={[chosen?.value ?? '']}
        onOptionSelect={(_, d) => onChange(d.optionValue ?? '')}
      >
        {option.choices.map((c) => (
          <Option key={c.value} value={c.value} text={c.label}>
            {c.label}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
