/*
 * The board pack (shared/report) written as a workbook and recalculated by a real LibreOffice:
 * every formula evaluates without an error to the metric engine's value (to the cent for
 * dollars), and names from source files that Excel would read as formulas stay text.
 *
 * Fixtures, with the figures worked by hand in tests/shared/report/boardReport.test.ts:
 *   tenant t1      tests/fixtures/metrics/sameStore/portfolio, period 2025 (same-store, summary)
 *   tenant worked  tests/fixtures/metrics/providers/worked, period 2024 (provider P&L)
 *   tenant hostile tests/fixtures/report/hostileNames, period 2024: the worked example with
 *                  location, region, provider and service names starting with =, +, -, @, and a
 *                  second location W2 with one retail sale (120.00) and a provider, @Refund Only,
 *                  whose only line in 2024 is a −100.00 package refund, paid 625.00 in July.
 * One LibreOffice run converts the three workbooks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeReportWorkbook } from '../../io/reportWorkbook';
import { boardReport } from '../../shared/report/boardReport';
import type { ReportWorkbook } from '../../shared/report/reportSpec';
import { convertWithLibreOffice, readWorkbookCells, type SheetReadings } from '../support/libreOffice';
import { metricsOf } from '../support/metricsFixture';
import { formulaMismatches, formulaOf, placedCells } from '../support/reportCells';
import { openTestStore, type TestStore } from '../support/testStore';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

interface Pack {
  spec: ReportWorkbook;
  written: Map<string, SheetReadings>;
  recalculated: Map<string, SheetReadings>;
}

let t: TestStore;
let dir: string;
const packs = new Map<string, Pack>();

async function specOf(tenant: string, bundle: string, period: string): Promise<ReportWorkbook> {
  await t.ingest([path.join(FIXTURES, bundle)], tenant);
  const made = boardReport({
    ctx: await metricsOf(t, tenant),
    period,
    basis: 'current data',
    sources: await t.store.reportSources(tenant),
    generatedAt: '2026-01-15T09:00:00Z',
  });
  if (!made.ok) throw new Error(made.message);
  return made.workbook;
}

beforeAll(async () => {
  t = openTestStore();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-board-pack-'));
  const specs = {
    t1: await specOf('t1', 'metrics/sameStore/portfolio', '2025'),
    worked: await specOf('worked', 'metrics/providers/worked', '2024'),
    hostile: await specOf('hostile', 'report/hostileNames', '2024'),
  };
  const files: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const file = path.join(dir, `${name}.xlsx`);
    await writeReportWorkbook(spec, file);
    files.push(file);
  }
  const converted = await convertWithLibreOffice(files, path.join(dir, 'recalculated'), 'xlsx');
  let i = 0;
  for (const [name, spec] of Object.entries(specs)) {
    packs.set(name, {
      spec,
      written: await readWorkbookCells(files[i] as string),
      recalculated: await readWorkbookCells(converted[i] as string),
    });
    i += 1;
  }
}, 240_000);

afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function pack(name: string): Pack {
  const found = packs.get(name);
  if (!found) throw new Error(`no pack ${name}`);
  return found;
}

describe('the board pack recalculated by LibreOffice', () => {
  it.each(['t1', 'worked', 'hostile'])(
    '%s: every formula evaluates to the engine value, to the cent',
    (name) => {
      const { spec, recalculated } = pack(name);
      expect(formulaMismatches(spec, recalculated)).toEqual([]);
      expect(placedCells(spec).filter((p) => formulaOf(p) !== null).length).toBeGreaterThan(20);
    },
  );

  it('shows the same-store growth of the comparable set, 24,600 / 20,500 − 1, in the total row', () => {
    const { spec, recalculated } = pack('t1');
    const total = placedCells(spec).filter(
      (p) => p.sheet === 'Same-store' && p.where.startsWith('SameStore_Comparable total'),
    );
    const value = (key: string) =>
      recalculated.get('Same-store')?.get(total.find((p) => p.where.endsWith(`, ${key}`))?.address ?? '')
        ?.value;
    expect(value('revenue')).toBeCloseTo(24600, 2);
    expect(value('revenuePy')).toBeCloseTo(20500, 2);
    expect(value('revenueGrowth')).toBeCloseTo(0.2, 12);
  });

  it('leaves the pay ratio blank for a provider whose production is negative, as the engine does', () => {
    const { spec, recalculated } = pack('hostile');
    const cells = placedCells(spec).filter((p) => p.sheet === 'Providers');
    const row = cells.find((p) => p.cell === '@Refund Only')?.where.replace(/, provider$/, '');
    const at = (key: string) => cells.find((p) => p.where === `${row}, ${key}`)?.address ?? '';
    expect(recalculated.get('Providers')?.get(at('production'))?.value).toBe(-100);
    expect(recalculated.get('Providers')?.get(at('compensation'))?.value).toBe(625);
    expect(recalculated.get('Providers')?.get(at('ratio'))).toMatchObject({ value: null });
  });

  it('has no formula anywhere but where the pack puts one', () => {
    for (const name of ['t1', 'worked', 'hostile']) {
      const { spec, recalculated } = pack(name);
      const expected = new Set(
        placedCells(spec)
          .filter((p) => formulaOf(p) !== null)
          .map((p) => `${p.sheet}!${p.address}`),
      );
      const found: string[] = [];
      for (const [sheet, cells] of recalculated) {
        for (const [address, r] of cells)
          if (r.formula !== undefined && !expected.has(`${sheet}!${address}`))
            found.push(`${sheet}!${address}`);
      }
      expect({ name, found }).toEqual({ name, found: [] });
    }
  });

  it('keeps names from source files that start with =, +, -, @ as the text they are', () => {
    const { written, recalculated } = pack('hostile');
    const hostile = [
      '=HYPERLINK("http://example.invalid","click") (W1)',
      '@SUM(A1) (W2)',
      '+1+1',
      '-2+3',
      '@Refund Only',
    ];
    for (const book of [written, recalculated]) {
      const texts = new Map<string, { type: string; formula?: string }>();
      for (const cells of book.values()) {
        for (const r of cells.values()) if (typeof r.value === 'string') texts.set(r.value, r);
      }
      for (const name of hostile) {
        expect({ name, reading: texts.get(name) }).toEqual({
          name,
          reading: expect.objectContaining({ type: 'String' }),
        });
        expect(texts.get(name)?.formula).toBeUndefined();
      }
    }
  });
});
