/**
 * Writes a dataset in the file formats that parseDatasetFile reads (docs/ilmdp.md), so an exported file
 * imports back to the same dataset: one row per observed (episode, step), steps from 0, states and
 * actions by name when the MDP names them. Rewards are written when the dataset carries them.
 */
import type { Dataset } from '../core/dataset';
import type { MDP } from '../core/mdp';
import type { DatasetFileFormat } from './datasetFile';

function namer(names: readonly string[] | undefined): (i: number) => string {
  return names ? (i) => names[i] ?? String(i) : String;
}

/** A CSV cell: names with a comma, quote or line break cannot be read back by the CSV reader. */
function csvSafe(name: string, what: string): string {
  if (/[",\r\n]/.test(name)) throw new RangeError(`${what} name ${JSON.stringify(name)} contains a comma, quote or line break; export to JSONL instead`);
  return name;
}

/** The file's text, produced in chunks of lines so a large dataset never needs one giant array of rows. */
export function* datasetFileChunks(d: Dataset, mdp: Pick<MDP, 'stateNames' | 'actionNames'>, format: DatasetFileFormat, rowsPerChunk = 10_000): Generator<string> {
  const stateOf = namer(mdp.stateNames);
  const actionOf = namer(mdp.actionNames);
  const withReward = d.rewards !== undefined;
  if (format === 'csv') {
    mdp.stateNames?.forEach((n) => csvSafe(n, 'state'));
    mdp.actionNames?.forEach((n) => csvSafe(n, 'action'));
    yield withReward ? 'episode,step,state,action,reward\n' : 'episode,step,state,action\n';
  }
  let lines: string[] = [];
  for (let i = 0; i < d.N; i++) {
    for (let h = 0; h < d.H; h++) {
      const k = i * d.H + h;
      const s = d.states[k];
      if (s < 0) continue;
      const state = stateOf(s);
      const action = actionOf(d.actions[k]);
      if (format === 'csv') lines.push(`${i},${h},${state},${action}${withReward ? `,${d.rewards![k]}` : ''}`);
      else lines.push(JSON.stringify(withReward ? { episode: i, step: h, state, action, reward: d.rewards![k] } : { episode: i, step: h, state, action }));
      if (lines.length >= rowsPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

export function datasetToText(d: Dataset, mdp: Pick<MDP, 'stateNames' | 'actionNames'>, format: DatasetFileFormat): string {
  return [...datasetFileChunks(d, mdp, format)].join('');
}
