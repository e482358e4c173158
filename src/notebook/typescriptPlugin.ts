/**
 * A TypeScript server plugin that gives IL notebook cells IntelliSense for the kernel's globals (`il`,
 * `display`, `load`). VS Code's TypeScript service treats each cell as a loose file of an inferred
 * project that no jsconfig reaches, so the declarations are added as an external file of any project
 * whose root files include a cell of an .ilnb notebook; other projects are left alone.
 *
 * Built to typescript-plugin/index.js, a local package the extension depends on, so that it sits in
 * node_modules/il-notebooks-typescript-plugin/ where VS Code's TypeScript server looks for contributed
 * plugins, beside globals.d.ts.
 */
// tsserver loads plugins with require() and expects the module to be the factory: a CommonJS module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import path = require('node:path');

interface ProjectLike {
  getRootFiles(): readonly string[];
}

interface PluginCreateInfo {
  readonly languageService: unknown;
}

const GLOBALS_FILE = 'globals.d.ts';

/** A cell of an .ilnb notebook, as VS Code names it for the TypeScript server (`…/lab.ilnb#W0sZmlsZQ==`). */
function isNotebookCellPath(file: string): boolean {
  return /\.ilnb(#|$)/.test(file);
}

function init() {
  const globals = path.join(__dirname, GLOBALS_FILE);
  return {
    create: (info: PluginCreateInfo) => info.languageService,
    getExternalFiles: (project: ProjectLike): string[] => (project.getRootFiles().some(isNotebookCellPath) ? [globals] : []),
  };
}

// tsserver requires the module itself to be the factory.
export = init;
