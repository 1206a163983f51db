// The Functions host loads this entry (package.json "main"); each import registers its trigger.
import './actions';
import './benchmarks';
import './briefing';
import './briefingTimer';
import './callList';
import './catalog';
import './forecast';
import './health';
import './ingest';
import './ingestJob';
import './locations';
import './metrics';
import './metricsBatch';
import './openapi';
import './portfolio';
import './refreshLocation';
import './report';
import './trace';

import { growOldGenerationByAQuarter } from '../io/heapGrowth';

// The worker answers questions over metric data for as long as it runs (io/heapGrowth.ts).
growOldGenerationByAQuarter();
