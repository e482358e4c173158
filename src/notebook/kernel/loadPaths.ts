/**
 * The web kernel has no file system: the host reads the .ilmdp files a cell loads and sends their
 * texts with the cell (src/extension/webKernel.ts). Both sides must agree on which files and under
 * which names; this is that agreement.
 */

/** `load("x.ilmdp")`, `load('x.ilmdp')`, load(`x.ilmdp`) without substitutions. */
const LOAD_CALL = /\bload\(\s*(["'`])((?:(?!\1)[^\\\n$])+)\1\s*[,)]/g;

/** The paths a cell's source loads with a string literal, as written, each once. */
export function literalLoads(source: string): string[] {
  return [...new Set([...source.matchAll(LOAD_CALL)].map((m) => m[2]))];
}

/** The name a loaded file goes by: `path` against the notebook's folder `cwd`, normalised, absolute. */
export function kernelPath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
