/**
 * `node:util`'s `inspect` for the web build's kernel (display.ts shows a plain value as text with it):
 * the same shape of text as Node's for what cells usually show (numbers, strings in quotes inside
 * containers, arrays, typed arrays, plain and class objects, Maps, Sets), not every detail of Node's.
 */
export interface InspectOptions {
  readonly depth?: number;
  readonly maxArrayLength?: number;
  readonly breakLength?: number;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function wrap(open: string, items: string[], close: string, breakLength: number, indent: string): string {
  if (items.length === 0) return `${open}${close}`;
  const oneLine = `${open} ${items.join(', ')} ${close}`;
  if (oneLine.length + indent.length <= breakLength && !oneLine.includes('\n')) return oneLine;
  return `${open}\n${items.map((i) => `${indent}  ${i.split('\n').join(`\n${indent}  `)}`).join(',\n')}\n${indent}${close}`;
}

export function inspect(value: unknown, options: InspectOptions = {}): string {
  const depthLimit = options.depth ?? 2;
  const maxItems = options.maxArrayLength ?? 100;
  const breakLength = options.breakLength ?? 80;
  const seen = new Set<unknown>();
  const show = (v: unknown, depth: number): string => {
    if (typeof v === 'string') return quote(v);
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return v.toString();
    if (typeof v === 'function') return v.name ? `[Function: ${v.name}]` : '[Function (anonymous)]';
    if (v === null || typeof v !== 'object') return String(v);
    if (seen.has(v)) return '[Circular *1]';
    if (v instanceof Error) return v.stack ?? `${v.name}: ${v.message}`;
    if (v instanceof Date) return v.toISOString();
    if (v instanceof RegExp) return String(v);
    const name = (v as { constructor?: { name?: string } }).constructor?.name;
    if (depth > depthLimit) return Array.isArray(v) ? '[Array]' : `[${name && name !== 'Object' ? name : 'Object'}]`;
    seen.add(v);
    try {
      const list = (items: ArrayLike<unknown>): string[] => {
        const shown = Array.from({ length: Math.min(items.length, maxItems) }, (_, i) => show(items[i], depth + 1));
        if (items.length > maxItems) shown.push(`... ${items.length - maxItems} more item${items.length - maxItems > 1 ? 's' : ''}`);
        return shown;
      };
      if (Array.isArray(v)) return wrap('[', list(v), ']', breakLength, '');
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return wrap(`${name}(${(v as unknown as ArrayLike<unknown>).length}) [`, list(v as unknown as ArrayLike<unknown>), ']', breakLength, '');
      if (v instanceof Map) return wrap(`Map(${v.size}) {`, [...v].slice(0, maxItems).map(([k, x]) => `${show(k, depth + 1)} => ${show(x, depth + 1)}`), '}', breakLength, '');
      if (v instanceof Set) return wrap(`Set(${v.size}) {`, list([...v]), '}', breakLength, '');
      const entries = Object.entries(v).map(([k, x]) => `${key(k)}: ${show(x, depth + 1)}`);
      const prefix = name && name !== 'Object' ? `${name} {` : '{';
      return wrap(prefix, entries, '}', breakLength, '');
    } finally {
      seen.delete(v);
    }
  };
  return show(value, 0);
}

/** printf-like joining of console arguments, as Node's console does (without %-directives beyond the common ones). */
export function format(...args: unknown[]): string {
  let out: string[] = [];
  let rest = args;
  if (typeof args[0] === 'string' && /%[sdifjoO%]/.test(args[0])) {
    let i = 1;
    const first = args[0].replace(/%([sdifjoO%])/g, (all, c: string) => {
      if (c === '%') return '%';
      if (i >= args.length) return all;
      const a = args[i++];
      if (c === 's') return typeof a === 'string' ? a : inspect(a, { depth: 1 });
      if (c === 'd' || c === 'i') return String(c === 'i' ? Math.trunc(Number(a)) : Number(a));
      if (c === 'f') return String(Number(a));
      if (c === 'j') return JSON.stringify(a);
      return inspect(a, { depth: 4 });
    });
    out = [first];
    rest = args.slice(i);
  } else if (args.length > 0) {
    out = [];
  }
  out.push(...rest.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 4 }))));
  return out.join(' ');
}

export default { inspect, format };
