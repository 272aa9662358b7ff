/**
 * A small, fast, seeded pseudo-random generator (mulberry32): the same seed gives the same
 * sequence of numbers in [0, 1) on every run and both runtimes. Serves the demo data
 * (`scripts/demo.ts`), the reports benchmark (`scripts/bench-reports.ts`) and the tests' random
 * click sequences; not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
