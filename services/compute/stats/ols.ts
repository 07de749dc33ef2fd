/**
 * Ordinary least squares by Householder QR, with the summary statistics statsmodels' `OLS`
 * reports (`params`, `bse`, `tvalues`, `ssr`, `llf`, `aic`, `bic`, `rsquared`).
 *
 * @module
 */
import {
  applyQt,
  fromColumns,
  householderQR,
  invertUpper,
  isRankDeficient,
  solveUpper,
  upperR,
} from "./_linalg.ts";
import { requireFinite, requireLength } from "./_validate.ts";

/** Result of an OLS fit. */
export interface OlsResult {
  /** Coefficients, one per regressor column. */
  readonly params: Float64Array;
  /** Standard errors of the coefficients (residual variance ssr / (nobs - k)). */
  readonly bse: Float64Array;
  /** t statistics params / bse. */
  readonly tvalues: Float64Array;
  /** Residuals y - X params. */
  readonly resid: Float64Array;
  /** Sum of squared residuals. */
  readonly ssr: number;
  /** Gaussian log-likelihood -n/2 (log(2 pi) + log(ssr / n) + 1). */
  readonly llf: number;
  /** -2 llf + 2 k, k the number of regressors. */
  readonly aic: number;
  /** -2 llf + k log(n). */
  readonly bic: number;
  /** R squared, centred when a regressor column is constant, uncentred otherwise. */
  readonly rsquared: number;
  /** Number of observations. */
  readonly nobs: number;
  /** Residual degrees of freedom nobs - k. */
  readonly dfResid: number;
}

/**
 * Fits y on the given regressor columns (no constant is added: pass a column of ones).
 *
 * @param y The dependent variable.
 * @param columns The regressors, each as long as y; they must be linearly independent.
 * @throws {RangeError} on mismatched lengths, non-finite values, too few observations or
 * collinear regressors.
 */
export function ols(y: Float64Array, columns: readonly Float64Array[]): OlsResult {
  requireFinite("ols", "y", y);
  const n = y.length;
  const k = columns.length;
  requireLength("ols", "y", y, k + 1);
  columns.forEach((c, j) => {
    requireFinite("ols", `columns[${j}]`, c);
    if (c.length !== n) {
      throw new RangeError(
        `Cannot run ols as 'columns[${j}]' must hold as many values as 'y' (${n}): current value holds ${c.length}`,
      );
    }
  });
  const f = householderQR(fromColumns(columns, n));
  if (k > 0 && isRankDeficient(f)) {
    throw new RangeError(
      "Cannot run ols as 'columns' must be linearly independent: current value is collinear",
    );
  }
  const r = upperR(f);
  const qty = applyQt(f, y);
  const params = solveUpper(r, qty.subarray(0, k));
  const resid = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < k; j++) fit += columns[j]![i]! * params[j]!;
    resid[i] = y[i]! - fit;
    ssr += resid[i]! ** 2;
  }
  const dfResid = n - k;
  const scale = ssr / dfResid;
  const rinv = invertUpper(r);
  const bse = new Float64Array(k);
  const tvalues = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = i; j < k; j++) s += rinv.data[i * k + j]! ** 2;
    bse[i] = Math.sqrt(s * scale);
    tvalues[i] = params[i]! / bse[i]!;
  }
  const llf = -n / 2 * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  const hasConstant = columns.some((c) => c[0] !== 0 && c.every((v) => v === c[0]));
  let tss = 0;
  const mean = hasConstant ? y.reduce((a, b) => a + b, 0) / n : 0;
  for (let i = 0; i < n; i++) tss += (y[i]! - mean) ** 2;
  return {
    params,
    bse,
    tvalues,
    resid,
    ssr,
    llf,
    aic: -2 * llf + 2 * k,
    bic: -2 * llf + k * Math.log(n),
    rsquared: 1 - ssr / tss,
    nobs: n,
    dfResid,
  };
}
