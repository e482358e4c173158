/**
 * Starting points: the New Notebook template, the notebook that ".ilmdp → Open in notebook" writes, and
 * the .ilmdp that "New IL MDP File" starts from. The notebooks run top to bottom as they are (tested in
 * the kernel); the .ilmdp parses without a problem.
 */
import type { NotebookCell, NotebookContent } from './notebookFormat';

const md = (source: string): NotebookCell => ({ kind: 'markdown', language: 'markdown', source, outputs: [] });
const js = (source: string): NotebookCell => ({ kind: 'code', language: 'javascript', source, outputs: [] });

export function newNotebookTemplate(): NotebookContent {
  return {
    cells: [
      md('# A new IL experiment\n\nCode cells run against the embedded core, available as `il`. `display(x)` draws MDPs, policies, datasets and sweeps; the last expression of a cell is shown too.'),
      js("// The Reset Cliff: the expert's action earns 1 and redraws the state from ρ; any other action falls to an absorbing bad state.\nconst env = il.resetCliff({ nS: 11, nA: 2, H: 16 })\ndisplay(env)"),
      js("// N expert trajectories, cloned step by step (maximum likelihood; uniform on unseen states).\nconst data = il.sampleTrajectories(env.mdp, env.expert, 40, 'seed-1')\nconst bc = il.behavioralCloning(data)\nconsole.log('imitation gap', il.imitationGap(env.mdp, env.expert, bc))\ndisplay(il.views.bcTable(bc, { mdp: env.mdp, dataset: data, expert: env.expert }))"),
      js("// Compounding errors: the gap grows like H² (slope ≈ 2 on log-log axes).\nil.gapVsHorizon({ env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [1, 2, 4, 8, 16, 32, 64], seeds: 200, slopeRange: [4, 64] })"),
    ],
  };
}

/** A notebook next to an .ilmdp file, loading it by its path relative to the notebook. */
export function notebookForIlmdp(relativePath: string): NotebookContent {
  const path = JSON.stringify(relativePath.split('\\').join('/'));
  return {
    cells: [
      md(`# Experiments on \`${relativePath}\``),
      js(
        `const experiment = load(${path})\nconst { mdp, expert } = experiment\nif (expert) {\n  display(il.views.heatmap(mdp, expert, { title: 'expert visitation d^E_h(s)' }))\n  console.log('V(expert) =', il.policyValue(mdp, expert))\n} else {\n  console.log('This file defines no expert yet: add one under experts to see its visitation.')\n}`,
      ),
      js(
        "// Each dataset in the file, cloned, and the gap of its BC policy.\nfor (const [name, data] of Object.entries(experiment.datasets)) {\n  const bc = il.behavioralCloning(data)\n  if (expert) console.log(`${name}: N = ${data.N}, gap = ${il.imitationGap(mdp, expert, bc).toFixed(4)}`)\n  display(il.views.dataset(data, { mdp, expert, title: name }))\n}",
      ),
    ],
  };
}

/** "New IL MDP File": a small explicit MDP with an expert and a sampled dataset, each part of the format (docs/ilmdp.md) used once. */
export const NEW_ILMDP_TEMPLATE = `# Your own MDP. The format: docs/ilmdp.md. Problems show in the Problems panel as you type.
description: a corridor of three rooms; "left" can slip
mdp:
  states: [a, b, c]
  actions: [left, right]
  horizon: 8
  initial: {a: 1}
  # transitions[state][action]: the next state, or a distribution over next states (each row sums to 1).
  transitions:
    a:
      left: a
      right: {b: 0.9, a: 0.1}
    b:
      left: {a: 0.8, b: 0.2}
      right: c
    c:
      left: b
      right: c
  # rewards[state]: earned at each step spent there (states not listed earn 0).
  rewards:
    c: 1
experts:
  # A deterministic expert: one action per state, the same at every step.
  goer:
    policy: {a: right, b: right, c: right}
datasets:
  # N trajectories of the expert, sampled with a fixed seed (the same data on every machine).
  demo:
    from: goer
    trajectories: 10
    seed: 1
`;
