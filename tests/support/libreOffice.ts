/*
 * LibreOffice (headless) as the tests' independent spreadsheet: it opens a written .xlsx,
 * recalculates every formula and saves a copy whose cached values are its own, which the
 * tests read back with exceljs; or it prints the workbook to PDF, which pdftoppm turns into
 * page images.
 *
 * Recalculation is forced: LibreOffice keeps an .xlsx's cached results on load by default
 * (and ignores the file's fullCalcOnLoad), so a run with a stale cache would "pass". Each run
 * gets a private profile (-env:UserInstallation, so parallel runs never share one) whose
 * registrymodifications.xcu sets Calc's Formula/Load/OOXMLRecalcMode (and ODFRecalcMode) to
 * 0, "always recalculate". tests/io/reportWorkbook.test.ts proves it on every run with a
 * formula whose cached result is wrong.
 *
 * No LibreOffice, no pass: the functions throw, naming the packages to install.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import * as ExcelJS from 'exceljs';
import JSZip from 'jszip';

const INSTALL_HINT =
  'LibreOffice is required by the workbook tests and is not installed: apt-get install libreoffice-calc poppler-utils ' +
  '(or set CALIPER_SOFFICE to the soffice binary)';

/** Generous: a first start with a fresh profile takes a few seconds, a loaded CI machine more. */
const TIMEOUT_MS = 180_000;

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The soffice binary, or an error that says how to install it. */
export function sofficePath(): string {
  const configured = process.env.CALIPER_SOFFICE;
  if (configured !== undefined && configured !== '') {
    if (!fs.existsSync(configured))
      throw new Error(`CALIPER_SOFFICE=${configured} does not exist. ${INSTALL_HINT}`);
    return configured;
  }
  const found =
    onPath('soffice') ??
    onPath('libreoffice') ??
    ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice'].find(
      (p) => fs.existsSync(p),
    );
  if (found === undefined || found === null) throw new Error(INSTALL_HINT);
  return found;
}

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

function run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout: TIMEOUT_MS, env: env ?? process.env, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${path.basename(command)} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * One soffice run converting `inputs` to `format` (a --convert-to target such as `xlsx` or
 * `pdf`) into `outDir`, with a private, recalculate-always profile removed afterwards.
 * Returns the output paths, in the order of the inputs.
 */
export async function convertWithLibreOffice(
  inputs: readonly string[],
  outDir: string,
  format: string,
): Promise<string[]> {
  const soffice = sofficePath();
  const extension = format.split(':')[0] ?? format;
  fs.mkdirSync(outDir, { recursive: true });
  const outputs = inputs.map((input) => {
    if (
      path.resolve(path.dirname(input)) === path.resolve(outDir) &&
      path.extname(input) === `.${extension}`
    ) {
      throw new Error(`Converting ${input} into its own folder would overwrite it: choose another outDir`);
    }
    return path.join(outDir, `${path.basename(input, path.extname(input))}.${extension}`);
  });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-lo-profile-'));
  try {
    fs.mkdirSync(path.join(profile, 'user'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'user', 'registrymodifications.xcu'), RECALC_ALWAYS);
    for (const output of outputs) fs.rmSync(output, { force: true });
    await run(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--invisible',
        '--norestore',
        '--nolockcheck',
        '--convert-to',
        format,
        '--outdir',
        outDir,
        ...inputs,
      ],
      { ...process.env, HOME: profile },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const missing = outputs.filter((o) => !fs.existsSync(o));
  if (missing.length > 0) throw new Error(`LibreOffice wrote no ${missing.join(', ')}`);
  return outputs;
}

/** A recalculated copy of `xlsxPath` (LibreOffice opened it, recalculated and saved it as .xlsx) in `outDir`. */
export async function recalculateWithLibreOffice(xlsxPath: string, outDir: string): Promise<string> {
  const [output] = await convertWithLibreOffice([xlsxPath], outDir, 'xlsx');
  return output!;
}

/** Every page of the workbook as printed by LibreOffice, as PNGs `<stem>-<page>.png` in `outDir`. */
export async function renderSheetsToPng(xlsxPath: string, outDir: string, dpi = 80): Promise<string[]> {
  const pdftoppm = onPath('pdftoppm');
  if (pdftoppm === null) throw new Error(`pdftoppm is not installed. ${INSTALL_HINT}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-lo-pdf-'));
  try {
    const [pdf] = await convertWithLibreOffice([xlsxPath], work, 'pdf');
    fs.mkdirSync(outDir, { recursive: true });
    const stem = path.basename(xlsxPath, path.extname(xlsxPath));
    for (const old of fs.readdirSync(outDir)) {
      if (new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+\\.png$`).test(old)) {
        fs.rmSync(path.join(outDir, old));
      }
    }
    await run(pdftoppm, ['-png', '-r', String(dpi), pdf!, path.join(outDir, stem)]);
    return fs
      .readdirSync(outDir)
      .filter((name) => name.startsWith(`${stem}-`) && name.endsWith('.png'))
      .sort((a, b) => Number(/-(\d+)\.png$/.exec(a)?.[1]) - Number(/-(\d+)\.png$/.exec(b)?.[1]))
      .map((name) => path.join(outDir, name));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** One cell as read back: its value (a formula's cached result), its formula, its error. */
export interface CellReading {
  /** Number, text, boolean, date; null for a blank (and for a formula whose result is ""). */
  value: number | string | boolean | Date | null;
  /** The formula without `=`, when the cell holds one. */
  formula?: string;
  /** `#DIV/0!` and the like, when the cell (or its formula) is an error. */
  error?: string;
  /** exceljs' value type name: Number, String, Formula, Date, RichText, Error… */
  type: string;
}

export type SheetReadings = Map<string, CellReading>;

function plainValue(value: unknown): { value: CellReading['value']; error?: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return { value };
  if (value instanceof Date) return { value };
  if (typeof value === 'object') {
    const v = value as { error?: string; richText?: { text: string }[] };
    if (typeof v.error === 'string') return { value: null, error: v.error };
    if (Array.isArray(v.richText)) return { value: v.richText.map((r) => r.text).join('') };
  }
  return { value: JSON.stringify(value) };
}

/** An .xlsx in memory, read with exceljs (whose typings want an ArrayBuffer, not a Node Buffer). */
export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  return wb;
}

