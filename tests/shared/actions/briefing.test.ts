import type { Action } from '../../../shared/actions/action';
import { briefing, type BriefingItem, compareItems } from '../../../shared/actions/briefing';
import { patientItems } from '../../../shared/actions/briefingActionItems';
import { briefingJson, briefingMarkdown, formatBriefing } from '../../../shared/actions/briefingJson';
import { applyRewrite, rewriteConfigOf, rewriteInput } from '../../../shared/actions/briefingRewrite';
import { type DailyMeasure, M } from '../../../shared/engine/measures';
import { MetricContext } from '../../../shared/metrics/metricContext';
import type { MembershipInfo, ProviderInfo } from '../../../shared/metrics/metricData';
import { addMonths } from '../../../shared/model/localDate';
import { location, metricData } from '../../support/metricData';

/*
 * A location built by hand, every dollar below worked out by hand. Clinic H has data from
 * 2025-05-01 to 2026-06-30; the briefing of 2026-07-02 reads 2026-06, its last complete month.
 *
 * Net revenue: $10,000 of services a month 2025-05 … 2025-11; then $100 per visit, 90 visits a
 *   month 2025-12 … 2026-05 ($9,000), 76 visits in June ($7,600) plus $2,000 of retail = $9,600.
 *   Against 2025-06 ($10,000): −$400.00 (4.0 %); against 2026-05 ($9,000): +$600.00 (6.7 %).
 * No-shows: 6 in 100 appointments a month, then 20 in 100 in June: 20 % against 6 %, a spike;
 *   no_show_gap_dollars (20 − 0.065 × 100) × $100 = $1,350.00 — the spike's dollars, so no gap
 *   item of its own.
 * Provider P1 (Dana Reyes): $10,000 production, $5,500 wages a month 2026-04 … 06: 0.55 over the
 *   three months, above the band: $16,500 − 0.40 × $30,000 = $4,500.00. The location's June
 *   provider_comp_gap_dollars: $5,500 − 0.40 × $10,000 = $1,500.00, a gap item.
 * Memberships: 20 at $100 a month from 2025-01-01; one cancelled (and replaced the same day) in
 *   March, one in April, two in May, four in June (not replaced). Churn 0.05, 0.05, 0.10, then
 *   4 / 20 = 0.20 against the mean 0.0667: 4 − 0.0667 × 20 = 2.667 more than usual, × $100
 *   (mrr $2,000 / 20 active at the end of May) = $266.67.
 * No patients, shifts or booked_at: rebooking, capacity and retention gaps have no value (no
 *   item), the churn score has no one to score and the forecast nothing to forecast (notes).
 * Clinic Z closed on 2026-05-31: not in the briefing.
 */

const DATE = '2026-07-02';
const daily: DailyMeasure[] = [];
const add = (locationId: string, providerId: string, day: string, measure: string, value: number) =>
  daily.push({ locationId, providerId, day, measure, value });

for (let month = '2025-05'; month <= '2025-11'; month = addMonths(month, 1)) {
  add('H', '', `${month}-15`, M.net('service'), 1_000_000);
  add('H', '', `${month}-15`, M.saleLines, 10);
  add('Z', '', `${month}-15`, M.net('service'), 500_000);
}
for (let month = '2025-12'; month <= '2026-06'; month = addMonths(month, 1)) {
  const june = month === '2026-06';
  const visits = june ? 76 : 90;
  add('H', '', `${month}-15`, M.visits, visits);
  add('H', '', `${month}-15`, M.noShows, june ? 20 : 6);
  add('H', '', `${month}-15`, M.lateCancels, 4);
  add('H', '', `${month}-15`, M.net('service'), visits * 10_000);
  add('H', '', `${month}-15`, M.saleLines, visits);
}
add('H', '', '2026-06-20', M.net('retail'), 200_000);
for (const month of ['2026-04', '2026-05', '2026-06']) {
  add('H', 'P1', `${month}-10`, M.production, 1_000_000);
  add('H', 'P1', `${month}-10`, M.compWages, 550_000);
}

const providers: ProviderInfo[] = [
  { provider_id: 'P1', location_id: 'H', display_name: 'Dana Reyes', role: null },
];

