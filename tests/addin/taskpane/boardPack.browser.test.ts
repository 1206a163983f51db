/*
 * The Overview and the board pack in a real headless Chromium (tests/addin/support/paneHarness.ts):
 * the built pane over a store holding a 5-location, two-year demo, with the Excel stand-in
 * recording every write. The KPI strip must show the API's figures; the board pack asks before
 * replacing its sheets (Cancel writes nothing, Replace rebuilds them), states its period with
 * the dates and the data's as-of month, lists only the comparable set on Same-store with the
 * exclusions and their reasons, and shows at most the top 15 providers plus one Other row.
 * Screenshots at 350 and 800 px go to test-artifacts/addin/.
 */
import type { BatchResponse, Portfolio, TraceBody } from '../../../addin/api/caliperClient';
import { periodHeading, TABLE_HEADER_ROW } from '../../../addin/excel/boardPack';
import { KPI_STRIP_METRICS, KPI_STRIP_PERIOD, kpiFigureText } from '../../../addin/taskpane/kpiFigures';
import { ingestCallListDemo } from '../../support/callListDemo';
import type { StandInSheet } from '../support/excelStandIn';
import { hasChromium, openPane, type Pane } from '../support/paneHarness';

/** Two years, so the last twelve months have a prior year and same-store growth has a set. */
const DEMO = { locations: 5, years: 2, seed: 5, end: '2025-12' };
const NARROW = { width: 350, height: 900 };
const WIDE = { width: 800, height: 900 };

if (!hasChromium) console.warn('Skipping the board-pack browser test: no /usr/bin/chromium.');
const describeInBrowser = hasChromium ? describe : describe.skip;

/** Column A of a sheet from `from` down to the first empty row. */
function columnA(sheet: StandInSheet, from: number): unknown[] {
  const out: unknown[] = [];
  for (let row = from; sheet.cells[`A${row}`] !== undefined; row += 1)
    out.push(sheet.cells[`A${row}`]?.value);
  return out;
}

