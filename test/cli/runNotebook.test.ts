// Issue 16 for `il-notebooks run`: each observed failure, with the input that showed it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEFAULT_TIMEOUT_SECONDS, kernelRunOptions, runNotebookFiles } from '../../src/cli/runNotebooks';
import { parseNotebook, serializeNotebook, type NotebookCell } from '../../src/notebook/notebookFormat';
import { OutputCap, utf8Prefix } from '../../src/notebook/outputLimits';
import { MAX_CELL_TIMEOUT_MS, runNotebook, STDERR_MIME, STDOUT_MIME } from '../../src/notebook/runNotebook';

const root = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'il-run-'));
const workerScript = join(dir, 'kernelWorker.js');
const rendererScript = join(dir, 'renderer.js');
before(async () => {
  await build({ entryPoints: [join(root, 'src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  // The report inlines whatever renderer it is given; these tests read its text, not its drawings.
  writeFileSync(rendererScript, 'export function activate() { return { renderOutputItem() {} } }\n');
});

const code = (source: string, extra: Partial<NotebookCell> = {}): NotebookCell => ({ kind: 'code', language: 'javascript', source, outputs: [], ...extra });
const saved = (text: string) => [{ items: [{ mime: STDOUT_MIME, data: text }] }];

async function run(file: string, options: Partial<Parameters<typeof runNotebookFiles>[1]> = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runNotebookFiles([file], { workerScript, ...options }, (t) => (out += t));
  return { code, out };
}

/** The CLI as a user runs it (through tsx), for exit codes and what reaches the terminal. */
function cli(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

test('1. a notebook with a UTF-8 BOM runs, and is written back with its BOM', async () => {
  const file = join(dir, 'bom.ilnb');
  writeFileSync(file, `\uFEFF${serializeNotebook({ cells: [code('6 * 7')] })}`);
  const { code: exit, out } = await run(file);
  assert.equal(exit, 0, out);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(bytes.toString('utf8'), /"42"/);
  assert.equal((await run(file)).out.includes('outputs written'), false, 'a second run finds nothing to change');
});

test('2. run keeps unknown top-level keys, non-object metadata, cell ids and metadata, and output metadata', async () => {
  const file = join(dir, 'annotated.ilnb');
  const original = serializeNotebook({
    extra: { metadata: ['not', 'an', 'object'], 'x-ci': { job: 7 } },
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# T', outputs: [], extra: { id: 'intro', metadata: { tags: ['h'] } } },
      code('6 * 7', { extra: { id: 'answer', metadata: { collapsed: true } } }),
      code('throw new Error("stop")', { extra: { id: 'boom' } }),
      code('1', { outputs: [{ items: [{ mime: 'text/plain', data: 'old' }], extra: { metadata: { producer: 'ci' } } }], extra: { id: 'after', metadata: { a: 1 } } }),
    ],
  });
  writeFileSync(file, original);
  await run(file);
  const before = JSON.parse(original) as { cells: Record<string, unknown>[] };
  const after = JSON.parse(readFileSync(file, 'utf8')) as { cells: Record<string, unknown>[] };
  // Everything but the outputs of the cells that ran is what it was.
  const withoutFresh = (doc: { cells: Record<string, unknown>[] }) => ({ ...doc, cells: doc.cells.map((c, i) => (i === 1 || i === 2 ? { ...c, outputs: undefined } : c)) });
  assert.deepEqual(withoutFresh(after), withoutFresh(before));
  assert.deepEqual(Object.keys(after), ['format', 'version', 'metadata', 'cells', 'x-ci']);
  // The stale cell's block, output metadata included, is the same bytes.
  const block = (text: string) => text.slice(text.indexOf('"source": [\n        "1"'));
  assert.equal(block(readFileSync(file, 'utf8')), block(original));
});

test('2. two "cells" keys: run names the line and column and writes nothing', async () => {
  const file = join(dir, 'duplicate.ilnb');
  const text = '{\n  "format": "il-notebook",\n  "version": 1,\n  "cells": [{"kind": "code", "source": "1"}],\n  "cells": []\n}\n';
  writeFileSync(file, text);
  const { code: exit, out } = await run(file);
  assert.equal(exit, 1);
  assert.match(out, new RegExp(`duplicate\\.ilnb:5:3: error: .*"cells" is given twice \\(first at line 4, column 3\\)`));
  assert.equal(readFileSync(file, 'utf8'), text);
});

test('3. a newer version is never overwritten: run refuses it with a message and leaves the bytes alone', async () => {
  const file = join(dir, 'newer.ilnb');
  const text = '{\n  "format": "il-notebook",\n  "version": 2,\n  "cells": [{"kind": "code", "language": "javascript", "source": ["6 * 7"], "future": {"x": 1}}]\n}\n';
  writeFileSync(file, text);
  for (const options of [{}, { out: join(dir, 'newer-out.ilnb') }]) {
    const { code: exit, out } = await run(file, options);
    assert.equal(exit, 1);
    assert.match(out, /newer\.ilnb:3:14: error: .*version 2, written by a newer IL Notebooks/);
    assert.doesNotMatch(out, /outputs written/);
  }
  assert.equal(readFileSync(file, 'utf8'), text);
});

test('4. a python cell is not run as JavaScript: skipped with a message, its saved outputs kept', async () => {
  const file = join(dir, 'python.ilnb');
  const python = { kind: 'code' as const, language: 'python', source: 'print(1 + 1)', outputs: saved('2\n') };
  writeFileSync(file, serializeNotebook({ cells: [code('const x = 1'), code('x + 1'), python, code('x + 2')] }));
  const { code: exit, out } = await run(file);
  assert.equal(exit, 0, out);
  assert.match(out, /cell 3 is python; the IL kernel runs JavaScript and TypeScript — skipped/);
  const back = parseNotebook(readFileSync(file, 'utf8'));
  assert.deepEqual(back.cells[2], python);
  assert.equal(back.cells[3].outputs[0].items[0].data, '3', 'the cells after it still run');
});

test('5. after a failure the later cells keep their saved outputs, and the console and HTML reports call them stale', async () => {
  const file = join(dir, 'stale.ilnb');
  const report = join(dir, 'stale.html');
  const later = code('"fresh"', { outputs: saved('from an earlier run\n') });
  writeFileSync(file, serializeNotebook({ cells: [code('null.x'), later, code('2', { outputs: saved('also earlier\n') })] }));
  const { code: exit, out } = await run(file, { report, rendererScript });
  assert.equal(exit, 1);
  assert.match(out, /cell 2 was not run because cell 1 failed; its saved outputs are kept and may be stale/);
  assert.match(out, /FAILED at cell 1.*; not run, saved outputs kept \(stale\): cells 2, 3/);
  const back = parseNotebook(readFileSync(file, 'utf8'));
  assert.deepEqual(back.cells[1].outputs, saved('from an earlier run\n'));
  assert.deepEqual(back.cells[2].outputs, saved('also earlier\n'));
  const html = readFileSync(report, 'utf8');
  assert.match(html, /<section class="cell code stale"><div class="label">cell 2 · javascript<\/div><div class="note">cell 2 was not run because cell 1 failed/);
  assert.match(html, /from an earlier run/);
});

test('6. 20 MB of console.log keeps the first --max-output bytes and says how many more there were', async () => {
  const lines = 200_000;
  const lineBytes = 100; // 99 characters and the newline
  const limit = 2 ** 20;
  const file = join(dir, 'flood.ilnb');
  writeFileSync(file, serializeNotebook({ cells: [code(`for (let i = 0; i < ${lines}; i++) console.log('x'.repeat(${lineBytes - 1}))`)] }));
  assert.equal((await run(file, { maxOutputBytes: limit })).code, 0);
  const [cell] = parseNotebook(readFileSync(file, 'utf8')).cells;
  const stdout = cell.outputs.filter((o) => o.items[0].mime === STDOUT_MIME).map((o) => o.items[0].data).join('');
  assert.equal(Buffer.byteLength(stdout), limit);
  assert.equal(stdout, `${'x'.repeat(lineBytes - 1)}\n`.repeat(Math.ceil(limit / lineBytes)).slice(0, limit));
  const marker = cell.outputs.find((o) => o.items[0].mime === STDERR_MIME)?.items[0].data;
  assert.equal(marker, `… output truncated: ${(lines * lineBytes - limit).toLocaleString('en')} more bytes (${limit.toLocaleString('en')} bytes kept: --max-output)\n`);
  // JSON lines add quotes, an escaped newline, a comma and indentation to each 100-byte line: well under 2×.
  assert.ok(readFileSync(file).length < 2 * limit, 'the file holds the capped output, not 20 MB');
});

test('6. the whole notebook is bounded too: a later cell gets what is left of --max-output-total', async () => {
  const file = join(dir, 'total.ilnb');
  const each = 6000 * 100;
  const total = 2 ** 20;
  const flood = `for (let i = 0; i < 6000; i++) console.log('y'.repeat(99))`;
  writeFileSync(file, serializeNotebook({ cells: [code(flood), code(flood)] }));
  assert.equal((await run(file, { maxOutputBytes: total, maxOutputBytesTotal: total })).code, 0);
  const cells = parseNotebook(readFileSync(file, 'utf8')).cells;
  const bytes = (c: NotebookCell, mime: string) => Buffer.byteLength(c.outputs.filter((o) => o.items[0].mime === mime).map((o) => o.items[0].data).join(''));
  assert.equal(bytes(cells[0], STDOUT_MIME), each);
  assert.equal(bytes(cells[1], STDOUT_MIME), total - each);
  assert.match(cells[1].outputs.at(-1)!.items[0].data, new RegExp(`output truncated: ${(2 * each - total).toLocaleString('en')} more bytes .*--max-output-total`));
});

test('6. the cap keeps a bounded prefix of any flood, never splitting a character, and drops displays past it whole', () => {
  const cap = new OutputCap(1000, 'test');
  let kept = '';
  for (let i = 0; i < 100_000; i++) kept += cap.text('é€😀\n'); // 2 + 3 + 4 + 1 bytes
  assert.ok(Buffer.byteLength(kept) <= 1000 && Buffer.byteLength(kept) > 1000 - 4);
  assert.equal(kept, 'é€😀\n'.repeat(100).slice(0, kept.length));
  assert.equal(cap.droppedBytes, 100_000 * 10 - Buffer.byteLength(kept));
  assert.equal(cap.items([{ mime: 'text/plain', data: 'a' }]), false);
  assert.equal(utf8Prefix('😀', 3), '');
});

test('7. run stops a cell after 10 minutes unless told otherwise; --timeout 0 means none', () => {
  assert.equal(DEFAULT_TIMEOUT_SECONDS, 600);
  assert.equal(kernelRunOptions({ workerScript }, 'x.ilnb').cellTimeoutMs, 600_000);
  assert.equal(kernelRunOptions({ workerScript, timeoutSeconds: 0 }, 'x.ilnb').cellTimeoutMs, undefined);
  assert.equal(kernelRunOptions({ workerScript, timeoutSeconds: 2.5 }, 'x.ilnb').cellTimeoutMs, 2500);
});

test('7. --timeout 1e9 (beyond Node.js timers) and other bad values are refused with a message, exit 2', () => {
  for (const value of ['1e9', 'Infinity', 'NaN', '-1', 'abc', String(Math.floor(MAX_CELL_TIMEOUT_MS / 1000) + 1)]) {
    const { status, output } = cli('x.ilnb', '--timeout', value);
    assert.equal(status, 2, value);
    assert.match(output, new RegExp(`--timeout takes seconds from 0 \\(no limit\\) to ${Math.floor(MAX_CELL_TIMEOUT_MS / 1000)} .*; got ${value}`));
  }
  for (const value of ['12', '1.5e3', '-3', '4MB']) {
    const { status, output } = cli('x.ilnb', '--max-output', value);
    assert.equal(status, 2, value);
    assert.match(output, /--max-output takes a whole number of bytes from 1024/);
  }
});

test('7. runNotebook never arms a timer beyond the longest Node.js has, which would fire at once', async () => {
  await assert.rejects(runNotebook({ cells: [code('1')] }, { workerScript, cwd: dir, cellTimeoutMs: 1e12 }), /RangeError|time limit must be between 0/);
  const { ok, reports } = await runNotebook({ cells: [code('1')] }, { workerScript, cwd: dir, cellTimeoutMs: MAX_CELL_TIMEOUT_MS });
  assert.ok(ok, JSON.stringify(reports));
});

test('8. --out DIR and --report DIR: a clear error naming the path, exit 2, no stack trace', () => {
  const file = join(dir, 'paths.ilnb');
  writeFileSync(file, serializeNotebook({ cells: [code('1')] }));
  const folder = join(dir, 'a-folder');
  mkdirSync(folder, { recursive: true });
  for (const flag of ['--out', '--report']) {
    const { status, output } = cli(file, flag, folder);
    assert.equal(status, 2);
    assert.match(output, new RegExp(`${flag}: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a directory; give a file name`));
    assert.doesNotMatch(output, /EISDIR|^\s+at /m);
    const missing = join(dir, 'no-such-folder', 'x.out');
    const gone = cli(file, flag, missing);
    assert.equal(gone.status, 2);
    assert.match(gone.output, new RegExp(`${flag}: the folder .*no-such-folder does not exist`));
  }
  assert.equal(readFileSync(file, 'utf8'), serializeNotebook({ cells: [code('1')] }), 'nothing ran, nothing was written');
});

test('8. a notebook path that cannot be read is named with the reason, exit 2', async () => {
  const folder = join(dir, 'looks-like.ilnb');
  mkdirSync(folder, { recursive: true });
  const { code: exit, out } = await run(folder);
  assert.equal(exit, 2);
  assert.match(out, /looks-like\.ilnb:1:1: error: cannot read the file \(it is a directory\)/);
  const missing = await run(join(dir, 'missing.ilnb'));
  assert.equal(missing.code, 2);
  assert.match(missing.out, /cannot read the file \(it does not exist\)/);
});

test("9. run's load() keeps dataset files to the notebook's folder and the current directory unless --allow-outside-files", async () => {
  const project = join(dir, 'policy');
  const notebooks = join(project, 'notebooks');
  mkdirSync(notebooks, { recursive: true });
  // Two episodes, outside the notebook's folder (and the test's current directory, the repository).
  writeFileSync(join(project, 'outside.csv'), 'episode,step,state,action\n0,0,a,x\n0,1,b,x\n1,0,a,x\n1,1,b,x\n');
  writeFileSync(
    join(notebooks, 'exp.ilmdp'),
    'mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 2\n  transitions:\n    a: {x: b}\n    b: {x: b}\nexperts:\n  e: {policy: {a: x, b: x}}\ndatasets:\n  recorded:\n    file: ../outside.csv\n',
  );
  const file = join(notebooks, 'load.ilnb');
  writeFileSync(file, serializeNotebook({ cells: [code('load("exp.ilmdp").datasets.recorded.N')] }));

  const refused = await run(file, { noWrite: true });
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /exp\.ilmdp:12:11: error: dataset recorded: \.\.\/outside\.csv is outside the folder of .*load\.ilnb and the current directory, so it is not read; pass --allow-outside-files to read it anyway/);
  const allowed = await run(file, { noWrite: true, allowOutsideFiles: true });
  assert.equal(allowed.code, 0, allowed.out);
  assert.match(allowed.out, /── cell 1 \(javascript\) \n2\n/);
  // The flag is in --help (a real run from the command line needs the built kernel, which the e2e covers).
  const parsed = cli(join(dir, 'no-such.ilnb'), '--allow-outside-files');
  assert.doesNotMatch(parsed.output, /unknown option/);
  assert.match(parsed.output, /no-such\.ilnb:1:1: error: cannot read the file/);
  assert.match(cli('--help').output, /--allow-outside-files +let load\(\) read dataset files outside the notebook's folder/);
});

test('10. an error with a 100 MB message is capped like a stream: a prefix of it, its frames, and the marker counts the rest', () => {
  const limit = 10_000;
  const message = 'm'.repeat(100 * 2 ** 20);
  const frames = '\n    at fail (cell 1:2:9)\n    at cell 1:4:1';
  const cap = new OutputCap(limit, 'test');
  const error = cap.error({ name: 'RangeError', message, stack: `RangeError: ${message}${frames}` });
  assert.equal(error.name, 'RangeError');
  assert.ok(message.startsWith(error.message) && error.message.length > limit / 2, 'a prefix of the message, most of the budget');
  assert.equal(error.stack, `RangeError: ${error.message}${frames}`, 'the frames are kept, after the cut message');
  const kept = Buffer.byteLength(error.name) + Buffer.byteLength(error.message) + Buffer.byteLength(frames);
  assert.ok(kept <= limit, `${kept} bytes kept`);
  // The message is counted once, although the stack repeats it.
  assert.equal(cap.droppedBytes, Buffer.byteLength(message) - Buffer.byteLength(error.message));
  assert.match(cap.marker()!, new RegExp(`output truncated: ${cap.droppedBytes.toLocaleString('en')} more bytes`));
  // A small error is kept whole and cuts nothing.
  const small = new OutputCap(limit, 'test');
  assert.deepEqual(small.error({ name: 'Error', message: 'no', stack: 'Error: no\n    at cell 1:1:1' }), { name: 'Error', message: 'no', stack: 'Error: no\n    at cell 1:1:1' });
  assert.equal(small.marker(), undefined);
  // After a flood that filled the cell's cap, the error still says what it was (a small floor beyond the cap).
  const full = new OutputCap(limit, 'test');
  full.text('x'.repeat(2 * limit));
  const after = full.error({ name: 'TypeError', message: 'null has no x', stack: 'TypeError: null has no x\n    at cell 1:1:5' });
  assert.equal(after.message, 'null has no x');
});

test('10. run caps a cell that throws a 5 MB message: the .ilnb holds --max-output bytes of it and the marker', async () => {
  const file = join(dir, 'huge-error.ilnb');
  const limit = 2 ** 16;
  writeFileSync(file, serializeNotebook({ cells: [code(`const m = 'e'.repeat(5 * 2 ** 20)\nthrow new Error(m)`)] }));
  const { code: exit, out } = await run(file, { maxOutputBytes: limit });
  assert.equal(exit, 1);
  assert.ok(out.length < 4 * limit, `the terminal got ${out.length} characters`);
  const [cell] = parseNotebook(readFileSync(file, 'utf8')).cells;
  const marker = cell.outputs.at(-2)!.items[0];
  assert.equal(marker.mime, STDERR_MIME);
  assert.match(marker.data, /^… output truncated: [\d,]+ more bytes \(65,536 bytes kept: --max-output\)\n$/);
  const error = JSON.parse(cell.outputs.at(-1)!.items[0].data) as { name: string; message: string; stack: string };
  assert.equal(error.name, 'Error');
  assert.match(error.message, /^e+$/);
  assert.ok(Buffer.byteLength(error.message) <= limit && Buffer.byteLength(error.message) > limit / 2);
  assert.match(error.stack, /\n\s+at cell 1:2:7$/);
  assert.ok(readFileSync(file).length < 2 * limit + 4096, 'the file holds the capped error, not 5 MB (twice: message and stack)');
});

test("11. run reports a console.log that ran after its cell ended on stderr, labelled, and keeps it out of the saved outputs", async () => {
  const file = join(dir, 'late.ilnb');
  writeFileSync(file, serializeNotebook({ cells: [code('setTimeout(() => console.log("late"), 100)\n1'), code('await new Promise((r) => setTimeout(r, 1000))\n2')] }));
  let out = '';
  let err = '';
  const exit = await runNotebookFiles([file], { workerScript }, (t) => (out += t), (t) => (err += t));
  assert.equal(exit, 0, out);
  assert.equal(err, 'kernel of late.ilnb, after cell 1 ended: late\n');
  assert.doesNotMatch(out, /late\n/);
  const cells = parseNotebook(readFileSync(file, 'utf8')).cells;
  assert.deepEqual(
    cells.map((c) => c.outputs.map((o) => o.items.map((i) => i.data).join(''))),
    [['1'], ['2']],
  );
});

test('12. run leaves unknown values JSON.parse would rewrite (> 2^53, 1.0, 1e3, \\u00e9) byte for byte: a re-run writes nothing', async () => {
  const file = join(dir, 'raw-values.ilnb');
  const text = String.raw`{
  "format": "il-notebook",
  "version": 1,
  "metadata": {"big": 12345678901234567890, "one": 1.0},
  "cells": [
    {
      "kind": "code",
      "language": "javascript",
      "source": ["6 * 7"],
      "outputs": [
        {
          "items": [
            {
              "mime": "text/plain",
              "text": ["42"]
            }
          ]
        }
      ],
      "id": "\u00e9t\u00e9",
      "metadata": {"n": 12345678901234567890, "list": [1.0, 1e3, -0]},
      "\u0078-key": 1E+2
    },
    {
      "kind": "code",
      "language": "python",
      "source": ["print(1)"],
      "outputs": [
        {
          "items": [
            {
              "mime": "text/plain",
              "text": ["1"],
              "x-seen": 1e3
            }
          ],
          "metadata": {"attempt": 2.50, "by": "\u00e9"}
        }
      ]
    }
  ],
  "x-ci": 12345678901234567890
}
`;
  writeFileSync(file, text);
  const { code: exit, out } = await run(file);
  assert.equal(exit, 0, out);
  assert.doesNotMatch(out, /outputs written/);
  assert.equal(readFileSync(file, 'utf8'), text);
  // --out writes the same bytes elsewhere.
  const copy = join(dir, 'raw-values-out.ilnb');
  assert.equal((await run(file, { out: copy })).code, 0);
  assert.equal(readFileSync(copy, 'utf8'), text);
});
