/**
 * Working memory reused from one call to the next. Each typed-array allocation costs V8 a backing store
 * (more than counting a sweep's 40-trajectory dataset takes), and a large one pays a
 * page fault per 4 KiB on first touch. Scratch that never leaves a function is therefore kept between
 * calls, held weakly so that the garbage collector can still reclaim a large one.
 */
export class Scratch<T extends Int32Array | Float64Array> {
  private cached: WeakRef<T> | undefined;

  /** `make` must call a concrete constructor: `new x.constructor(n)` takes V8's slow generic path. */
  constructor(private readonly make: (length: number) => T) {}

  /**
   * An array of at least n elements, with whatever the last caller left in it. A new one (all zeros)
   * when the kept one is gone or too short; it grows at least twofold, so growing costs O(1) amortised.
   */
  atLeast(n: number): T {
    let array = this.cached?.deref();
    if (!array || array.length < n) {
      array = this.make(Math.max(n, 2 * (array?.length ?? 0)));
      this.cached = new WeakRef(array);
    }
    return array;
  }
}
