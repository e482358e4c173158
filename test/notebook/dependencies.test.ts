import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseCell, dependencyGraph, dependentsOf } from '../../src/notebook/dependencies';

const a = (source: string, language: 'javascript' | 'typescript' = 'javascript') => analyseCell(source, language);

test('top-level declarations are defined, destructuring and hoisting included; the kernel\'s globals are not uses', () => {
  const cell = a('const { mdp, experts: { hesitant }, datasets: [first, ...rest] } = load("three-states.ilmdp")\nlet n = 3, m\nvar v = n\nfunction f(x) { return x + m }\nclass C {}\nconsole.log(il.resetCliff)');
  assert.deepEqual(cell.defines, ['C', 'f', 'first', 'hesitant', 'm', 'mdp', 'n', 'rest', 'v']);
  assert.deepEqual(cell.uses, []);
  assert.deepEqual(cell.loads, ['three-states.ilmdp']);
  assert.equal(cell.unknownWrites, false);
});

test('names read but not declared are uses; shadowing in blocks and functions, parameters, catch and loop bindings are not', () => {
  const cell = a(`
const own = sweep.rows.length
{ const sweep = 1; sweep }
function g(sweep, { data }) { return sweep + data + N }
try { risky() } catch (error) { error }
for (const row of table) row
for (let i = 0; i < H; i++) i
const arrow = (mdp) => mdp.nS + expert.nA
label: for (;;) break label
const o = { key: 1, shorthand, [computed]: 2 }
o.key; o.missing
`);
  assert.deepEqual(cell.uses, ['H', 'N', 'computed', 'expert', 'risky', 'shorthand', 'sweep', 'table']);
  assert.deepEqual(cell.defines, ['arrow', 'g', 'o', 'own']);
});

test('var is hoisted to its function, not to the cell; a closure reads the global it names', () => {
  const cell = a('function f() { var inner = 1; return inner + outer }\nif (true) { var hoisted = 2 }\nconst later = () => lateName');
  assert.deepEqual(cell.defines, ['f', 'hoisted', 'later']);
  assert.deepEqual(cell.uses, ['lateName', 'outer']);
});

test('assigning a global the cell does not declare defines it (and reads it for +=); writes through globalThis are named or unknown', () => {
  assert.deepEqual(a('total = 1').defines, ['total']);
  const inc = a('count += 1');
  assert.deepEqual([inc.defines, inc.uses], [['count'], ['count']]);
  const named = a('globalThis.seed = 4; globalThis["horizon"] = 8');
  assert.deepEqual(named.defines, ['horizon', 'seed']);
  assert.equal(named.unknownWrites, false);
  assert.equal(a('globalThis[key] = 1').unknownWrites, true);
  assert.equal(a('Object.assign(globalThis, { x: 1 })').unknownWrites, true);
  assert.equal(a('eval("var z = 1")').unknownWrites, true);
  assert.equal(a('const g = globalThis; g.x = 1').unknownWrites, true);
  assert.equal(a('globalThis.il.resetCliff').unknownWrites, false, 'reading through globalThis is not a write');
});

test('top-level await and TypeScript cells; a syntax error writes unknown globals', () => {
  const awaited = a('const sweep = await il.parallel.gapVsHorizon(spec)');
  assert.deepEqual([awaited.defines, awaited.uses], [['sweep'], ['spec']]);
  const typed = a('const h: number = env.mdp.H\ninterface Shape { n: number }\nfunction size(s: Shape): number { return s.n }', 'typescript');
  assert.deepEqual([typed.defines, typed.uses], [['h', 'size'], ['env']]);
  const broken = a('const = 1');
  assert.equal(broken.unknownWrites, true);
  assert.ok(broken.syntaxError);
});

test('the graph: each use goes to the last cell above that defines it; a re-declared const across cells takes the nearer; unknown writes reach every later cell', () => {
  const cells = [
    a('const env = il.resetCliff({ nS: 11, nA: 2, H: 8 })\nconst N = 40'),
    a('const data = il.sampleTrajectories(env.mdp, env.expert, N, 1)'),
    a('const N = 400'),
    a('const more = il.sampleTrajectories(env.mdp, env.expert, N, 2)'),
    a('globalThis[name] = 1'),
    a('display(more)'),
    a('const early = late + 1'),
    a('const late = 2'),
  ];
  const graph = dependencyGraph(cells);
  assert.deepEqual(graph, [[], [0], [], [0, 2], [], [3, 4], [4, 7], [4]]);
  assert.deepEqual(dependentsOf(graph, 0), [1, 3, 5]);
  assert.deepEqual(dependentsOf(graph, 2), [3, 5]);
  assert.deepEqual(dependentsOf(graph, 4), [5, 6, 7]);
});

