/**
 * Mean-reversion diagnostics: half-life from an AR(1) regression on differences, and the
 * Hurst exponent by the variance-of-lagged-differences estimator.
 *
 * @module
 */
import { ols } from "./ols.ts";
import { requireFinite, requireInteger, requireLength, requireNonConstant } from "./_validate.ts";

/** Result of {@linkcode halfLife}. */
export interface HalfLifeResult {
  /**
   * -ln 2 / beta, in observations. Positive for a mean-reverting series (beta < 0); a
   * negative or infinite value means the series does not revert.
   */
  readonly halfLife: number;
  /** Slope of Δy_t on y_{t-1}. */
  readonly beta: number;
  /** Intercept of that regression. */
  readonly intercept: number;
}

/**
 * Half-life of mean reversion: OLS of Δy_t = a + beta y_{t-1} + e_t, half-life -ln 2 / beta.
 *
 * @throws {RangeError} when y has fewer than 3 values, holds NaN/Infinity or is constant.
 */
export function halfLife(y: Float64Array): HalfLifeResult {
  requireFinite("halfLife", "y", y);
  requireLength("halfLife", "y", y, 4);
  requireNonConstant("halfLife", "y", y);
  const n = y.length - 1;
  const lagged = y.slice(0, n);
  const diff = Float64Array.from({ length: n }, (_, i) => y[i + 1]! - y[i]!);
  const fit = ols(diff, [new Float64Array(n).fill(1), lagged]);
  const beta = fit.params[1]!;
  return { halfLife: -Math.LN2 / beta, beta, intercept: fit.params[0]! };
}

/** Options of {@linkcode hurst}. */
export interface HurstOptions {
  /** Smallest lag. @default 2 */
  readonly minLag?: number;
  /** Largest lag, inclusive (the common `range(2, 100)`). @default 99 */
  readonly maxLag?: number;
}

function populationStd(x: Float64Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let s = 0;
  for (const v of x) s += (v - mean) ** 2;
  return Math.sqrt(s / x.length);
}

/**
 * Hurst exponent by the variance-of-lagged-differences estimator: the slope of
 * log(std(y[t + lag] - y[t])) on log(lag) for lag = minLag..maxLag (population std, a
 * least-squares line as `numpy.polyfit(log(lags), log(tau), 1)`). About 0.5 for a random
 * walk, below 0.5 for a mean-reverting series, above for a trending one.
 *
 * @throws {RangeError} when y has fewer than maxLag + 2 values, holds NaN/Infinity or is
 * constant, or the lags are not integers with 1 <= minLag < maxLag.
 */
export function hurst(y: Float64Array, options: HurstOptions = {}): number {
  const minLag = options.minLag ?? 2;
  const maxLag = options.maxLag ?? 99;
  requireInteger("hurst", "minLag", minLag, 1);
  requireInteger("hurst", "maxLag", maxLag, minLag + 1);
  requireFinite("hurst", "y", y);
  requireLength("hurst", "y", y, maxLag + 2);
  requireNonConstant("hurst", "y", y);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let lag = minLag; lag <= maxLag; lag++) {
    const d = Float64Array.from({ length: y.length - lag }, (_, i) => y[i + lag]! - y[i]!);
    const tau = populationStd(d);
    if (!(tau > 0)) {
      throw new RangeError(
        `Cannot run hurst as 'y' must vary at every lag: current value has constant differences at lag ${lag}`,
      );
    }
    xs.push(Math.log(lag));
    ys.push(Math.log(tau));
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}
