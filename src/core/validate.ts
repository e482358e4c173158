/**
 * Validation of untrusted MDP and policy objects (parsed files, worker messages, notebook cells).
 * It never throws: it returns every problem at once, each with a path to the entry and a message that
 * says what to do, so an editor can show them all beside the text they come from.
 */
import type { Problem, ProblemPath } from './errors';
import { isPositiveInteger, isRecord } from './guards';

const ROW_TOLERANCE = 1e-9;

type Sink = (path: ProblemPath, code: string, message: string) => void;

function label(names: unknown, i: number, prefix: string): string {
  return Array.isArray(names) && typeof names[i] === 'string' ? names[i] : `${prefix}${i}`;
}

function checkDistribution(value: unknown, n: number, path: ProblemPath, what: string, report: Sink): void {
  if (!(value instanceof Float64Array)) {
    report(path, 'type', `${what} must be a Float64Array of ${n} probabilities`);
    return;
  }
  if (value.length !== n) {
    report(path, 'length', `${what} has ${value.length} entries; it needs one per state (${n})`);
    return;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = value[i];
    if (!Number.isFinite(p) || p < 0) report([...path, i], 'negative-probability', `${what} entry ${i} is ${p}; probabilities must be finite and ≥ 0`);
    else sum += p;
  }
  if (Math.abs(sum - 1) > ROW_TOLERANCE) report(path, 'row-sum', `${what} sums to ${sum}; probabilities must sum to 1`);
}

function checkNames(names: unknown, n: number, key: string, report: Sink): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.some((x) => typeof x !== 'string')) {
    report([key], 'type', `${key} must be a list of strings`);
    return;
  }
  if (names.length !== n) report([key], 'length', `${key} lists ${names.length} names for ${n} entries`);
  const seen = new Map<string, number>();
  names.forEach((name: string, i) => {
    if (seen.has(name)) report([key, i], 'duplicate-name', `name "${name}" is used twice (entries ${seen.get(name)} and ${i}); names must be unique`);
    else seen.set(name, i);
  });
}

function checkTransitions(
  t: unknown,
  index: number,
  nS: number,
  nA: number,
  names: { states: unknown; actions: unknown },
  report: Sink,
): void {
  const path: ProblemPath = ['transitions', index];
  if (!isRecord(t)) {
    report(path, 'type', 'each transition kernel must be an object with rowStart, next and prob');
    return;
  }
  const { rowStart, next, prob, reset } = t;
  let ok = true;
  if (!(rowStart instanceof Uint32Array) || rowStart.length !== nS * nA + 1) {
    report([...path, 'rowStart'], 'type', `rowStart must be a Uint32Array of |S||A| + 1 = ${nS * nA + 1} offsets`);
    ok = false;
  }
  if (!(next instanceof Int32Array)) {
    report([...path, 'next'], 'type', 'next must be an Int32Array of state indices');
    ok = false;
  }
  if (!(prob instanceof Float64Array)) {
    report([...path, 'prob'], 'type', 'prob must be a Float64Array');
    ok = false;
  }
  let mass: Float64Array | null = null;
  if (reset !== undefined) {
    if (!isRecord(reset)) {
      report([...path, 'reset'], 'type', 'reset must be an object { mass, to }');
      ok = false;
    } else {
      if (!(reset.mass instanceof Float64Array) || reset.mass.length !== nS * nA) {
        report([...path, 'reset', 'mass'], 'type', `reset.mass must be a Float64Array of |S||A| = ${nS * nA} entries`);
        ok = false;
      } else {
        mass = reset.mass;
        for (let r = 0; r < mass.length; r++) {
          if (!(mass[r] >= 0 && mass[r] <= 1)) report([...path, 'reset', 'mass', r], 'reset-mass', `reset mass ${mass[r]} must lie in [0, 1]`);
        }
      }
      checkDistribution(reset.to, nS, [...path, 'reset', 'to'], 'the reset distribution', report);
    }
  }
  if (!ok) return;
  const rs = rowStart as Uint32Array;
  const nx = next as Int32Array;
  const pr = prob as Float64Array;
  if (nx.length !== pr.length) {
    report(path, 'length', `next has ${nx.length} entries but prob has ${pr.length}; they must match`);
    return;
  }
  if (rs[0] !== 0 || rs[rs.length - 1] !== nx.length) {
    report([...path, 'rowStart'], 'offsets', `rowStart must start at 0 and end at the number of entries (${nx.length})`);
    return;
  }
  for (let r = 0; r < nS * nA; r++) {
    if (rs[r + 1] < rs[r]) {
      report([...path, 'rowStart', r + 1], 'offsets', 'rowStart must be non-decreasing');
      return;
    }
  }
  for (let r = 0; r < nS * nA; r++) {
    const s = Math.floor(r / nA);
    const a = r % nA;
    const rowLabel = `${label(names.states, s, 's')}/${label(names.actions, a, 'a')}`;
    let sum = 0;
    let finite = true;
    for (let k = rs[r]; k < rs[r + 1]; k++) {
      if (!(nx[k] >= 0 && nx[k] < nS)) {
        report([...path, 'next', k], 'unknown-state', `transition row of ${rowLabel} names next state ${nx[k]}, which does not exist (0…${nS - 1})`);
      }
      const p = pr[k];
      if (!Number.isFinite(p) || p < 0) {
        report([...path, 'prob', k], 'negative-probability', `transition row of ${rowLabel} has probability ${p}; probabilities must be finite and ≥ 0`);
        finite = false;
      } else sum += p;
    }
    if (mass && mass[r] >= 0 && mass[r] <= 1) sum += mass[r];
    if (finite && Math.abs(sum - 1) > ROW_TOLERANCE) {
      report([...path, 'rows', r], 'row-sum', `transition row of ${rowLabel} sums to ${+sum.toPrecision(12)}; probabilities must sum to 1`);
    }
  }
}