function valueTypeName(type: ExcelJS.ValueType): string {
  const names = ExcelJS.ValueType as unknown as Record<string, number>;
  return Object.keys(names).find((name) => names[name] === type) ?? String(type);
}

/**
 * Cached numeric results of formula cells, read from the sheet XML: exceljs drops a formula's
 * result when it is 0 (`<f>…</f><v>0</v>` reads back as no result), which would make a true
 * zero look like a blank. Sheet name → address → number.
 */
async function formulaNumbers(xlsxPath: string): Promise<Map<string, Map<string, number>>> {
  const zip = await JSZip.loadAsync(fs.readFileSync(xlsxPath));
  const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id !== undefined && target !== undefined) targets.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  const out = new Map<string, Map<string, number>>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const id = /\br:id="([^"]+)"/.exec(m[0])?.[1];
    const file = id === undefined ? undefined : targets.get(id);
    if (name === undefined || file === undefined) continue;
    const xml = (await zip.file(file)?.async('string')) ?? '';
    const numbers = new Map<string, number>();
    for (const c of xml.matchAll(/<c\b([^>]*)>(.*?)<\/c>/gs)) {
      const attributes = c[1] ?? '';
      const body = c[2] ?? '';
      const address = /\br="([A-Z]+\d+)"/.exec(attributes)?.[1];
      const type = /\bt="([^"]+)"/.exec(attributes)?.[1] ?? 'n';
      const v = /<v>([^<]*)<\/v>/.exec(body)?.[1];
      if (address !== undefined && type === 'n' && body.includes('<f') && v !== undefined && v !== '') {
        numbers.set(address, Number(v));
      }
    }
    out.set(
      name
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
      numbers,
    );
  }
  return out;
}

/** Every non-empty cell of every sheet: sheet name → address → reading. */
export async function readWorkbookCells(xlsxPath: string): Promise<Map<string, SheetReadings>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsxPath);
  const numbers = await formulaNumbers(xlsxPath);
  const sheets = new Map<string, SheetReadings>();
  wb.eachSheet((ws) => {
    const cells: SheetReadings = new Map();
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const type = valueTypeName(cell.type);
        if (cell.type === ExcelJS.ValueType.Formula) {
          const f = cell.value as ExcelJS.CellFormulaValue;
          const result = f.result ?? numbers.get(ws.name)?.get(cell.address);
          cells.set(cell.address, { ...plainValue(result), formula: f.formula, type });
        } else {
          cells.set(cell.address, { ...plainValue(cell.value), type });
        }
      });
    });
    sheets.set(ws.name, cells);
  });
  return sheets;
}
