import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '../../src/core';
import * as sampling from '../../src/core/sampling';
import * as random from '../../src/core/random';
import * as perStepBcGap from '../../src/core/perStepBcGap';
import * as experiments from '../../src/core/experiments';
import { createKernelIl } from '../../src/notebook/kernel/kernelApi';
import type { ParallelSweeps } from '../../src/notebook/kernel/parallelSweeps';

const docs = (name: string) => readFileSync(join(__dirname, '../../docs', name), 'utf8');
// docs/core.md is the reference; its learners' sections hand their details to these two pages.
const reference = docs('core.md');
const referencePages = [reference, docs('adversarial.md'), docs('algorithms.md')].join('\n');

/** Identifiers a page names in code spans: `name(…)`, `new Name(…)`, `NAME`, `name.field`. */
function codeNames(text: string): Set<string> {
  return new Set([...text.matchAll(/`(?:new )?([A-Za-z_][A-Za-z0-9_]*)[(`.]/g)].map(([, name]) => name));
}

/** The functions the reference's tables document: the names in the first cell of each row. */
function tabulatedFunctions(): Set<string> {
  const names = new Set<string>();
  for (const row of reference.split('\n').filter((line) => line.startsWith('| `'))) {
    const firstCell = row.split(/(?<!\\)\|/)[1] ?? '';
    for (const [, name] of firstCell.matchAll(/`(?:new )?([A-Za-z_][A-Za-z0-9_]*)\(/g)) names.add(name);
  }
  return names;
}

// The fast paths the core builds its sweeps from: exported between its modules, never to users.
const INTERNALS: Record<string, object> = {
  aleaStatePair: random,
  markResetOnlyVisits: sampling,
  markResetOnlyVisitsPair: sampling,
  PerStepBcGap: perStepBcGap,
  perStepBcGapApplies: perStepBcGap,
  sweepPointSlice: experiments,
};

test('every value the core exports is documented in docs/core.md (or the learner pages it links)', () => {
  const documented = codeNames(referencePages);
  const undocumented = Object.keys(core).filter((name) => !documented.has(name));
  assert.deepEqual(undocumented, [], `exported by src/core/index.ts but not documented: ${undocumented.join(', ')}`);
});

test('every function docs/core.md tabulates is exported by the core', () => {
  const exported = new Set(Object.keys(core));
  const missing = [...tabulatedFunctions()].filter((name) => !exported.has(name));
  assert.deepEqual(missing, [], `documented in docs/core.md but not exported: ${missing.join(', ')}`);
});

test('the internals stay internal: not in il-notebooks/core, not in a notebook cell\'s il', () => {
  const il = createKernelIl({ aborted: false }, {} as ParallelSweeps);
  for (const [name, module] of Object.entries(INTERNALS)) {
    // The name is real (so this test cannot pass by a typo) ...
    assert.ok(name in module, `${name} still exists in its module`);
    // ... and reachable by neither audience.
    assert.ok(!(name in core), `${name} is not exported by src/core/index.ts`);
    assert.ok(!(name in il), `${name} is not in the notebook's il`);
  }
  for (const name of ['isRecord', 'Scratch', 'check', 'cliffEnvironment']) {
    assert.ok(!(name in core), `${name} is not exported by src/core/index.ts`);
  }
});

test('the public names work from the index the way the reference shows', () => {
  const { mdp, expert } = core.resetCliff({ nS: 6, nA: 2, H: 5 });
  // V(π^E) = H on the Reset Cliff (docs/theory.md §5): the expert earns 1 at every step.
  assert.equal(core.policyValue(mdp, expert), 5);
  const data = core.sampleTrajectories(mdp, expert, 3, 'api');
  assert.equal(core.behavioralCloning(data).kind, 'counts');
  assert.equal(core.missingMassBound(6, 5, 3).formula, '4|S|H/(9N)');
});
