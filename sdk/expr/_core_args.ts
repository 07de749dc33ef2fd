/**
 * Argument handling of Expr's own methods: the option types of nodejs-polars, and the
 * normalisation of its overloads (positional arguments or one options object) into the
 * options a server-side function takes.
 *
 * @module
 */

import { DataType } from "../datatypes.ts";
import { refuseOptions } from "../option_audit.ts";
import { type ArgOptions, type ArgValue, ExprNode } from "./call.ts";

/** How `quantile()` picks between two values. */
export type InterpolationMethod = "nearest" | "higher" | "lower" | "midpoint" | "linear";

/** How `rank()` breaks ties. */
export type RankMethod = "average" | "min" | "max" | "dense" | "ordinal" | "random";

/** How `fillNull()` fills without a value. */
export type FillNullStrategy = "backward" | "forward" | "mean" | "min" | "max" | "zero" | "one";

/** How `round()` rounds halves. */
export type RoundMode = "halftoeven" | "halfawayfromzero";

/** Which ends of `isBetween()` are inclusive. */
export type ClosedInterval = "both" | "left" | "right" | "none";

/** Options of the rolling* methods (nodejs-polars' RollingOptions). */
export interface RollingOptions {
  /** Rows in the window, in [1, 2^32 - 1]. */
  windowSize: number;
  /** One weight per row of the window. */
  weights?: number[];
  /** Non-null values a window needs for a result. @default windowSize */
  minPeriods?: number;
  /** Label the window's centre instead of its end. @default false */
  center?: boolean;
  /** rollingStd/rollingVar: delta degrees of freedom. @default 1 */
  ddof?: number;
}

/** Options of `rollingQuantile()`. */
export interface RollingQuantileOptions extends RollingOptions {
  /** In [0, 1]. */
  quantile: number;
  /** @default "nearest" */
  interpolation?: InterpolationMethod;
}

/** Options of `rollingSkew()`. */
export interface RollingSkewOptions {
  /** Rows in the window. */
  windowSize: number;
  /** Biased estimate. @default true */
  bias?: boolean;
}

/**
 * Options of ewmMean/ewmStd/ewmVar. Give at most one of `alpha`, `com`, `span`,
 * `halfLife` (the last three as in Python Polars).
 */
export interface EwmOptions {
  /** Smoothing factor in (0, 1]. @default 0.5 */
  alpha?: number;
  /** Centre of mass: alpha = 1 / (1 + com), com >= 0. */
  com?: number;
  /** Span: alpha = 2 / (span + 1), span >= 1. */
  span?: number;
  /** Half-life: alpha = 1 - exp(-ln 2 / halfLife), halfLife > 0. */
  halfLife?: number;
  /** Divide by the decaying adjustment factor. @default true */
  adjust?: boolean;
  /** Values needed before a result. @default 1 */
  minPeriods?: number;
  /** ewmStd/ewmVar: biased estimate. @default false */
  bias?: boolean;
  /** Weights from relative positions, skipping nulls. @default true */
  ignoreNulls?: boolean;
}

/** Options of `sample()`: `n` (at most 10,000,000) or `frac` (at most 100). */
export interface SampleOptions {
  n?: number;
  frac?: number;
  /** @default false */
  withReplacement?: boolean;
  /** In [0, 2^53); random when unset. */
  seed?: number | bigint;
  /** @default false */
  shuffle?: boolean;
}

/** Whether `value` is an options object (not an Expr, array, DataType or Date). */
export function isOptions(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof ExprNode) && !(value instanceof DataType) && !(value instanceof Date);
}

/** `first[key]` when `first` is an options object, else `first` itself (the positional form). */
export function pick<T>(first: unknown, key: string): T | undefined {
  return (isOptions(first) ? first[key] : first) as T | undefined;
}

/** `first[key]` when `first` is an options object, else undefined (a later positional wins). */
export function option<T>(first: unknown, key: string): T | undefined {
  return (isOptions(first) ? first[key] : undefined) as T | undefined;
}

/** The options of a rolling* call from either of nodejs-polars' forms. */
export function rollingOptions(
  first: number | RollingOptions,
  weights?: number[],
  minPeriods?: number,
  center?: boolean,
  ddof?: number,
): ArgOptions {
  const o: Partial<RollingOptions> = typeof first === "number" ? { windowSize: first } : first;
  return {
    windowSize: o.windowSize,
    weights: o.weights ?? weights,
    minPeriods: o.minPeriods ?? minPeriods,
    center: o.center ?? center,
    ddof: o.ddof ?? ddof,
  };
}

/** The arguments of a rolling statistic, positional as nodejs-polars takes them. */
export type RollingArgs = [
  windowSize: number | RollingOptions,
  weights?: number[],
  minPeriods?: number,
  center?: boolean,
];
/** RollingArgs and a delta degrees of freedom (std and var). */
export type RollingDdofArgs = [...RollingArgs, ddof?: number];

/**
 * The options of a rolling statistic that takes no ddof (all but std and var): a ddof other
 * than nodejs-polars' default is refused (sdk/option_audit_expr.ts), its default not sent.
 */
export function windowOptions(method: string, ...args: RollingArgs): ArgOptions {
  refuseOptions(method, args[0]);
  const { ddof: _ddof, ...options } = rollingOptions(...args);
  return options;
}

/** The arguments of an exponentially weighted statistic (see EwmOptions). */
export type EwmArgs = [
  alpha?: number | EwmOptions,
  adjust?: boolean,
  minPeriods?: number,
  bias?: boolean,
  ignoreNulls?: boolean,
];

/** The options of an ewm* call from either of nodejs-polars' forms. */
export function ewmOptions(
  first: number | EwmOptions | undefined,
  adjust?: boolean,
  minPeriods?: number,
  bias?: boolean,
  ignoreNulls?: boolean,
): ArgOptions {
  const o: EwmOptions = typeof first === "object" && first !== null ? first : { alpha: first };
  return {
    alpha: o.alpha,
    com: o.com,
    span: o.span,
    halfLife: o.halfLife,
    adjust: o.adjust ?? adjust,
    minPeriods: o.minPeriods ?? minPeriods,
    bias: o.bias ?? bias,
    ignoreNulls: o.ignoreNulls ?? ignoreNulls,
  };
}

const INT64_MAX = 2n ** 63n - 1n;

/** Plain values of a list argument (isIn): a bigint among them makes the list exact integers. */
export function valueListOptions(values: readonly unknown[]): { dtype?: DataType } {
  const bigints = values.filter((v): v is bigint => typeof v === "bigint");
  if (bigints.length === 0) return {};
  for (const v of values) {
    if (v !== null && typeof v !== "bigint" && !Number.isSafeInteger(v)) {
      throw new TypeError(
        `Cannot match values as a list holding a bigint must hold only integers: current value is ${
          String(v)
        }`,
      );
    }
  }
  return { dtype: bigints.some((v) => v > INT64_MAX) ? DataType.UInt64 : DataType.Int64 };
}

/** A plain value or list of plain values as an argument (checked by the server). */
export function plainArg(value: unknown): ArgValue {
  if (value === undefined) return null;
  return value as ArgValue;
}