test('destructuring defaults and computed keys are uses; a closure writing a global defines it; a name declared in a nested function is not the cell\'s', () => {
  const cell = a('const { n = fallback, [key]: picked } = source\nfunction bump() { total = (total ?? 0) + 1 }\nconst make = () => { const inner = 1; return () => inner + captured }');
  assert.deepEqual(cell.defines, ['bump', 'make', 'n', 'picked', 'total']);
  assert.deepEqual(cell.uses, ['captured', 'fallback', 'key', 'source', 'total']);
});

test('in-place changes of another cell\'s value are named, so its readers depend on the changer; a cell\'s own values are not', () => {
  const cell = a('mdp.rho[0] = 1\ncounts.n++\ndelete table.old\nrows.push(4)\nsweep.rows.map((r) => r.x)\nconst own = []; own.push(1)\nresult.slope.toFixed(2)');
  assert.deepEqual(cell.mutates, ['counts', 'mdp', 'rows', 'table']);
  assert.ok(!cell.defines.includes('mdp'), 'changing is not declaring');
  const shadowed = a('function f(mdp) { mdp.H = 3 }\n{ const rows = []; rows.push(1) }');
  assert.deepEqual(shadowed.mutates, [], 'a parameter or block binding of the same name is not the global');
  const graph = dependencyGraph([a('const rows = [1]'), a('rows.push(2)'), a('display(rows.length)')]);
  assert.deepEqual(graph, [[], [0], [1]], 'the reader sees the value the changer left');
});

test('what makes a result differ from run to run, or its inputs unknown beforehand, is named', () => {
  const reasonOf = (source: string) => a(source).notDeterministic;
  assert.match(reasonOf('const t = Date.now()') ?? '', /clock/);
  assert.match(reasonOf('const x = Math.random()') ?? '', /Math\.random/);
  assert.match(reasonOf('const m = await import("./helper.mjs")') ?? '', /import\(\)/);
  assert.match(reasonOf('const fs = require("node:fs")') ?? '', /require/);
  assert.match(reasonOf('const file = "a.ilmdp"; const e = load(file)') ?? '', /computed/);
  assert.match(reasonOf('const l = load; l("a.ilmdp")') ?? '', /other than as a direct call/);
  assert.equal(reasonOf('const e = load("three-states.ilmdp")\nconst s = il.sampleTrajectories(e.mdp, e.expert, 10, 1)\nMath.max(1, 2)'), undefined);
  assert.equal(reasonOf('const Date = 3; Date + 1'), undefined, 'a cell\'s own Date is not the clock');
});

test('a global read through globalThis is a use; a global the cell reads and assigns without declaring carries earlier runs, so it always runs', () => {
  // The e2e's survivor cell: restoring its first output on a re-run would hide that the kernel lived on.
  const counter = a('"alive " + (globalThis.runs = (globalThis.runs ?? 0) + 1)');
  assert.deepEqual([counter.defines, counter.uses], [['runs'], ['runs']]);
  assert.match(counter.notDeterministic ?? '', /reads runs and assigns it/);
  assert.match(a('count += 1').notDeterministic ?? '', /reads count and assigns it/);
  assert.match(a('n = (typeof n === "number" ? n : 0) + 1').notDeterministic ?? '', /reads n/);
  assert.deepEqual(a('const h = globalThis.horizon * 2').uses, ['horizon']);
  // Conservative: no flow analysis, so a global assigned before it is read (which could be conditional) also always runs.
  assert.match(a('globalThis.seed = 4; const s = seed').notDeterministic ?? '', /reads seed/);
  assert.equal(a('let total = 0; for (const x of [1, 2]) total += x').notDeterministic, undefined, 'a declared name starts afresh every run');
  assert.equal(a('total = 1').notDeterministic, undefined);
});
