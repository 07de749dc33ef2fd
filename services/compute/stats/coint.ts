/**
 * Engle-Granger two-step cointegration test, computed as statsmodels'
 * `coint(y0, y1, trend, autolag=...)` (statsmodels/tsa/stattools.py, method "aeg").
 *
 * @module
 */
import { adf, type Autolag } from "./adf.ts";
import { type CriticalValues, mackinnoncrit, mackinnonp, REGRESSIONS } from "./mackinnon.ts";
import type { Regression } from "./_mackinnon_tables.ts";
import { ols } from "./ols.ts";
import { requireFinite, requireLength, requireNonConstant, requireOneOf } from "./_validate.ts";

/** Options of {@linkcode coint}. */
export interface CointOptions {
  /** Deterministic terms of the cointegrating regression. @default "c" */
  readonly trend?: Regression;
  /** Largest lag of the residual ADF regression. @default as {@linkcode adf} */
  readonly maxLag?: number;
  /** Lag selection of the residual ADF regression, null for exactly maxLag. @default "AIC" */
  readonly autolag?: Autolag | null;
}

/** Result of {@linkcode coint}. */
export interface CointResult {
  /** ADF tau statistic of the cointegrating-regression residuals (-Infinity if collinear). */
  readonly statistic: number;
  /** MacKinnon (1994) p-value with N = number of series. */
  readonly pValue: number;
  /** MacKinnon (2010) critical values for nobs - 1 observations (NaN for trend "n"). */
  readonly criticalValues: CriticalValues;
  /** Lags used by the residual ADF regression (null when the series are collinear). */
  readonly usedLag: number | null;
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/**
 * Tests the null of no cointegration between y0 and the series of y1.
 *
 * @param y0 The dependent series.
 * @param y1 One series or several (at most 5, so that N = 2..6 has p-value tables).
 * @throws {RangeError} on mismatched lengths, non-finite or constant input, too few values.
 */
export function coint(
  y0: Float64Array,
  y1: Float64Array | readonly Float64Array[],
  options: CointOptions = {},
): CointResult {
  const trend = options.trend ?? "c";
  requireOneOf("coint", "trend", trend, REGRESSIONS);
  const others = y1 instanceof Float64Array ? [y1] : [...y1];
  if (others.length < 1 || others.length > 5) {
    throw new RangeError(
      `Cannot run coint as 'y1' must hold 1 to 5 series: current value holds ${others.length}`,
    );
  }
  requireFinite("coint", "y0", y0);
  const n = y0.length;
  const ntrend = trend === "n" ? 0 : trend.length;
  requireLength("coint", "y0", y0, Math.max(others.length + ntrend + 2, 4));
  requireNonConstant("coint", "y0", y0);
  others.forEach((s, j) => {
    const name = others.length === 1 ? "y1" : `y1[${j}]`;
    requireFinite("coint", name, s);
    if (s.length !== n) {
      throw new RangeError(
        `Cannot run coint as '${name}' must hold as many values as 'y0' (${n}): current value holds ${s.length}`,
      );
    }
    requireNonConstant("coint", name, s);
  });
  const kVars = others.length + 1;
  const columns = [...others];
  for (let p = 0; p < ntrend; p++) {
    columns.push(Float64Array.from({ length: n }, (_, t) => (t + 1) ** p));
  }
  const fit = ols(y0, columns);
  const criticalValues = trend === "n"
    ? { "1%": NaN, "5%": NaN, "10%": NaN }
    : mackinnoncrit(kVars, trend, n - 1);
  if (!(fit.rsquared < 1 - 100 * SQRT_EPS)) {
    // Almost perfectly collinear: statsmodels warns and reports -inf.
    return { statistic: -Infinity, pValue: 0, criticalValues, usedLag: null };
  }
  const res = adf(fit.resid, {
    regression: "n",
    autolag: options.autolag === undefined ? "AIC" : options.autolag,
    ...(options.maxLag === undefined ? {} : { maxLag: options.maxLag }),
  });
  return {
    statistic: res.statistic,
    pValue: mackinnonp(res.statistic, trend, kVars),
    criticalValues,
    usedLag: res.usedLag,
  };
}
