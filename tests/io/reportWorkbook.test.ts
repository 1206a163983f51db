/*
 * The board-pack workbook, written from a hand-made spec and opened by a real LibreOffice,
 * which recalculates every formula: each must land on the engine's value (to the cent for
 * dollars), no text may have become a formula, and the file must carry its number formats,
 * panes, print setup, names, tables and charts.
 *
 * One LibreOffice run (beforeAll) converts both the fixture and a "stale cache" workbook
 * whose cached result is deliberately wrong, which proves LibreOffice recalculated rather
 * than echoing the writer's cached values. Without LibreOffice the suite fails, saying what
 * to install.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';

import * as ExcelJS from 'exceljs';
import JSZip from 'jszip';

import { specDate } from '../../io/report/formats';
import { writeReportWorkbook } from '../../io/reportWorkbook';
import {
  type CellReading,
  convertWithLibreOffice,
  loadWorkbook,
  readWorkbookCells,
  type SheetReadings,
} from '../support/libreOffice';
import { formulaMismatches, placedCells as placedCellsOf } from '../support/reportCells';
import { FIXTURE, HOSTILE_TEXTS, MEMBERS_SHEET, TOTAL_CURRENT, TOTAL_PRIOR } from './reportFixture';

let dir: string;
let writtenPath: string;
let written: Map<string, SheetReadings>;
let recalculated: Map<string, SheetReadings>;
let staleCache: Map<string, SheetReadings>;
let writtenZip: JSZip;
let recalculatedZip: JSZip;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-report-'));
  writtenPath = path.join(dir, 'board-pack.xlsx');
  await writeReportWorkbook(FIXTURE, writtenPath);

  // A workbook whose cached results are wrong: only a recalculation gets them right.
  const stalePath = path.join(dir, 'stale-cache.xlsx');
  const stale = new ExcelJS.Workbook();
  const ws = stale.addWorksheet('Stale');
  ws.getCell('A1').value = 2;
  ws.getCell('A2').value = { formula: 'A1*3', result: 999 };
  ws.getCell('A3').value = { formula: 'IF(A1=2,"",1)', result: 5 };
  await stale.xlsx.writeFile(stalePath);

  const [recalculatedPath, staleOut] = await convertWithLibreOffice(
    [writtenPath, stalePath],
    path.join(dir, 'recalculated'),
    'xlsx',
  );
  written = await readWorkbookCells(writtenPath);
  recalculated = await readWorkbookCells(recalculatedPath!);
  staleCache = await readWorkbookCells(staleOut!);
  writtenZip = await JSZip.loadAsync(fs.readFileSync(writtenPath));
  recalculatedZip = await JSZip.loadAsync(fs.readFileSync(recalculatedPath!));
}, 240_000);

afterAll(() => {
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

function reading(book: Map<string, SheetReadings>, sheet: string, address: string): CellReading | undefined {
  return book.get(sheet)?.get(address);
}

describe('LibreOffice recalculates (not echoes) the cached values', () => {
  it('replaces a deliberately wrong cached result with the computed one', () => {
    expect(reading(staleCache, 'Stale', 'A2')).toMatchObject({ formula: 'A1*3', value: 6 });
    expect(reading(staleCache, 'Stale', 'A3')?.value).toBeNull();
  });
});

describe('every formula evaluates to the engine value', () => {
  const formulas = () => placedCellsOf(FIXTURE).filter((p) => p.cell !== null && typeof p.cell === 'object');

  it('has the formulas of the spec, and no others', () => {
    const expected = formulas()
      .map((p) => `${p.sheet}!${p.address}`)
      .sort();
    const found: string[] = [];
    for (const [sheet, cells] of recalculated) {
      for (const [address, r] of cells) if (r.formula !== undefined) found.push(`${sheet}!${address}`);
    }
    expect(found.sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(30);
  });

  it('matches every value to the cent (ratios to 1e-9), blanks where the engine has none', () => {
    expect(formulaMismatches(FIXTURE, recalculated)).toEqual([]);
    // Both kinds of blank occur: a zero and a missing denominator, a sum of nothing.
    expect(
      formulas().filter((p) => (p.cell as { formula: { value: unknown } }).formula.value === null).length,
    ).toBeGreaterThan(4);
  });

  it('writes the engine value as the cached result, for viewers that do not recalculate', () => {
    for (const p of formulas()) {
      const f = (p.cell as { formula: { value: number | null } }).formula;
      const r = reading(written, p.sheet, p.address);
      expect(r?.formula).toBeDefined();
      if (f.value === null) expect(r?.value).toBeNull();
      else expect(r?.value).toBeCloseTo(f.value, 9);
    }
  });

  it('spells the formulas an auditor reads', () => {
    expect(reading(written, 'Summary', 'C15')?.formula).toBe('SUM(C8:C14)');
    expect(reading(written, 'Summary', 'E8')?.formula).toBe(
      'IF(AND(ISNUMBER(C8),ISNUMBER(D8),D8<>0),C8/D8-1,"")',
    );
    expect(reading(written, 'Summary', 'F8')?.formula).toBe('IF(AND(ISNUMBER(C8),ISNUMBER(D8)),C8-D8,"")');
    expect(reading(recalculated, 'Summary', 'C15')?.value).toBeCloseTo(TOTAL_CURRENT, 2);
  });
});

describe('texts stay texts', () => {
  const textCells = () => placedCellsOf(FIXTURE).filter((p) => typeof p.cell === 'string');

  it('writes every string of a table as a text cell, never a formula, keeping it exactly', () => {
    const cells = textCells().filter(
      (p) => !((p.unit === 'date' || p.unit === 'datetime') && specDate(p.cell as string, p.unit) !== null),
    );
    for (const hostile of HOSTILE_TEXTS) expect(cells.some((p) => p.cell === hostile)).toBe(true);
    for (const book of [written, recalculated]) {
      for (const p of cells) {
        const r = reading(book, p.sheet, p.address);
        expect({ where: p.where, type: r?.type, formula: r?.formula, value: r?.value }).toEqual({
          where: p.where,
          type: 'String',
          formula: undefined,
          value: p.cell,
        });
      }
    }
  });

  it('writes titles, subtitles, captions, headers and notes as texts', () => {
    for (const book of [written, recalculated]) {
      for (const [, cells] of book) {
        for (const [, r] of cells) if (r.type === 'String') expect(r.formula).toBeUndefined();
      }
      expect(reading(book, 'Summary', 'A1')?.value).toBe(FIXTURE.sheets[0]!.title);
      expect(reading(book, MEMBERS_SHEET, 'A3')).toMatchObject({
        type: 'String',
        value: '@ portfolio level',
      });
      expect(reading(book, 'Summary', 'A39')).toMatchObject({
        type: 'String',
        value: '+ Growth is blank where the prior LTM is blank or zero.',
      });
    }
  });

  it('puts the quote prefix on texts Excel would read as formulas', async () => {
    const styles = await writtenZip.file('xl/styles.xml')!.async('string');
    const xfs = [.../<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1]!.matchAll(/<xf\b[^>]*>/g)].map(
      (m) => m[0],
    );
    const sheet1 = await writtenZip.file('xl/worksheets/sheet1.xml')!.async('string');
    const styleOf = (address: string) =>
      Number(new RegExp(`<c r="${address}"(?: s="(\\d+)")?`).exec(sheet1)?.[1] ?? 0);
    const prefixed = (address: string) => (xfs[styleOf(address)] ?? '').includes('quotePrefix="1"');
    const hostile = textCells().filter(
      (p) => p.sheet === 'Summary' && HOSTILE_TEXTS.some((h) => h === p.cell),
    );
    expect(hostile.length).toBe(HOSTILE_TEXTS.length);
    for (const p of hostile)
      expect({ at: p.address, prefixed: prefixed(p.address) }).toEqual({ at: p.address, prefixed: true });
    expect(prefixed('A8')).toBe(false); // 'Austin – Domain' is plain text
  });

  it('writes date texts as dates, and a text that is no date as text', () => {
    const opened = reading(written, 'Summary', 'B8');
    expect(opened?.type).toBe('Date');
    expect((opened?.value as Date).toISOString()).toBe('2019-04-15T00:00:00.000Z');
    expect(reading(written, 'Summary', 'B14')).toMatchObject({ type: 'String', value: 'not a date' });
    const closed = reading(written, MEMBERS_SHEET, 'E7');
    expect((closed?.value as Date).toISOString()).toBe('2026-08-01T09:30:00.000Z');
  });
});

describe('the file carries its formats, panes, print setup, names, tables and charts', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(writtenPath);
  });

  it('formats numbers by unit', () => {
    const summary = wb.getWorksheet('Summary')!;
    const formats = Object.fromEntries(
      ['B8', 'C8', 'E8', 'G8', 'I8', 'C15'].map((a) => [a, summary.getCell(a).numFmt]),
    );
    expect(formats).toEqual({
      B8: 'yyyy-mm-dd',
      C8: '$#,##0.00_);($#,##0.00)',
      E8: '0.0%',
      G8: '#,##0',
      I8: '0.0%',
      C15: '$#,##0.00_);($#,##0.00)',
    });
    const providers = wb.getWorksheet('Providers')!;
    expect(['F7', 'G7', 'H7'].map((a) => providers.getCell(a).numFmt)).toEqual(['#,##0.0', '#,##0', '0']);
    expect(wb.getWorksheet(MEMBERS_SHEET)!.getCell('E7').numFmt).toBe('yyyy-mm-dd hh:mm');
  });

  it('titles the sheet and bolds the total row', () => {
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getCell('A1').font).toMatchObject({ bold: true, size: 16 });
    for (const a of ['A15', 'C15', 'E15']) expect(summary.getCell(a).font?.bold).toBe(true);
    expect(summary.getCell('A15').value).toBe('Total');
    expect(summary.getCell('C15').border?.bottom?.style).toBe('double');
  });

  it('freezes panes under the first header and sizes columns', () => {
    expect(wb.getWorksheet('Summary')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 7, xSplit: 0 });
    expect(wb.getWorksheet('Providers')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getColumn(3).width).toBe(15); // usd
    expect(summary.getColumn(10).width).toBe(26); // given
  });

  it('sets up printing: orientation, one page wide, margins, header and footer, title rows', async () => {
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    expect(summary.pageSetup.margins).toMatchObject({ left: 0.5, right: 0.5, top: 0.75, bottom: 0.75 });
    expect(wb.getWorksheet('Providers')!.pageSetup.orientation).toBe('portrait');
    expect(summary.headerFooter.oddHeader).toContain('&A');
    expect(summary.headerFooter.oddFooter).toContain('Page &P of &N');
    const workbookXml = await writtenZip.file('xl/workbook.xml')!.async('string');
    expect(workbookXml).toContain(
      `<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Summary&apos;!$7:$7</definedName>`,
    );
    expect(workbookXml).toContain(
      `<definedName name="_xlnm.Print_Titles" localSheetId="1">&apos;Providers&apos;!$6:$6</definedName>`,
    );
    // The third sheet has two tables: the first one's header would head the second's pages.
    expect(workbookXml).not.toContain('localSheetId="2"');
    expect(workbookXml).toContain('fullCalcOnLoad="1"');
  });

  it('names the key figures, quoting sheet names as Excel does', async () => {
    const workbookXml = await writtenZip.file('xl/workbook.xml')!.async('string');
    const names: Record<string, string> = Object.fromEntries(
      [...workbookXml.matchAll(/<definedName name="([^"]+)">([^<]*)<\/definedName>/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    expect(names).toEqual({
      NetRevenue_Current: '&apos;Summary&apos;!$C$15',
      NetRevenue_Prior: '&apos;Summary&apos;!$D$15',
      Growth_Total: '&apos;Summary&apos;!$E$15',
      TopProvider_Hours: '&apos;Providers&apos;!$F$7',
      Members_Latest: '&apos;Members&apos;&apos; Health &amp; Churn&apos;!$C$10',
    });
    // LibreOffice kept them, pointing at the recalculated totals.
    const lo = await recalculatedZip.file('xl/workbook.xml')!.async('string');
    for (const name of Object.keys(names)) expect(lo).toContain(`name="${name}"`);
    expect(reading(recalculated, 'Summary', 'D15')?.value).toBeCloseTo(TOTAL_PRIOR, 2);
  });

  it('makes each table a banded Excel table, and colour-scales the heatmap columns', async () => {
    const tables: Record<string, string> = {};
    for (const name of Object.keys(writtenZip.files).filter((n) => /^xl\/tables\/table\d+\.xml$/.test(n))) {
      const xml = await writtenZip.file(name)!.async('string');
      tables[/ name="([^"]+)"/.exec(xml)![1]!] = / ref="([^"]+)"/.exec(xml)![1]!;
      expect(xml).toContain('showRowStripes="1"');
      expect(xml).toContain('headerRowCount="1"');
    }
    expect(tables).toEqual({
      LocationRevenue: 'A7:J14',
      ProviderUtilization: 'A6:H10',
      MonthlyTrend: 'A6:E10',
      EmptyTable: 'A34:B35',
    });
    const providers = await writtenZip.file('xl/worksheets/sheet2.xml')!.async('string');
    for (const column of ['B', 'C', 'D', 'E']) {
      expect(providers).toMatch(
        new RegExp(`<conditionalFormatting sqref="${column}7:${column}10"><cfRule type="colorScale"`),
      );
    }
  });

  it('records title, creator and creation date', () => {
    expect(wb.title).toBe(FIXTURE.title);
    expect(wb.creator).toBe('Caliper');
    expect(wb.created.toISOString()).toBe('2026-11-03T14:05:00.000Z');
  });

  it('adds the charts, over the table cells, which LibreOffice reads and keeps', async () => {
    const chart1 = await writtenZip.file('xl/charts/chart1.xml')!.async('string');
    expect(chart1).toContain('<c:barDir val="col"/>');
    expect(chart1).toContain('<c:f>&apos;Summary&apos;!$C$8:$C$14</c:f>');
    expect(chart1).toContain('<c:f>&apos;Summary&apos;!$A$8:$A$14</c:f>');
    expect(await writtenZip.file('xl/charts/chart2.xml')!.async('string')).toContain('<c:barDir val="bar"/>');
    const chart3 = await writtenZip.file('xl/charts/chart3.xml')!.async('string');
    expect(chart3).toContain('<c:lineChart>');
    // Month categories are dates: numbers on the sheet, shown as dates on the axis.
    expect(chart3).toContain('<c:numFmt formatCode="yyyy-mm-dd" sourceLinked="0"/>');
    expect(await writtenZip.file('xl/worksheets/sheet1.xml')!.async('string')).toMatch(
      /<drawing r:id="rId\d+"\/><tableParts/,
    );
    const loCharts = Object.keys(recalculatedZip.files).filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n));
    expect(loCharts).toHaveLength(3);
  });
});

describe('writing to a stream', () => {
  it('ends the stream with a whole workbook', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const finished = new Promise((resolve) => out.on('end', resolve));
    await writeReportWorkbook(FIXTURE, out);
    await finished;
    const wb = await loadWorkbook(Buffer.concat(chunks));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Providers', MEMBERS_SHEET]);
  });
});
