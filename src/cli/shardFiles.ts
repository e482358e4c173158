/**
 * The shard files of `il-notebooks sweep … --shard I/N`, and how `merge` reads a set of them back. A
 * shard holds the per-seed gaps of its slice of every point's seeds, with what merge needs to refuse a
 * set that is not one whole sweep: the sweep's arguments (to rebuild the same plan), which shard of how
 * many it is, and a hash of the .ilmdp file it read (array tasks start at different times, and a file
 * edited in between would otherwise be merged into a result that no single run gives).
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readUserFileSync } from '../ilmdp/datasetAccess';
import { isRecord } from '../core/guards';
import { UsageError } from './usageError';

export const SHARD_FORMAT = 'il-notebooks-shard';
/** 2: `ilmdpSha256` added; a version-1 shard cannot be checked against its file, so it is refused. */
export const SHARD_VERSION = 2;

export interface ShardFile {
  readonly format: typeof SHARD_FORMAT;
  readonly version: typeof SHARD_VERSION;
  /** The sweep's arguments (without --shard, --workers, --out, --json), so merge can rebuild the same plan. */
  readonly args: readonly string[];
  /** SHA-256 (hex) of the .ilmdp file's bytes as this shard read them. */
  readonly ilmdpSha256: string;
  /** 1-based: shard `shard` of `of`. */
  readonly shard: number;
  readonly of: number;
  /** For each point of the sweep, in order, the gaps of this shard's seeds of it, in seed order. */
  readonly gaps: readonly (readonly number[])[];
}

export interface ReadShard extends ShardFile {
  readonly path: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A sweep's arguments without those that change only where and how it runs (`valueFlags` with their
 * values, `switches`); after `--` everything is kept, as everything there is positional.
 */
export function withoutFlags(args: readonly string[], valueFlags: readonly string[], switches: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') {
      kept.push(...args.slice(i));
      break;
    }
    if (valueFlags.includes(args[i])) i++;
    else if (!switches.includes(args[i])) kept.push(args[i]);
  }
  return kept;
}

/**
 * The files merge was given: a directory stands for the `.json` files directly in it (what a job
 * array's tasks or a matrix's downloaded artifacts leave in one folder), in name order.
 */
export function shardPaths(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    if (!statSync(input, { throwIfNoEntry: false })?.isDirectory()) return [input];
    const files = readdirSync(input, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => join(input, entry.name))
      .sort();
    if (files.length === 0) throw new UsageError(`${input} is a folder with no .json files in it; give the shard files or the folder that holds them`);
    return files;
  });
}

const isWhole = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;

/** One shard file, checked field by field: a damaged or foreign file is named, never merged. */
export function readShard(path: string): ReadShard {
  const read = readUserFileSync(path);
  if (!read.ok) throw new UsageError(read.message);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    throw new UsageError(`${path}: not a shard file (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(parsed) || parsed.format !== SHARD_FORMAT) throw new UsageError(`${path}: not a shard file of il-notebooks sweep … --shard I/N`);
  if (parsed.version !== SHARD_VERSION) throw new UsageError(`${path}: a shard file of version ${String(parsed.version)}; this il-notebooks reads version ${SHARD_VERSION}: run the shards again with it`);
  const { args, ilmdpSha256, shard, of, gaps } = parsed;
  const bad = (what: string) => new UsageError(`${path}: a damaged shard file (${what})`);
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw bad('"args" is not a list of strings');
  if (typeof ilmdpSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ilmdpSha256)) throw bad('"ilmdpSha256" is not a SHA-256');
  if (!isWhole(of, 1) || !isWhole(shard, 1) || shard > of) throw bad('"shard" and "of" are not 1 ≤ shard ≤ of');
  if (!Array.isArray(gaps) || !gaps.every((g) => Array.isArray(g) && g.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    throw bad('"gaps" is not a list of lists of finite numbers');
  }
  return { path, format: SHARD_FORMAT, version: SHARD_VERSION, args: args as string[], ilmdpSha256, shard, of, gaps: gaps as number[][] };
}

/** Up to 20 numbers, then how many more: a message stays one line even for 10⁴ shards. */
function listed(numbers: readonly number[]): string {
  return numbers.length <= 20 ? numbers.join(', ') : `${numbers.slice(0, 20).join(', ')} and ${numbers.length - 20} more`;
}

/**
 * The shards in order 1…N, once it is certain they are one whole sweep: the same arguments, split and
 * file, every shard present, none twice (two copies of a shard would count its seeds twice; a missing
 * one would drop seeds, and neither may pass for the sweep).
 */
export function wholeSweep(shards: readonly ReadShard[]): ReadShard[] {
  const first = shards[0];
  for (const s of shards) {
    if (JSON.stringify(s.args) !== JSON.stringify(first.args)) {
      throw new UsageError(`${s.path} is a shard of another sweep than ${first.path}: "${s.args.join(' ')}" against "${first.args.join(' ')}"`);
    }
    if (s.of !== first.of) throw new UsageError(`${s.path} is shard ${s.shard} of ${s.of}, but ${first.path} is shard ${first.shard} of ${first.of}: shards of different splits do not merge`);
    if (s.ilmdpSha256 !== first.ilmdpSha256) {
      throw new UsageError(`${s.path} and ${first.path} were computed from different contents of the .ilmdp file (it changed while the shards ran): run the sweep's shards again on one version of it`);
    }
  }
  const byIndex = new Map<number, string[]>();
  for (const s of shards) byIndex.set(s.shard, [...(byIndex.get(s.shard) ?? []), s.path]);
  const repeated = [...byIndex].filter(([, paths]) => paths.length > 1).sort(([a], [b]) => a - b);
  if (repeated.length > 0) {
    const [index, paths] = repeated[0];
    const others = repeated.length > 1 ? ` (and ${repeated.length - 1} more shard${repeated.length > 2 ? 's' : ''} given twice)` : '';
    throw new UsageError(`shard ${index} of ${first.of} is given ${paths.length} times: ${paths.join(', ')}${others}; give each shard once`);
  }
  const missing = Array.from({ length: first.of }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const which = missing.length === 1 ? `shard ${missing[0]} of ${first.of} is missing` : `shards ${listed(missing)} of ${first.of} are missing`;
    throw new UsageError(`${which} (${shards.length} of ${first.of} given); merge needs every shard of the sweep`);
  }
  return [...shards].sort((a, b) => a.shard - b.shard);
}
