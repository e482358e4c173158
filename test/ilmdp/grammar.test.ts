import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_KINDS, ENVIRONMENTS } from '../../src/core/envs';

const root = join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { grammars: { language: string; scopeName: string; path: string }[] } };

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  include?: string;
  patterns?: Rule[];
}
const contributed = manifest.contributes.grammars.find((g) => g.language === 'ilmdp')!;
const grammar = JSON.parse(readFileSync(join(root, contributed.path), 'utf8')) as { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> };

function rules(): [string, Rule][] {
  const out: [string, Rule][] = [];
  const walk = (where: string, r: Rule) => {
    out.push([where, r]);
    r.patterns?.forEach((p, i) => walk(`${where}.patterns[${i}]`, p));
  };
  grammar.patterns.forEach((p, i) => walk(`patterns[${i}]`, p));
  for (const [k, r] of Object.entries(grammar.repository)) walk(`repository.${k}`, r);
  return out;
}

test('the manifest contributes the grammar for the ilmdp language, and the grammar is well formed', () => {
  assert.ok(contributed, 'package.json contributes a grammar for ilmdp');
  assert.ok(existsSync(join(root, contributed.path)));
  assert.equal(grammar.scopeName, 'source.ilmdp');
  assert.equal(contributed.scopeName, grammar.scopeName);
  for (const [where, r] of rules()) {
    if (r.include) assert.ok(r.include.startsWith('#') && grammar.repository[r.include.slice(1)], `${where}: include ${r.include} resolves`);
    for (const key of ['match', 'begin', 'end'] as const) {
      const source = r[key];
      if (source === undefined) continue;
      // An end pattern may refer to its begin's captures (\1): give it a sample indentation to compile.
      const compiled = key === 'end' ? source.replace(/\\1/g, '  ') : source;
      assert.doesNotThrow(() => new RegExp(compiled), `${where}.${key} compiles as a JavaScript regex`);
      assert.doesNotMatch(source, /\\[AGzZh]|\(\?[<]?[a-z]+[):]|\\p\{/i, `${where}.${key} uses no Oniguruma-only syntax`);
    }
    if (r.begin) assert.ok(r.end, `${where}: begin without end`);
  }
});

function tokens(rule: string, line: string): string[] {
  const r = grammar.repository[rule];
  return [...line.matchAll(new RegExp(r.match ?? r.begin!, 'g'))].map((m) => m[1] ?? m[0]);
}

test('keys, numbers, comments, strings and section keywords are told apart', () => {
  assert.deepEqual(tokens('section', 'datasets:'), ['datasets']);
  assert.deepEqual(tokens('section', '  datasets:'), [], 'only at the top level');
  assert.deepEqual(tokens('known-key', '  horizon: 6'), ['horizon']);
  assert.deepEqual(tokens('key', '      go: {middle: 0.9, start: 0.1}'), ['go', 'middle', 'start']);
  assert.deepEqual(tokens('number', '      go: {middle: 0.9, start: .1, s2: 1e-3, x: -2}'), ['0.9', '.1', '1e-3', '-2']);
  assert.deepEqual(tokens('number', '  states: [s0, s1, x2.5a, v1.2.3]'), [], 'digits inside names are not numbers');
  assert.deepEqual(tokens('comment', '  seed: 7  # the same seed, the same data'), ['#']);
  assert.deepEqual(tokens('comment', '  file: "runs#1.csv"'), [], 'a # inside a word is not a comment');
  assert.deepEqual(tokens('generator', '  generator: reset-cliff'), ['reset-cliff']);
  assert.deepEqual(tokens('generator', '  generator: reset-cliff-recovery'), ['reset-cliff-recovery'], 'the whole name, not its reset-cliff prefix');
  const escape = grammar.repository['string-double'].patterns![0];
  assert.deepEqual([...'"say \\"hi\\""'.matchAll(new RegExp(escape.match!, 'g'))].map((m) => m[0]), ['\\"', '\\"'], 'escaped quotes do not end a string');
  const block = grammar.repository['block-scalar'];
  const begin = new RegExp(block.begin!).exec('  map: |');
  assert.ok(begin);
  const end = new RegExp(block.end!.replace('\\1', begin[1]));
  assert.equal(end.test('    S...#'), false, 'deeper lines stay in the map');
  assert.equal(end.test(''), false, 'blank lines stay in the map');
  assert.equal(end.test('  horizon: 12'), true, 'the next key ends it');
});

test("every generator of the environment registry, and each of its keys and choices, is highlighted", () => {
  for (const kind of ENVIRONMENT_KINDS) {
    assert.deepEqual(tokens('generator', `  generator: ${kind}`), [kind], kind);
    for (const p of ENVIRONMENTS[kind].parameters) {
      assert.deepEqual(tokens('known-key', `  ${p.key}: 1`), [p.key], `${kind}.${p.key}`);
      if (p.type === 'choice') for (const v of p.values) assert.deepEqual(tokens('generator', `  ${p.key}: ${v}`), [v], `${kind}.${p.key}: ${v}`);
    }
  }
});
