/** Writes docs/metrics.md from the metric catalog: `npm run docs:metrics`. */
import fs from 'node:fs';
import path from 'node:path';

import { renderMetricCatalog } from '../shared/metrics/catalogDocs';

const target = path.join(__dirname, '..', '..', 'docs', 'metrics.md');
fs.writeFileSync(target, renderMetricCatalog());
console.log(`wrote ${target}`);
