/**
 * `node:crypto` for the web build: HiGHS's loader names it on a path it takes only under Node (its
 * random source there); in a browser it uses Web Crypto, which this hands over should anything ask.
 */
const webCrypto = (globalThis as { crypto?: { getRandomValues<T extends ArrayBufferView>(array: T): T } }).crypto;

export function randomFillSync<T extends ArrayBufferView>(array: T): T {
  if (!webCrypto) throw new Error('no Web Crypto in this worker');
  return webCrypto.getRandomValues(array);
}
/** The results cache's keys (src/notebook/cellKeys.ts) are Node-only: the web build has no results cache (activate.ts). */
export function createHash(): never {
  throw Object.assign(new Error('createHash: the web build has no results cache'), { code: 'ENOSYS' });
}
export default { randomFillSync, createHash };
