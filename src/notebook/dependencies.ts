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
  /**
   * Names of other cells' values this cell changes in place: a property written, updated or deleted
   * (`mdp.rho[0] = 1`, `counts.n++`), or a mutating method called (`rows.push(r)`, `arr.sort()`) on a
   * name it does not declare. It then defines them as far as its dependents and the cache are concerned.
   */
  readonly mutates: readonly string[];
  /**
   * Why the cell's result cannot be told from its code and inputs, so that it must always run and its
   * dependents too: a clock, an unseeded random, the process's environment, a module (whose file is not
   * hashed), a `load()` whose path is computed. Absent when nothing is known to stand in the way.
   */
  readonly notDeterministic?: string;
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

/** Methods of arrays, typed arrays, maps and sets that change their receiver. */
const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);
/** Kernel globals whose reading makes a result differ from run to run, with the reason the outcome gives. */
const NONDETERMINISTIC_GLOBALS: Readonly<Record<string, string>> = {
  Date: 'it reads the clock (Date)',
  performance: 'it reads the clock (performance)',
  crypto: 'it uses crypto (random values)',
  process: "it reads the kernel's process (its clock, environment or memory)",
  require: 'it loads a module with require(), whose files are not part of the cache key',
  setTimeout: 'it schedules work on a timer',
  setInterval: 'it schedules work on a timer',
};

/** The identifier at the root of a member chain (`a` of `a.b[c].d`), if it is one. */
function memberRoot(node: AnyNode): AnyNode | undefined {
  let n = node;
  while (n.type === 'MemberExpression' || n.type === 'ChainExpression') n = (n.type === 'ChainExpression' ? n.expression : n.object) as AnyNode;
  return n.type === 'Identifier' ? n : undefined;
}

interface Scan {
  named: string[];
  /** Globals read through the global object (`globalThis.x`, not as the target of a plain `=`). */
  readNamed: string[];
  unknown: boolean;
  loads: string[];
  /** Identifiers at the root of an in-place change (matched against the cell's free references). */
  mutationRoots: Set<AnyNode>;
  notDeterministic?: string;
}

