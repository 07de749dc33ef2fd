/**
 * Volatility estimators as expressions (`lf.finance.volatility()`): close-to-close,
 * EWMA (RiskMetrics), Parkinson, Garman-Klass, Rogers-Satchell and Yang-Zhang, each over a
 * rolling window of bars, per symbol, annualised.
 *
 * With o, h, l, c a bar's open, high, low and close, c₋₁ the previous bar's close, n the
 * window, A the annualization (bars per year) and mean/var taken over the last n bars
 * (var with n − 1 in the denominator):
 *
 * - close: σ² = var(r), r = ln(c / c₋₁) (realised volatility, the std of log returns).
 * - ewma: σ²ₜ = λ σ²ₜ₋₁ + (1 − λ) rₜ², started at the first squared return (J.P. Morgan /
 *   Reuters, RiskMetrics Technical Document, 4th ed., 1996, §5.2; λ = 0.94 for daily data).
 *   It runs over all earlier bars; `window` is only the returns needed before a value. A
 *   missing return (a null close makes two) is pandas' `ewm(adjust=False)` with its default
 *   `ignore_na=False`: after g bars without a return, σ²ₜ = (λ^(g+1) σ² + (1 − λ) rₜ²) /
 *   (λ^(g+1) + 1 − λ) with σ² the last variance, and those g bars repeat σ² (as `ts.ewm`).
 * - parkinson: σ² = mean(ln(h / l)²) / (4 ln 2) (Parkinson, "The extreme value method for
 *   estimating the variance of the rate of return", J. Business 53, 1980).
 * - garman_klass: σ² = mean(½ ln(h / l)² − (2 ln 2 − 1) ln(c / o)²) (Garman and Klass, "On
 *   the estimation of security price volatilities from historical data", J. Business 53,
 *   1980).
 * - rogers_satchell: σ² = mean(ln(h / c) ln(h / o) + ln(l / c) ln(l / o)) (Rogers and
 *   Satchell, "Estimating variance from high, low and closing prices", Ann. Appl. Probab. 1,
 *   1991).
 * - yang_zhang: σ² = var(ln(o / c₋₁)) + k var(ln(c / o)) + (1 − k) σ²_RS with
 *   k = 0.34 / (1.34 + (n + 1) / (n − 1)) and σ²_RS the Rogers-Satchell mean (Yang and Zhang,
 *   "Drift-independent volatility estimation based on high, low, open, and close prices",
 *   J. Business 73, 2000).
 *
 * A variance over a window of equal terms is exactly 0 (Polars' rolling kernel leaves some
 * 1e-25 of the terms that left the window). The result is √(A σ²). A window needs n non-null
 * terms, so the first n − 1 bars of each symbol are null (n for close, ewma and yang_zhang,
 * which need the previous close), as pandas' `rolling(n)` (min_periods = n).
 *
 * @module
 */

import type { Expr } from "../expr/expr.ts";
import { col, lit } from "../functions.ts";
import { when } from "../when.ts";
import { type ByColumns, byColumns, columnName, integer, oneOf, real } from "./finance_args.ts";
import { perGroup } from "./per_group.ts";

/** The volatility estimators. */
export const VOLATILITY_METHODS = [
  "close",
  "ewma",
  "parkinson",
  "garman_klass",
  "rogers_satchell",
  "yang_zhang",
] as const;
export type VolatilityMethod = typeof VOLATILITY_METHODS[number];

/** Options of `volatility()`. */
export interface VolatilityOptions {
  /** @default "close" */
  method?: VolatilityMethod;
  /** Bars per window (at least 2). @default 21 */
  window?: number;
  /** Bars per year: σ is multiplied by its square root. @default 252 (trading days) */
  annualization?: number;
  /** ewma: the decay λ in (0, 1). @default 0.94 */
  lambda?: number;
  /** @default "open" */
  open?: string;
  /** @default "high" */
  high?: string;
  /** @default "low" */
  low?: string;
  /** @default "close" */
  close?: string;
  /** Per symbol: the window never crosses a change of these columns. @default none */
  by?: ByColumns;
  /** The new column's name. @default "volatility" */
  alias?: string;
}

/**
 * The rolling variance of `terms`, exactly 0 over a window of equal terms (log returns are
 * centred near 0, so the kernel is otherwise within 1e-12: 5e-13 relative on 500,000
 * FX-like returns against exact fractions).
 */
function rollingVar(terms: Expr, window: { windowSize: number; minPeriods: number }): Expr {
  // max − min is 0 only for equal finite terms (NaN and infinities give NaN).
  return when(terms.rollingMax(window).sub(terms.rollingMin(window)).eq(0)).then(lit(0))
    .otherwise(terms.rollingVar(window));
}

/** ln(a / b) of two expressions. */
function logRatio(a: Expr, b: Expr): Expr {
  return a.div(b).log();
}

/** The annualised volatility column described by `options` (see the module comment). */
export function volatilityExpr(options: VolatilityOptions = {}): Expr {
  const op = "volatility";
  const method = oneOf(op, "method", options.method ?? "close", VOLATILITY_METHODS);
  const n = integer(op, "window", options.window ?? 21, 2);
  const a = real(op, "annualization", options.annualization ?? 252, "positive", (x) => x > 0);
  const lambda = real(op, "lambda", options.lambda ?? 0.94, "in (0, 1)", (x) => x > 0 && x < 1);
  const by = byColumns(op, options.by);
  const name = columnName(op, "alias", options.alias ?? "volatility");
  const [o, h, l, c] = (["open", "high", "low", "close"] as const).map((k) =>
    col(columnName(op, k, options[k] ?? k))
  ) as [Expr, Expr, Expr, Expr];
  const window = { windowSize: n, minPeriods: n };
  const rs = () => logRatio(h, c).mul(logRatio(h, o)).add(logRatio(l, c).mul(logRatio(l, o)));
  let variance: Expr;
  switch (method) {
    case "close":
      variance = rollingVar(logRatio(c, c.shift(1)), window);
      break;
    case "ewma":
      // pandas' ewm(ignore_na=False), its default and Python Polars': a missing return ages
      // the earlier ones by one bar; its row repeats the last variance (as `ts.ewm`).
      variance = logRatio(c, c.shift(1)).pow(2).ewmMean({
        alpha: 1 - lambda,
        adjust: false,
        minPeriods: n,
        ignoreNulls: false,
      }).forwardFill();
      break;
    case "parkinson":
      variance = logRatio(h, l).pow(2).rollingMean(window).div(lit(4 * Math.LN2));
      break;
    case "garman_klass":
      variance = lit(0.5).mul(logRatio(h, l).pow(2))
        .sub(lit(2 * Math.LN2 - 1).mul(logRatio(c, o).pow(2)))
        .rollingMean(window);
      break;
    case "rogers_satchell":
      variance = rs().rollingMean(window);
      break;
    case "yang_zhang": {
      const k = 0.34 / (1.34 + (n + 1) / (n - 1));
      variance = rollingVar(logRatio(o, c.shift(1)), window)
        .add(lit(k).mul(rollingVar(logRatio(c, o), window)))
        .add(lit(1 - k).mul(rs().rollingMean(window)));
      break;
    }
  }
  return perGroup(variance.mul(lit(a)).sqrt(), by).alias(name);
}
