import { METRICS } from '../../../shared/metrics/catalog';
import { plainDefinition, plainDefinitionGaps } from '../../../shared/metrics/catalogPlain';

describe('plain definitions', () => {
  it('give every catalog metric a sentence, and none to a metric the catalog does not have', () => {
    expect(METRICS).toHaveLength(61);
    expect(plainDefinitionGaps()).toEqual({ missing: [], unknown: [] });
  });

  it('are one sentence of at most 30 words for people: no ids, no formulas', () => {
    for (const metric of METRICS) {
      const plain = plainDefinition(metric.id) ?? '';
      const words = plain.split(/\s+/).filter((w) => w !== '');
      const problems = [
        words.length > 30 ? `${words.length} words` : null,
        /\w_\w/.test(plain) ? 'an _-identifier' : null,
        /[Σ×=/<>≤≥{}[\]|]|\bnull\b/.test(plain) ? 'a formula sign or code word' : null,
        /^[A-Z]/.test(plain) && plain.endsWith('.') ? null : 'not a sentence',
        (plain.match(/\. [A-Z]/g) ?? []).length > 0 ? 'more than one sentence' : null,
        plain === metric.definition ? 'the precise rule itself' : null,
      ].filter((p) => p !== null);
      expect({ id: metric.id, problems }).toEqual({ id: metric.id, problems: [] });
    }
  });

  it('cover a tenant’s own marketing channel in words', () => {
    expect(plainDefinition('cac.direct_mail')).toBe(
      'Spend on the direct mail channel for each new patient it brought in.',
    );
    expect(plainDefinition('no_such_metric')).toBeUndefined();
  });
});
