/**
 * The view of a kernel's row offsets that the hot loops index with. V8 keeps Int32 loads in integer
 * registers, while Uint32 loads of values above 2^31 force double arithmetic on the loop counters; so
 * rowStart is read as Int32 whenever every offset fits (the same bytes, no copy), and as itself
 * otherwise.
 */

/**
 * Views made so far, one per rowStart. A view costs V8 an object and a backing-store handle, and the
 * callers run many short loops over one kernel (a sweep's datasets of 40 trajectories, an evaluation's
 * H steps): made once per kernel, not once per step or call. Weak, so an MDP dropped is reclaimed.
 */
const views = new WeakMap<Uint32Array, Int32Array | Uint32Array>();

/** rowStart as Int32 when its last (largest) offset is below 2^31, else rowStart itself. */
export function int32Offsets(rowStart: Uint32Array): Int32Array | Uint32Array {
  let view = views.get(rowStart);
  if (view === undefined) {
    view = rowStart[rowStart.length - 1] < 2 ** 31 ? new Int32Array(rowStart.buffer, rowStart.byteOffset, rowStart.length) : rowStart;
    views.set(rowStart, view);
  }
  return view;
}
