import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { dollars } from '../../cli/commands/callListCommand';
import { type CallList, callList } from '../../shared/actions/callList';
import { callListJson } from '../../shared/actions/callListJson';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { cliIngestDemo } from '../support/callListDemo';
import { tempDir } from '../support/testStore';

let dir: string;
let store: string;
let stdout: string;
let stderr: string;
/** The core's own answers on the same store, for comparison. */
let l001: CallList;
let portfolio: CallList;

async function run(args: string[]): Promise<number> {
  stdout = '';
  stderr = '';
  return main([...args, '--store', store]);
}

beforeAll(async () => {
  dir = tempDir('caliper-calllist-');
  store = path.join(dir, 'caliper.db');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  // `caliper ingest` of the demo, made once per run (tests/support/callListDemo.ts).
  await cliIngestDemo(store);
  const s = SqliteStore.open(store);
  try {
    const data = (await openMetrics(s, 'default')).data;
    const answer = (id: string | null, n: number) => {
      const a = callList(data, id, { n });
      if (!a.ok) throw new Error(a.error.message);
      return a.list;
    };
    l001 = answer('L001', 25);
    portfolio = answer(null, 10);
  } finally {
    await s.close();
  }
}, 120_000);

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper calllist', () => {
  it('prints the header facts and the table, money in dollars', async () => {
    expect(await run(['calllist', '--location', 'L001'])).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Call list for L001 ${l001.locations[0]!.name}, as of ${l001.asOf}: churn risk = no visit within 90 days`,
    );
    expect(lines[1]).toBe(
      `${l001.patientsScored.toLocaleString('en-US')} patients scored; ${l001.eligible.toLocaleString('en-US')} ` +
        `with nothing booked, seen in the last year and a value at risk: ${dollars(l001.eligibleValueAtRiskCents)} ` +
        `at risk; the 25 shown: ${dollars(l001.shownValueAtRiskCents)}`,
    );
    expect(lines[1]).toMatch(/: \$\d{1,3}(,\d{3})*\.\d{2} at risk; the 25 shown: \$[\d,]+\.\d{2}$/);
    expect(lines[2]).toBe('Model: each location trained on its own history, no fallback');
    expect(lines[4]).toMatch(/^ # {2}patient id\s+last treatment\s+last visit\s+provider\s+days since/);
    const rows = lines.slice(5);
    expect(rows).toHaveLength(25);
    l001.rows.forEach((r, i) => {
      const line = rows[i]!;
      expect(
        line.startsWith(`${String(r.rank).padStart(2)}  ${r.patientId}  ${r.lastTreatment ?? '—'}`),
      ).toBe(true);
      expect(line).toContain(`${r.lastVisitOn}  ${r.providerName ?? '—'}`);
      expect(line).toContain(
        `${Math.round(r.churnRisk * 100)}%  ${dollars(r.valueAtRiskCents).padStart(13)}`,
      );
      expect(line.endsWith(r.reasons)).toBe(true);
    });
  });

  it('formats cents as dollars exactly', () => {
    expect(dollars(123456)).toBe('$1,234.56');
    expect(dollars(5)).toBe('$0.05');
    expect(dollars(100_000_000_00)).toBe('$100,000,000.00');
    expect(dollars(-1999)).toBe('-$19.99');
  });

  it('prints the JSON the API answers, money in cents', async () => {
    expect(await run(['calllist', '--location', 'L001', '--json'])).toBe(0);
    expect(JSON.parse(stdout)).toEqual(callListJson(l001));
  });

  it('ranks the portfolio across its open locations and states each fallback', async () => {
    expect(await run(['calllist', '--portfolio', '--n', '10'])).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Call list for the portfolio, as of ${portfolio.asOf}: churn risk = no visit within 90 days`,
    );
    // L003 is young: trained on the portfolio, and the table says so above itself.
    expect(portfolio.fallbacks.length).toBeGreaterThan(0);
    for (const f of portfolio.fallbacks) expect(lines).toContain(`Fallback: ${f}`);
    expect(portfolio.fallbacks.every((f) => f.startsWith('L003: '))).toBe(true);
    const header = lines.find((l) => l.startsWith(' #'));
    expect(header).toMatch(/^ # {2}location\s+patient id/);
    const rows = lines.slice(lines.indexOf(header!) + 1);
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 3))).toEqual(
      portfolio.rows.map((r) => [String(r.rank), r.locationId, r.patientId]),
    );
    // L002 closed in 2025-09: not in the portfolio's list.
    expect(portfolio.locations.map((l) => l.locationId)).toEqual(['L001', 'L003']);
  });

  it('writes CSV with dollars as numbers, the header facts on stderr', async () => {
    expect(
      await run(['calllist', '--location', 'L001', '--n', '3', '--as-of', '2025-11-30', '--format', 'csv']),
    ).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'rank,location_id,patient_id,last_treatment,last_visit_on,provider,days_since_last,typical_interval_days,' +
        'days_overdue,churn_risk,value_at_risk_usd,value_if_retained_usd,reasons',
    );
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1)) {
      expect(line).toMatch(
        /^\d,L001,L001-P\d+,[A-Za-z ]+,2025-\d\d-\d\d,[^,]*,\d+,\d+,\d+,0\.\d+,\d+\.\d\d,\d+\.\d\d,/,
      );
    }
    expect(stderr).toMatch(/^# Call list for L001 .+, as of 2025-11-30: /);
  });

  it('refuses a usage mistake with exit 2, and names an unknown location', async () => {
    expect(await run(['calllist'])).toBe(2);
    expect(stderr).toContain('calllist needs --location <id> or --portfolio');
    expect(await run(['calllist', '--location', 'L001', '--portfolio'])).toBe(2);
    expect(await run(['calllist', '--location', 'L001', '--n', '0'])).toBe(2);
    expect(stderr).toContain('--n "0": expected a whole number');
    expect(await run(['calllist', '--location', 'L001', '--as-of', '2025-02-30'])).toBe(2);
    expect(await run(['calllist', '--location', 'NOPE'])).toBe(2);
    expect(stderr).toBe('error: Unknown location "NOPE"\n');
    expect(stdout).toBe('');
  });

  it('exits 1 with the reason when the location cannot be scored', async () => {
    // A day before any data: nothing to fit.
    expect(await run(['calllist', '--location', 'L001', '--as-of', '2020-01-01'])).toBe(1);
    expect(stderr).toMatch(/^error: Location "L001" could not be scored: .+/);
    expect(stdout).toBe('');
  });
});
