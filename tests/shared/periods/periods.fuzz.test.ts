import fc from 'fast-check';

import { isLocalDate, makeDate, makeYearMonth } from '../../../shared/model/localDate';
import {
  monthsOf,
  parsePeriod,
  type PeriodContext,
  priorYear,
  resolvePeriod,
} from '../../../shared/periods/period';
import { periodStringSchema } from '../../../shared/periods/periodSchema';
import { errorName, FUZZ_TIMEOUT_MS, fuzzParameters, thrownBy } from '../../support/fuzz';

/*
 * Fuzzing the period grammar (issue 11, item 8): parsePeriod takes any string (and, from Excel
 * and JSON callers, any value) and answers a period or an `invalid_period` error with a
 * message — it never throws; resolvePeriod, priorYear and monthsOf never throw for a parsed
 * period and a valid context; and a resolved period's label is a period that parses back to
 * the same dates (the label is the grammar's formatter).
 */

/** Tokens of the grammar and their near misses, glued together in any order. */
const periodLike: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'FY',
        'fy',
        'FQ',
        'CY',
        'CQ',
        'M',
        'Sep',
        'september',
        '(to ',
        ')',
        'LTM',
        'YTD',
        'QTD',
        'MTD',
        'ltm',
        '@',
        '..',
        '.',
        '-',
        'Q',
        'q',
        ' ',
        '\t',
        '\u00a0',
        '0',
        '-1',
        '1',
        '3M',
        '1Q',
        '-99',
        '-100',
        '2025',
        '1900',
        '2999',
        '3000',
        '0000',
        '9999',
        '06',
        '13',
        '00',
        '02-29',
        '02-30',
        '12-31',
        '１',
        '٢',
      ),
      fc.integer({ min: 0, max: 99_999 }).map(String),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** Every value a period argument can arrive as: any string, grammar-like text, or not a string at all. */
const anyInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: periodLike },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.anything() },
);

/** Strings of every accepted form, with years across the grammar's whole range. */
const year = fc.integer({ min: 1900, max: 2999 });
const month = fc.integer({ min: 1, max: 12 });
const yearMonth = fc.tuple(year, month).map(([y, m]) => makeYearMonth(y, m));
const date = fc
  .tuple(year, month, fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => makeDate(y, m, d))
  .filter(isLocalDate);
const validPeriod: fc.Arbitrary<string> = fc.oneof(
  yearMonth,
  fc.tuple(year, fc.integer({ min: 1, max: 4 })).map(([y, q]) => `${y}-Q${q}`),
  year.map((y) => `FY${y}`),
  year.map(String),
  fc.constantFrom('LTM', 'YTD', 'QTD', 'MTD'),
  fc.tuple(fc.constantFrom('LTM', 'YTD', 'QTD', 'MTD'), yearMonth).map(([w, m]) => `${w}@${m}`),
  fc.tuple(date, date).map(([a, b]) => (a <= b ? `${a}..${b}` : `${b}..${a}`)),
  fc.constantFrom('FY0', 'LTM-1', 'YTD-1', 'FY1', 'FQ0', 'FQ1', 'CY0', 'CY1', 'CQ0', 'CQ1', 'M0'),
  fc.tuple(fc.constantFrom('FY', 'LTM', 'YTD'), fc.integer({ min: 1, max: 99 })).map(([w, n]) => `${w}-${n}`),
  // Issue 13: the finance plug-ins' relative forms and the common spellings of months and quarters.
  fc.tuple(fc.constantFrom('FQ', 'CY', 'CQ'), fc.integer({ min: 1, max: 99 })).map(([w, n]) => `${w}-${n}`),
  fc.integer({ min: 1, max: 999 }).map((n) => `M-${n}`),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('M', 'Q')).map(([n, u]) => `LTM-${n}${u}`),
  fc
    .tuple(
      year,
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom('Q{q} {y}', 'Q{q}-{y}', '{y}Q{q}', '{y} Q{q}', '{q}Q{yy}'),
    )
    .map(([y, q, f]) =>
      f
        .replace('{q}', String(q))
        .replace('{yy}', String(y % 100).padStart(2, '0'))
        .replace('{y}', String(y)),
    ),
  fc
    .tuple(
      year,
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom('FY{y}-Q{q}', 'FY{y} Q{q}', 'Q{q} FY{y}', 'FQ{q} {y}'),
    )
    .map(([y, q, f]) => f.replace('{q}', String(q)).replace('{y}', String(y))),
  fc.tuple(year, month, fc.constantFrom('Sep-{y}', 'Sep {y}', 'September {y}')).map(([y, m, f]) => {
    const names = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ];
    const name = names[m - 1] ?? 'January';
    return f.replace('September', name).replace('Sep', name.slice(0, 3)).replace('{y}', String(y));
  }),
  year.map((y) => `CY${y}`),
);

