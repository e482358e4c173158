/**
 * Turns a cell's source into a script the kernel can run again and again in one realm, like a Jupyter
 * kernel: top-level declarations become properties of the kernel's global object (so a later cell sees
 * them and re-running `const mdp = …` works), the body runs inside an async function (so top-level
 * `await` works), and a final expression statement is returned (so its value is displayed).
 *
 * Every edit stays on the line it replaces, so line numbers in stack traces are the cell's own, and
 * `originalColumn` undoes the edits' column shifts.
 */
import { parse, type Node, type Program } from 'acorn';
import { transform } from 'sucrase';

export type CellLanguage = 'javascript' | 'typescript';

export interface TransformedCell {
  readonly code: string;
  /** Lines of the cell; frames below them belong to the wrapper. */
  readonly lines: number;
  /** Maps a 1-based column on a line of `code` back to the column in the cell's (type-stripped) source. */
  readonly originalColumn: (line: number, column: number) => number;
}

/** A syntax error located in the cell (1-based line and column). */
export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

interface Edit {
  readonly at: number;
  readonly end: number;
  readonly text: string;
}

interface Named extends Node {
  id?: { name: string } | null;
}

interface DeclarationNode extends Node {
  kind: 'var' | 'let' | 'const';
  declarations: { id: Node; init: Node | null; end: number }[];
}

interface ExpressionStatementNode extends Node {
  expression: Node;
  directive?: string;
}

function stripTypes(source: string): string {
  try {
    // Sucrase removes types in place, so line numbers survive (esbuild would reflow the code).
    return transform(source, { transforms: ['typescript'], disableESTransforms: true }).code;
  } catch (error) {
    const e = error as { message?: string; loc?: { line: number; column: number } };
    const line = e.loc?.line ?? 1;
    const column = (e.loc?.column ?? 0) + 1;
    throw new CellSyntaxError(String(e.message ?? error).replace(/\s*\(\d+:\d+\)$/, ''), line, column);
  }
}

function parseCell(code: string): Program {
  try {
    return parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, locations: true });
  } catch (error) {
    const e = error as { message?: string; loc?: { line: number; column: number } };
    let message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
    if (/'import' and 'export'/.test(message)) message = "cells cannot use import/export statements; the core is available as `il`, and modules load with `const m = await import('…')` or `require('…')`, relative to the notebook's folder";
    throw new CellSyntaxError(message, e.loc?.line ?? 1, (e.loc?.column ?? 0) + 1);
  }
}

export function transformCell(source: string, language: CellLanguage): TransformedCell {
  const code = language === 'typescript' ? stripTypes(source) : source;
  const program = parseCell(code);
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const body = program.body as Node[];

  body.forEach((statement, index) => {
    switch (statement.type) {
      case 'VariableDeclaration': {
        const decl = statement as DeclarationNode;
        edits.push({ at: decl.start, end: decl.start + decl.kind.length, text: 'void (' });
        for (const d of decl.declarations) if (!d.init) edits.push({ at: d.id.end, end: d.id.end, text: ' = undefined' });
        const last = decl.declarations[decl.declarations.length - 1];
        edits.push({ at: last.end, end: last.end, text: ')' });
        break;
      }
      case 'FunctionDeclaration': {
        // Declarations stay (hoisting still works inside the cell); the global copy is made up front.
        const name = (statement as Named).id?.name;
        if (name) hoisted.push(`globalThis[${JSON.stringify(name)}] = ${name};`);
        break;
      }
      case 'ClassDeclaration': {
        const name = (statement as Named).id?.name;
        if (name) {
          edits.push({ at: statement.start, end: statement.start, text: `${name} = ` });
          edits.push({ at: statement.end, end: statement.end, text: ';' });
        }
        break;
      }
      case 'ExpressionStatement': {
        const s = statement as ExpressionStatementNode;
        if (index === body.length - 1 && s.directive === undefined) {
          edits.push({ at: s.expression.start, end: s.expression.start, text: 'return (' });
          edits.push({ at: s.expression.end, end: s.expression.end, text: ')' });
        }
        break;
      }
      default:
        break;
    }
  });

  // Applied from the end backwards; of two insertions at one place the one pushed first ends up first.
  const order = edits.map((e, i) => ({ e, i })).sort((x, y) => y.e.at - x.e.at || y.i - x.i);
  let out = code;
  for (const { e } of order) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  const prefix = `(async () => {${hoisted.join(' ')} `;
  edits.push({ at: 0, end: 0, text: prefix });
  return { code: `${prefix}${out}\n})()`, lines: code.split('\n').length, originalColumn: columnMapper(code, edits) };
}

function columnMapper(code: string, edits: readonly Edit[]): (line: number, column: number) => number {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return line;
  };
  const byLine = new Map<number, { column: number; delta: number }[]>();
  for (const e of edits) {
    const line = lineOf(e.at) + 1;
    const list = byLine.get(line) ?? [];
    list.push({ column: e.at - lineStarts[line - 1], delta: e.text.length - (e.end - e.at) });
    byLine.set(line, list);
  }
  for (const list of byLine.values()) list.sort((a, b) => a.column - b.column);
  return (line, column) => {
    let shift = 0;
    for (const e of byLine.get(line) ?? []) {
      if (column - 1 - shift < e.column) break;
      if (column - 1 - shift < e.column + Math.max(0, e.delta) && e.delta > 0) return e.column + 1;
      shift += e.delta;
    }
    return column - shift;
  };
}