describeInBrowser('the overview and the board pack in a headless browser', () => {
  let pane: Pane;
  let portfolio: Portfolio;

  beforeAll(async () => {
    pane = await openPane((t) => ingestCallListDemo(t, 't1', DEMO), NARROW);
    await pane.page.getByText('Tenant t1').waitFor();
    portfolio = await pane.api<Portfolio>('/api/portfolio');
  }, 180_000);

  afterAll(async () => {
    await pane?.close();
  });

  it('shows the KPI strip with the API’s portfolio figures, and closed locations as Closed', async () => {
    const { page } = pane;
    await page.getByRole('tab', { name: 'Overview' }).click();
    const strip = page.getByRole('group', { name: 'Key figures' });
    await strip.waitFor();
    const api = await pane.api<BatchResponse>('/api/metrics/batch', {
      requests: KPI_STRIP_METRICS.map((m) => ({ metric: m.metric, period: KPI_STRIP_PERIOD })),
    });
    const expected = api.results.map((r) => ('error' in r ? '—' : kpiFigureText(r)));
    const shown = await strip.locator('[data-kpi-value]').allTextContents();
    expect(shown).toEqual(expected);

    const today = new Date().toISOString().slice(0, 10);
    for (const l of portfolio.locations) {
      const badge = await page.locator(`tr[data-location="${l.location_id}"] td`).nth(2).textContent();
      if (l.closed_on !== null && l.closed_on <= today) expect(badge).toBe('Closed');
      else expect(badge).not.toBe('Closed');
    }
    await pane.screenshot('overview-350');
    await page.setViewportSize(WIDE);
    await pane.screenshot('overview-800');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await page.setViewportSize(NARROW);
  }, 60_000);

  it('writes the board pack: period with dates and as-of, the comparable set, the top 15 providers', async () => {
    const { page } = pane;
    await page.getByRole('tab', { name: 'Board pack' }).click();
    await page.getByRole('button', { name: 'Build board pack' }).click();
    const trace = await pane.api<TraceBody>(
      `/api/trace?metric=same_store_revenue_growth&period=${KPI_STRIP_PERIOD}`,
    );
    const heading = periodHeading(
      { typed: 'LTM', cell: trace.period.label, start: trace.period.start, end: trace.period.end },
      portfolio.periods.as_of_month,
    );
    await page
      .getByText(`Added Same-store, Provider P&L, Membership and Benchmarks for ${heading}.`)
      .waitFor({
        timeout: 120_000,
      });
    expect(heading).toMatch(
      /^LTM — [A-Z][a-z]{2} \d{4} to [A-Z][a-z]{2} \d{4} \(as of [A-Z][a-z]{2} \d{4}\)$/,
    );

    const sameStore = await pane.sheet('Same-store');
    expect([sameStore.cells.B2?.value, sameStore.cells.C2?.value]).toEqual([trace.period.label, heading]);
    const details = trace.details as {
      comparable: string[];
      excluded: { location_id: string; reason: string }[];
    };
    const nameOf = (id: string) => portfolio.locations.find((l) => l.location_id === id)?.name ?? id;
    const first = TABLE_HEADER_ROW + 1;
    const rows = columnA(sameStore, first);
    expect(rows.slice(0, details.comparable.length)).toEqual(details.comparable.map(nameOf));
    expect(rows[details.comparable.length]).toBe(`Comparable set (${details.comparable.length})`);
    const excludedHeader = first + details.comparable.length + 3;
    expect(sameStore.cells[`A${excludedHeader - 1}`]?.value).toBe('Left out of the comparable set, and why');
    const excludedRows = details.excluded.map((e) => [nameOf(e.location_id), e.reason]);
    expect(
      excludedRows.map((_, i) => [
        sameStore.cells[`A${excludedHeader + 1 + i}`]?.value,
        sameStore.cells[`B${excludedHeader + 1 + i}`]?.value,
      ]),
    ).toEqual(excludedRows);

    const pnl = await pane.sheet('Provider P&L');
    const providerRows = columnA(pnl, first);
    expect(providerRows.length).toBeLessThanOrEqual(16);

    const benchmarks = await pane.sheet('Benchmarks');
    expect(String(benchmarks.cells.A1?.value)).toContain('data as of');
    await pane.screenshot('board-pack-350');
  }, 180_000);

  it('asks before replacing the sheets: Cancel writes nothing, Replace rebuilds them', async () => {
    const { page } = pane;
    const before = (await pane.writes()).length;
    await page.getByRole('button', { name: 'Build board pack' }).click();
    await page.getByText('Replace 4 sheets?').waitFor();
    expect(
      await page
        .getByText('This workbook already has Same-store, Provider P&L, Membership and Benchmarks.')
        .count(),
    ).toBe(1);
    await pane.screenshot('board-pack-confirm-350');
    await page.setViewportSize(WIDE);
    await pane.screenshot('board-pack-confirm-800');
    await page.setViewportSize(NARROW);

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Board pack cancelled: nothing was written.').waitFor();
    expect((await pane.writes()).length).toBe(before);

    await page.getByRole('button', { name: 'Build board pack' }).click();
    await page.getByRole('button', { name: 'Replace' }).click();
    await page.getByText(/^Added Same-store, Provider P&L, Membership and Benchmarks for /).waitFor({
      timeout: 120_000,
    });
    const after = await pane.writes();
    expect(after.length).toBeGreaterThan(before);
    expect(
      after
        .slice(before)
        .filter((w) => w.op === 'deleteSheet')
        .map((w) => w.sheet),
    ).toEqual(['Same-store', 'Provider P&L', 'Membership', 'Benchmarks']);
    expect((await pane.model()).map((s) => s.name)).toEqual([
      'Sheet1',
      'Same-store',
      'Provider P&L',
      'Membership',
      'Benchmarks',
    ]);
    await pane.screenshot('board-pack-replaced-350');
    await page.setViewportSize(WIDE);
    await pane.screenshot('board-pack-800');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(pane.pageErrors).toEqual([]);
  }, 180_000);
});
