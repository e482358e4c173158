/**
 * Test-side generators and brute-force references, written independently of the core's algorithms:
 * a tiny LCG (not the core's RNG), dense tables, and evaluation by enumerating every trajectory.
 */
import type { MDP, Transitions } from '../../../src/core/mdp';
import type { StochasticPolicy } from '../../../src/core/policy';

export function lcg(seed: number): () => number {
  let x = (seed >>> 0) || 1;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

export interface RandomMdpOptions {
  nS: number;
  nA: number;
  H: number;
  seed: number;
  /** Successors per row (default: up to 3). */
  branching?: number;
  perStep?: boolean;
  /** Give some rows a reset part to a random distribution. */
  withReset?: boolean;
}

function randomDistribution(rand: () => number, n: number): Float64Array {
  const w = Float64Array.from({ length: n }, () => rand() + 0.05);
  const total = w.reduce((x, y) => x + y, 0);
  return w.map((x) => x / total);
}

export interface DenseMdp {
  mdp: MDP;
  /** dense[h][(s*nA+a)*nS + s2] = P_h(s2|s,a) */
  dense: Float64Array[];
}

export function randomMdp(o: RandomMdpOptions): DenseMdp {
  const rand = lcg(o.seed);
  const { nS, nA, H } = o;
  const steps = o.perStep ? H : 1;
  const resetTo = randomDistribution(rand, nS);
  const transitions: Transitions[] = [];
  const dense: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    const rowStart = new Uint32Array(nS * nA + 1);
    const next: number[] = [];
    const prob: number[] = [];
    const mass = new Float64Array(nS * nA);
    const d = new Float64Array(nS * nA * nS);
    for (let r = 0; r < nS * nA; r++) {
      const k = Math.min(nS, o.branching ?? 1 + Math.floor(rand() * 3));
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(Math.floor(rand() * nS));
      const reset = o.withReset && rand() < 0.4 ? 0.2 + 0.5 * rand() : 0;
      const p = randomDistribution(rand, k);
      let i = 0;
      for (const s2 of chosen) {
        next.push(s2);
        prob.push(p[i] * (1 - reset));
        d[r * nS + s2] += p[i] * (1 - reset);
        i++;
      }
      if (reset > 0) {
        mass[r] = reset;
        for (let s2 = 0; s2 < nS; s2++) d[r * nS + s2] += reset * resetTo[s2];
      }
      rowStart[r + 1] = next.length;
    }
    transitions.push({
      rowStart,
      next: Int32Array.from(next),
      prob: Float64Array.from(prob),
      ...(o.withReset ? { reset: { mass, to: resetTo } } : {}),
    });
    dense.push(d);
  }
  const reward = Float64Array.from({ length: (o.perStep ? H : 1) * nS * nA }, () => rand());
  const mdp: MDP = { nS, nA, H, rho: randomDistribution(rand, nS), reward, transitions };
  return { mdp, dense };
}

export function randomStochasticPolicy(nS: number, nA: number, H: number, seed: number): StochasticPolicy {
  const rand = lcg(seed);
  const prob = new Float64Array(H * nS * nA);
  for (let row = 0; row < H * nS; row++) prob.set(randomDistribution(rand, nA), row * nA);
  return { kind: 'stochastic', nS, nA, H, stationary: false, prob };
}

/**
 * V(π) by enumerating every trajectory (s_1, a_1, …, s_H, a_H): exponential, so tiny MDPs only, and a
 * computation that shares nothing with backward induction or forward propagation.
 */
export function bruteForceValue(m: DenseMdp, pi: (h: number, s: number, a: number) => number): number {
  const { mdp, dense } = m;
  const { nS, nA, H } = mdp;
  const rewardAt = (h: number, s: number, a: number) =>
    mdp.reward.length === nS * nA ? mdp.reward[s * nA + a] : mdp.reward[h * nS * nA + s * nA + a];
  const P = (h: number) => dense[dense.length === 1 ? 0 : h];
  let total = 0;
  const walk = (h: number, s: number, prob: number, ret: number) => {
    for (let a = 0; a < nA; a++) {
      const pa = pi(h, s, a);
      if (pa === 0) continue;
      const r = ret + rewardAt(h, s, a);
      if (h === H - 1) {
        total += prob * pa * r;
        continue;
      }
      const row = P(h);
      for (let s2 = 0; s2 < nS; s2++) {
        const p = row[(s * nA + a) * nS + s2];
        if (p > 0) walk(h + 1, s2, prob * pa * p, r);
      }
    }
  };
  for (let s = 0; s < nS; s++) if (mdp.rho[s] > 0) walk(0, s, mdp.rho[s], 0);
  return total;
}
