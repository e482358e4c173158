/**
 * The alea step, written once. seedrandom's alea keeps four doubles (s0, s1, s2, c); each draw runs
 *
 *   t = 2091639·s0 + c·2⁻³²;  (s0, s1, s2, c) ← (s1, s2, t − ⌊t⌋, ⌊t⌋)
 *
 * and returns the new s2. The core's hot loops run this recurrence on locals rather than through
 * seedrandom's object (whose fields are boxed on every draw) or through a state array (a load and a
 * store per field per draw). A JavaScript function cannot return four numbers without allocating, so
 * the step is split where it can be shared: aleaMix computes t, aleaCarry its carry, and each loop writes
 *
 *   const t = aleaMix(s0, c); s0 = s1; s1 = s2; c = aleaCarry(t); s2 = t - c;
 *
 * Both helpers are one expression: V8 inlines them, and the loops keep their state in registers. The
 * stream is seedrandom.alea's bit for bit (test/core/referenceRollout.test.ts holds it to seedrandom).
 */

/** 2⁻³², alea's scale from the 32-bit carry to [0, 1). */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** t of one alea step from the oldest state word s0 and the carry c. */
export function aleaMix(s0: number, c: number): number {
  return 2091639 * s0 + c * TWO_POW_MINUS_32;
}

/**
 * The carry ⌊t⌋ of an aleaMix result; the new draw is t minus it. Math.floor, not t | 0: the same
 * integer for these t ∈ [0, 2^21], but V8 keeps it a double, so the carry chain from one draw to the
 * next has no integer-to-double conversion on it.
 */
export function aleaCarry(t: number): number {
  return Math.floor(t);
}

/**
 * The next n draws of the stream in `rng` (s0, s1, s2, c, updated) into out[0 … n): the recurrence
 * alone, so the loop that then uses them carries no dependency from one draw to the next and its table
 * reads overlap.
 */
export function fillDraws(rng: Float64Array, out: Float64Array, n: number): void {
  let s0 = rng[0];
  let s1 = rng[1];
  let s2 = rng[2];
  let c = rng[3];
  for (let k = 0; k < n; k++) {
    const t = aleaMix(s0, c);
    s0 = s1;
    s1 = s2;
    c = aleaCarry(t);
    s2 = t - c;
    out[k] = s2;
  }
  rng[0] = s0;
  rng[1] = s1;
  rng[2] = s2;
  rng[3] = c;
}
