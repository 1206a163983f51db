import fc from 'fast-check';

import {
  classifyValue,
  dateOf,
  DECISION_ROWS,
  ENUM_MAX_DISTINCT,
  ExtraColumnScreen,
  isDobHeader,
} from '../../../shared/privacy/personalValues';
import { emailAddress, phoneNumber } from '../../support/personalData';

const TODAY = '2026-12-03';
const kindOf = (text: string, dobHeader = false) => {
  const c = classifyValue(text, { dobHeader, today: TODAY });
  return c.kind === 'personal' ? c.personal : c.kind;
};

describe('classifyValue: personal data is told by the value', () => {
  it.each([
    ['olivia.quartz@example.net', 'email'],
    ['@olivia_q', 'email'],
    ['(469) 555-0143', 'phone'],
    ['+44 20 7946 0321', 'phone'],
    ['call me at 214-555-0166 after 5pm please', 'phone'],
    ['4695550187', 'long_number'],
    ['Olivia Quartz', 'name'],
    ['OLIVIA QUARTZ', 'name'],
    ['Quartz, Olivia', 'name'],
    ['quartz, olivia', 'name'],
    ['K. Sample', 'name'],
    ['Prefers afternoons and asks for numbing cream', 'free_text'],
    ['x'.repeat(65), 'free_text'],
    ['1984-03-12', 'date_of_birth'],
    ['03/12/1984', 'date_of_birth'],
    ['March 12, 1984', 'date_of_birth'],
  ])('%s is %s', (text, kind) => {
    expect(kindOf(text)).toBe(kind);
  });

  it.each([
    ['3', 'safe'],
    ['1,234.50', 'safe'],
    ['1500000.00', 'safe'],
    ['0.0000615', 'safe'],
    ['12.5%', 'safe'],
    ['yes', 'safe'],
    ['true', 'safe'],
    ['2024-06-01', 'safe'],
    ['2019-06-01T10:00', 'safe'],
    ['10/05/2026 09:30 AM', 'safe'],
    ['17:30', 'safe'],
    ['INV-000101', 'safe'],
    ['spring_promo', 'safe'],
    ['urn:blvd:Appointment:1', 'safe'],
    ['Walk-in', 'safe'],
    ['Gold', 'word'],
    ['In Center', 'word'],
    ['Room 2', 'word'],
    ['Room "A", upstairs', 'word'],
    ['AUD', 'word'],
  ])('%s is %s', (text, kind) => {
    expect(kindOf(text)).toBe(kind);
  });

  it('reads any date under a birth-date header as a date of birth', () => {
    expect(isDobHeader('date_of_birth')).toBe(true);
    expect(isDobHeader('born')).toBe(true);
    expect(isDobHeader('dob')).toBe(true);
    expect(isDobHeader('member_since')).toBe(false);
    expect(kindOf('2020-01-01', true)).toBe('date_of_birth');
    expect(kindOf('2020-01-01', false)).toBe('safe');
  });

  it('dates a date of birth 16 years or more before the ingest', () => {
    expect(kindOf('2010-12-03')).toBe('date_of_birth');
    expect(kindOf('2010-12-04')).toBe('safe');
    expect(dateOf('13/02/1990')).toBe('1990-02-13');
    expect(dateOf('Wed, Mar 6, 2024')).toBe('2024-03-06');
    expect(dateOf('6 Mar 1984')).toBe('1984-03-06');
  });

  it('finds every generated email and phone personal, alone or inside text', () => {
    fc.assert(
      fc.property(
        fc.oneof(emailAddress, phoneNumber),
        fc.constantFrom('', 'call ', 'reach me: '),
        (v, pre) => {
          const c = classifyValue(`${pre}${v}`, { dobHeader: false, today: TODAY });
          expect(c.kind).toBe('personal');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ExtraColumnScreen', () => {
  const rows = (values: Record<string, string>[]) =>
    values.map((v) => new Map(Object.entries(v)) as ReadonlyMap<string, string>);

  it('drops a column when one value read ahead is personal, and keeps an enumeration', () => {
    const screen = new ExtraColumnScreen(['tier', 'client', 'visits', 'first'], TODAY);
    for (const [i, values] of rows([
      { tier: 'Gold', client: 'Olivia Quartz', visits: '3', first: 'Olivia' },
      { tier: 'Silver', client: '', visits: '1', first: 'Marcus' },
      { tier: 'Gold', client: '', visits: '7', first: 'Priya' },
      { tier: 'Gold', client: '', visits: '2', first: 'Dev' },
      { tier: 'Silver', client: '', visits: '2', first: 'Tamsin' },
    ]).entries())
      screen.observe(i + 2, values);
    const dropped = screen.decide();
    expect(Object.fromEntries(dropped)).toEqual({
      client: { personal: 'name', row: 2 },
      // Five first names in five rows: not a list of categories.
      first: { personal: 'many_values', row: null },
    });
    expect(screen.keep('tier', 'Gold', 7)).toBe(true);
    expect(screen.keep('client', 'ok', 7)).toBe(false);
  });

  it('drops a later personal value on its own and reports the column', () => {
    const screen = new ExtraColumnScreen(['ref'], TODAY);
    for (let row = 2; row < 2 + DECISION_ROWS; row += 1) screen.observe(row, new Map([['ref', `R-${row}`]]));
    expect(screen.decide().size).toBe(0);
    expect(screen.keep('ref', 'R-9999', 900)).toBe(true);
    expect(screen.keep('ref', 'jane@example.com', 901)).toBe(false);
    expect(screen.keep('ref', '(214) 555-0101', 950)).toBe(false);
    expect(screen.lateDrops()).toEqual([
      { column: 'ref', count: 2, firstRow: 901, kinds: ['email', 'phone'] },
    ]);
  });

  it('keeps new words of an enumeration up to its size, and no more', () => {
    const screen = new ExtraColumnScreen(['source'], TODAY);
    for (let row = 2; row < 12; row += 1) screen.observe(row, new Map([['source', 'online']]));
    screen.decide();
    for (let i = 1; i < ENUM_MAX_DISTINCT; i += 1)
      expect(screen.keep('source', `channel${'x'.repeat(i)}`, 100 + i)).toBe(true);
    expect(screen.keep('source', 'online', 200)).toBe(true);
    expect(screen.keep('source', 'onemore', 201)).toBe(false);
    expect(screen.lateDrops()).toEqual([
      { column: 'source', count: 1, firstRow: 201, kinds: ['many_values'] },
    ]);
  });
});
