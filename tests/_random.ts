/**
 * Seeded random numbers for test data (mulberry32): the same seed gives the same values on
 * every run and machine, so the Python references see exactly the data the SDK sends.
 *
 * @module
 */

/** A seeded uniform generator in [0, 1). */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
