/**
 * One instance of each repeated text of a load (location, provider, person key, day, status):
 * a metric load holds millions of rows whose fields repeat, and a string per field per row was
 * most of a query process's memory (550 bytes an appointment at 50 locations).
 *
 * A field cut out of a longer text can be a slice that keeps the whole text alive, so the
 * first occurrence is stored as a copy of its own.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  of(text: string): string {
    const pooled = this.pool.get(text);
    if (pooled !== undefined) return pooled;
    const own = ownCopy(text);
    this.pool.set(own, own);
    return own;
  }

  ofNullable(text: string | null): string | null {
    return text === null ? null : this.of(text);
  }

  /**
   * As `of`, for a text that is a value of its own as the driver returned it (a column, never a
   * field cut from a packed text): its first occurrence is pooled as it is, without the copy
   * (a million hashes at 50 locations).
   */
  ofWhole(text: string): string;
  ofWhole(text: string | null): string | null;
  ofWhole(text: string | null): string | null {
    if (text === null) return null;
    const pooled = this.pool.get(text);
    if (pooled !== undefined) return pooled;
    this.pool.set(text, text);
    return text;
  }

  /** Pools the text `fields` of rows as the driver returned them (`ofWhole`), in place. */
  textsIn<T>(rows: T[], fields: readonly TextField<T>[]): void {
    for (const row of rows) {
      for (const field of fields) row[field] = this.ofWhole(row[field] as string | null) as T[TextField<T>];
    }
  }
}

/** The fields of T that hold a text (or null). */
type TextField<T> = { [K in keyof T]: T[K] extends string | null ? K : never }[keyof T];

/** A copy of `text` that shares no storage with the text it may have been cut from. */
export function ownCopy(text: string): string {
  // UTF-16 round-trips every JS string, a lone surrogate included (UTF-8 would not).
  return Buffer.from(text, 'utf16le').toString('utf16le');
}
