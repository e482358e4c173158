/**
 * Progress for long work on stderr: a bar redrawn in place on a terminal, a plain line every 10% when
 * stderr is piped (logs stay readable), nothing at all for work that ends within half a second.
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - started < 500 || total <= 0) return;
      const fraction = Math.min(1, done / total);
      if (stream.isTTY) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% (${done}/${total})`);
        drawn = true;
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${label}: ${decile * 10}% (${done}/${total})\n`);
      }
    },
    finish() {
      if (drawn && stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}
