/** The flags of the bench's child processes (`--name value`), and how a child reports back. */
export function flagValue(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : process.argv[index + 1];
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is required`);
}

/** The process's peak resident set so far, in bytes (the kernel's high-water mark). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** A child's result: one JSON line on stdout, read by scripts/bench.ts. */
export function report(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function failed(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