export interface ValidateOptions {
  /**
   * Keep at most this many problems of each code, then one "… and N more like this" for the rest: a
   * reward array of 10⁶ NaNs is one mistake, and 10⁶ problems would cost more memory than the MDP.
   */
  readonly maxPerCode?: number;
}

/** A sink that keeps every problem, or the first `maxPerCode` of each code and a count of the others. */
function collector(options: ValidateOptions): { report: Sink; problems: () => Problem[] } {
  const problems: Problem[] = [];
  const max = options.maxPerCode ?? Infinity;
  const kept = new Map<string, number>();
  const cut = new Map<string, { path: ProblemPath; count: number }>();
  return {
    report: (path, code, message) => {
      const n = kept.get(code) ?? 0;
      if (n < max) {
        kept.set(code, n + 1);
        problems.push({ path, code, message });
        return;
      }
      const c = cut.get(code);
      if (c) c.count++;
      else cut.set(code, { path, count: 1 });
    },
    problems: () => [...problems, ...[...cut].map(([code, { path, count }]) => ({ path, code, message: `… and ${count.toLocaleString('en-US')} more like this (${code})` }))],
  };
}

export function validateMDP(input: unknown, options: ValidateOptions = {}): Problem[] {
  const { report, problems } = collector(options);
  if (!isRecord(input)) {
    report([], 'type', 'an MDP must be an object with nS, nA, H, rho, reward and transitions');
    return problems();
  }
  const { nS, nA, H } = input;
  if (!isPositiveInteger(nS)) report(['nS'], 'empty-space', `the state space must be non-empty: nS must be a positive integer, got ${String(nS)}`);
  if (!isPositiveInteger(nA)) report(['nA'], 'empty-space', `the action space must be non-empty: nA must be a positive integer, got ${String(nA)}`);
  if (!isPositiveInteger(H)) report(['H'], 'horizon', `the horizon H must be an integer ≥ 1, got ${String(H)}`);
  if (!isPositiveInteger(nS) || !isPositiveInteger(nA) || !isPositiveInteger(H)) return problems();
  checkNames(input.stateNames, nS, 'stateNames', report);
  checkNames(input.actionNames, nA, 'actionNames', report);
  checkDistribution(input.rho, nS, ['rho'], 'the initial distribution ρ', report);

  const reward = input.reward;
  if (!(reward instanceof Float64Array) || (reward.length !== nS * nA && reward.length !== H * nS * nA)) {
    report(['reward'], 'type', `reward must be a Float64Array of |S||A| = ${nS * nA} (or H|S||A| = ${H * nS * nA}) entries`);
  } else {
    for (let i = 0; i < reward.length; i++) {
      const r = reward[i];
      if (!(r >= 0 && r <= 1)) {
        const h = Math.floor(i / (nS * nA));
        const s = Math.floor((i % (nS * nA)) / nA);
        const a = i % nA;
        const where = `r(${label(input.stateNames, s, 's')}, ${label(input.actionNames, a, 'a')})${reward.length > nS * nA ? ` at step ${h + 1}` : ''}`;
        report(['reward', i], 'reward-range', `${where} = ${r}; rewards must lie in [0, 1]`);
      }
    }
  }

  const transitions = input.transitions;
  if (!Array.isArray(transitions) || (transitions.length !== 1 && transitions.length !== H)) {
    report(['transitions'], 'type', `transitions must be a list of 1 (stationary) or H = ${H} kernels`);
  } else {
    transitions.forEach((t, i) => checkTransitions(t, i, nS, nA, { states: input.stateNames, actions: input.actionNames }, report));
  }
  return problems();
}

