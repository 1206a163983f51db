import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr when a person is watching (a TTY), nothing otherwise: piped output
 * and `--json` stay clean for scripts.
 */
export function createProgress(
  title: string,
  unit: 'bytes' | 'items',
  enabled = process.stderr.isTTY,
): ProgressReporter {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${title} [{bar}] {percentage}% | {amount} | {label}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const amount = (done: number, total: number) =>
    unit === 'bytes' ? `${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB` : `${done}/${total}`;
  return {
    update(done, total, label) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { amount: amount(0, total), label });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { amount: amount(done, total), label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
