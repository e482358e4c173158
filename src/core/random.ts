/**
 * The single place the core makes randomness. seedrandom's `alea` is the fastest of its generators on
 * Node (ahead of the xor family, far ahead of the default ARC4) and, being pure JavaScript arithmetic,
 * gives the same stream on every machine. Its step is written once, in kernels/alea.ts.
 */
import seedrandom from 'seedrandom';
import { CoreError } from './errors';
// From the file, not the folder's index: kernels/draws.ts imports this module.
import { aleaCarry, aleaMix } from './kernels/alea';

/** A uniform draw in [0, 1). */
export type Rng = () => number;

export function createRng(seed: number | string): Rng {
  const prng = seedrandom.alea(String(seed));
  return () => prng();
}

/** One character of Baagoe's Mash, as seedrandom's alea seeding runs it: Mash's state n after `code`. */
function mash(n: number, code: number): number {
  n += code;
  let h = 0.02519603282416938 * n;
  n = h >>> 0;
  h -= n;
  h *= n;
  n = h >>> 0;
  h -= n;
  return n + h * 0x100000000;
}

/** seedrandom's alea before the seed is mixed in: s0, s1, s2 = mash(' ') thrice, and Mash's n after. */
const { n: MASH_AFTER_SPACES, spaces: ALEA_SPACES } = (() => {
  let n = 0xefc8249d;
  const spaces: number[] = [];
  for (let p = 0; p < 3; p++) {
    n = mash(n, 32);
    spaces.push((n >>> 0) * 2.3283064365386963e-10);
  }
  return { n, spaces };
})();

/**
 * The state (s0, s1, s2, c) of seedrandom's alea after seeding, so hot loops can run the same recurrence
 * on local variables (see kernels/alea.ts) instead of calling through seedrandom's object, whose fields are
 * boxed on every draw. The stream is bit-identical to seedrandom.alea(seed); the tests check it.
 */
export function aleaState(seed: number | string, out: Float64Array = new Float64Array(4)): Float64Array {
  // seedrandom's own seeding (Baagoe's Mash), restated so a sweep's thousands of seeds cost no
  // generator objects: the tests hold it to seedrandom.alea(seed).state() bit for bit.
  const text = String(seed);
  let n = MASH_AFTER_SPACES;
  for (let p = 0; p < 3; p++) {
    for (let i = 0; i < text.length; i++) n = mash(n, text.charCodeAt(i));
    let v = ALEA_SPACES[p] - (n >>> 0) * 2.3283064365386963e-10;
    if (v < 0) v += 1;
    out[p] = v;
  }
  out[3] = 1;
  return out;
}

/**
 * aleaState of two seeds at once: Mash is a chain of dependent steps per character, and two seeds' chains
 * in one loop overlap (a sweep seeds thousands of datasets, in pairs). The same states as two calls.
 */
export function aleaStatePair(seedA: number | string, seedB: number | string, outA: Float64Array, outB: Float64Array): void {
  const a = String(seedA);
  const b = String(seedB);
  if (a.length !== b.length) {
    aleaState(a, outA);
    aleaState(b, outB);
    return;
  }
  let na = MASH_AFTER_SPACES;
  let nb = MASH_AFTER_SPACES;
  for (let p = 0; p < 3; p++) {
    for (let i = 0; i < a.length; i++) {
      na = mash(na, a.charCodeAt(i));
      nb = mash(nb, b.charCodeAt(i));
    }
    let va = ALEA_SPACES[p] - (na >>> 0) * 2.3283064365386963e-10;
    if (va < 0) va += 1;
    outA[p] = va;
    let vb = ALEA_SPACES[p] - (nb >>> 0) * 2.3283064365386963e-10;
    if (vb < 0) vb += 1;
    outB[p] = vb;
  }
  outA[3] = 1;
  outB[3] = 1;
}

/** One alea draw on a state from aleaState: updates it in place and returns a uniform in [0, 1). */
export function aleaNext(state: Float64Array): number {
  const t = aleaMix(state[0], state[3]);
  state[0] = state[1];
  state[1] = state[2];
  state[3] = aleaCarry(t);
  return (state[2] = t - state[3]);
}

