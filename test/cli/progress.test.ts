/**
 * Progress reports early even when updates are rare (a pool reports a slice only when it ends), stays
 * silent for short work, and leaves nothing behind once finished. The clock and timers are the test's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/cli/progress';

function fakeTimers() {
  let time = 0;
  const pending: { at: number; every?: number; callback: () => void; cancelled: boolean }[] = [];
  return {
    now: () => time,
    setTimer: (callback: () => void, ms: number, repeat: boolean) => {
      const t = { at: time + ms, ...(repeat ? { every: ms } : {}), callback, cancelled: false };
      pending.push(t);
      return { cancel: () => (t.cancelled = true) };
    },
    /** Moves the clock, firing what falls due in order. */
    advance(ms: number) {
      const end = time + ms;
      for (;;) {
        const due = pending.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        time = due.at;
        if (due.every) due.at += due.every;
        else due.cancelled = true;
        due.callback();
      }
      time = end;
    },
    live: () => pending.filter((t) => !t.cancelled).length,
  };
}

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { stream: { isTTY, write: (s: string) => out.push(s) > 0 }, out };
};

test('with the total known, a piped stream gets a first line at the delay though no update came', () => {
  const clock = fakeTimers();
  const { stream, out } = sink(false);
  const progress = createProgress('sweep', stream, { total: 1000, delayMs: 500, ...clock });
  clock.advance(499);
  assert.deepEqual(out, []);
  clock.advance(1);
  assert.deepEqual(out, ['sweep: 0% (0/1000)\n']);
  progress.update(100, 1000);
  progress.update(150, 1000);
  assert.deepEqual(out.slice(1), ['sweep: 10% (100/1000)\n']);
  progress.finish();
  assert.equal(clock.live(), 0);
});

test('a terminal\'s bar is redrawn every second with the time spent until the work ends', () => {
  const clock = fakeTimers();
  const { stream, out } = sink(true);
  const progress = createProgress('sweep', stream, { total: 10, ...clock });
  clock.advance(2500);
  assert.equal(out.length, 3, out.join('|'));
  assert.match(out[0], /^\rsweep \[\.{30}\]\s+0% \(0\/10\) 1 s$/);
  assert.match(out[2], /\(0\/10\) 3 s$/);
  clock.advance(200);
  progress.update(5, 10);
  assert.match(out.at(-1)!, /\[#{15}\.{15}\]\s+50% \(5\/10\)/);
  progress.finish();
  assert.equal(out.at(-1), '\r\x1b[2K');
  assert.equal(clock.live(), 0);
  const before = out.length;
  clock.advance(5000);
  assert.equal(out.length, before, 'nothing drawn after finish');
});

test('work that ends before the delay prints nothing', () => {
  const clock = fakeTimers();
  const { stream, out } = sink(false);
  const progress = createProgress('sweep', stream, { total: 10, ...clock });
  clock.advance(200);
  progress.update(10, 10);
  progress.finish();
  clock.advance(5000);
  assert.deepEqual(out, []);
});
