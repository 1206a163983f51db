/*
 * An Excel stand-in for the task pane's browser test, installed in the page before the bundle
 * loads (as Office.js would be). It implements the small part of the Excel JavaScript API that
 * addin/excel/workbook.ts uses over an in-memory workbook, and records every write in
 * `window.__excelWrites`; `window.__excelModel()` answers the workbook as plain data. A CALIPER
 * formula computes to `STAND_IN_VALUE`, standing in for the custom function's answer, unless
 * `window.__excelResults` names another answer for its text.
 * What is written is read as Excel reads it (`typedInput`): through `values` or `formulas`, a
 * text starting with `=`, `+`, `-` or `@` is a formula (Range.values' reference says so for the
 * first three; desktop Excel takes `@` too), a number's text is a number, one of Excel's error
 * constants is that error, and a leading `'` is the quote prefix — kept beside the cell, not in
 * its value. A null in a written matrix leaves that cell as it was, as Office.js does.
 * Runs in the browser: bundled by `standInScript()` and injected with page.addInitScript.
 * Also runs in jest: set `globalThis.window = globalThis` first.
 */

export const STAND_IN_VALUE = 1234.5;

export interface StandInWrite {
  op: string;
  sheet: string | null;
  address: string | null;
  data: unknown;
}

export interface StandInCell {
  formula: string | null;
  value: unknown;
  numberFormat: string;
  /** Present (true) when the text was written behind Excel's quote prefix `'`. */
  quotePrefix?: true;
}

export interface StandInSheet {
  name: string;
  cells: Record<string, StandInCell>;
  tables: { address: string; hasHeaders: boolean; name: string | null; style: string | null }[];
  charts: {
    type: string;
    source: string;
    seriesBy: string;
    title: string | null;
    position: string[] | null;
  }[];
}

export interface StandInWindow {
  __excelWrites: StandInWrite[];
  __excelModel: () => StandInSheet[];
  __officeAssociations: { functions: string[]; actions: string[] };
  /** What a formula computes to, by its exact text; set before the formula is written. */
  __excelResults: Record<string, unknown>;
}

/** Excel's error constants: typed (unprefixed), each becomes that error. */
export const STAND_IN_ERRORS: readonly string[] = [
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
];

interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

type Matrix = unknown[][];

interface SheetData {
  name: string;
  cells: Map<string, StandInCell>;
  tables: StandInSheet['tables'];
  charts: StandInSheet['charts'];
}

