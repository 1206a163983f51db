// The Functions host loads this entry (package.json "main"); each import registers its trigger.
import './catalog';
import './health';
import './metrics';
import './metricsBatch';
