import fs from 'node:fs';
import path from 'node:path';

import {
  type BundleSink,
  type CanonicalFileName,
  DEMO_COLUMNS,
  demoLocationIds,
  type DemoOptions,
  generateDemoLocation,
} from '../../demo/demoPortfolio';

/**
 * Writes the demo portfolio as canonical bundles: `<outDir>/<location_id>/<file>.csv`, one
 * folder per location because each location's systems are exported separately. Rows are
 * buffered per file and flushed in chunks of about 1 MB while a location is generated, so
 * memory stays flat however large the portfolio.
 */

export interface WriteDemoOptions extends DemoOptions {
  outDir: string;
  onProgress?: (done: number, total: number, locationId: string) => void;
}

export interface WriteDemoResult {
  /** Folder paths, one per location. */
  bundles: string[];
  /** Data rows written per file, headers excluded, summed over all bundles. */
  rows: Record<CanonicalFileName, number>;
  bytes: number;
}

const FILES = Object.keys(DEMO_COLUMNS) as CanonicalFileName[];
const CHUNK_CHARS = 1 << 20;
const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: quote a cell only when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\n`;
}

/** One open CSV file: rows collect in memory and go to disk a chunk at a time. */
class CsvFile {
  private pending: string[] = [];
  private pendingChars = 0;
  bytes = 0;
  rows = 0;

  constructor(private readonly fd: number) {}

  write(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.bytes += fs.writeSync(this.fd, chunk, null, 'utf8');
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** The sink for one location's bundle folder. */
class BundleFolder implements BundleSink {
  private readonly files = new Map<CanonicalFileName, CsvFile>();

  constructor(dir: string) {
    for (const file of FILES) {
      const csv = new CsvFile(fs.openSync(path.join(dir, file), 'w'));
      csv.write(csvLine(DEMO_COLUMNS[file]));
      this.files.set(file, csv);
    }
  }

  row(file: CanonicalFileName, values: readonly string[]): void {
    const csv = this.files.get(file)!;
    csv.write(csvLine(values));
    csv.rows++;
  }

  /** Closes every file and adds its rows and bytes to the totals. */
  close(totals: WriteDemoResult): void {
    for (const [file, csv] of this.files) {
      csv.close();
      totals.rows[file] += csv.rows;
      totals.bytes += csv.bytes;
    }
  }
}

export async function writeDemoPortfolio(options: WriteDemoOptions): Promise<WriteDemoResult> {
  const { outDir, onProgress, ...demo } = options;
  const ids = demoLocationIds(demo);
  const result: WriteDemoResult = {
    bundles: [],
    rows: Object.fromEntries(FILES.map((file) => [file, 0])) as Record<CanonicalFileName, number>,
    bytes: 0,
  };
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    const dir = path.join(outDir, id);
    fs.mkdirSync(dir, { recursive: true });
    const folder = new BundleFolder(dir);
    try {
      generateDemoLocation(demo, index, folder);
    } finally {
      folder.close(result);
    }
    result.bundles.push(dir);
    onProgress?.(index + 1, ids.length, id);
    // Generation is synchronous; yield between locations so timers (progress, sampling) run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return result;
}
