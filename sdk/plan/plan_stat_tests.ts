/**
 * Plan nodes of the statistical tests (`lf.adf(...)`, `lf.kpss(...)`, `lf.coint(...)`,
 * `lf.johansen(...)`, `lf.halfLife(...)`, `lf.hurst(...)`): each runs on the server, per
 * group of `by`, over the input's rows in order, and gives a small frame (docs/timeseries.md).
 *
 * @module
 */

import type { Arg } from "../../shared/gen/polaroid/v1/expr.ts";
import { type Plan, StatTestKind } from "../../shared/gen/polaroid/v1/plan.ts";
import { toArg } from "../expr/call.ts";

/** Deterministic terms of a regression: none, constant, + trend, + quadratic trend. */
export type StatRegression = "n" | "c" | "ct" | "ctt";
/** How the number of lags is chosen (null: use `maxLag`). */
export type StatAutolag = "AIC" | "BIC" | "t-stat" | null;

/** Options every test takes. */
export interface StatTestOptions {
  /** Run once per group of these columns (the result starts with them). @default [] */
  by?: string | string[];
}

/** Options of `adf()`, as statsmodels' adfuller. */
export interface AdfOptions extends StatTestOptions {
  /** @default "c" */
  regression?: StatRegression;
  /** @default "AIC" */
  autolag?: StatAutolag;
  /** @default 12 (nobs / 100)^(1/4), rounded up */
  maxLag?: number;
}

/** Options of `kpss()`, as statsmodels' kpss. */
export interface KpssOptions extends StatTestOptions {
  /** @default "c" */
  regression?: "c" | "ct";
  /** @default "auto" */
  nlags?: "auto" | "legacy" | number;
}

/** Options of `coint()`, as statsmodels' coint (Engle-Granger). */
export interface CointOptions extends StatTestOptions {
  /** @default "c" */
  trend?: StatRegression;
  /** @default "AIC" */
  autolag?: StatAutolag;
  maxLag?: number;
}

/** Options of `johansen()`, as statsmodels' coint_johansen. */
export interface JohansenOptions extends StatTestOptions {
  /** -1: no deterministic term, 0: constant, 1: linear trend. @default 0 */
  detOrder?: -1 | 0 | 1;
  /** Lagged differences in the VECM. @default 1 */
  kArDiff?: number;
}

/** Options of `hurst()` (variance of lagged differences over lags minLag..maxLag). */
export interface HurstOptions extends StatTestOptions {
  /** @default 2 */
  minLag?: number;
  /** @default 99 */
  maxLag?: number;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
}

function names(values: readonly string[], what: string): string[] {
  for (const v of values) {
    if (typeof v !== "string" || v === "") {
      throw new TypeError(
        `Cannot build the test as '${what}' must hold column names: current value is ${
          JSON.stringify(v)
        }`,
      );
    }
  }
  return [...values];
}

/** A StatTest node over `input`. */
export function statTestPlan(
  input: Plan,
  kind: StatTestKind,
  columns: readonly string[],
  options: StatTestOptions & Record<string, unknown>,
): Plan {
  const { by, ...rest } = options;
  const args: Record<string, Arg> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    // null autolag travels as "none" (a map value cannot be absent and present at once).
    args[key] = toArg(value === null ? "none" : value as string | number);
  }
  return {
    node: {
      $case: "statTest",
      value: {
        input,
        kind,
        columns: names(columns, "columns"),
        by: names(list(by), "by"),
        options: args,
      },
    },
  };
}

export const TEST_KIND = {
  adf: StatTestKind.STAT_TEST_KIND_ADF,
  kpss: StatTestKind.STAT_TEST_KIND_KPSS,
  coint: StatTestKind.STAT_TEST_KIND_COINT,
  johansen: StatTestKind.STAT_TEST_KIND_JOHANSEN,
  halfLife: StatTestKind.STAT_TEST_KIND_HALF_LIFE,
  hurst: StatTestKind.STAT_TEST_KIND_HURST,
} as const;
