/**
 * The canonical bundle as the demo writes it: one header per file, taken from the canonical
 * model's file specs (shared/model/canonicalBundle.ts), and a sink that receives rows already
 * formatted as cell text.
 */
import {
  CANONICAL_FILES as CANONICAL_FILE_SPECS,
  type CanonicalFileName,
} from '../shared/model/canonicalBundle';

export type { CanonicalFileName };

/** Each file's header, in the column order of the canonical model (and the docs). */
export const DEMO_COLUMNS = columnsByFile();

function columnsByFile(): Record<CanonicalFileName, readonly string[]> {
  const columns: Partial<Record<CanonicalFileName, readonly string[]>> = {};
  for (const spec of CANONICAL_FILE_SPECS) columns[spec.file] = Object.keys(spec.columns);
  return columns as Record<CanonicalFileName, readonly string[]>;
}

/** Receives one row at a time; values are canonical cell text in DEMO_COLUMNS order. */
export interface BundleSink {
  row(file: CanonicalFileName, values: readonly string[]): void;
}
