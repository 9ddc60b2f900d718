/**
 * A small deterministic random generator (mulberry32): the same seed gives the same history,
 * delivery order and faults, so a failing run can be repeated.
 *
 * @param seed - any integer.
 * @returns a function giving uniform numbers in [0, 1).
 *
 * @example
 * ```ts
 * const random = seededRandom(2026);
 * const copies = 1 + Math.floor(random() * 3);
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
