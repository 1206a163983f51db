import fs from 'node:fs';
import path from 'node:path';

import { METRICS } from '../../../shared/metrics/catalog';
import { renderMetricCatalog } from '../../../shared/metrics/catalogDocs';

describe('the metric catalog', () => {
  it('is documented in docs/metrics.md exactly as the code defines it (run `npm run docs:metrics` after a change)', () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'metrics.md'), 'utf8');
    expect(onDisk).toBe(renderMetricCatalog());
  });

  it('gives every metric a label, a unit, at least one scope, its facts and a definition', () => {
    for (const metric of METRICS) {
      expect({
        id: metric.id,
        ok: metric.label.length > 0 && metric.scopes.length > 0 && metric.facts.length > 0,
      }).toEqual({
        id: metric.id,
        ok: true,
      });
      expect(metric.definition.length).toBeGreaterThan(10);
    }
  });
});
