/**
 * Progress for long work, on stderr so --json output stays clean: a live bar on a terminal, a line
 * every tenth of the way otherwise (CI logs), nothing for short work or when silenced.
 */
import cliProgress from "cli-progress";

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export const SHOW_PROGRESS_FROM = 300;

export function startProgress(label: string, total: number, enabled: boolean): Progress {
  if (!enabled || total < SHOW_PROGRESS_FROM) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(10)} [{bar}] {percentage}% {value}/{total} eta {eta}s`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let nextReport = total / 10;
  return {
    update(done) {
      if (done < nextReport && done < total) return;
      process.stderr.write(`${label} ${done}/${total}\n`);
      nextReport = done + total / 10;
    },
    stop() {},
  };
}
