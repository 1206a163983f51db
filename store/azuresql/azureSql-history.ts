// The history reads live in store/sql/history.ts, written once for both databases; this name
// stays for azureSql-aggregates.ts and azureSql-metricData.ts, which import standingAt from it.
export { standingAt } from '../sql/history';
