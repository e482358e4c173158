/**
 * A TypeScript server plugin that gives IL notebook cells IntelliSense for the kernel's globals (`il`,
 * `display`, `load`) and type errors that match what the kernel accepts.
 *
 * VS Code names each cell for tsserver as an in-memory file (`^/vscode-notebook-cell/<authority>/…/lab.ilnb#W0s…`)
 * that no jsconfig reaches, so cells live in an *inferred* project. tsserver adds a plugin's
 * `getExternalFiles` to the program only of configured projects; in an inferred project they get a
 * script info and nothing more — which is why declarations offered that way never reached a cell. So the
 * plugin adds the declarations to the program itself, through the project's `getScriptFileNames`, for
 * any project with a cell of an .ilnb notebook among its roots; other projects are left alone.
 *
 * TypeScript cells get every type error, minus those for what the kernel allows: a cell may re-declare a
 * top-level name of another cell (or of its own previous run), `await` at top level, and use Node's
 * `process` and `require`. JavaScript cells are checked as if they began with `// @ts-check`, but only
 * wrong uses of the kernel's API are reported (a misspelled `il.` member, a wrong number of arguments, a
 * literal of the wrong type, an unknown option): the rest of what the checker says about untyped code
 * (widened literals, unions from arrays of mixed values, possibly-undefined fields, implicit anys, names
 * shared with another open notebook) would squiggle correct notebooks.
 *
 * Built to typescript-plugin/index.js, a local package the extension depends on, so that it sits in
 * node_modules/il-notebooks-typescript-plugin/ where VS Code's TypeScript server looks for contributed
 * plugins, beside globals.d.ts.
 */
// tsserver loads plugins with require() and expects the module to be the factory: a CommonJS module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import path = require('node:path');
import type * as ts from 'typescript';

type Ts = typeof ts;

interface PluginCreateInfo {
  readonly languageService: ts.LanguageService;
  readonly languageServiceHost: ts.LanguageServiceHost;
}

/**
 * What tsserver records of a file's `// @ts-check` pragma (internal to TypeScript, stable since 2.3):
 * setting it is the pragma without the text, so positions in the cell stay as the user wrote them.
 */
interface PragmaTarget {
  readonly scriptKind: ts.ScriptKind;
  checkJsDirective?: { enabled: boolean; pos: number; end: number };
}

interface ProjectLike {
  getRootFiles(): readonly string[];
}

const GLOBALS_FILE = 'globals.d.ts';

/**
 * Errors the kernel makes moot in a cell: re-declarations across cells and runs (2300, 2393, 2451),
 * top-level `await` in a script (1375, 1378), and Node's globals without @types/node (2580, 2591).
 */
const ERRORS_THE_KERNEL_ALLOWS: ReadonlySet<number> = new Set([2300, 2393, 2451, 1375, 1378, 2580, 2591]);

/** In JavaScript cells, within a use of `il`, `display` or `load`: a wrong argument count, a missing member, a call of a non-function, an unknown option. */
const API_MISTAKES: ReadonlySet<number> = new Set([2554, 2555, 2556, 2575, 2339, 2551, 2349, 2353]);
/** …and a value of the wrong type, when what is wrong is a literal written there (not a value whose type the checker had to guess). */
const LITERAL_MISTAKES: ReadonlySet<number> = new Set([2322, 2345, 2769]);
const KERNEL_API = new Set(['il', 'display', 'load']);