/** A seed for an independent, reproducible stream: e.g. deriveSeed(base, 'gap-vs-H', H, i). */
export function deriveSeed(seed: number | string, ...parts: (number | string)[]): string {
  return [String(seed), ...parts.map(String)].join('/');
}

/**
 * Walker's alias table: O(n) to build, O(1) and one uniform per draw. `guide` answers most draws with
 * one load: guide[j] is the draw for every u in [j/G, (j+1)/G) when the alias rule gives the same
 * outcome across that whole interval, else −1 (then the alias rule decides). It spares the alias
 * rule's unpredictable branch, which dominated sampling Reset Cliff datasets.
 */
export interface AliasTable {
  readonly n: number;
  readonly threshold: Float64Array;
  readonly alias: Int32Array;
  readonly guide: Int32Array;
}

/** Guide buckets per alias column (a power of two, so u·G is exact): ≤ 2n of the G buckets are mixed. */
const GUIDE_PER_COLUMN = 64;
const MAX_GUIDE = 1 << 16;

export function aliasTable(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  if (n === 0) throw new CoreError('an alias table needs at least one weight', 'argument');
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new CoreError(`weight ${i} is ${w}; weights must be finite and ≥ 0`, 'argument');
    total += w;
  }
  if (total <= 0) throw new CoreError('alias table weights sum to 0', 'argument');
  const threshold = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i] * n) / total;
    alias[i] = i;
    (scaled[i] < 1 ? small : large).push(i);
  }
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    threshold[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  // Whatever is left has scaled weight 1 up to rounding: it keeps itself.
  for (const i of large) threshold[i] = 1;
  for (const i of small) threshold[i] = weights[i] > 0 ? 1 : 0;
  // A zero-weight column that kept itself must never be returned: point it at a positive column.
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0 && alias[i] === i) {
      threshold[i] = 0;
      for (let j = 0; j < n; j++) {
        if (weights[j] > 0) {
          alias[i] = j;
          break;
        }
      }
    }
  }
  return { n, threshold, alias, guide: guideTable(n, threshold, alias) };
}

/**
 * guide[j] for u ∈ [j/G, (j+1)/G): the alias rule is monotone in u piece by piece — x = u·n, its floor
 * and x − ⌊x⌋ < threshold all move one way as u grows, in floating point too — so when the bucket's
 * least and greatest doubles take the same column by the same branch, every u between them does.
 */
function guideTable(n: number, threshold: Float64Array, alias: Int32Array): Int32Array {
  let G = 1;
  while (G < GUIDE_PER_COLUMN * n && G < MAX_GUIDE) G *= 2;
  const guide = new Int32Array(G);
  const outcome = (u: number) => {
    const x = u * n;
    const i = Math.min(n - 1, Math.floor(x));
    // Column and branch, not the state drawn: two columns may alias to one state with others between.
    return x - i < threshold[i] ? 2 * i : 2 * i + 1;
  };
  for (let j = 0; j < G; j++) {
    const lo = outcome(j / G);
    const hi = outcome(previousDouble((j + 1) / G));
    guide[j] = lo !== hi ? -1 : lo % 2 === 0 ? lo / 2 : alias[(lo - 1) / 2];
  }
  return guide;
}

/**
 * The largest double below x, for normal x > 0: x − x·2⁻⁵³ is exact before rounding and lies between
 * ulp/2 and ulp below x, so it rounds to x − ulp (or is x − ulp/2 exactly when x is a power of two,
 * where the spacing below halves).
 */
function previousDouble(x: number): number {
  return x - x * 1.1102230246251565e-16;
}

/** One draw from an alias table with one uniform u ∈ [0, 1). */
export function sampleAlias(table: AliasTable, u: number): number {
  const guide = table.guide;
  const g = guide[(u * guide.length) | 0];
  if (g >= 0) return g;
  const x = u * table.n;
  const i = Math.min(table.n - 1, Math.floor(x));
  return x - i < table.threshold[i] ? i : table.alias[i];
}
