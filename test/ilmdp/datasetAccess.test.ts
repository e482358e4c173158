/**
 * Which dataset files an .ilmdp may make IL Notebooks read (src/ilmdp/datasetAccess.ts): only regular
 * files, inside the allowed folders after symlinks, up to MAX_DATASET_FILE_BYTES, each refusal at the
 * `file:` value with what to do, and no absolute path outside the folder printed back.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDatasetFile, MAX_DATASET_FILE_BYTES, readLocated, type DatasetFileAccess } from '../../src/ilmdp/datasetAccess';
import { IlmdpLoadError, loadIlmdp } from '../../src/ilmdp/load';
import { DatasetStore } from '../../src/editor/datasetStore';

const root = mkdtempSync(join(tmpdir(), 'il-access-'));
after(() => rmSync(root, { recursive: true, force: true }));
const project = join(root, 'project');
const outside = join(root, 'outside');
mkdirSync(project);
mkdirSync(outside);
const CSV = 'episode,step,state,action\n0,0,a,x\n0,1,b,x\n';
writeFileSync(join(outside, 'secret.csv'), CSV);
writeFileSync(join(project, 'runs.csv'), CSV);

const ilmdpWith = (file: string) => `mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 2\n  transitions:\n    a: {x: b}\n    b: {x: b}\ndatasets:\n  recorded:\n    file: ${file}\n`;

/** Where the `file:` value is in the text: line 10, after "    file: ". */
function valuePosition(text: string, value: string): string {
  const offset = text.indexOf(`file: ${value}`) + 'file: '.length;
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

function problemsOf(ilmdpName: string, file: string, options: Parameters<typeof loadIlmdp>[2] = {}): readonly string[] {
  const path = join(project, ilmdpName);
  writeFileSync(path, ilmdpWith(file));
  try {
    loadIlmdp(path, undefined, options);
  } catch (error) {
    if (error instanceof IlmdpLoadError) return error.problems;
    throw error;
  }
  return [];
}

test('a file outside the folder (../, an absolute path, a symlink out) is refused at its file: value, saying how to allow it', () => {
  symlinkSync(join(outside, 'secret.csv'), join(project, 'link.csv'));
  const cases = [
    ['up.ilmdp', '../outside/secret.csv'],
    ['absolute.ilmdp', join(outside, 'secret.csv')],
    ['symlink.ilmdp', 'link.csv'],
  ] as const;
  for (const [name, file] of cases) {
    const problems = problemsOf(name, file);
    assert.equal(problems.length, 1, `${file}: ${problems.join('\n')}`);
    const text = ilmdpWith(file);
    assert.ok(problems[0].startsWith(`${join(project, name)}:${valuePosition(text, file)}: error: dataset recorded: ${file} is outside the folder of ${name}`), problems[0]);
    assert.match(problems[0], /move or copy it into that folder/);
    // The path as the user wrote it, never the resolved one: a relative path does not reveal where it led.
    if (file !== join(outside, 'secret.csv')) assert.ok(!problems[0].includes(outside), problems[0]);
  }
  // Allowed by the user (the CLI's --allow-outside-files, the VS Code setting), the same files load.
  const allow: DatasetFileAccess = { roots: [project], allowOutside: true, rootsLabel: 'x', howToAllow: 'y' };
  for (const [name, file] of cases) assert.deepEqual(problemsOf(name, file, { files: allow }), [], file);
});

test('a symlink inside the folder to a file inside the folder is read; a path that only passes through .. and back is inside', () => {
  mkdirSync(join(project, 'data'));
  writeFileSync(join(project, 'data', 'kept.csv'), CSV);
  symlinkSync(join(project, 'data', 'kept.csv'), join(project, 'inner-link.csv'));
  assert.deepEqual(problemsOf('inner.ilmdp', 'inner-link.csv'), []);
  assert.deepEqual(problemsOf('roundtrip.ilmdp', '../project/data/kept.csv'), []);
  // A missing file is reported at its value too, by the name written.
  const [missing] = problemsOf('missing.ilmdp', 'data/none.csv');
  assert.match(missing, /:10:11: error: dataset recorded: data\/none\.csv not found/);
});

test('a directory named x.csv and a FIFO are refused before opening (no EISDIR, no read that waits forever)', async (t) => {
  mkdirSync(join(project, 'x.csv'));
  const [dir] = problemsOf('dir.ilmdp', 'x.csv');
  assert.match(dir, /:10:11: error: dataset recorded: x\.csv is a directory, not a CSV or JSON Lines file/);
  const access: DatasetFileAccess = { roots: [project], rootsLabel: 'p', howToAllow: 'h' };
  const located = await locateDatasetFile(project, 'x.csv', access);
  assert.equal(located.ok ? 'read' : located.reason, 'not-a-file');
  if (process.platform === 'win32') {
    // Windows has no mkfifo (named pipes live in \\.\pipe\, not in folders).
    t.diagnostic('FIFO case skipped on Windows');
    return;
  }
  const made = spawnSync('mkfifo', [join(project, 'pipe.csv')]);
  assert.equal(made.status, 0, String(made.stderr));
  const [fifo] = problemsOf('fifo.ilmdp', 'pipe.csv');
  assert.match(fifo, /:10:11: error: dataset recorded: pipe\.csv is a named pipe \(FIFO\), not a CSV or JSON Lines file/);
  // The editor host's asynchronous route, and the read on a descriptor that was located as a regular
  // file but is a FIFO by the time it is opened: refused on fstat, not blocked in read.
  const viaHost = await locateDatasetFile(project, 'pipe.csv', access);
  assert.equal(viaHost.ok ? 'read' : viaHost.reason, 'not-a-file');
  const swapped = await readLocated({ ok: true, path: join(project, 'pipe.csv'), size: 0, mtimeMs: 0 }, 'pipe.csv', access);
  assert.ok(!(swapped instanceof Uint8Array) && swapped.reason === 'not-a-file');
});

test('a file over the size limit is refused with the limit and what to do, without being read (a sparse file)', async () => {
  const big = join(project, 'huge.csv');
  const fd = openSync(big, 'w');
  // Sparse: the size is set, no block is written, so the test costs no disk.
  ftruncateSync(fd, MAX_DATASET_FILE_BYTES + 1);
  closeSync(fd);
  const [problem] = problemsOf('huge.ilmdp', 'huge.csv');
  assert.match(problem, /:10:11: error: dataset recorded: huge\.csv is 268435457 bytes, more than the 268435456 bytes \(256 MiB\) a dataset file may have; split it into several files/);
  const located = await locateDatasetFile(project, 'huge.csv', { roots: [project], rootsLabel: 'p', howToAllow: 'h' });
  assert.equal(located.ok ? 'read' : located.reason, 'too-large');
  // Exactly at the limit (a smaller one for the test) is still read.
  const small = await locateDatasetFile(project, 'runs.csv', { roots: [project], rootsLabel: 'p', howToAllow: 'h', maxBytes: CSV.length });
  assert.ok(small.ok);
  const smaller = await locateDatasetFile(project, 'runs.csv', { roots: [project], rootsLabel: 'p', howToAllow: 'h', maxBytes: CSV.length - 1 });
  assert.equal(smaller.ok ? 'read' : smaller.reason, 'too-large');
});

test("the editor worker shows the host's reason for a file it did not read, not \"not found\"", () => {
  const store = new DatasetStore();
  const why = 'x.csv is a directory, not a CSV or JSON Lines file; point file: at a regular file';
  const result = store.analyse(1, ilmdpWith('x.csv'), [{ path: 'x.csv', stamp: '', missing: true, error: why }]);
  assert.equal(result.datasets[0].error, why);
  const checks = store.check(ilmdpWith('x.csv'), [{ path: 'x.csv', stamp: '', missing: true, error: why }]);
  assert.equal(checks[0].error, why);
});
