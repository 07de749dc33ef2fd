// Seeded synthetic series for the reference tests (deterministic across runs and platforms).

/** A seeded standard-normal generator (mulberry32 + Box-Muller). */
export function normals(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A Gaussian random walk starting at 100. */
export function randomWalk(n: number, seed: number): Float64Array {
  const e = normals(seed);
  const y = new Float64Array(n);
  let v = 100;
  for (let i = 0; i < n; i++) y[i] = v += e();
  return y;
}

/** A stationary AR(1) y_t = mu + phi (y_{t-1} - mu) + e_t. */
export function ar1(n: number, phi: number, seed: number, mu = 10): Float64Array {
  const e = normals(seed);
  const y = new Float64Array(n);
  let v = mu;
  for (let i = 0; i < n; i++) y[i] = v = mu + phi * (v - mu) + e();
  return y;
}

/** A trend-stationary series 5 + 0.05 t + AR(1)(0.5) noise. */
export function trendStationary(n: number, seed: number): Float64Array {
  const noise = ar1(n, 0.5, seed, 0);
  return noise.map((v, t) => 5 + 0.05 * t + v);
}

/** A cointegrated pair: x a random walk, y = 2 + 1.5 x + AR(1)(0.6) noise. */
export function cointegratedPair(n: number, seed: number): [Float64Array, Float64Array] {
  const x = randomWalk(n, seed);
  const u = ar1(n, 0.6, seed + 1, 0);
  return [x.map((v, i) => 2 + 1.5 * v + u[i]!), x];
}

/** Three I(1) series with one cointegrating relation: a, b random walks, c = a - 0.5 b + AR. */
export function var3(n: number, seed: number): Float64Array[] {
  const a = randomWalk(n, seed);
  const b = randomWalk(n, seed + 1);
  const u = ar1(n, 0.4, seed + 2, 0);
  const e = normals(seed + 3);
  // Short-run dynamics: a responds to the previous change of b.
  for (let i = 2; i < n; i++) a[i] = a[i]! + 0.3 * (b[i - 1]! - b[i - 2]!) + 0.1 * e();
  return [a, b, a.map((v, i) => v - 0.5 * b[i]! + u[i]!)];
}
