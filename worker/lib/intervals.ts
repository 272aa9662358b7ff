/**
 * 95% confidence intervals of the report's scores (issue 15). Pure functions: the same numbers on
 * Node and workerd.
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval of a proportion (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it
 * over the Wald interval, which collapses to [0, 0] or [1, 1] for all-negative or all-positive
 * samples and undercovers at small n). `successes` of `n`; null when n = 0.
 */
export function wilson(successes: number, n: number, z = Z95): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Interval of a difference of two proportions of one multinomial sample (NPS = p+ − p−): its
 * variance is (p+ + p− − (p+ − p−)²) / n. Clamped to [−1, 1]; null when n = 0.
 */
export function differenceOfProportions(plus: number, minus: number, n: number, z = Z95): { low: number; high: number } | null {
  if (n <= 0) return null;
  const pp = plus / n;
  const pm = minus / n;
  const d = pp - pm;
  const half = z * Math.sqrt(Math.max(0, pp + pm - d * d) / n);
  return { low: Math.max(-1, d - half), high: Math.min(1, d + half) };
}

/**
 * Student t interval of a mean from its sufficient statistics (n, Σx, Σx²): mean ± t(0.975, n−1)
 * · s/√n. Null below n = 2, where the sample variance does not exist.
 */
export function tInterval(n: number, sum: number, sumSquares: number): { low: number; high: number } | null {
  if (n < 2) return null;
  const mean = sum / n;
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  const half = studentTQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return { low: mean - half, high: mean + half };
}

/** The `p` quantile of Student's t with `df` degrees of freedom (bisection on the CDF, to 1e-12). */
export function studentTQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Student's t CDF for t ≥ 0: 1 − I_x(df/2, 1/2)/2 with x = df/(df + t²). */
function studentTCdf(t: number, df: number): number {
  return 1 - 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Regularized incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes §6.4). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~15 significant digits). */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < g + 2; i++) sum += c[i]! / (y + i);
  const t = y + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}
