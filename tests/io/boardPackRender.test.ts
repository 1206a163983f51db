/*
 * The Summary and Providers sheets of a real board pack (the call list's 3-location demo,
 * 2025-Q4) as LibreOffice prints them: PNG pages under test-artifacts/report/ to look at. The
 * test checks the pages exist and hold an image; a person checks they read well on paper.
 */
import fs from 'node:fs';
import path from 'node:path';

import { writeReportWorkbook } from '../../io/reportWorkbook';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { boardReport } from '../../shared/report/boardReport';
import { ingestCallListDemo } from '../support/callListDemo';
import { renderSheetsToPng } from '../support/libreOffice';
import { openTestStore, type TestStore } from '../support/testStore';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'report');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let t: TestStore;
beforeAll(async () => {
  t = openTestStore();
  await ingestCallListDemo(t, 't1');
}, 120_000);
afterAll(async () => {
  await t.close();
});

it('prints the Summary and Providers sheets of a demo board pack as PNG pages', async () => {
  const made = boardReport({
    ctx: await openMetrics(t.store, 't1'),
    period: '2025-Q4',
    basis: 'current data',
    sources: await t.store.reportSources('t1'),
    generatedAt: '2026-01-15T09:00:00Z',
  });
  if (!made.ok) throw new Error(made.message);
  const sheets = made.workbook.sheets.filter((s) => s.name === 'Summary' || s.name === 'Providers');
  const tables = new Set(sheets.flatMap((s) => s.tables.map((x) => x.name)));
  const workbook = {
    ...made.workbook,
    sheets,
    namedCells: made.workbook.namedCells.filter((n) => tables.has(n.table)),
  };
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const xlsx = path.join(ARTIFACTS, 'demo-summary-providers.xlsx');
  await writeReportWorkbook(workbook, xlsx);
  const pages = await renderSheetsToPng(xlsx, ARTIFACTS);
  expect(pages.length).toBeGreaterThanOrEqual(2);
  for (const page of pages) {
    const bytes = fs.readFileSync(page);
    expect(bytes.length).toBeGreaterThan(5_000);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  }
}, 180_000);
