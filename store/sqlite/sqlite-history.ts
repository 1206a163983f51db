// The history reads live in store/sql/history.ts, written once for both databases; this name
// stays for sqlite-aggregates.ts and sqlite-metricData.ts, which import standingAt from it.
export { standingAt } from '../sql/history';
