/*
 * The spec's formulas as Excel formula text, made with the add-in's `formula` tag from
 * Caliper's own templates and checked A1 references (shared/model/spreadsheetCells.ts): no
 * text of the spec can become part of a formula. Every formula is blank-safe: where the
 * engine has no value (a blank or zero denominator, a blank input) it evaluates to "".
 */

import { type CaliperFormula, cellRef, formula } from '../../shared/model/spreadsheetCells';
import type { ReportFormula } from '../../shared/report/reportSpec';
import { address, ReportSpecError } from './names';

/** Where a formula sits and how it finds the other columns of its table. */
export interface FormulaPlace {
  table: string;
  /** The sheet row of the formula. */
  row: number;
  /** The sheet column of the formula. */
  column: number;
  /** True in the total row (the only place a `sum` may sit). */
  inTotalRow: boolean;
  /** The table's data rows (a `sum` adds them up). */
  firstDataRow: number;
  lastDataRow: number;
  /** The sheet column of a column key of the table. */
  columnOf: (key: string) => number | undefined;
}

function sameRowRef(place: FormulaPlace, key: string, role: string) {
  const column = place.columnOf(key);
  if (column === undefined) {
    throw new ReportSpecError(`Table ${place.table}: the ${role} of a formula names no column "${key}"`);
  }
  if (column === place.column) {
    throw new ReportSpecError(`Table ${place.table}: a formula's ${role} "${key}" is its own column`);
  }
  return cellRef(address(column, place.row));
}

/** The Excel formula (starting with `=`) of a spec formula at its place. */
export function excelFormula(f: ReportFormula, place: FormulaPlace): CaliperFormula {
  switch (f.kind) {
    case 'sum': {
      if (!place.inTotalRow) {
        throw new ReportSpecError(
          `Table ${place.table}: a sum sits in the total row only (it adds the data rows)`,
        );
      }
      const range = cellRef(
        `${address(place.column, place.firstDataRow)}:${address(place.column, place.lastDataRow)}`,
      );
      // A sum the engine has no value for (no numbers to add) stays blank, not 0.
      return f.value === null ? formula`=IF(COUNT(${range})=0,"",SUM(${range}))` : formula`=SUM(${range})`;
    }
    case 'growth': {
      const current = sameRowRef(place, f.current, 'current');
      const prior = sameRowRef(place, f.prior, 'prior');
      return formula`=IF(AND(ISNUMBER(${current}),ISNUMBER(${prior}),${prior}<>0),${current}/${prior}-1,"")`;
    }
    case 'ratio': {
      const numerator = sameRowRef(place, f.numerator, 'numerator');
      const denominator = sameRowRef(place, f.denominator, 'denominator');
      // A rule that has no value for a negative denominator (compensation / production) says so.
      return f.denominatorMustBePositive === true
        ? formula`=IF(AND(ISNUMBER(${numerator}),ISNUMBER(${denominator}),${denominator}>0),${numerator}/${denominator},"")`
        : formula`=IF(AND(ISNUMBER(${numerator}),ISNUMBER(${denominator}),${denominator}<>0),${numerator}/${denominator},"")`;
    }
    case 'difference': {
      const minuend = sameRowRef(place, f.minuend, 'minuend');
      const subtrahend = sameRowRef(place, f.subtrahend, 'subtrahend');
      return formula`=IF(AND(ISNUMBER(${minuend}),ISNUMBER(${subtrahend})),${minuend}-${subtrahend},"")`;
    }
  }
}
