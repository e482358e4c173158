/** The sweep-pool worker's handlers (see sweepWorker.ts), shared by its Node entry and its web one (sweepWorkerWeb.ts). */
import { prepareLearners } from '../core/algorithms';
import { CoreError } from '../core/errors';
import { sweepPointSlice, type SweepPoint } from '../core/experiments';
import { lpReady } from '../core/highs';
import type { Port } from '../workers/port';
import { serve } from '../workers/serve';
import { sweepProtocol } from './sweepProtocol';

export function serveSweepWorker(port: Port): void {
  let points: readonly SweepPoint[] = [];
  serve(
    port,
    sweepProtocol,
    {
      points: (sent) => {
        points = sent;
        return null;
      },
      slice: ({ point, from, to }) => {
        const p = points[point];
        if (!p || to > p.seeds) throw new CoreError(`slice ${from}–${to} of point ${point} is outside the sweep this worker holds`, 'sweep-worker');
        // Copied back, not transferred: detaching any ArrayBuffer makes V8 guard every typed-array
        // access in this thread's optimised code from then on, which slows every later slice.
        // HiGHS is loaded by the first slice of an LP learner (this thread's only wait for it).
        if (!lpReady()) return prepareLearners([p.algorithm]).then(() => sweepPointSlice(p, from, to));
        return sweepPointSlice(p, from, to);
      },
    },
    { name: 'sweep worker' },
  );
}
