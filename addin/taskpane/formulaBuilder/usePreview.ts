/*
 * Evaluates the builder's call a moment after the formula stops changing (typing a period does
 * not send a request per key), and keeps only the answer of the latest formula.
 */
import { useEffect, useState } from 'react';

import type { CatalogEntry } from '../../api/caliperClient';
import type { CaliperFunctions } from '../../functions/caliperFunctions';
import type { BuilderState, BuiltCall } from './builderCall';
import { evaluatePreview } from './preview';
import { type ValueFormat, valueFormat } from './previewText';
import type { PreviewState } from './PreviewView';

/** How long the formula must stay the same before it is evaluated. */
const SETTLE_MS = 300;

export function usePreview(
  functions: CaliperFunctions,
  call: BuiltCall,
  state: BuilderState,
  catalog: readonly CatalogEntry[],
): PreviewState {
  const [preview, setPreview] = useState<PreviewState>({ status: 'idle' });
  const formula = call.formula?.text ?? null;
  // The values and format follow from the formula; read them when it changes.
  const values = JSON.stringify(call.values);
  const format = JSON.stringify(valueFormat(state, catalog));

  useEffect(() => {
    if (formula === null) {
      setPreview({ status: 'idle' });
      return;
    }
    let current = true;
    setPreview({ status: 'loading' });
    const timer = setTimeout(() => {
      evaluatePreview(functions, state.fn, JSON.parse(values) as (string | number)[]).then(
        (answer) => {
          if (current) {
            setPreview({
              status: 'done',
              preview: answer,
              format: JSON.parse(format) as ValueFormat,
              formula,
            });
          }
        },
        () => undefined,
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [functions, formula, values, format, state.fn]);

  return preview;
}
