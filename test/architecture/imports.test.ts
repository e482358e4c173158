import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Every file's imports, type-only ones included (ESLint's import-x/no-cycle skips those, but a cycle of
 * types still ties two modules together), resolved by TypeScript itself.
 */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true };
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => ts.resolveModuleName(i.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((f): f is string => f !== undefined && known.has(f));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components of more than one file (or a file importing itself): Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return found;
}

test('the cycle finder finds a cycle of type-only imports, and none in a chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-cycles-'));
  writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
  writeFileSync(join(dir, 'b.ts'), "import { type C } from './c';\nexport type B = { c?: C };\n");
  writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = { a?: A };\n");
  writeFileSync(join(dir, 'd.ts'), "import type { A } from './a';\nexport type D = A;\n");
  const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'].map((f) => join(dir, f));
  assert.deepEqual(cycles(importGraph(files)), [files.slice(0, 3)]);
  assert.deepEqual(cycles(importGraph([files[0], files[1], files[3]])), []);
});

test('no import cycles in src/ or webview/, type-only imports included', () => {
  const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'webview'))];
  const graph = importGraph(files);
  assert.ok([...graph.values()].reduce((n, t) => n + t.length, 0) > files.length, 'the graph has the imports (resolution works)');
  assert.deepEqual(
    cycles(graph).map((c) => c.map((f) => relative(root, f))),
    [],
  );
});
