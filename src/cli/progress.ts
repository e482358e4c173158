/**
 * Progress for long work on stderr: a bar redrawn in place on a terminal, a plain line every 10% when
 * stderr is piped (logs stay readable), nothing at all for work that ends within half a second.
 *
 * Updates can be rare: a pool reports a slice when it ends, and a big sweep's first slice may take
 * minutes. So when the total is known up front, a timer draws the state at `delayMs` whether or not an
 * update came, and a terminal's bar is redrawn every second with the time spent: a long run is never
 * silent. (The timer fires only while this thread is free, which it is while a pool works; a sweep on
 * this thread updates after every dataset instead.)
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export interface ProgressOptions {
  /** The amount of work, when known before the first update. */
  readonly total?: number;
  /** Quiet for this long (default 500 ms): short work prints nothing. */
  readonly delayMs?: number;
  /** For tests: the clock and the timers. */
  readonly now?: () => number;
  readonly setTimer?: (callback: () => void, ms: number, repeat: boolean) => { cancel(): void };
}

const nodeTimer = (callback: () => void, ms: number, repeat: boolean) => {
  // Unreferenced: a progress line never keeps the process alive after the work ended.
  const timer = repeat ? setInterval(callback, ms).unref() : setTimeout(callback, ms).unref();
  return { cancel: () => (repeat ? clearInterval(timer) : clearTimeout(timer)) };
};

type Stream = Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean };

export function createProgress(label: string, stream: Stream = process.stderr, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? nodeTimer;
  const delay = options.delayMs ?? 500;
  const started = now();
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  let finished = false;
  let done = 0;
  let total = options.total ?? 0;
  const timers: { cancel(): void }[] = [];

  const draw = (force: boolean) => {
    if (finished || total <= 0) return;
    const t = now();
    const fraction = Math.min(1, done / total);
    if (stream.isTTY) {
      if (!force && t - lastDraw < 100 && done < total) return;
      lastDraw = t;
      const width = 30;
      const filled = Math.round(fraction * width);
      const seconds = Math.round((t - started) / 1000);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% (${done}/${total}) ${seconds} s`);
      drawn = true;
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`${label}: ${decile * 10}% (${done}/${total})\n`);
      drawn = true;
    }
  };

  if (options.total !== undefined && options.total > 0) {
    timers.push(
      setTimer(
        () => {
          draw(true);
          if (stream.isTTY && !finished) timers.push(setTimer(() => draw(true), 1000, true));
        },
        delay,
        false,
      ),
    );
  }

  return {
    update(d, t) {
      done = d;
      total = t;
      if (now() - started < delay) return;
      draw(false);
    },
    finish() {
      finished = true;
      for (const timer of timers) timer.cancel();
      if (drawn && stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}
