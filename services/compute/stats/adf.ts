/**
 * Augmented Dickey-Fuller unit-root test, computed as statsmodels'
 * `adfuller(x, maxlag, regression, autolag)` (statsmodels/tsa/stattools.py).
 *
 * @module
 */
import { type CriticalValues, mackinnoncrit, mackinnonp, REGRESSIONS } from "./mackinnon.ts";
import type { Regression } from "./_mackinnon_tables.ts";
import { ols, type OlsResult } from "./ols.ts";
import {
  requireFinite,
  requireInteger,
  requireLength,
  requireNonConstant,
  requireOneOf,
} from "./_validate.ts";

/** Lag-selection criteria: "AIC"/"BIC" minimise the criterion, "t-stat" drops insignificant lags. */
export type Autolag = "AIC" | "BIC" | "t-stat";

/** Options of {@linkcode adf}. */
export interface AdfOptions {
  /**
   * Largest number of lagged differences; with `autolag: null` exactly this many are used.
   * @default ceil(12 (nobs / 100)^(1/4)), capped at nobs / 2 - ntrend - 1
   */
  readonly maxLag?: number;
  /** Deterministic terms: none, constant, constant + trend, constant + trend + trend^2. @default "c" */
  readonly regression?: Regression;
  /** Lag selection between 0 and maxLag, or null to use maxLag. @default "AIC" */
  readonly autolag?: Autolag | null;
}

/** Result of {@linkcode adf}. */
export interface AdfResult {
  /** The ADF tau statistic (t value of the lagged level). */
  readonly statistic: number;
  /** MacKinnon (1994) approximate p-value. */
  readonly pValue: number;
  /** Number of lagged differences in the final regression. */
  readonly usedLag: number;
  /** Observations in the final regression. */
  readonly nobs: number;
  /** MacKinnon (2010) critical values for nobs observations. */
  readonly criticalValues: CriticalValues;
  /** Best information criterion (|t| of the last lag for "t-stat"); null without autolag. */
  readonly icBest: number | null;
}

/** Regression design of Δx_t on [trend terms, x_{t-1}, Δx_{t-1..t-lags}] over a sample. */
function design(
  x: Float64Array,
  lags: number,
  trim: number,
  ntrend: number,
): { y: Float64Array; columns: Float64Array[] } {
  const nobs = x.length - 1 - trim;
  const y = new Float64Array(nobs);
  const columns: Float64Array[] = [];
  for (let p = 0; p < ntrend; p++) {
    columns.push(Float64Array.from({ length: nobs }, (_, t) => (t + 1) ** p));
  }
  const level = new Float64Array(nobs);
  const diffs = Array.from({ length: lags }, () => new Float64Array(nobs));
  for (let t = 0; t < nobs; t++) {
    const i = trim + t; // index into the differences Δx_i = x[i + 1] - x[i]
    y[t] = x[i + 1]! - x[i]!;
    level[t] = x[i]!;
    diffs.forEach((d, j) => (d[t] = x[i - j]! - x[i - j - 1]!));
  }
  columns.push(level, ...diffs);
  return { y, columns };
}

/**
 * Augmented Dickey-Fuller test of a unit root in x.
 *
 * @throws {RangeError} when x is too short for the lags, holds NaN/Infinity or is constant.
 */
export function adf(x: Float64Array, options: AdfOptions = {}): AdfResult {
  const regression = options.regression ?? "c";
  const autolag = options.autolag === undefined ? "AIC" : options.autolag;
  requireOneOf("adf", "regression", regression, REGRESSIONS);
  if (autolag !== null) requireOneOf("adf", "autolag", autolag, ["AIC", "BIC", "t-stat"]);
  requireFinite("adf", "x", x);
  const ntrend = regression === "n" ? 0 : regression.length;
  const n = x.length;
  let maxLag: number;
  if (options.maxLag === undefined) {
    requireLength("adf", "x", x, 2 * (ntrend + 1));
    maxLag = Math.min(Math.floor(n / 2) - ntrend - 1, Math.ceil(12 * Math.pow(n / 100, 1 / 4)));
  } else {
    maxLag = options.maxLag;
    requireInteger("adf", "maxLag", maxLag, 0);
    requireLength("adf", "x", x, 2 * (maxLag + ntrend + 1));
  }
  requireNonConstant("adf", "x", x);
  let usedLag = maxLag;
  let icBest: number | null = null;
  if (autolag !== null) {
    const fits: OlsResult[] = [];
    for (let p = 0; p <= maxLag; p++) {
      const { y, columns } = design(x, p, maxLag, ntrend);
      fits.push(ols(y, columns));
    }
    if (autolag === "t-stat") {
      icBest = 0;
      for (let p = maxLag; p >= 0; p--) {
        const t = fits[p]!.tvalues;
        icBest = Math.abs(t[t.length - 1]!);
        usedLag = p;
        if (icBest >= 1.6448536269514722) break;
      }
    } else {
      const ic = (f: OlsResult) => (autolag === "AIC" ? f.aic : f.bic);
      usedLag = 0;
      fits.forEach((f, p) => {
        if (ic(f) < ic(fits[usedLag]!)) usedLag = p;
      });
      icBest = ic(fits[usedLag]!);
    }
  }
  const { y, columns } = design(x, usedLag, usedLag, ntrend);
  const fit = ols(y, columns);
  const statistic = fit.tvalues[ntrend]!; // the level column follows the trend terms;
  return {
    statistic,
    pValue: mackinnonp(statistic, regression, 1),
    usedLag,
    nobs: fit.nobs,
    criticalValues: mackinnoncrit(1, regression, fit.nobs),
    icBest,
  };
}