/** A cell of an .ilnb notebook, as VS Code names it for the TypeScript server (`…/lab.ilnb#W0sZmlsZQ==`). */
function isNotebookCellPath(file: string): boolean {
  return /\.ilnb(#|$)/.test(file);
}

function withGlobals(fileNames: string[], globals: string): string[] {
  return fileNames.some(isNotebookCellPath) && !fileNames.includes(globals) ? [...fileNames, globals] : fileNames;
}

function init(modules: { typescript: Ts }) {
  const tsModule = modules.typescript;
  const globals = path.join(__dirname, GLOBALS_FILE);

  /** The cell's source file, checked as `// @ts-check` would: set before any diagnostics of it are computed. */
  function checkCell(service: ts.LanguageService, fileName: string): void {
    const file = service.getProgram()?.getSourceFile(fileName) as (ts.SourceFile & PragmaTarget) | undefined;
    const isJs = file && (file.scriptKind === tsModule.ScriptKind.JS || file.scriptKind === tsModule.ScriptKind.JSX);
    if (isJs && !file.checkJsDirective) file.checkJsDirective = { enabled: true, pos: 0, end: 0 };
  }

  const relevant = (d: ts.Diagnostic) => !ERRORS_THE_KERNEL_ALLOWS.has(d.code);

  /** The innermost node that holds the span [start, end). */
  function nodeAtSpan(file: ts.SourceFile, start: number, end: number): ts.Node {
    let found: ts.Node = file;
    const visit = (node: ts.Node): void => {
      if (node.getStart(file) <= start && end <= node.end) {
        found = node;
        tsModule.forEachChild(node, visit);
      }
    };
    tsModule.forEachChild(file, visit);
    return found;
  }

  function rootName(expression: ts.Expression): string | undefined {
    let e = expression;
    while (tsModule.isPropertyAccessExpression(e) || tsModule.isElementAccessExpression(e) || tsModule.isCallExpression(e)) e = e.expression;
    return tsModule.isIdentifier(e) ? e.text : undefined;
  }

  function withinKernelApi(node: ts.Node): boolean {
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      if (tsModule.isCallExpression(n) || tsModule.isPropertyAccessExpression(n)) {
        const root = rootName(n.expression);
        if (root && KERNEL_API.has(root)) return true;
      }
    }
    return false;
  }

  function isLiteral(node: ts.Node): boolean {
    if (tsModule.isStringLiteral(node) || tsModule.isNumericLiteral(node) || tsModule.isNoSubstitutionTemplateLiteral(node)) return true;
    if (node.kind === tsModule.SyntaxKind.TrueKeyword || node.kind === tsModule.SyntaxKind.FalseKeyword || node.kind === tsModule.SyntaxKind.NullKeyword) return true;
    return tsModule.isPrefixUnaryExpression(node) && tsModule.isNumericLiteral(node.operand);
  }

  /** A JavaScript cell's diagnostic that certainly points at a mistake in its use of the kernel's API. */
  function apiMistake(file: ts.SourceFile, d: ts.Diagnostic): boolean {
    if (d.start === undefined || !(API_MISTAKES.has(d.code) || LITERAL_MISTAKES.has(d.code))) return false;
    const node = nodeAtSpan(file, d.start, d.start + (d.length ?? 0));
    if (!withinKernelApi(node)) return false;
    if (API_MISTAKES.has(d.code)) return true;
    const property = tsModule.isIdentifier(node) && node.parent && tsModule.isPropertyAssignment(node.parent) && node.parent.name === node ? node.parent : undefined;
    return isLiteral(node) || (property !== undefined && isLiteral(property.initializer));
  }

  /** The `x.name` that `position` is in or at the end of; the name starts right after the dot, so `il.` followed by a line break still counts. */
  function accessAt(file: ts.SourceFile, position: number): ts.PropertyAccessExpression | undefined {
    let found: ts.PropertyAccessExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (node.pos > position || node.end < position) return;
      if (tsModule.isPropertyAccessExpression(node) && node.name.pos <= position && position <= node.name.end) found = node;
      tsModule.forEachChild(node, visit);
    };
    visit(file);
    return found;
  }

  function kindOf(symbol: ts.Symbol): ts.ScriptElementKind | undefined {
    const flags = symbol.flags;
    if (flags & tsModule.SymbolFlags.Function) return tsModule.ScriptElementKind.functionElement;
    if (flags & tsModule.SymbolFlags.Class) return tsModule.ScriptElementKind.classElement;
    if (flags & tsModule.SymbolFlags.Enum) return tsModule.ScriptElementKind.enumElement;
    if (flags & tsModule.SymbolFlags.Variable) return tsModule.ScriptElementKind.constElement;
    return undefined;
  }

  /**
   * `il`'s members are the core's exports, which the core re-exports, so tsserver lists them as aliases
   * (the editor's variable icon). Each is listed as what it stands for: a function, a class, a constant.
   */
  function resolveAliases(service: ts.LanguageService, fileName: string, position: number, info: ts.CompletionInfo): ts.CompletionInfo {
    if (!info.entries.some((e) => e.kind === tsModule.ScriptElementKind.alias)) return info;
    const program = service.getProgram();
    const file = program?.getSourceFile(fileName);
    const access = file && accessAt(file, position);
    if (!program || !access) return info;
    const checker = program.getTypeChecker();
    const type = checker.getTypeAtLocation(access.expression);
    const entries = info.entries.map((entry) => {
      if (entry.kind !== tsModule.ScriptElementKind.alias) return entry;
      const member = type.getProperty(entry.name);
      const target = member && member.flags & tsModule.SymbolFlags.Alias ? checker.getAliasedSymbol(member) : member;
      const kind = target && kindOf(target);
      return kind ? { ...entry, kind } : entry;
    });
    return { ...info, entries };
  }

  return {
    create(info: PluginCreateInfo): ts.LanguageService {
      const host = info.languageServiceHost;
      const scriptFileNames = host.getScriptFileNames.bind(host);
      host.getScriptFileNames = () => withGlobals(scriptFileNames(), globals);

      const service = info.languageService;
      const proxy: ts.LanguageService = Object.create(null);
      for (const key of Object.keys(service) as (keyof ts.LanguageService)[]) {
        const member = service[key];
        (proxy as unknown as Record<string, unknown>)[key] = typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(service) : member;
      }
      proxy.getSemanticDiagnostics = (fileName) => {
        if (!isNotebookCellPath(fileName)) return service.getSemanticDiagnostics(fileName);
        checkCell(service, fileName);
        const diagnostics = service.getSemanticDiagnostics(fileName).filter(relevant);
        const file = service.getProgram()?.getSourceFile(fileName) as (ts.SourceFile & PragmaTarget) | undefined;
        const isJs = file && (file.scriptKind === tsModule.ScriptKind.JS || file.scriptKind === tsModule.ScriptKind.JSX);
        return isJs ? diagnostics.filter((d) => apiMistake(file, d)) : diagnostics;
      };
      proxy.getSuggestionDiagnostics = (fileName) => {
        if (!isNotebookCellPath(fileName)) return service.getSuggestionDiagnostics(fileName);
        return service.getSuggestionDiagnostics(fileName).filter(relevant);
      };
      proxy.getCompletionsAtPosition = (fileName, position, options, formatting) => {
        const info = service.getCompletionsAtPosition(fileName, position, options, formatting);
        return info && isNotebookCellPath(fileName) ? resolveAliases(service, fileName, position, info) : info;
      };
      return proxy;
    },
    // Also named as an external file, so that tsserver watches it (a reinstalled extension brings new declarations).
    getExternalFiles: (project: ProjectLike): string[] => (project.getRootFiles().some(isNotebookCellPath) ? [globals] : []),
  };
}

// tsserver requires the module itself to be the factory.
export = init;
