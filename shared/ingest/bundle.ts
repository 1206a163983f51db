/**
 * A bundle as the ingest sees it: named files, each either bytes to read as a canonical CSV
 * (a folder, a .zip, an HTTP upload — where they come from is the business of an adapter) or
 * the canonical records a vendor export was converted into, handed over as records so that a
 * vendor row becomes canonical records once and is never written out as text again.
 */
interface BundleFileBase {
  /** File name inside the bundle, e.g. `sales.csv`. */
  name: string;
  /** What the user recognizes in a report, e.g. `exports/L001/sales.csv` or `L001.zip:sales.csv`. */
  displayPath: string;
  /** Size in bytes (uncompressed; of a record file, its share of the export's bytes), for progress. */
  bytes: number;
}

/** A canonical CSV file: its bytes, read as a stream. */
export interface ByteFile extends BundleFileBase {
  read(): AsyncIterable<Buffer>;
  records?: undefined;
}

/** One canonical row a converter made: cell text by canonical column, and where it came from. */
export interface SourceRecord {
  /** The vendor file's row (header = row 1) or JSON record number (from 1) the row came from. */
  sourceRow: number;
  values: Readonly<Record<string, string>>;
}

/** The canonical records of one entity converted from a vendor export. */
export interface RecordFile extends BundleFileBase {
  /** The columns the records fill, canonical ones first, then extra attributes (`currency`…). */
  columns: readonly string[];
  records: readonly SourceRecord[];
  /** SHA-256 of what the records came from (the vendor export), which lineage names. */
  sha256: string;
}

export type BundleFile = ByteFile | RecordFile;

export function isRecordFile(file: BundleFile): file is RecordFile {
  return file.records !== undefined;
}

export interface Bundle<F extends BundleFile = BundleFile> {
  /** Where the bundle came from, e.g. the folder or zip path. */
  label: string;
  /**
   * Its folder inside what the user opened, posix separators: `''` for the top, `L001/directory`
   * below. What a folder's files say (its one location, service categories) holds for its
   * sub-folders too. Absent: a bundle of its own.
   */
  folder?: string;
  files: F[];
}