const context: fc.Arbitrary<PeriodContext> = fc.record(
  { fiscalYearStartMonth: month, asOfMonth: yearMonth },
  { requiredKeys: ['fiscalYearStartMonth'] },
);

describe('parsePeriod under fuzzing', () => {
  it(
    'answers any input with a period or an invalid_period error with a message, never a throw',
    () => {
      fc.assert(
        fc.property(anyInput, (input) => {
          let result: ReturnType<typeof parsePeriod> | undefined;
          const thrown = thrownBy(() => {
            result = parsePeriod(input as string);
          });
          if (thrown !== null) throw new Error(`parsePeriod threw ${errorName(thrown)}`);
          const answer = result!;
          if (answer.success) {
            expect(typeof input).toBe('string');
            return;
          }
          expect(answer.error.code).toBe('invalid_period');
          expect(answer.error.message).toMatch(/^Unrecognized period /);
          expect(answer.error.acceptedForms.length).toBeGreaterThan(0);
          expect(typeof answer.error.input).toBe('string');
        }),
        fuzzParameters(1000),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'the API schema answers any input with its data or issues, never a throw',
    () => {
      fc.assert(
        fc.property(anyInput, (input) => {
          const thrown = thrownBy(() => periodStringSchema.safeParse(input));
          if (thrown !== null) throw new Error(`periodStringSchema threw ${errorName(thrown)}`);
        }),
        fuzzParameters(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'accepts every form of the grammar, also lower case and with spaces around it',
    () => {
      fc.assert(
        fc.property(validPeriod, fc.boolean(), fc.constantFrom('', ' ', '\t', ' \n'), (text, lower, pad) => {
          const written = `${pad}${lower ? text.toLowerCase() : text}${pad}`;
          const result = parsePeriod(written);
          expect(result.success).toBe(true);
        }),
        fuzzParameters(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('period regressions found by fuzzing', () => {
  it('answers a value String() cannot convert with an invalid_period error instead of throwing', () => {
    // Shrunk counterexample (seed 1031262341, path "166:1:0:77"): `{"toString": {}}`, which
    // JSON.parse makes from a request body, made parsePeriod throw `TypeError: Cannot convert
    // object to primitive value` while describing the non-string it had been given.
    for (const value of [{ toString: {} }, Object.create(null) as unknown, JSON.parse('{"toString":1}')]) {
      const result = parsePeriod(value as string);
      expect(result.success).toBe(false);
      if (result.success) continue;
      expect(result.error.code).toBe('invalid_period');
      expect(result.error.message).toMatch(/the period must be text/);
    }
  });

  it('resolves FY1 at the last month of the grammar, whose fiscal year ends after it', () => {
    // s = 2: 2999-12 lies in the fiscal year Feb 2999 – Jan 3000, named FY3000; FY0 is FY2999.
    const ctx = { fiscalYearStartMonth: 2, asOfMonth: '2999-12' };
    const fy1 = resolvePeriod({ kind: 'relative_block', block: 'FY', offset: 1 }, ctx);
    expect(fy1).toEqual({
      success: true,
      period: { label: 'FY3000 (to 2999-12)', start: '2999-02-01', end: '2999-12-31', months: 11 },
    });
    const fy0 = resolvePeriod({ kind: 'relative_block', block: 'FY', offset: 0 }, ctx);
    expect(fy0.success && fy0.period.label).toBe('FY2999');
  });

  it('resolves a range of centuries at once (it was counted month by month: 10,000 months a request)', () => {
    // Found while fuzzing the period grammar: 1900-01-01..2999-12-31 took 20–250 ms to resolve,
    // so a metrics batch of 10,000 such requests held the API's one thread for minutes.
    const parsed = parsePeriod('1900-01-02..2999-12-30');
    if (!parsed.success) throw new Error(parsed.error.message);
    const started = performance.now();
    // 1,000 resolutions: about 20 ms now, 20 s and more before — a bound far from both.
    for (let i = 0; i < 1000; i += 1) resolvePeriod(parsed.period);
    expect(performance.now() - started).toBeLessThan(2000);
    const resolved = resolvePeriod(parsed.period);
    expect(resolved.success && resolved.period.months).toBeCloseTo(30 / 31 + 13_198 + 30 / 31, 9);
  });
});

describe('resolvePeriod under fuzzing', () => {
  it(
    'resolves any parsed period in any valid context, or says it needs an as-of month, never a throw',
    () => {
      fc.assert(
        fc.property(fc.oneof(validPeriod, periodLike), context, (text, ctx) => {
          const parsed = parsePeriod(text);
          if (!parsed.success) return;
          let resolved: ReturnType<typeof resolvePeriod> | undefined;
          const thrown = thrownBy(() => {
            resolved = resolvePeriod(parsed.period, ctx);
          });
          if (thrown !== null) throw new Error(`resolvePeriod threw ${errorName(thrown)}`);
          if (!resolved!.success) {
            expect(resolved!.error.code).toBe('as_of_required');
            expect(ctx.asOfMonth).toBeUndefined();
            return;
          }
          const period = resolved!.period;
          expect(period.start <= period.end).toBe(true);
          expect(period.months).toBeGreaterThan(0);
          const prior = priorYear(period);
          expect(prior.start <= prior.end).toBe(true);
          expect(monthsOf(period).length).toBeGreaterThanOrEqual(1);
        }),
        // A range of centuries is thousands of months to count: fewer runs keep it quick.
        fuzzParameters(300),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'labels a resolved period with a period that parses and resolves back to the same dates',
    () => {
      fc.assert(
        fc.property(validPeriod, context, (text, ctx) => {
          const parsed = parsePeriod(text);
          if (!parsed.success) throw new Error(`${text} did not parse: ${parsed.error.message}`);
          const resolved = resolvePeriod(parsed.period, ctx);
          if (!resolved.success) return;
          const { label, start, end, months } = resolved.period;
          // Found by this property (seed 231562277): a relative form counts back (or, for a
          // fiscal year, forward) from the as-of month past the grammar's years — FY-1 at
          // 1900-01 is FY1899, FY1 at 2999-12 with a February fiscal year is FY3000 (to
          // 2999-12) — and its label does not parse again. Harmless (no store holds sales before
          // 1900 or after 2999), so left as it is; every other label must parse.
          const outside = /year \d+ is outside 1900–2999/;
          const relative = ['relative', 'relative_ltm', 'relative_block'].includes(parsed.period.kind);
          // A period still running at the as-of month (FY1, FQ1, CY1, CQ1) is labelled
          // `<its whole block> (to <as-of month>)`: the block parses and resolves to a period
          // starting on the same day and running past the end, and the month is the last one.
          const partial = /^(.+) \(to (\d{4}-\d{2})\)$/.exec(label);
          if (partial) {
            const block = parsePeriod(partial[1] ?? '');
            if (!block.success && relative && outside.test(block.error.message)) return;
            if (!block.success)
              throw new Error(`the block of ${label} does not parse: ${block.error.message}`);
            const whole = resolvePeriod(block.period, ctx);
            if (!whole.success) throw new Error(whole.error.message);
            expect(whole.period.start).toBe(start);
            expect(whole.period.end > end).toBe(true);
            expect(end.slice(0, 7)).toBe(partial[2]);
            expect(months).toBe(monthsOf(resolved.period).length);
            return;
          }
          const again = parsePeriod(label);
          if (!again.success && relative && outside.test(again.error.message)) return;
          if (!again.success)
            throw new Error(`the label ${label} of ${text} does not parse: ${again.error.message}`);
          const twice = resolvePeriod(again.period, ctx);
          expect(twice.success && twice.period).toEqual({ label, start, end, months });
        }),
        fuzzParameters(1000),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