function membership(n: number, started: string, cancelled: string | null): MembershipInfo {
  return {
    membership_id: `MB${n}`,
    patient_id: `H-P${n}`,
    location_id: 'H',
    plan: 'glow',
    monthly_fee: 10_000,
    started_on: started,
    cancelled_on: cancelled,
    person_key: `person-${n}`,
  };
}
const cancellations: [string, boolean][] = [
  ['2026-03-10', true],
  ['2026-04-10', true],
  ['2026-05-10', true],
  ['2026-05-11', true],
  ['2026-06-10', false],
  ['2026-06-11', false],
  ['2026-06-12', false],
  ['2026-06-13', false],
];
const memberships: MembershipInfo[] = [];
for (let n = 1; n <= 20; n++)
  memberships.push(membership(n, '2025-01-01', cancellations[n - 1]?.[0] ?? null));
cancellations.forEach(([day, replaced], i) => {
  if (replaced) memberships.push(membership(100 + i, day, null));
});

const data = {
  ...metricData(
    [location('H', { name: 'Clinic H' }), location('Z', { name: 'Clinic Z', closed_on: '2026-05-31' })],
    daily,
    { first: '2025-05-01', last: '2026-06-30' },
  ),
  providers,
  memberships,
};
const ctx = new MetricContext(data);
const portfolio = briefing(ctx, { scope: { kind: 'portfolio' }, date: DATE });
const located = briefing(ctx, { scope: { kind: 'location', locationId: 'H' }, date: DATE });

const summary = (items: BriefingItem[]) => items.map((i) => [i.kind, i.dollarsCents]);

describe('the briefing of a location built by hand', () => {
  it('lists each item with its hand-checked dollars, largest first by size', () => {
    expect(located.asOfMonth).toBe('2026-06');
    expect(summary(located.items)).toEqual([
      ['provider_out_of_band', 450_000],
      ['gap', 150_000],
      ['no_show_spike', 135_000],
      ['revenue_vs_prior_month', 60_000],
      ['revenue_vs_last_year', -40_000],
      ['membership_churn', 26_667],
    ]);
  });

  it('says each item in plain words: names, counts and dollars', () => {
    expect(located.items.map((i) => i.sentence)).toEqual([
      "Clinic H: Dana Reyes's pay was 55.0 % of production over 2026-04 … 2026-06 ($16,500 on $30,000), above the 35–50 % band: $4,500 more than at the target.",
      'Clinic H: $1,500 paid in 2026-06 above the comp-to-production target by providers over 50 %.',
      'Clinic H: no-shows rose to 20.0 % in 2026-06 (20 no-shows), from 6.0 % over the 6 months before: $1,350 lost beyond the target.',
      'Net revenue at Clinic H was $9,600 in 2026-06, up $600 (6.7 %) from $9,000 in 2026-05.',
      'Net revenue at Clinic H was $9,600 in 2026-06, down $400 (4.0 %) from $10,000 in 2025-06.',
      'Clinic H: 4 memberships cancelled in 2026-06, 20.0 % of the 20 active on the 1st, against 6.7 % a month over 2026-03 … 2026-05 — about 2.7 more than usual: $267 a month in membership fees.',
    ]);
  });

  it('traces every sentence to the figures behind it, each one call away', () => {
    const churn = located.items.find((i) => i.kind === 'membership_churn')!;
    expect(
      churn.trace.map((f) => [
        f.kind === 'metric' ? f.metric : f.kind,
        f.kind === 'metric' ? f.period : '',
        f.value,
      ]),
    ).toEqual([
      ['membership_churn_rate', '2026-06', 0.2],
      ['membership_churn_rate', '2026-05', 0.1],
      ['membership_churn_rate', '2026-04', 0.05],
      ['membership_churn_rate', '2026-03', 0.05],
      ['mrr', '2026-05', 200_000],
      ['active_members', '2026-05', 20],
    ]);
    const json = briefingJson(located, ctx) as {
      items: { trace: { trace: { cli: string; api: string } }[] }[];
    };
    const calls = json.items.flatMap((i) => i.trace.map((f) => f.trace));
    expect(calls).toContainEqual({
      cli: 'caliper trace net_revenue --period 2025-06 --location H',
      api: '/api/trace?metric=net_revenue&period=2025-06&location=H',
    });
    expect(calls).toContainEqual({
      cli: 'caliper trace provider_comp_gap_dollars --period 2026-04-01..2026-06-30 --location H --provider P1',
      api: '/api/trace?metric=provider_comp_gap_dollars&period=2026-04-01..2026-06-30&location=H&provider=P1',
    });
    // Every item has at least one figure, and every metric figure names the engine's metric.
    expect(located.items.every((i) => i.trace.length > 0)).toBe(true);
  });

  it('says what it could not judge instead of guessing', () => {
    expect(located.notes.some((n) => n.startsWith('Clinic H: patients not scored'))).toBe(true);
    expect(located.notes.some((n) => n.startsWith('no forecast for the month after 2026-06'))).toBe(true);
    expect(located.items.some((i) => i.kind === 'forecast_vs_last_year')).toBe(false);
  });

  it('is the same briefing from the same data and date', () => {
    expect(briefing(ctx, { scope: { kind: 'location', locationId: 'H' }, date: DATE })).toEqual(located);
  });
});

