/*
 * What exceljs cannot write, added to the package it wrote (a zip of XML parts, opened with
 * the JSZip exceljs itself ships):
 *
 * - Excel's quote prefix (`quotePrefix="1"` on a cell format) on texts Excel would otherwise
 *   read as something else when the cell is edited — a twin of the cell's format that carries it;
 * - a carriage return kept a carriage return in shared strings (exceljs writes it raw, which
 *   every XML reader turns into a line feed);
 * - the defined names: the named cells and each sheet's print titles (exceljs does not quote a
 *   sheet name holding an apostrophe, and Excel then drops the name);
 * - charts: a chart part per chart, a drawing per sheet anchoring them, and their relationships.
 *
 * The parts edited are exceljs' own output, whose shape is known; each edit is a targeted
 * replacement, checked to have found what it looks for.
 */

import JSZip from 'jszip';

import { type ChartPart, chartXml, drawingXml, escapeXml } from './charts';

export interface SheetPatch {
  /** Cells (`B7`) whose text is written behind the quote prefix. */
  quotePrefixCells: ReadonlySet<string>;
  charts: ChartPart[];
  /** The row printed at the top of every page, if any. */
  printTitleRow: number | null;
  /** `'Sheet'` as references spell it. */
  quotedName: string;
}

export interface DefinedName {
  name: string;
  reference: string;
}

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DRAWING_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';
const CHART_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart';
const CHART_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';

function attributes(tag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) map.set(m[1] ?? '', m[2] ?? '');
  return map;
}

async function text(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (file === null) throw new Error(`The workbook exceljs wrote has no ${path}`);
  return file.async('string');
}

function replaceOnce(xml: string, find: RegExp | string, by: string, what: string): string {
  const at = typeof find === 'string' ? xml.indexOf(find) : xml.search(find);
  if (at < 0) throw new Error(`Unexpected workbook XML: no ${what}`);
  return xml.replace(find, by);
}

/** The worksheet part of each sheet, in workbook order. */
async function sheetParts(zip: JSZip): Promise<string[]> {
  const workbook = await text(zip, 'xl/workbook.xml');
  const rels = await text(zip, 'xl/_rels/workbook.xml.rels');
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const a = attributes(m[0]);
    targets.set(a.get('Id') ?? '', a.get('Target') ?? '');
  }
  return [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => {
    const target = targets.get(attributes(m[0]).get('r:id') ?? '');
    if (target === undefined) throw new Error('Unexpected workbook XML: a sheet without its part');
    return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  });
}

async function writeDefinedNames(zip: JSZip, names: readonly DefinedName[], sheets: readonly SheetPatch[]) {
  const entries = names.map(
    (n) => `<definedName name="${escapeXml(n.name)}">${escapeXml(n.reference)}</definedName>`,
  );
  sheets.forEach((sheet, i) => {
    if (sheet.printTitleRow === null) return;
    const rows = `${sheet.quotedName}!$${sheet.printTitleRow}:$${sheet.printTitleRow}`;
    entries.push(
      `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeXml(rows)}</definedName>`,
    );
  });
  let workbook = (await text(zip, 'xl/workbook.xml')).replace(/<definedNames>[\s\S]*?<\/definedNames>/, '');
  if (entries.length > 0) {
    workbook = replaceOnce(
      workbook,
      '</sheets>',
      `</sheets><definedNames>${entries.join('')}</definedNames>`,
      'sheets',
    );
  }
  zip.file('xl/workbook.xml', workbook);
}

/** Adds to styles.xml a twin with quotePrefix="1" of each cell format asked for; returns format → twin. */
async function quotePrefixTwins(zip: JSZip, formats: ReadonlySet<number>): Promise<Map<number, number>> {
  const twins = new Map<number, number>();
  if (formats.size === 0) return twins;
  const styles = await text(zip, 'xl/styles.xml');
  const block = /<cellXfs count="(\d+)">([\s\S]*?)<\/cellXfs>/.exec(styles);
  if (block === null) throw new Error('Unexpected workbook XML: no cellXfs in styles.xml');
  const xfs = [...(block[2] ?? '').matchAll(/<xf\b[^>]*\/>|<xf\b[^>]*[^/]>[\s\S]*?<\/xf>/g)].map((m) => m[0]);
  const added: string[] = [];
  for (const format of [...formats].sort((a, b) => a - b)) {
    const xf = xfs[format];
    if (xf === undefined) throw new Error(`Unexpected workbook XML: no cell format ${format}`);
    twins.set(format, xfs.length + added.length);
    added.push(xf.replace(/^<xf\b/, '<xf quotePrefix="1"'));
  }
  const all = [...xfs, ...added];
  zip.file(
    'xl/styles.xml',
    styles.replace(block[0], `<cellXfs count="${all.length}">${all.join('')}</cellXfs>`),
  );
  return twins;
}

const CELL_START = /<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?/g;

