/**
 * One step of backward induction (docs/theory.md §1), V_h from V_{h+1}, as the small loops that
 * evaluation.ts and perStepBcGap.ts run: one function per policy form, so V8 optimises each for
 * exactly one set of array types. A step without a successor (the last) passes last = true and
 * resetMass = null. The loops that must agree bit for bit are listed in kernels/index.ts.
 */

export function backwardDeterministic(
  nS: number,
  nA: number,
  rs: Int32Array | Uint32Array,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  actions: Int32Array,
  aOff: number,
  Vnext: Float64Array,
  Vcur: Float64Array,
  resetMass: Float64Array | null,
  resetValue: number,
  last: boolean,
): void {
  for (let s = 0; s < nS; s++) {
    const row = s * nA + actions[aOff + s];
    let q = reward[rOff + row];
    if (!last) {
      let acc = 0;
      const end = rs[row + 1];
      for (let k = rs[row]; k < end; k++) acc += prob[k] * Vnext[next[k]];
      if (resetMass !== null) acc += resetMass[row] * resetValue;
      q += acc;
    }
    Vcur[s] = q;
  }
}

export function backwardStochastic(
  nS: number,
  nA: number,
  rs: Int32Array | Uint32Array,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  probs: Float64Array,
  pOff: number,
  Vnext: Float64Array,
  Vcur: Float64Array,
  resetMass: Float64Array | null,
  resetValue: number,
  last: boolean,
  Q: Float64Array | null,
  qOff: number,
): void {
  for (let s = 0; s < nS; s++) {
    let v = 0;
    const rowBase = s * nA;
    for (let a = 0; a < nA; a++) {
      const row = rowBase + a;
      const p = probs[pOff + row];
      // Actions the policy never takes are skipped (unless Q is wanted): cheaper, and it keeps V
      // exactly equal to a deterministic policy's V when a learned row is one-hot.
      if (p === 0 && Q === null) continue;
      let q = reward[rOff + row];
      if (!last) {
        let acc = 0;
        const end = rs[row + 1];
        for (let k = rs[row]; k < end; k++) acc += prob[k] * Vnext[next[k]];
        if (resetMass !== null) acc += resetMass[row] * resetValue;
        q += acc;
      }
      if (Q !== null) Q[qOff + row] = q;
      if (p !== 0) v += p * q;
    }
    Vcur[s] = v;
  }
}

/*
 * The same two loops for transition kernels whose rows all have exactly four entries (a Garnet with
 * four successors): row r's entries sit at 4r … 4r + 3, and the sum written out has no inner loop
 * counter or rowStart loads, added in the loop's order (so the same bits). Only for steps with a
 * successor and no Q table (see dispatch.ts).
 */

export function backwardDeterministicFour(
  nS: number,
  nA: number,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  actions: Int32Array,
  aOff: number,
  Vnext: Float64Array,
  Vcur: Float64Array,
  resetMass: Float64Array | null,
  resetValue: number,
): void {
  for (let s = 0; s < nS; s++) {
    const row = s * nA + actions[aOff + s];
    const k = 4 * row;
    let acc = prob[k] * Vnext[next[k]];
    acc += prob[k + 1] * Vnext[next[k + 1]];
    acc += prob[k + 2] * Vnext[next[k + 2]];
    acc += prob[k + 3] * Vnext[next[k + 3]];
    if (resetMass !== null) acc += resetMass[row] * resetValue;
    Vcur[s] = reward[rOff + row] + acc;
  }
}

export function backwardStochasticFour(
  nS: number,
  nA: number,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  probs: Float64Array,
  pOff: number,
  Vnext: Float64Array,
  Vcur: Float64Array,
  resetMass: Float64Array | null,
  resetValue: number,
): void {
  for (let s = 0; s < nS; s++) {
    let v = 0;
    const rowBase = s * nA;
    for (let a = 0; a < nA; a++) {
      const row = rowBase + a;
      const p = probs[pOff + row];
      if (p === 0) continue;
      const k = 4 * row;
      let acc = prob[k] * Vnext[next[k]];
      acc += prob[k + 1] * Vnext[next[k + 1]];
      acc += prob[k + 2] * Vnext[next[k + 2]];
      acc += prob[k + 3] * Vnext[next[k + 3]];
      if (resetMass !== null) acc += resetMass[row] * resetValue;
      v += p * (reward[rOff + row] + acc);
    }
    Vcur[s] = v;
  }
}

/**
 * One backward step of per-step BC under a deterministic expert (perStepBcGap.ts): the expert's row on
 * states stamped as seen, the uniform mixture of every row elsewhere — backwardStochastic on the BC
 * policy, whose seen rows are one-hot and unseen rows 1/|A|, in its order of operations, so the same
 * bits. With `seenRowsReset` (reset-only instances) a seen state's row is all reset, so its value is
 * r(s, a) + 1·E_reset[V_{h+1}], which the row walk computes as r + (0 + 1·E): the same bits, written out.
 */
export function backwardSeenOrUniform(
  nS: number,
  nA: number,
  rs: Int32Array | Uint32Array,
  next: Int32Array,
  prob: Float64Array,
  reward: Float64Array,
  rOff: number,
  actions: Int32Array,
  aOff: number,
  stamp: Int32Array,
  stampOffset: number,
  mark: number,
  uniform: number,
  Vnext: Float64Array,
  Vcur: Float64Array,
  resetMass: Float64Array | null,
  resetValue: number,
  last: boolean,
  seenRowsReset: boolean,
): void {
  for (let s = 0; s < nS; s++) {
    const seen = stamp[stampOffset + s] === mark;
    if (seen && seenRowsReset) {
      const r = reward[rOff + s * nA + actions[aOff + s]];
      Vcur[s] = last ? r : r + resetValue;
      continue;
    }
    const first = seen ? s * nA + actions[aOff + s] : s * nA;
    const end = seen ? first + 1 : first + nA;
    let v = 0;
    for (let row = first; row < end; row++) {
      let q = reward[rOff + row];
      if (!last) {
        let acc = 0;
        const stop = rs[row + 1];
        for (let k = rs[row]; k < stop; k++) acc += prob[k] * Vnext[next[k]];
        if (resetMass !== null) acc += resetMass[row] * resetValue;
        q += acc;
      }
      // As evaluateBackward on the BC policy: probability 1 on a seen row (0 + 1·q), 1/|A| elsewhere.
      v += seen ? q : uniform * q;
    }
    Vcur[s] = v;
  }
}