/** Writes through the global object, `eval`, `with`, literal `load(…)` calls, in-place changes: what scope analysis does not see. */
function scanGlobalObject(program: Program): Scan {
  const named: string[] = [];
  const readNamed: string[] = [];
  const loads: string[] = [];
  const mutationRoots = new Set<AnyNode>();
  let notDeterministic: string | undefined;
  const blocked = (why: string) => (notDeterministic ??= why);
  let unknown = false;
  const isGlobalObject = (n: AnyNode | undefined) => n?.type === 'Identifier' && GLOBAL_OBJECTS.has(n.name as string);
  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    if (node.type === 'WithStatement') unknown = true;
    if (node.type === 'CallExpression') {
      const callee = node.callee as AnyNode;
      const args = node.arguments as AnyNode[];
      if (callee.type === 'Identifier' && callee.name === 'eval') unknown = true;
      if (callee.type === 'Identifier' && callee.name === 'load') {
        if (args[0]?.type === 'Literal' && typeof args[0].value === 'string') loads.push(args[0].value);
        else blocked('it calls load() with a path computed as it runs, so the file is not known beforehand');
      }
      if (args.some((a) => isGlobalObject(a))) unknown = true;
      if (callee.type === 'MemberExpression') {
        const method = staticProperty(callee);
        const root = memberRoot(callee.object as AnyNode);
        if (method && MUTATING_METHODS.has(method) && root) mutationRoots.add(root);
        const object = callee.object as AnyNode;
        if (method === 'random' && object.type === 'Identifier' && object.name === 'Math') blocked('it calls Math.random(), which has no seed');
      }
    }
    if (node.type === 'ImportExpression') blocked('it loads a module with import(), whose files are not part of the cache key');
    // `load` itself passed along or aliased: the files it will read are not known.
    if (node.type === 'Identifier' && node.name === 'load' && parent && !(parent.type === 'CallExpression' && parent.callee === node) && !(parent.type === 'MemberExpression' && parent.property === node && !parent.computed) && !(parent.type === 'Property' && parent.key === node && !parent.computed)) {
      blocked('it uses load() other than as a direct call, so the files it reads are not known beforehand');
    }
    if (node.type === 'MemberExpression' && isGlobalObject(node.object as AnyNode)) {
      const name = staticProperty(node);
      const plainTarget = parent?.type === 'AssignmentExpression' && parent.operator === '=' && parent.left === node;
      const deleted = parent?.type === 'UnaryExpression' && parent.operator === 'delete';
      if (name && !plainTarget && !deleted) readNamed.push(name);
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
      } else if (target.type === 'MemberExpression') {
        const root = memberRoot(target);
        if (root) mutationRoots.add(root);
      }
    }
    if (node.type === 'UnaryExpression' && node.operator === 'delete') {
      const target = node.argument as AnyNode;
      if (target.type === 'MemberExpression' && isGlobalObject(target.object as AnyNode)) {
        const name = staticProperty(target);
        if (name) named.push(name);
        else unknown = true;
      } else if (target.type === 'MemberExpression') {
        const root = memberRoot(target);
        if (root) mutationRoots.add(root);
      }
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(program as unknown as AnyNode, undefined);
  return { named, readNamed, unknown, loads, mutationRoots, ...(notDeterministic ? { notDeterministic } : {}) };
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
    return { defines: [], uses: [], unknownWrites: true, loads: [], mutates: [], syntaxError: error instanceof Error ? error.message : String(error) };
  }
  // A script, as the kernel runs cells: top-level declarations are in the global scope (a module would
  // give them a scope of their own).
  const manager = analyze(program as never, { ecmaVersion: 2022, sourceType: 'script' });
  const global = manager.globalScope as Scope;
  const defines = new Set<string>();
  const uses = new Set<string>();
  for (const variable of global.variables) if (variable.defs.length > 0) defines.add(variable.name);
  const scan = scanGlobalObject(program);
  const mutates = new Set<string>();
  let notDeterministic = scan.notDeterministic;
  for (const reference of global.through) {
    const name = reference.identifier.name;
    if (reference.isWrite()) defines.add(name);
    if (reference.isRead() || !reference.isWrite()) uses.add(name);
    // Only a free reference: changing a value the cell declared itself changes nothing of another cell.
    if (scan.mutationRoots.has(reference.identifier as unknown as AnyNode) && !defines.has(name) && !KERNEL_GLOBALS.has(name)) mutates.add(name);
    if (Object.hasOwn(NONDETERMINISTIC_GLOBALS, name) && !defines.has(name)) notDeterministic ??= NONDETERMINISTIC_GLOBALS[name];
  }
  for (const name of scan.named) defines.add(name);
  for (const name of scan.readNamed) uses.add(name);
  // A global the cell reads and assigns without declaring it (`runs = (runs ?? 0) + 1`, `n += 1`,
  // `globalThis.k = globalThis.k + 1`) holds what earlier runs left: its code does not say its result.
  const declared = new Set(global.variables.filter((v) => v.defs.length > 0).map((v) => v.name));
  const carried = [...uses].find((name) => defines.has(name) && !declared.has(name) && !KERNEL_GLOBALS.has(name) && !GLOBAL_OBJECTS.has(name));
  if (carried) notDeterministic ??= `it reads ${carried} and assigns it, so its result depends on what earlier runs left in it`;
  for (const name of KERNEL_GLOBALS) uses.delete(name);
  for (const name of GLOBAL_OBJECTS) uses.delete(name);
  return {
    defines: [...defines].sort(),
    uses: [...uses].sort(),
    unknownWrites: scan.unknown,
    loads: [...new Set(scan.loads)],
    mutates: [...mutates].filter((n) => !defines.has(n)).sort(),
    ...(notDeterministic ? { notDeterministic } : {}),
  };
}

/** The cell gives `name` its value: it defines it, or changes it in place (the last to do so is what a reader sees). */
const changes = (cell: CellSymbols, name: string) => cell.defines.includes(name) || cell.mutates.includes(name);

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
        if (changes(cells[j], name)) {
          found = j;
          break;
        }
      }
      if (found >= 0) on.add(found);
      else for (let j = i + 1; j < cells.length; j++) if (changes(cells[j], name)) on.add(j);
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