async function applyQuotePrefix(zip: JSZip, parts: readonly string[], sheets: readonly SheetPatch[]) {
  const xml = await Promise.all(parts.map((p) => text(zip, p)));
  const formats = new Set<number>();
  xml.forEach((sheetXml, i) => {
    const cells = sheets[i]?.quotePrefixCells;
    if (cells === undefined || cells.size === 0) return;
    for (const m of sheetXml.matchAll(CELL_START)) {
      if (cells.has(m[1] ?? '')) formats.add(Number(m[2] ?? 0));
    }
  });
  const twins = await quotePrefixTwins(zip, formats);
  if (twins.size === 0) return;
  xml.forEach((sheetXml, i) => {
    const cells = sheets[i]?.quotePrefixCells;
    const part = parts[i];
    if (cells === undefined || cells.size === 0 || part === undefined) return;
    const patched = sheetXml.replace(CELL_START, (whole, cell: string, s: string | undefined) => {
      const twin = cells.has(cell) ? twins.get(Number(s ?? 0)) : undefined;
      return twin === undefined ? whole : `<c r="${cell}" s="${twin}"`;
    });
    zip.file(part, patched);
  });
}

async function keepCarriageReturns(zip: JSZip) {
  const path = 'xl/sharedStrings.xml';
  if (zip.file(path) === null) return;
  const strings = await text(zip, path);
  if (strings.includes('\r')) zip.file(path, strings.replace(/\r/g, '&#13;'));
}

function relsPath(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`;
}

function relationships(entries: readonly { id: string; type: string; target: string }[]): string {
  const rels = entries.map(
    (e) => `<Relationship Id="${e.id}" Type="${e.type}" Target="${escapeXml(e.target)}"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${RELS_NS}">${rels.join('')}</Relationships>`;
}

function nextIndex(zip: JSZip, folder: string, stem: string): number {
  let max = 0;
  zip.folder(folder)?.forEach((name) => {
    const m = new RegExp(`^${stem}(\\d+)\\.xml$`).exec(name);
    if (m !== null) max = Math.max(max, Number(m[1]));
  });
  return max + 1;
}

/** Worksheet children that come after <drawing> (CT_Worksheet's order). */
const AFTER_DRAWING =
  /<legacyDrawing\b|<legacyDrawingHF\b|<picture\b|<oleObjects\b|<controls\b|<webPublishItems\b|<tableParts\b|<extLst\b|<\/worksheet>/;

async function addCharts(zip: JSZip, parts: readonly string[], sheets: readonly SheetPatch[]) {
  const contentTypes: string[] = [];
  let chartNo = nextIndex(zip, 'xl/charts', 'chart');
  let drawingNo = nextIndex(zip, 'xl/drawings', 'drawing');
  for (const [i, sheet] of sheets.entries()) {
    const part = parts[i];
    if (sheet.charts.length === 0 || part === undefined) continue;
    const drawingPath = `xl/drawings/drawing${drawingNo}.xml`;
    const chartRels = sheet.charts.map((chart, k) => {
      const path = `xl/charts/chart${chartNo++}.xml`;
      zip.file(path, chartXml(chart));
      contentTypes.push(`<Override PartName="/${path}" ContentType="${CHART_TYPE}"/>`);
      return { id: `rId${k + 1}`, type: CHART_REL, target: `../charts/${path.slice('xl/charts/'.length)}` };
    });
    zip.file(
      drawingPath,
      drawingXml(sheet.charts.map((c, k) => ({ anchor: c.anchor, title: c.title, relId: `rId${k + 1}` }))),
    );
    zip.file(relsPath(drawingPath), relationships(chartRels));
    contentTypes.push(`<Override PartName="/${drawingPath}" ContentType="${DRAWING_TYPE}"/>`);

    const sheetRelsPath = relsPath(part);
    const existing = zip.file(sheetRelsPath) === null ? null : await text(zip, sheetRelsPath);
    const ids = new Set([...(existing ?? '').matchAll(/\bId="([^"]*)"/g)].map((m) => m[1]));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n += 1;
    const relId = `rId${n}`;
    const rel = `<Relationship Id="${relId}" Type="${DRAWING_REL}" Target="../drawings/drawing${drawingNo}.xml"/>`;
    zip.file(
      sheetRelsPath,
      existing === null
        ? relationships([{ id: relId, type: DRAWING_REL, target: `../drawings/drawing${drawingNo}.xml` }])
        : replaceOnce(existing, '</Relationships>', `${rel}</Relationships>`, 'relationships'),
    );
    const sheetXml = await text(zip, part);
    if (/<drawing\b/.test(sheetXml))
      throw new Error(`Unexpected workbook XML: ${part} already has a drawing`);
    const at = sheetXml.search(AFTER_DRAWING);
    zip.file(part, `${sheetXml.slice(0, at)}<drawing r:id="${relId}"/>${sheetXml.slice(at)}`);
    drawingNo += 1;
  }
  if (contentTypes.length > 0) {
    const types = await text(zip, '[Content_Types].xml');
    zip.file(
      '[Content_Types].xml',
      replaceOnce(types, '</Types>', `${contentTypes.join('')}</Types>`, 'content types'),
    );
  }
}

/** The finished package: exceljs' output with the quote prefixes, names and charts added. */
export async function finishPackage(
  xlsx: Buffer,
  sheets: readonly SheetPatch[],
  names: readonly DefinedName[],
): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const parts = await sheetParts(zip);
  if (parts.length !== sheets.length) throw new Error('Unexpected workbook XML: sheet count differs');
  await keepCarriageReturns(zip);
  await writeDefinedNames(zip, names, sheets);
  await applyQuotePrefix(zip, parts, sheets);
  await addCharts(zip, parts, sheets);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
