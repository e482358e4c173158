/**
 * One step of forward propagation (docs/theory.md §1), d_{h+1} from d_h, as the small loops that
 * evaluation.ts's visitation runs: one function per policy form, so V8 optimises each for exactly one
 * set of array types. Each adds d_h's mass through every row into dNext (zeroed by the caller), and
 * writes the step's Σ d_h(s, a) r_h(s, a) to out[0] and the mass that resets to out[1] (the caller
 * spreads it over the reset distribution). A step without a successor passes last = true and
 * resetMass = null. The loops that must agree bit for bit are listed in kernels/index.ts.
 */

export function forwardDeterministic(
  nS: number,
  nA: number,
  rs: Int32Array | Uint32Array,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  actions: Int32Array,
  aOff: number,
  d: Float64Array,
  dNext: Float64Array,
  resetMass: Float64Array | null,
  last: boolean,
  dSA: Float64Array | null,
  saOff: number,
  out: Float64Array,
): void {
  let value = 0;
  let resetWeight = 0;
  for (let s = 0; s < nS; s++) {
    const w = d[s];
    if (w === 0) continue;
    const row = s * nA + actions[aOff + s];
    value += w * reward[rOff + row];
    if (dSA !== null) dSA[saOff + row] = w;
    if (last) continue;
    const end = rs[row + 1];
    for (let k = rs[row]; k < end; k++) dNext[next[k]] += w * prob[k];
    if (resetMass !== null) resetWeight += w * resetMass[row];
  }
  out[0] = value;
  out[1] = resetWeight;
}

export function forwardStochastic(
  nS: number,
  nA: number,
  rs: Int32Array | Uint32Array,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  probs: Float64Array,
  pOff: number,
  d: Float64Array,
  dNext: Float64Array,
  resetMass: Float64Array | null,
  last: boolean,
  dSA: Float64Array | null,
  saOff: number,
  out: Float64Array,
): void {
  let value = 0;
  let resetWeight = 0;
  for (let s = 0; s < nS; s++) {
    const ds = d[s];
    if (ds === 0) continue;
    const rowBase = s * nA;
    for (let a = 0; a < nA; a++) {
      const row = rowBase + a;
      const p = probs[pOff + row];
      if (p === 0) continue;
      const w = ds * p;
      value += w * reward[rOff + row];
      if (dSA !== null) dSA[saOff + row] = w;
      if (last) continue;
      const end = rs[row + 1];
      for (let k = rs[row]; k < end; k++) dNext[next[k]] += w * prob[k];
      if (resetMass !== null) resetWeight += w * resetMass[row];
    }
  }
  out[0] = value;
  out[1] = resetWeight;
}

/**
 * forwardDeterministic and forwardStochastic on transition kernels whose rows all have four entries
 * (see backward.ts), for steps with a successor and no d(s, a) table: the four scatters of a row
 * written out, in the loop's order, so every d_{h+1}(s') receives the same additions in the same order
 * (the same bits).
 */
export function forwardDeterministicFour(
  nS: number,
  nA: number,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  actions: Int32Array,
  aOff: number,
  d: Float64Array,
  dNext: Float64Array,
  resetMass: Float64Array | null,
  out: Float64Array,
): void {
  let value = 0;
  let resetWeight = 0;
  for (let s = 0; s < nS; s++) {
    const w = d[s];
    if (w === 0) continue;
    const row = s * nA + actions[aOff + s];
    value += w * reward[rOff + row];
    const k = 4 * row;
    dNext[next[k]] += w * prob[k];
    dNext[next[k + 1]] += w * prob[k + 1];
    dNext[next[k + 2]] += w * prob[k + 2];
    dNext[next[k + 3]] += w * prob[k + 3];
    if (resetMass !== null) resetWeight += w * resetMass[row];
  }
  out[0] = value;
  out[1] = resetWeight;
}

export function forwardStochasticFour(
  nS: number,
  nA: number,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  probs: Float64Array,
  pOff: number,
  d: Float64Array,
  dNext: Float64Array,
  resetMass: Float64Array | null,
  out: Float64Array,
): void {
  let value = 0;
  let resetWeight = 0;
  for (let s = 0; s < nS; s++) {
    const ds = d[s];
    if (ds === 0) continue;
    const rowBase = s * nA;
    for (let a = 0; a < nA; a++) {
      const row = rowBase + a;
      const p = probs[pOff + row];
      if (p === 0) continue;
      const w = ds * p;
      value += w * reward[rOff + row];
      const k = 4 * row;
      dNext[next[k]] += w * prob[k];
      dNext[next[k + 1]] += w * prob[k + 1];
      dNext[next[k + 2]] += w * prob[k + 2];
      dNext[next[k + 3]] += w * prob[k + 3];
      if (resetMass !== null) resetWeight += w * resetMass[row];
    }
  }
  out[0] = value;
  out[1] = resetWeight;
}
