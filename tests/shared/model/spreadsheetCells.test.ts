/*
 * shared/model/spreadsheetCells.ts, the one decision of what a cell Caliper writes receives.
 * Its first user is the add-in's Excel module (workbook.ts writes every cell with it).
 */
import fc from 'fast-check';

import {
  CaliperFormula,
  cellInput,
  cellRef,
  type CellValue,
  EXCEL_ERRORS,
  ExcelError,
  excelSerial,
  formula,
  FORMULA_TRIGGERS,
  type FormulaPart,
  needsQuotePrefix,
  officeValue,
  officeWrite,
  startsFormula,
  textLiteral,
} from '../../../shared/model/spreadsheetCells';

/** What Range.values receives for one value. */
const written = (value: CellValue) => officeValue(cellInput(value));

/** What Excel shows for a written text: the quote prefix is kept beside the cell, not in it. */
const shown = (text: string) => (text.startsWith("'") ? text.slice(1) : text);

/** A formula's text with its string literals taken out: what is left is Caliper's own. */
const outsideLiterals = (text: string) => text.replace(/"(?:[^"]|"")*"/g, '');

describe('text from data', () => {
  const dangerous = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    '@SUM(1)',
    '-2+3',
    '\t=1+1',
    '\r=1+1',
    '=1+1',
    '-5',
    '+1',
    '@',
    '=',
  ];

  it.each(dangerous)('writes %j as text behind the quote prefix', (text) => {
    expect(startsFormula(text)).toBe(true);
    expect(cellInput(text)).toEqual({ kind: 'text', text, quotePrefix: true });
    expect(written(text)).toBe(`'${text}`);
    expect(shown(written(text) as string)).toBe(text);
  });

  it('covers every first character OWASP lists', () => {
    expect([...FORMULA_TRIGGERS].sort()).toEqual(['\t', '\r', '+', '-', '=', '@'].sort());
    for (const trigger of FORMULA_TRIGGERS) expect(written(`${trigger}x`)).toBe(`'${trigger}x`);
  });

  it.each([
    'Contour – Charleston',
    'North Dallas',
    'Smith, Jane NP',
    "O'Neil Aesthetics",
    'Spa=Good',
    'Glow-Up Med Spa',
    'Café Lumière',
    'Évora',
    'Zoë @ Uptown',
  ])('leaves the harmless look-alike %j untouched', (text) => {
    expect(startsFormula(text)).toBe(false);
    expect(written(text)).toBe(text);
  });

  it.each([
    ['2024', 'a number'],
    ['00123', 'a number without its zeros'],
    ['3/4', 'a date'],
    ['2024-01', 'a date'],
    ['12:30', 'a time'],
    ['5%', 'a percentage'],
    ['TRUE', 'a boolean'],
    ['false', 'a boolean'],
    ['#N/A', 'an error'],
    ["'quoted'", 'a text without its first quote'],
    ['Clinic 2', 'nothing else, but it holds a digit'],
    [' =1+1', 'nothing else, but it does not start with a letter'],
  ])('writes %j behind the quote prefix too: Excel would read it as %s', (text) => {
    expect(needsQuotePrefix(text)).toBe(true);
    expect(written(text)).toBe(`'${text}`);
  });

  it('writes an empty text, null and undefined as an empty cell', () => {
    expect([written(''), written(null), written(undefined)]).toEqual(['', '', '']);
  });

  it('never starts a formula, and Excel shows exactly the text (property)', () => {
    const risky = fc.constantFrom(...FORMULA_TRIGGERS, "'", '#', '0', ' ', 'T', '');
    fc.assert(
      fc.property(risky, fc.string({ unit: 'grapheme' }), (head, tail) => {
        const text = head + tail;
        const value = written(text);
        if (text === '') return value === '';
        return (
          typeof value === 'string' &&
          !startsFormula(value) &&
          shown(value) === text &&
          (value === text || value === `'${text}`)
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('values that are not text', () => {
  it('keeps numbers numbers, a negative one included', () => {
    expect(written(-5)).toBe(-5);
    expect(written(0)).toBe(0);
    expect(written(1234.5)).toBe(1234.5);
    expect(cellInput(-5)).toEqual({ kind: 'number', value: -5 });
  });

  it('writes a number Excel cannot hold as #NUM!', () => {
    expect([written(NaN), written(Infinity), written(-Infinity)]).toEqual(['#NUM!', '#NUM!', '#NUM!']);
  });

  it('keeps booleans booleans', () => {
    expect([written(true), written(false)]).toEqual([true, false]);
  });

  it('writes a date as its Excel serial', () => {
    expect(written(new Date(Date.UTC(2024, 0, 1)))).toBe(45292);
    expect(excelSerial(new Date(Date.UTC(1900, 2, 1)))).toBe(61);
    expect(written(new Date(Date.UTC(2024, 0, 1, 12)))).toBe(45292.5);
    expect(written(new Date(NaN))).toBe('#NUM!');
  });

  it('writes the errors Excel takes as constants, and only those', () => {
    for (const code of EXCEL_ERRORS) expect(written(ExcelError.of(code))).toBe(code);
    expect(ExcelError.of('#n/a')?.code).toBe('#N/A');
    expect(ExcelError.of('#SPILL!')).toBeNull();
    expect(ExcelError.of('=1+1')).toBeNull();
  });

  it('refuses anything else, a formula look-alike object included', () => {
    const lookAlike = { text: '=HYPERLINK("http://evil","x")' } as unknown as CaliperFormula;
    expect(() => cellInput(lookAlike)).toThrow(TypeError);
    expect(() => cellInput(Symbol('x') as unknown as CellValue)).toThrow(TypeError);
  });
});

describe('formulas Caliper authors', () => {
  it('are made by the formula tag, with text parts quoted and quotes doubled', () => {
    const f = formula`=CALIPER.KPI(${textLiteral('net_revenue')},${textLiteral('The "Spa"')},${cellRef('$B$2')})`;
    expect(f).toBeInstanceOf(CaliperFormula);
    expect(f.text).toBe('=CALIPER.KPI("net_revenue","The ""Spa""",$B$2)');
    expect(cellInput(f)).toEqual({ kind: 'formula', formula: f });
    expect(officeValue(cellInput(f))).toBeNull();
  });

  it('keep hostile text inside its string literal', () => {
    const hostile = '"),HYPERLINK("http://evil","x"),("';
    const f = formula`=CALIPER.KPI(${textLiteral('visits')},${textLiteral(hostile)},${cellRef('$B$2')})`;
    expect(outsideLiterals(f.text)).toBe('=CALIPER.KPI(,,$B$2)');
  });

  it('keep any text inside its string literal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), (text) => {
        const f = formula`=LEN(${textLiteral(text)})`;
        return outsideLiterals(f.text).replace(/[()&]/g, '') === '=LEN';
      }),
    );
  });

  it('join a text longer than Excel’s 255-character literal from shorter ones', () => {
    const long = `${'é'.repeat(300)}"${'😀'.repeat(200)}`;
    const f = formula`=LEN(${textLiteral(long)})`;
    const literals = f.text.match(/"(?:[^"]|"")*"/g) ?? [];
    expect(literals.length).toBeGreaterThan(1);
    for (const l of literals) expect(l.slice(1, -1).replace(/""/g, '"').length).toBeLessThanOrEqual(255);
    expect(literals.map((l) => l.slice(1, -1).replace(/""/g, '"')).join('')).toBe(long);
    expect(f.text).toMatch(/^=LEN\(\(".*"\)\)$/s);
  });

  it('check references, quote sheet names and keep numbers finite', () => {
    expect(formula`=SUM(${cellRef('B5:B9')})`.text).toBe('=SUM(B5:B9)');
    expect(formula`=${cellRef('$C$4', "O'Neil's P&L")}*2`.text).toBe("='O''Neil''s P&L'!$C$4*2");
    expect(formula`=${cellRef('B2')}*${-3}+${0.5}`.text).toBe('=B2*(-3)+0.5');
    for (const bad of ['B2)+HYPERLINK("x")', 'A0', '=B2', 'B2 ', 'ZZZZ1', '']) {
      expect(() => cellRef(bad)).toThrow(TypeError);
    }
    expect(() => cellRef('B2', 'a]b')).toThrow(TypeError);
    expect(() => formula`=${NaN}`).toThrow(TypeError);
  });

  it('nest other CaliperFormulas, as growth = current / prior − 1', () => {
    const current = formula`=CALIPER.KPI(${textLiteral('visits')},${textLiteral('L1')},${textLiteral('2024')})`;
    const prior = formula`=CALIPER.KPI(${textLiteral('visits')},${textLiteral('L1')},${textLiteral('2023')})`;
    expect(formula`=${current}/${prior}-1`.text).toBe(
      '=(CALIPER.KPI("visits","L1","2024"))/(CALIPER.KPI("visits","L1","2023"))-1',
    );
  });

  it('cannot be made from a string, by interpolation, call or constructor', () => {
    const data = '=HYPERLINK("http://evil","x")';
    expect(() => formula`=${data as unknown as FormulaPart}`).toThrow(TypeError);
    // Parts come from textLiteral / cellRef (frozen, checked), not from a look-alike object.
    expect(() => formula`=${{ kind: 'ref', reference: 'B2)+1' }}`).toThrow(TypeError);
    expect(() => formula`=${Object.freeze({ kind: 'ref' as const, reference: 'B2)+1' })}`).toThrow(TypeError);
    const notATemplate = Object.assign([data], { raw: [data] }) as unknown as TemplateStringsArray;
    expect(() => CaliperFormula.of(notATemplate)).toThrow(TypeError);
    expect(() => formula`SUM(1)`).toThrow(TypeError);
    const Forged = CaliperFormula as unknown as new (key: symbol, text: string) => CaliperFormula;
    expect(() => new Forged(Symbol('CaliperFormula'), data)).toThrow(TypeError);
  });
});

describe('officeWrite', () => {
  it('splits a block into values and formulas, each null where the other writes', () => {
    const f = formula`=SUM(${cellRef('B2:B3')})`;
    expect(
      officeWrite([
        ['Location', 'Total'],
        ['=evil()', f],
        [null, -2],
      ]),
    ).toEqual({
      values: [
        ['Location', 'Total'],
        ["'=evil()", null],
        ['', -2],
      ],
      formulas: [
        [null, null],
        [null, '=SUM(B2:B3)'],
        [null, null],
      ],
    });
  });

  it('skips the write a block does not need', () => {
    expect(officeWrite([['a', 1]]).formulas).toBeNull();
    expect(officeWrite([[formula`=1+1`]]).values).toBeNull();
  });
});
