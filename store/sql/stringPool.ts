/**
 * One instance of each repeated text of a load (location, provider, person key, day, status):
 * a metric load holds millions of rows whose fields repeat, and a string per field per row was
 * most of a query process's memory (550 bytes an appointment at 50 locations).
 *
 * Every text pooled is a value of its own as the driver or the decoder returned it (never a
 * slice of a longer text, which would keep the whole alive), so its first occurrence is pooled
 * as it is.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  of(text: string): string;
  of(text: string | null): string | null;
  of(text: string | null): string | null {
    if (text === null) return null;
    const pooled = this.pool.get(text);
    if (pooled !== undefined) return pooled;
    this.pool.set(text, text);
    return text;
  }

  /** Forgets every text (the texts handed out stay as they are): for when no more will be read. */
  clear(): void {
    this.pool.clear();
  }
}
