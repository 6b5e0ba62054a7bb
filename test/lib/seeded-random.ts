// A seeded generator for randomised tests: the same seed gives the same edits on every run and
// machine, so a failure can be replayed.

/** Numbers in [0, 1) from a linear congruential generator (Numerical Recipes' constants). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