describe('the portfolio briefing', () => {
  it('leaves out a closed location, with the reason, and says the portfolio’s revenue', () => {
    expect(portfolio.notes).toContain(
      'Clinic Z: not in the briefing — closed on 2026-05-31: nobody there to act',
    );
    const lastYear = portfolio.items.find((i) => i.kind === 'revenue_vs_last_year')!;
    // Z's $5,000 of 2025-06 is in the portfolio's year-ago month: $9,600 against $15,000.
    expect(lastYear.sentence).toBe(
      'Net revenue across the portfolio was $9,600 in 2026-06, down $5,400 (36.0 %) from $15,000 in 2025-06.',
    );
    expect(lastYear.dollarsCents).toBe(-540_000);
  });

  it('respects a snoozed action: the spike is left out, and its gap does not come back in its place', () => {
    const snoozed = briefing(ctx, {
      scope: { kind: 'portfolio' },
      date: DATE,
      actionStates: [
        {
          action_id: 'no_show_spike:H:H:2026-06',
          status: 'snoozed',
          snoozed_until: '2026-07-10',
          updated_at: 'x',
        },
      ],
    });
    expect(snoozed.items.map((i) => i.kind)).not.toContain('no_show_spike');
    expect(
      snoozed.items.filter((i) =>
        i.trace.some((f) => f.kind === 'metric' && f.metric === 'no_show_gap_dollars'),
      ),
    ).toEqual([]);
    expect(snoozed.notes).toContain('1 snoozed or done actions left out (caliper actions --include-snoozed)');
    // Each location's own notes in location order, then the count, then the portfolio's forecast.
    expect(snoozed.notes).toEqual([
      'Clinic H: patients not scored, so no patient actions: no patient had a visit on or before 2026-06-30; no patient of the portfolio had a visit on or before 2026-06-30',
      'Clinic Z: not in the briefing — closed on 2026-05-31: nobody there to act',
      '1 snoozed or done actions left out (caliper actions --include-snoozed)',
      'no forecast for the month after 2026-06: No location of the portfolio can be forecast after 2026-06 (H: H has no patient with a completed visit by 2026-06-30)',
    ]);
  });

  it('has nothing to say before the data, and says so', () => {
    const early = briefing(ctx, { scope: { kind: 'portfolio' }, date: '2025-01-01' });
    expect(early.items).toEqual([]);
    expect(early.asOfMonth).toBeNull();
    expect(early.notes).toContain('no location has data to brief on 2025-01-01');
  });
});

function patientAction(
  rule: 'vip_past_due' | 'cadence_broken',
  id: string,
  dollarsCents: number | null,
): Action {
  return {
    id: `${rule}:H:${id}:2026-06`,
    rule,
    audience: 'front_desk',
    locationId: 'H',
    subject: { kind: 'patient', patientId: id },
    period: '2026-06',
    asOf: '2026-06-30',
    dollarsCents,
    dollarsBasis: dollarsCents === null ? 'no value at risk: too few repeat patients' : 'value at risk',
    sentence: `VIP ${id} last seen 2026-01-02`,
    facts: [],
    alsoTrue: [],
    draft: null,
  };
}