export function validatePolicy(input: unknown, nS: number, nA: number, H: number): Problem[] {
  const problems: Problem[] = [];
  const report: Sink = (path, code, message) => problems.push({ path, code, message });
  if (!isRecord(input)) {
    report([], 'type', 'a policy must be an object');
    return problems;
  }
  if (input.nS !== nS || input.nA !== nA) report([], 'shape', `the policy is for |S| = ${String(input.nS)}, |A| = ${String(input.nA)}; expected ${nS}, ${nA}`);
  const stationary = input.stationary === true;
  const rowsNeeded = stationary ? nS : H * nS;
  switch (input.kind) {
    case 'deterministic': {
      const action = input.action;
      if (!(action instanceof Int32Array) || action.length !== rowsNeeded) {
        report(['action'], 'type', `action must be an Int32Array of ${rowsNeeded} entries`);
        break;
      }
      for (let i = 0; i < action.length; i++) {
        if (!(action[i] >= 0 && action[i] < nA)) report(['action', i], 'unknown-action', `action ${action[i]} does not exist (0…${nA - 1})`);
      }
      break;
    }
    case 'stochastic': {
      const prob = input.prob;
      if (!(prob instanceof Float64Array) || prob.length !== rowsNeeded * nA) {
        report(['prob'], 'type', `prob must be a Float64Array of ${rowsNeeded * nA} entries`);
        break;
      }
      for (let row = 0; row < rowsNeeded; row++) {
        let sum = 0;
        for (let a = 0; a < nA; a++) {
          const p = prob[row * nA + a];
          if (!Number.isFinite(p) || p < 0) report(['prob', row * nA + a], 'negative-probability', `probability ${p} must be finite and ≥ 0`);
          else sum += p;
        }
        if (Math.abs(sum - 1) > ROW_TOLERANCE) report(['prob', row], 'row-sum', `policy row ${row} sums to ${sum}; it must sum to 1`);
      }
      break;
    }
    case 'counts': {
      const { blockStart, states, entryStart, entryAction, entryCount } = input;
      const blocks = stationary ? 1 : H;
      if (!(blockStart instanceof Uint32Array) || blockStart.length !== blocks + 1) {
        report(['blockStart'], 'type', `blockStart must be a Uint32Array of ${blocks + 1} offsets`);
        break;
      }
      if (!(states instanceof Int32Array) || !(entryStart instanceof Uint32Array) || entryStart.length !== states.length + 1) {
        report(['states'], 'type', 'states must be an Int32Array and entryStart a Uint32Array of one offset per seen state, plus one');
        break;
      }
      if (!(entryAction instanceof Int32Array) || !(entryCount instanceof Float64Array) || entryAction.length !== entryCount.length) {
        report(['entryCount'], 'type', 'entryAction (Int32Array) and entryCount (Float64Array) must have one element per entry');
        break;
      }
      if (blockStart[0] !== 0 || blockStart[blocks] !== states.length) {
        report(['blockStart'], 'offsets', 'blockStart must start at 0 and end at the number of seen states');
        break;
      }
      if (entryStart[0] !== 0 || entryStart[states.length] !== entryCount.length) {
        report(['entryStart'], 'offsets', 'entryStart must start at 0 and end at the number of entries');
        break;
      }
      for (let b = 0; b < blocks; b++) {
        if (blockStart[b + 1] < blockStart[b]) {
          report(['blockStart', b + 1], 'offsets', 'blockStart must be non-decreasing');
          return problems;
        }
        for (let i = blockStart[b]; i < blockStart[b + 1]; i++) {
          if (!(states[i] >= 0 && states[i] < nS)) report(['states', i], 'unknown-state', `state ${states[i]} does not exist (0…${nS - 1})`);
          if (i > blockStart[b] && states[i] <= states[i - 1]) report(['states', i], 'order', 'seen states must be strictly ascending within a step');
          if (entryStart[i + 1] < entryStart[i]) {
            report(['entryStart', i + 1], 'offsets', 'entryStart must be non-decreasing');
            return problems;
          }
          let total = 0;
          for (let e = entryStart[i]; e < entryStart[i + 1]; e++) {
            const a = entryAction[e];
            if (!(a >= 0 && a < nA)) report(['entryAction', e], 'unknown-action', `action ${a} does not exist (0…${nA - 1})`);
            if (e > entryStart[i] && a <= entryAction[e - 1]) report(['entryAction', e], 'order', 'the actions of a seen state must be strictly ascending');
            const c = entryCount[e];
            if (!Number.isFinite(c) || c < 0) report(['entryCount', e], 'count', `count ${c} must be finite and ≥ 0`);
            else total += c;
          }
          if (!(total > 0)) report(['states', i], 'count', 'a seen state needs a positive total count');
        }
      }
      break;
    }
    default:
      report(['kind'], 'type', `unknown policy kind ${String(input.kind)}; use deterministic, stochastic or counts`);
  }
  return problems;
}
