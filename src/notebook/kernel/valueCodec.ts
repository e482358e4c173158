/**
 * The values a cell defined, as text the results cache can keep, and back (docs/notebooks.md, "The
 * results cache"). What the core computes is plain data — an MDP, a policy, a dataset, a sweep result,
 * what `load()` returns are objects and arrays of numbers, strings and typed arrays — so a tagged JSON
 * covers it exactly: numbers keep NaN, ±Infinity and −0, typed arrays keep their type and every bit
 * (base64 of their bytes), and an object met twice is written once and restored as one object (an
 * environment's `expert === generator.expert` is what tells a sweep the expert is the generator's own).
 * Frozen objects are restored frozen.
 *
 * Anything else — a function, a class, a promise, an instance of some class, a getter, a symbol key —
 * cannot be restored as the same thing, so encoding refuses it and says where (`env.step is a
 * function`): such a cell always runs. vscode-free and Node-free but for Buffer's base64.
 */

/** One encoded value: JSON scalars as themselves, everything else tagged. */
type Encoded = string | boolean | null | number | { readonly $: string; readonly [key: string]: unknown };

export interface EncodedValues {
  readonly format: 'il-values';
  readonly version: 1;
  /** Each name's value; `{ $: 'absent' }` when the name was not defined at all. */
  readonly names: Readonly<Record<string, Encoded>>;
}

export type EncodeResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

class Refused extends Error {}

function typedArrayName(value: ArrayBufferView): TypedArrayName | undefined {
  const name = Object.getPrototypeOf(value)?.constructor?.name as string | undefined;
  return name && Object.hasOwn(TYPED_ARRAYS, name) && value instanceof TYPED_ARRAYS[name as TypedArrayName] ? (name as TypedArrayName) : undefined;
}

/** Own keys of a plain object if every one is an enumerable data property with a string key; else why not. */
function plainKeys(value: object, at: string): string[] {
  if (Object.getOwnPropertySymbols(value).length > 0) throw new Refused(`${at} has symbol keys`);
  // An array's own `length` is the one property that is not enumerable by nature.
  const keys = Object.getOwnPropertyNames(value).filter((k) => !(k === 'length' && Array.isArray(value)));
  for (const key of keys) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if (!('value' in d)) throw new Refused(`${at}.${key} is a getter or setter`);
    if (!d.enumerable) throw new Refused(`${at}.${key} is not enumerable`);
  }
  return keys;
}

function encodeNumber(n: number): Encoded {
  if (Number.isNaN(n)) return { $: 'num', v: 'NaN' };
  if (n === Infinity) return { $: 'num', v: 'Infinity' };
  if (n === -Infinity) return { $: 'num', v: '-Infinity' };
  if (Object.is(n, -0)) return { $: 'num', v: '-0' };
  return n;
}

/**
 * The named values as text, or why they cannot be kept. `maxChars` bounds the text (the cache's limit):
 * past it the encoding stops rather than building a string no cache would keep.
 */
export function encodeValues(values: ReadonlyMap<string, { readonly value: unknown } | undefined>, maxChars = Infinity): EncodeResult {
  const ids = new Map<object, number>();
  let chars = 0;
  const grow = (n: number) => {
    chars += n;
    if (chars > maxChars) throw new Refused(`the values take more than ${maxChars} characters, the cache's limit`);
  };
  const encode = (value: unknown, at: string): Encoded => {
    switch (typeof value) {
      case 'number':
        grow(24);
        return encodeNumber(value);
      case 'string':
        grow(value.length + 2);
        return value;
      case 'boolean':
        grow(5);
        return value;
      case 'undefined':
        grow(16);
        return { $: 'undefined' };
      case 'bigint':
        grow(32);
        return { $: 'bigint', v: value.toString() };
      case 'symbol':
        throw new Refused(`${at} is a symbol`);
      case 'function':
        throw new Refused(`${at} is a ${/^class[\s{]/.test(Function.prototype.toString.call(value)) ? 'class' : 'function'}`);
      default:
        break;
    }
    if (value === null) return null;
    const object = value as object;
    const seen = ids.get(object);
    if (seen !== undefined) {
      grow(16);
      return { $: 'ref', id: seen };
    }
    const id = ids.size;
    ids.set(object, id);
    const frozen = Object.isFrozen(object) ? { frozen: true } : {};
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      const type = typedArrayName(object);
      if (!type) throw new Refused(`${at} is a ${object.constructor.name}`);
      const bytes = Buffer.from(object.buffer, object.byteOffset, object.byteLength);
      grow(Math.ceil(bytes.length / 3) * 4 + 40);
      return { $: 'typed', id, type, b64: bytes.toString('base64') };
    }
    if (Array.isArray(object)) {
      if (Object.getPrototypeOf(object) !== Array.prototype) throw new Refused(`${at} is an array of a class of its own`);
      const keys = plainKeys(object, at);
      if (keys.length !== object.length) throw new Refused(`${at} is an array with holes or extra properties`);
      grow(16);
      return { $: 'array', id, ...frozen, v: object.map((item, i) => encode(item, `${at}[${i}]`)) };
    }
    if (object instanceof Map && Object.getPrototypeOf(object) === Map.prototype) {
      grow(16);
      return { $: 'map', id, v: [...object].map(([k, v], i) => [encode(k, `${at} key ${i}`), encode(v, `${at}.get(…) ${i}`)]) };
    }
    if (object instanceof Set && Object.getPrototypeOf(object) === Set.prototype) {
      grow(16);
      return { $: 'set', id, v: [...object].map((v, i) => encode(v, `${at} item ${i}`)) };
    }
    if (object instanceof Date && Object.getPrototypeOf(object) === Date.prototype) {
      grow(40);
      return { $: 'date', id, v: encodeNumber(object.getTime()) };
    }
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name;
      throw new Refused(`${at} is ${name ? `a ${name}` : 'an object of an unknown kind'}, which the cache cannot rebuild`);
    }
    // Prototype-less, so that a key "__proto__" is written as data.
    const out = Object.create(null) as Record<string, Encoded>;
    for (const key of plainKeys(object, at)) {
      grow(key.length + 4);
      out[key] = encode((object as Record<string, unknown>)[key], `${at}.${key}`);
    }
    grow(16);
    return { $: 'object', id, ...frozen, ...(proto === null ? { bare: true } : {}), v: out };
  };
  try {
    const names: Record<string, Encoded> = {};
    for (const [name, entry] of values) names[name] = entry === undefined ? { $: 'absent' } : encode(entry.value, name);
    const encoded: EncodedValues = { format: 'il-values', version: 1, names };
    return { ok: true, text: JSON.stringify(encoded) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    // A chain too deep to walk (a linked list of 10⁶ nodes) overflows the stack: refused, not a crash.
    if (error instanceof RangeError) return { ok: false, reason: 'its values are nested too deeply to keep' };
    throw error;
  }
}

