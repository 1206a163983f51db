/**
 * A bundle as the ingest sees it: named files that can be read as a byte stream. Where they
 * come from (a folder, a .zip, an HTTP upload) is the business of an adapter.
 */
export interface BundleFile {
  /** File name inside the bundle, e.g. `sales.csv`. */
  name: string;
  /** What the user recognizes in a report, e.g. `exports/L001/sales.csv` or `L001.zip:sales.csv`. */
  displayPath: string;
  /** Size in bytes (uncompressed), for progress. */
  bytes: number;
  /**
   * Added to a CSV row number to name the row the user knows: a file converted from a JSON
   * export holds record 1 on CSV row 2, so it says -1 and issues and lineage name the record.
   */
  rowOffset?: number;
  read(): AsyncIterable<Buffer>;
}

export interface Bundle {
  /** Where the bundle came from, e.g. the folder or zip path. */
  label: string;
  /**
   * Its folder inside what the user opened, posix separators: `''` for the top, `L001/directory`
   * below. What a folder's files say (its one location, service categories) holds for its
   * sub-folders too. Absent: a bundle of its own.
   */
  folder?: string;
  files: BundleFile[];
}
