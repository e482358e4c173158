/**
 * `node:path` for the web build (scripts/build.mjs aliases it here for platform-browser bundles): the
 * POSIX functions the extension uses, on the paths of `vscode.Uri`s (always `/`-separated). Pure string
 * work, so the same code that joins a notebook's folder with `three-states.ilmdp` on Node does it here.
 */
export const sep = '/';
export const delimiter = ':';

export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
    } else parts.push(part);
  }
  const joined = parts.join('/');
  // Like Node's, a trailing slash stays.
  const trailing = path.endsWith('/') && joined !== '' ? '/' : '';
  if (absolute) return `/${joined}${trailing}`;
  return joined === '' ? '.' : `${joined}${trailing}`;
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

export function join(...paths: string[]): string {
  const joined = paths.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalize(joined);
}

/** Like Node's, against `/` (a web worker has no current directory). */
export function resolve(...paths: string[]): string {
  let resolved = '';
  for (let i = paths.length - 1; i >= 0 && !resolved.startsWith('/'); i--) if (paths[i] !== '') resolved = resolved === '' ? paths[i] : `${paths[i]}/${resolved}`;
  const out = normalize(`/${resolved}`);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

export function dirname(path: string): string {
  if (path === '') return '.';
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}

export function basename(path: string, ext?: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return ext && base !== ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

export function extname(path: string): string {
  const base = basename(path);
  const i = base.lastIndexOf('.');
  return i <= 0 || base === '..' ? '' : base.slice(i);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...Array<string>(a.length - i).fill('..'), ...b.slice(i)].join('/');
}

export const posix = { sep, delimiter, normalize, isAbsolute, join, resolve, dirname, basename, extname, relative };
export default posix;
