/**
 * What each cell of a notebook defines and reads, and so which cells depend on which: the ground for
 * stale marks, "run cell and dependents" and a results cache (docs/notebooks.md). vscode-free.
 *
 * A cell's top-level declarations become kernel globals (cellTransform.ts), so a cell *defines* its
 * top-level names (destructured ones included, `var` and functions hoisted) and *uses* every name it
 * reads that no scope of its own declares (eslint-scope's analysis, the one ESLint runs: shadowing in
 * blocks and functions, closures, parameters, catch clauses). Assigning a name the cell does not
 * declare (`x = 1`) changes another cell's value, so it both uses and defines it. What cannot be named —
 * a computed write on the global object (`globalThis[k] = …`), `Object.assign(globalThis, …)`, `eval`,
 * `with` — makes the cell's writes unknown, and every later cell is then taken to depend on it.
 */
import { parse, type Node, type Program } from 'acorn';
import { analyze, type Scope } from 'eslint-scope';
import { transform } from 'sucrase';
import type { CellLanguage } from './kernel/cellTransform';

export interface CellSymbols {
  /** Names the cell makes global: its top-level declarations, and the globals it assigns. */
  readonly defines: readonly string[];
  /** Names the cell reads that none of its own scopes declares. */
  readonly uses: readonly string[];
  /** The cell writes globals that cannot be named: later cells are taken to depend on it. */
  readonly unknownWrites: boolean;
  /** Files named by a literal `load("…")`: inputs whose contents are part of the cell's identity. */
  readonly loads: readonly string[];
  /** The cell does not parse: it defines and uses nothing known, and is taken to write unknown globals. */
  readonly syntaxError?: string;
}

const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);
/** The kernel's own globals: reading them is not a dependency on a cell. */
const KERNEL_GLOBALS = new Set(['il', 'display', 'load', 'console', 'require', 'process']);

interface AnyNode extends Node {
  [key: string]: unknown;
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc') continue;
    const value = node[key];
    if (Array.isArray(value)) for (const v of value) if (v && typeof (v as AnyNode).type === 'string') out.push(v as AnyNode);
    if (value && typeof (value as AnyNode).type === 'string') out.push(value as AnyNode);
  }
  return out;
}

function staticProperty(member: AnyNode): string | undefined {
  const property = member.property as AnyNode;
  if (!member.computed && property.type === 'Identifier') return property.name as string;
  if (member.computed && property.type === 'Literal' && typeof property.value === 'string') return property.value;
  return undefined;
}

/** Writes through the global object, `eval`, `with`, and literal `load(…)` calls: what scope analysis does not see. */
function scanGlobalObject(program: Program): { named: string[]; unknown: boolean; loads: string[] } {
  const named: string[] = [];
  const loads: string[] = [];
  let unknown = false;
  const isGlobalObject = (n: AnyNode | undefined) => n?.type === 'Identifier' && GLOBAL_OBJECTS.has(n.name as string);
  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    if (node.type === 'WithStatement') unknown = true;
    if (node.type === 'CallExpression') {
      const callee = node.callee as AnyNode;
      const args = node.arguments as AnyNode[];
      if (callee.type === 'Identifier' && callee.name === 'eval') unknown = true;
      if (callee.type === 'Identifier' && callee.name === 'load' && args[0]?.type === 'Literal' && typeof args[0].value === 'string') loads.push(args[0].value);
      if (args.some((a) => isGlobalObject(a))) unknown = true;
    }
    if (isGlobalObject(node) && parent) {
      const isObjectOfMember = parent.type === 'MemberExpression' && parent.object === node;
      if (!isObjectOfMember && !(parent.type === 'CallExpression' && (parent.arguments as AnyNode[]).includes(node))) {
        // Passed along, aliased or spread: what happens to it is unknown.
        if (!(parent.type === 'VariableDeclarator' && parent.id === node)) unknown = true;
      }
    }
    if ((node.type === 'AssignmentExpression' || node.type === 'UpdateExpression') && (node.left ?? node.argument)) {
      const target = (node.left ?? node.argument) as AnyNode;
      if (target.type === 'MemberExpression' && isGlobalObject(target.object as AnyNode)) {
        const name = staticProperty(target);
        if (name) named.push(name);
        else unknown = true;
      }
    }
    if (node.type === 'UnaryExpression' && node.operator === 'delete') {
      const target = node.argument as AnyNode;
      if (target.type === 'MemberExpression' && isGlobalObject(target.object as AnyNode)) {
        const name = staticProperty(target);
        if (name) named.push(name);
        else unknown = true;
      }
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(program as unknown as AnyNode, undefined);
  return { named, unknown, loads };
}

function parseForAnalysis(source: string, language: CellLanguage): Program {
  const code = language === 'typescript' ? transform(source, { transforms: ['typescript'], disableESTransforms: true }).code : source;
  return parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, ranges: true });
}

export function analyseCell(source: string, language: CellLanguage = 'javascript'): CellSymbols {
  let program: Program;
  try {
    program = parseForAnalysis(source, language);
  } catch (error) {
    return { defines: [], uses: [], unknownWrites: true, loads: [], syntaxError: error instanceof Error ? error.message : String(error) };
  }
  // A script, as the kernel runs cells: top-level declarations are in the global scope (a module would
  // give them a scope of their own).
  const manager = analyze(program as never, { ecmaVersion: 2022, sourceType: 'script' });
  const global = manager.globalScope as Scope;
  const defines = new Set<string>();
  const uses = new Set<string>();
  for (const variable of global.variables) if (variable.defs.length > 0) defines.add(variable.name);
  for (const reference of global.through) {
    const name = reference.identifier.name;
    if (reference.isWrite()) defines.add(name);
    if (reference.isRead() || !reference.isWrite()) uses.add(name);
  }
  const scan = scanGlobalObject(program);
  for (const name of scan.named) defines.add(name);
  for (const name of KERNEL_GLOBALS) uses.delete(name);
  for (const name of GLOBAL_OBJECTS) uses.delete(name);
  return { defines: [...defines].sort(), uses: [...uses].sort(), unknownWrites: scan.unknown, loads: [...new Set(scan.loads)] };
}

/**
 * For each cell, the cells it depends on, in notebook order: for each name it uses, the last cell above
 * it that defines the name (or, if none above does, every cell below that does: the notebook may have
 * been run out of order); and every cell above with unknown writes. A cell with a syntax error writes
 * unknown globals too.
 */
export function dependencyGraph(cells: readonly CellSymbols[]): number[][] {
  return cells.map((cell, i) => {
    const on = new Set<number>();
    for (const name of cell.uses) {
      let found = -1;
      for (let j = i - 1; j >= 0; j--) {
        if (cells[j].defines.includes(name)) {
          found = j;
          break;
        }
      }
      if (found >= 0) on.add(found);
      else for (let j = i + 1; j < cells.length; j++) if (cells[j].defines.includes(name)) on.add(j);
    }
    for (let j = 0; j < i; j++) if (cells[j].unknownWrites) on.add(j);
    return [...on].sort((a, b) => a - b);
  });
}

/** Every cell that depends on cell `index`, directly or through others, in notebook order. */
export function dependentsOf(graph: readonly (readonly number[])[], index: number): number[] {
  const out = new Set<number>();
  const queue = [index];
  while (queue.length > 0) {
    const k = queue.shift()!;
    graph.forEach((on, i) => {
      if (i !== index && !out.has(i) && on.includes(k)) {
        out.add(i);
        queue.push(i);
      }
    });
  }
  return [...out].sort((a, b) => a - b);
}
