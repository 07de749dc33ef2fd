/**
 * KPSS stationarity test, computed as statsmodels' `kpss(x, regression, nlags)`
 * (statsmodels/tsa/stattools.py), with the p-value interpolated in the Kwiatkowski et al.
 * (1992) table.
 *
 * @module
 */
import { ols } from "./ols.ts";
import {
  requireFinite,
  requireInteger,
  requireLength,
  requireNonConstant,
  requireOneOf,
} from "./_validate.ts";

/** Options of {@linkcode kpss}. */
export interface KpssOptions {
  /** Null hypothesis: "c" level stationary, "ct" trend stationary. @default "c" */
  readonly regression?: "c" | "ct";
  /**
   * Bartlett-kernel lags: "auto" (Hobijn et al. 1998), "legacy" (ceil(12 (n/100)^(1/4))) or
   * a fixed count below the number of observations. @default "auto"
   */
  readonly nlags?: "auto" | "legacy" | number;
}

/** Critical values of the KPSS statistic. */
export interface KpssCriticalValues {
  readonly "10%": number;
  readonly "5%": number;
  readonly "2.5%": number;
  readonly "1%": number;
}

/** Result of {@linkcode kpss}. */
export interface KpssResult {
  /** The KPSS statistic. */
  readonly statistic: number;
  /** p-value interpolated in the table, clipped to [0.01, 0.1]. */
  readonly pValue: number;
  /**
   * "smaller" when the true p-value is below the returned 0.01, "greater" when it is above
   * the returned 0.1 (statsmodels warns in these cases), null otherwise.
   */
  readonly pValueBound: "smaller" | "greater" | null;
  /** Lags used in the long-run variance estimate. */
  readonly lags: number;
  /** Table critical values. */
  readonly criticalValues: KpssCriticalValues;
}

const P_VALUES = [0.1, 0.05, 0.025, 0.01];
const CRIT = {
  c: [0.347, 0.463, 0.574, 0.739],
  ct: [0.119, 0.146, 0.176, 0.216],
} as const;

function autocov(resids: Float64Array, lag: number): number {
  let s = 0;
  for (let i = lag; i < resids.length; i++) s += resids[i]! * resids[i - lag]!;
  return s;
}

/** Hobijn, Franses and Ooms (1998) automatic bandwidth, as statsmodels' `_kpss_autolag`. */
function autoLags(resids: Float64Array): number {
  const n = resids.length;
  const covlags = Math.trunc(Math.pow(n, 2 / 9));
  let s0 = autocov(resids, 0) / n;
  let s1 = 0;
  for (let i = 1; i <= covlags; i++) {
    const prod = autocov(resids, i) / (n / 2);
    s0 += prod;
    s1 += i * prod;
  }
  const sHat = s1 / s0;
  const gamma = 1.1447 * Math.pow(sHat * sHat, 1 / 3);
  return Math.trunc(gamma * Math.pow(n, 1 / 3));
}

/** Linear interpolation as numpy.interp over increasing xs (clamped at the ends). */
function interp(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[xs.length - 1]!) return ys[ys.length - 1]!;
  let j = 1;
  while (x > xs[j]!) j++;
  const x0 = xs[j - 1]!;
  const x1 = xs[j]!;
  return ys[j - 1]! + (ys[j]! - ys[j - 1]!) * (x - x0) / (x1 - x0);
}

/**
 * KPSS test of the null that x is level ("c") or trend ("ct") stationary.
 *
 * @throws {RangeError} when x is too short, holds NaN/Infinity or is constant, or nlags is
 * not below the number of observations.
 */
export function kpss(x: Float64Array, options: KpssOptions = {}): KpssResult {
  const regression = options.regression ?? "c";
  const nlags = options.nlags ?? "auto";
  requireOneOf("kpss", "regression", regression, ["c", "ct"]);
  requireFinite("kpss", "x", x);
  const n = x.length;
  if (typeof nlags === "number") {
    requireInteger("kpss", "nlags", nlags, 0);
    requireLength("kpss", "x", x, Math.max(nlags + 1, regression === "ct" ? 3 : 2));
  } else {
    requireOneOf("kpss", "nlags", nlags, ["auto", "legacy"]);
    requireLength("kpss", "x", x, regression === "ct" ? 3 : 2);
  }
  requireNonConstant("kpss", "x", x);
  let resids: Float64Array;
  if (regression === "ct") {
    const ones = new Float64Array(n).fill(1);
    const t = Float64Array.from({ length: n }, (_, i) => i + 1);
    resids = ols(x, [ones, t]).resid;
  } else {
    const mean = x.reduce((a, b) => a + b, 0) / n;
    resids = x.map((v) => v - mean);
  }
  let lags: number;
  if (nlags === "legacy") {
    lags = Math.min(Math.ceil(12 * Math.pow(n / 100, 1 / 4)), n - 1);
  } else if (nlags === "auto") {
    lags = Math.min(autoLags(resids), n - 1);
  } else {
    lags = nlags;
  }
  let cum = 0;
  let eta = 0;
  for (const r of resids) {
    cum += r;
    eta += cum * cum;
  }
  eta /= n * n;
  let sHat = autocov(resids, 0);
  for (let i = 1; i <= lags; i++) sHat += 2 * autocov(resids, i) * (1 - i / (lags + 1));
  sHat /= n;
  const statistic = eta / sHat;
  const crit = CRIT[regression];
  const pValue = interp(statistic, crit, P_VALUES);
  const pValueBound = pValue === 0.01 ? "smaller" : pValue === 0.1 ? "greater" : null;
  return {
    statistic,
    pValue,
    pValueBound,
    lags,
    criticalValues: { "10%": crit[0], "5%": crit[1], "2.5%": crit[2], "1%": crit[3] },
  };
}