export function installExcelStandIn(): void {
  const writes: StandInWrite[] = [];
  const results: Record<string, unknown> = {};
  const associations = { functions: [] as string[], actions: [] as string[] };
  const sheets = new Map<string, SheetData>();
  let sheetOrder: string[] = [];
  let activeSheet = 'Sheet1';
  const activeCell = 'B3';

  function record(op: string, sheet: string | null, address: string | null, data?: unknown): void {
    writes.push({
      op,
      sheet,
      address,
      data: data === undefined ? null : (JSON.parse(JSON.stringify(data)) as unknown),
    });
  }

  function addSheet(name: string): void {
    sheets.set(name, { name, cells: new Map(), tables: [], charts: [] });
    sheetOrder.push(name);
  }
  addSheet('Sheet1');

  function sheetData(name: string): SheetData {
    const found = sheets.get(name);
    if (found === undefined) throw new Error(`Stand-in: no sheet ${name}`);
    return found;
  }

  function colIndex(letters: string): number {
    let n = 0;
    for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
    return n - 1;
  }
  function colLetters(index: number): string {
    let n = index + 1;
    let s = '';
    while (n > 0) {
      const r = (n - 1) % 26;
      s = String.fromCharCode(65 + r) + s;
      n = Math.floor((n - 1) / 26);
    }
    return s;
  }
  function parseCell(ref: string): { row: number; col: number } {
    const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(ref.toUpperCase());
    if (m?.[1] === undefined || m[2] === undefined) throw new Error(`Stand-in: bad cell ${ref}`);
    return { row: Number(m[2]) - 1, col: colIndex(m[1]) };
  }
  function parseArea(address: string): Area {
    const [a = '', b] = address.split(':');
    const start = parseCell(a);
    const end = b === undefined ? start : parseCell(b);
    return { top: start.row, left: start.col, bottom: end.row, right: end.col };
  }
  function areaAddress(area: Area): string {
    const a = `${colLetters(area.left)}${area.top + 1}`;
    const b = `${colLetters(area.right)}${area.bottom + 1}`;
    return a === b ? a : `${a}:${b}`;
  }
  function quoteSheet(name: string): string {
    return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
  }
  const evaluate = (formula: string): unknown =>
    formula in results ? results[formula] : /CALIPER\./i.test(formula) ? STAND_IN_VALUE : 0;

  /** A written entry as Excel reads typed input. */
  function typedInput(v: unknown): Pick<StandInCell, 'formula' | 'value' | 'quotePrefix'> {
    if (typeof v !== 'string') return { formula: null, value: v };
    if (v.startsWith("'")) return { formula: null, value: v.slice(1), quotePrefix: true };
    const number = v.trim() === '' ? NaN : Number(v);
    if (Number.isFinite(number)) return { formula: null, value: number };
    if (v.length > 1 && /^[=+\-@]/.test(v)) {
      const formula = v.startsWith('=') ? v : `=${v.startsWith('@') ? v.slice(1) : v}`;
      return { formula, value: evaluate(formula) };
    }
    return { formula: null, value: v };
  }
  function setTyped(cell: StandInCell, v: unknown): void {
    const typed = typedInput(v);
    cell.formula = typed.formula;
    cell.value = typed.value;
    if (typed.quotePrefix === true) cell.quotePrefix = true;
    else delete cell.quotePrefix;
  }

  function makeRange(sheetName: string, area: Area) {
    const key = (r: number, c: number) => `${colLetters(c)}${r + 1}`;
    const read = (pick: (cell: StandInCell | undefined) => unknown): Matrix => {
      const out: Matrix = [];
      for (let r = area.top; r <= area.bottom; r++) {
        const row: unknown[] = [];
        for (let c = area.left; c <= area.right; c++)
          row.push(pick(sheetData(sheetName).cells.get(key(r, c))));
        out.push(row);
      }
      return out;
    };
    const write = (m: Matrix, apply: (cell: StandInCell, value: unknown) => void) => {
      if (
        m.length !== area.bottom - area.top + 1 ||
        m.some((row) => row.length !== area.right - area.left + 1)
      ) {
        throw new Error(`Stand-in: the matrix does not fit ${areaAddress(area)}`);
      }
      const cells = sheetData(sheetName).cells;
      m.forEach((row, i) =>
        row.forEach((value, j) => {
          if (value === null) return; // Office.js: null leaves the cell as it was.
          const k = key(area.top + i, area.left + j);
          const cell = cells.get(k) ?? { formula: null, value: '', numberFormat: 'General' };
          apply(cell, value);
          cells.set(k, cell);
        }),
      );
    };
    const local = areaAddress(area);
    const range = {
      isNullObject: false,
      address: `${quoteSheet(sheetName)}!${local}`,
      load: () => range,
      get formulas(): Matrix {
        return read((cell) => (cell === undefined ? '' : (cell.formula ?? cell.value)));
      },
      set formulas(m: Matrix) {
        write(m, setTyped);
        record('formulas', sheetName, local, m);
      },
      get values(): Matrix {
        return read((cell) => (cell === undefined ? '' : cell.value));
      },
      set values(m: Matrix) {
        write(m, setTyped);
        record('values', sheetName, local, m);
      },
      get valueTypes(): Matrix {
        return read((cell) => {
          const v = cell?.value;
          if (v === undefined || v === '') return 'Empty';
          if (typeof v === 'number') return 'Double';
          if (typeof v === 'boolean') return 'Boolean';
          const error = typeof v === 'string' && cell?.quotePrefix !== true && STAND_IN_ERRORS.includes(v);
          return error ? 'Error' : 'String';
        });
      },
      get numberFormat(): Matrix {
        return read((cell) => cell?.numberFormat ?? 'General');
      },
      set numberFormat(m: Matrix) {
        write(m, (cell, v) => {
          cell.numberFormat = String(v);
        });
        record('numberFormat', sheetName, local, m);
      },
      format: {
        font: {
          set bold(v: boolean) {
            record('bold', sheetName, local, v);
          },
          set size(v: number) {
            record('fontSize', sheetName, local, v);
          },
        },
        autofitColumns: () => record('autofitColumns', sheetName, local),
      },
      getCell: (r: number, c: number) =>
        makeRange(sheetName, {
          top: area.top + r,
          left: area.left + c,
          bottom: area.top + r,
          right: area.left + c,
        }),
      calculate: () => record('calculate', sheetName, local, 'range'),
    };
    return range;
  }

  const nullObject = () => ({ isNullObject: true, load: () => undefined, delete: () => undefined });

  function makeSheet(name: string) {
    const sheet = {
      isNullObject: false,
      name,
      load: () => sheet,
      getRange: (address: string) => makeRange(name, parseArea(address)),
      getUsedRangeOrNullObject: () => {
        const cells = [...sheetData(name).cells.keys()].map(parseCell);
        if (cells.length === 0) return nullObject();
        return makeRange(name, {
          top: Math.min(...cells.map((c) => c.row)),
          left: Math.min(...cells.map((c) => c.col)),
          bottom: Math.max(...cells.map((c) => c.row)),
          right: Math.max(...cells.map((c) => c.col)),
        });
      },
      calculate: (markAllDirty: boolean) => record('calculate', name, null, { sheet: true, markAllDirty }),
      activate: () => {
        activeSheet = name;
        record('activate', name, null);
      },
      delete: () => {
        sheets.delete(name);
        sheetOrder = sheetOrder.filter((n) => n !== name);
        record('deleteSheet', name, null);
      },
      tables: {
        add: (source: { address: string }, hasHeaders: boolean) => {
          const address = source.address.split('!')[1] ?? source.address;
          const table: StandInSheet['tables'][number] = { address, hasHeaders, name: null, style: null };
          sheetData(name).tables.push(table);
          record('addTable', name, address, { hasHeaders });
          return {
            set name(v: string) {
              table.name = v;
              record('tableName', name, address, v);
            },
            set style(v: string) {
              table.style = v;
              record('tableStyle', name, address, v);
            },
          };
        },
      },
      charts: {
        add: (type: string, source: { address: string }, seriesBy: string) => {
          const address = source.address.split('!')[1] ?? source.address;
          const chart: StandInSheet['charts'][number] = {
            type,
            source: address,
            seriesBy,
            title: null,
            position: null,
          };
          sheetData(name).charts.push(chart);
          record('addChart', name, address, { type, seriesBy });
          return {
            title: {
              set text(v: string) {
                chart.title = v;
                record('chartTitle', name, address, v);
              },
            },
            setPosition: (start: string, end: string) => {
              chart.position = [start, end];
            },
          };
        },
      },
    };
    return sheet;
  }

  const worksheets = {
    load: () => worksheets,
    get items() {
      return sheetOrder.map(makeSheet);
    },
    getActiveWorksheet: () => makeSheet(activeSheet),
    getItem: (name: string) => {
      if (!sheets.has(name)) throw new Error(`ItemNotFound: ${name}`);
      return makeSheet(name);
    },
    getItemOrNullObject: (name: string) => (sheets.has(name) ? makeSheet(name) : nullObject()),
    add: (name: string) => {
      if (sheets.has(name)) throw new Error(`Stand-in: sheet ${name} exists`);
      addSheet(name);
      record('addSheet', name, null);
      return makeSheet(name);
    },
  };

  const workbook = {
    worksheets,
    getActiveCell: () => makeRange(activeSheet, parseArea(activeCell)),
    getSelectedRange: () => makeRange(activeSheet, parseArea(activeCell)),
    application: { calculate: (type: string) => record('calculate', null, null, { application: type }) },
  };

  const model = (): StandInSheet[] =>
    sheetOrder.map((name) => {
      const s = sheetData(name);
      return { name, cells: Object.fromEntries(s.cells.entries()), tables: s.tables, charts: s.charts };
    });

  class CustomFunctionsError {
    constructor(
      readonly code: string,
      readonly message?: string,
    ) {}
  }

  const globals = window as unknown as Record<string, unknown> & StandInWindow;
  globals.__excelWrites = writes;
  globals.__excelModel = model;
  globals.__officeAssociations = associations;
  globals.__excelResults = results;
  globals.Excel = {
    run: async <T>(callback: (context: unknown) => Promise<T>): Promise<T> =>
      callback({ workbook, sync: () => Promise.resolve() }),
  };
  globals.CustomFunctions = {
    associate: (id: string) => associations.functions.push(id),
    Error: CustomFunctionsError,
    ErrorCode: {
      invalidValue: '#VALUE!',
      notAvailable: '#N/A',
      divisionByZero: '#DIV/0!',
      invalidNumber: '#NUM!',
      nullReference: '#NULL!',
      invalidName: '#NAME?',
      invalidReference: '#REF!',
    },
  };
  globals.Office = {
    onReady: (callback?: (info: { host: string; platform: string }) => void) => {
      const info = { host: 'Excel', platform: 'OfficeOnline' };
      callback?.(info);
      return Promise.resolve(info);
    },
    actions: { associate: (id: string) => associations.actions.push(id) },
    addin: { showAsTaskpane: () => Promise.resolve() },
  };
}