describe('patients, as counts and dollars only', () => {
  const items = patientItems('H', 'Clinic H', [
    patientAction('vip_past_due', 'H-P000123', 1_234_567),
    patientAction('vip_past_due', 'H-P000456', 765_433),
    patientAction('vip_past_due', 'H-P000789', null),
    patientAction('cadence_broken', 'H-P000999', null),
  ]);

  it('counts the patients of each rule and sums their value at risk, naming none of them', () => {
    expect(items.map((i) => [i.kind, i.dollarsCents, i.sentence])).toEqual([
      [
        'vip_past_due',
        2_000_000,
        'Clinic H: 3 VIPs are past due with nothing booked: $20,000 at risk (1 has no value) — see the call list.',
      ],
      [
        'cadence_broken',
        null,
        'Clinic H: 1 patient has broken their usual rhythm with nothing booked — see the call list.',
      ],
    ]);
    const text = JSON.stringify(items);
    for (const id of ['H-P000123', 'H-P000456', 'H-P000789', 'H-P000999', '2026-01-02'])
      expect(text).not.toContain(id);
    expect(items[0]!.trace[0]).toEqual({
      kind: 'actions',
      name: 'vip_past_due_patients',
      rule: 'vip_past_due',
      locationId: 'H',
      asOf: '2026-06-30',
      value: 3,
      unit: 'count',
    });
  });
});

describe('ordering and rendering', () => {
  it('puts larger dollars first by size, items without dollars last', () => {
    const item = (dollarsCents: number | null, sentence: string): BriefingItem => ({
      kind: 'gap',
      locationId: 'H',
      sentence,
      dollarsCents,
      dollarsBasis: '',
      trace: [],
    });
    const sorted = [item(null, 'a'), item(5, 'b'), item(-9, 'c'), item(5, 'a')].sort(compareItems);
    expect(sorted.map((i) => [i.dollarsCents, i.sentence])).toEqual([
      [-9, 'c'],
      [5, 'a'],
      [5, 'b'],
      [null, 'a'],
    ]);
  });

  it('renders plain text with traces on request, and markdown', () => {
    const text = formatBriefing(located, { traces: true, title: 'Clinic H' });
    expect(text.split('\n').slice(0, 4)).toEqual([
      'Daily briefing for Clinic H, 2026-07-02 (figures through 2026-06)',
      '',
      "$4,500.00  Clinic H: Dana Reyes's pay was 55.0 % of production over 2026-04 … 2026-06 ($16,500 on $30,000), above the 35–50 % band: $4,500 more than at the target.",
      '           ↳ caliper trace comp_to_production_ratio --period 2026-04-01..2026-06-30 --location H --provider P1',
    ]);
    expect(text).toContain(' −$400.00  Net revenue at Clinic H was $9,600 in 2026-06');
    const md = briefingMarkdown(located, 'Clinic H');
    expect(md).toContain('1. **$4,500.00** — Clinic H: Dana Reyes');
  });
});

describe('the Azure OpenAI hook (not built: off by default, and never sent a name)', () => {
  it('is off unless both the endpoint and the deployment are configured', () => {
    expect(rewriteConfigOf({})).toBeNull();
    expect(rewriteConfigOf({ CALIPER_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })).toBeNull();
    expect(
      rewriteConfigOf({
        CALIPER_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
        CALIPER_OPENAI_DEPLOYMENT: 'gpt',
      }),
    ).toEqual({ endpoint: 'https://x.openai.azure.com', deployment: 'gpt' });
  });

  it('sends placeholders for names, puts the names back, and keeps the original when a number changes', () => {
    const input = rewriteInput(located, ['Clinic H', 'Dana Reyes']);
    expect(input.sentences.join('\n')).not.toMatch(/Clinic H|Dana Reyes/);
    expect(input.sentences[0]).toBe(
      "{{name_2}}: {{name_1}}'s pay was 55.0 % of production over 2026-04 … 2026-06 ($16,500 on $30,000), above the 35–50 % band: $4,500 more than at the target.",
    );
    const reworded = input.sentences.map((s) => `In short — ${s}`);
    const rewritten = applyRewrite(located, input, reworded);
    expect(rewritten.items[0]!.sentence).toBe(`In short — ${located.items[0]!.sentence}`);
    expect(rewritten.items.map((i) => i.dollarsCents)).toEqual(located.items.map((i) => i.dollarsCents));
    const changed = reworded.map((s, i) => (i === 0 ? s.replace('$4,500', '$4,600') : s));
    expect(applyRewrite(located, input, changed)).toBe(located);
  });
});
