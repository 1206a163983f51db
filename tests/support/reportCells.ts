/*
 * Where each cell of a board-pack spec lands in the written workbook, and the check that a
 * recalculated workbook's formulas equal the engine's values — shared by the writer's tests
 * and the board pack's.
 */
import { layoutWorkbook } from '../../io/report/layout';
import type { ReportCell, ReportFormula, ReportUnit, ReportWorkbook } from '../../shared/report/reportSpec';
import type { SheetReadings } from './libreOffice';

export interface PlacedCell {
  sheet: string;
  address: string;
  cell: ReportCell;
  unit: ReportUnit;
  where: string;
}

// Written independently of io/report/names.ts, so an address bug there cannot hide here.
function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Every table cell of the spec with the address the layout gives it. */
export function placedCells(spec: ReportWorkbook): PlacedCell[] {
  const out: PlacedCell[] = [];
  for (const sheet of layoutWorkbook(spec).sheets) {
    for (const t of sheet.tables) {
      const rows: [number, readonly ReportCell[], string][] = t.rows.map((cells, i) => [
        t.firstDataRow + i,
        cells,
        `${t.table.name} row ${i}`,
      ]);
      if (t.totalRow !== null && t.totalCells !== null)
        rows.push([t.totalRow, t.totalCells, `${t.table.name} total`]);
      for (const [row, cells, where] of rows) {
        t.table.columns.forEach((column, i) => {
          out.push({
            sheet: sheet.sheet.name,
            address: `${columnLetters(i + 1)}${row}`,
            cell: cells[i] ?? null,
            unit: column.unit,
            where: `${where}, ${column.key}`,
          });
        });
      }
    }
  }
  return out;
}

/** To the cent for dollars (half a cent either way), 1e-9 for everything else. */
export const tolerance = (unit: ReportUnit) => (unit === 'usd' ? 0.005 : 1e-9);

export const formulaOf = (p: PlacedCell): ReportFormula | null =>
  p.cell !== null && typeof p.cell === 'object' ? p.cell.formula : null;

/** Each formula cell whose recalculated value is an error, or differs from the engine's. */
export function formulaMismatches(spec: ReportWorkbook, recalculated: Map<string, SheetReadings>): string[] {
  const mismatches: string[] = [];
  for (const p of placedCells(spec)) {
    const f = formulaOf(p);
    if (f === null) continue;
    const r = recalculated.get(p.sheet)?.get(p.address);
    const got = r === undefined ? null : r.value;
    if (r?.error !== undefined) mismatches.push(`${p.sheet}!${p.where} (${p.address}): error ${r.error}`);
    else if (f.value === null) {
      if (got !== null)
        mismatches.push(`${p.sheet}!${p.where} (${p.address}): expected blank, got ${String(got)}`);
    } else if (typeof got !== 'number' || Math.abs(got - f.value) >= tolerance(p.unit)) {
      mismatches.push(`${p.sheet}!${p.where} (${p.address}): expected ${f.value}, got ${String(got)}`);
    }
  }
  return mismatches;
}