const isTagged = (x: unknown): x is { $: string; [key: string]: unknown } => typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { $?: unknown }).$ === 'string';

function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
  if (typeof v === 'string' && Object.hasOwn(special, v)) return special[v];
  throw new Error(`not an encoded number: ${JSON.stringify(v)}`);
}

/**
 * The names and values of encoded text, in order; `undefined` for a name that was absent. Throws on
 * text this codec did not write (a corrupt cache entry): the caller then runs the cell instead.
 */
export function decodeValues(text: string): Map<string, { readonly value: unknown } | undefined> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || (parsed as EncodedValues).format !== 'il-values' || (parsed as EncodedValues).version !== 1) throw new Error('not encoded values');
  const names = (parsed as EncodedValues).names;
  if (typeof names !== 'object' || names === null) throw new Error('encoded values without names');
  const objects = new Map<number, unknown>();
  const remember = <T>(node: { readonly [key: string]: unknown }, value: T): T => {
    if (typeof node.id !== 'number') throw new Error('an encoded object without its id');
    objects.set(node.id, value);
    return value;
  };
  const decode = (node: unknown): unknown => {
    if (node === null || typeof node === 'string' || typeof node === 'boolean' || typeof node === 'number') return node;
    if (!isTagged(node)) throw new Error(`not an encoded value: ${JSON.stringify(node).slice(0, 80)}`);
    switch (node.$) {
      case 'num':
        return decodeNumber(node.v);
      case 'undefined':
        return undefined;
      case 'bigint':
        return BigInt(String(node.v));
      case 'ref': {
        if (!objects.has(node.id as number)) throw new Error(`a reference to an object not yet read: ${String(node.id)}`);
        return objects.get(node.id as number);
      }
      case 'typed': {
        const type = String(node.type);
        if (!Object.hasOwn(TYPED_ARRAYS, type)) throw new Error(`an unknown typed array ${type}`);
        const Type = TYPED_ARRAYS[type as TypedArrayName];
        const bytes = Buffer.from(String(node.b64), 'base64');
        if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) throw new Error(`a ${type} of ${bytes.length} bytes`);
        // A copy into a fresh, aligned buffer (a Buffer's own may be a slice of a shared pool).
        const array = new Type(bytes.length / Type.BYTES_PER_ELEMENT);
        new Uint8Array(array.buffer).set(bytes);
        return remember(node, array);
      }
      case 'array': {
        if (!Array.isArray(node.v)) throw new Error('an encoded array without items');
        const array: unknown[] = remember(node, []);
        for (const item of node.v) array.push(decode(item));
        return node.frozen ? Object.freeze(array) : array;
      }
      case 'map': {
        const map = remember(node, new Map<unknown, unknown>());
        for (const pair of node.v as unknown[][]) map.set(decode(pair[0]), decode(pair[1]));
        return map;
      }
      case 'set': {
        const set = remember(node, new Set<unknown>());
        for (const item of node.v as unknown[]) set.add(decode(item));
        return set;
      }
      case 'date':
        return remember(node, new Date(decodeNumber(node.v)));
      case 'object': {
        if (typeof node.v !== 'object' || node.v === null) throw new Error('an encoded object without properties');
        const object: Record<string, unknown> = remember(node, node.bare ? Object.create(null) : {});
        // defineProperty: a key "__proto__" is a property like any other, never the prototype.
        for (const [key, item] of Object.entries(node.v)) Object.defineProperty(object, key, { value: decode(item), enumerable: true, writable: true, configurable: true });
        return node.frozen ? Object.freeze(object) : object;
      }
      default:
        throw new Error(`an unknown tag ${node.$}`);
    }
  };
  const out = new Map<string, { readonly value: unknown } | undefined>();
  for (const [name, node] of Object.entries(names)) out.set(name, isTagged(node) && node.$ === 'absent' ? undefined : { value: decode(node) });
  return out;
}
