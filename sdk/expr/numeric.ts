/**
 * The numeric methods of an Expr, each a call of a server-side function of nodejs-polars'
 * name: math (trigonometry, logarithms, rounding, clipping, float checks), reductions
 * (all/any, arg min/max, product, mode, entropy, kurtosis, skew, value counts) and running
 * operations and fills (cumulative ops, diff, shift, rank, interpolate, fillNull). Each
 * returns a new expression, of the class R its final class names (expr.ts: Expr).
 *
 * @module
 */

import type { LiteralValue } from "../literal.ts";
import {
  type ClosedInterval,
  type FillNullStrategy,
  isOptions,
  option,
  pick,
  plainArg,
  type RankMethod,
  type RoundMode,
} from "./_core_args.ts";
import { callMethod, columnNode, type ExprNode, literalNode, type NodeOrValue } from "./call.ts";
import { ExprOperators } from "./operators.ts";

const FILL_STRATEGIES: ReadonlySet<string> = new Set<FillNullStrategy>([
  "backward",
  "forward",
  "mean",
  "min",
  "max",
  "zero",
  "one",
]);

/** An expression's math, reductions, running operations and fills, returning R (see expr.ts). */
export abstract class ExprNumeric<R extends ExprNode> extends ExprOperators<R> {
  // ---- Math ---------------------------------------------------------------------------

  /** Sine (radians). */
  sin(): R {
    return callMethod(this, "sin");
  }
  /** Cosine (radians). */
  cos(): R {
    return callMethod(this, "cos");
  }
  /** Tangent (radians). */
  tan(): R {
    return callMethod(this, "tan");
  }
  /** Cotangent (radians). */
  cot(): R {
    return callMethod(this, "cot");
  }
  /** Inverse sine, in radians. */
  arcsin(): R {
    return callMethod(this, "arcsin");
  }
  /** Inverse cosine, in radians. */
  arccos(): R {
    return callMethod(this, "arccos");
  }
  /** Inverse tangent, in radians. */
  arctan(): R {
    return callMethod(this, "arctan");
  }
  /** Two-argument inverse tangent of this (y) and `other` (x; a string names a column). */
  arctan2(other: NodeOrValue): R {
    return callMethod(this, "arctan2", [columnNode(other)]);
  }
  /** Hyperbolic sine. */
  sinh(): R {
    return callMethod(this, "sinh");
  }
  /** Hyperbolic cosine. */
  cosh(): R {
    return callMethod(this, "cosh");
  }
  /** Hyperbolic tangent. */
  tanh(): R {
    return callMethod(this, "tanh");
  }
  /** Inverse hyperbolic sine. */
  arcsinh(): R {
    return callMethod(this, "arcsinh");
  }
  /** Inverse hyperbolic cosine. */
  arccosh(): R {
    return callMethod(this, "arccosh");
  }
  /** Inverse hyperbolic tangent. */
  arctanh(): R {
    return callMethod(this, "arctanh");
  }
  /** Radians to degrees. */
  degrees(): R {
    return callMethod(this, "degrees");
  }
  /** Degrees to radians. */
  radians(): R {
    return callMethod(this, "radians");
  }
  /** e to the power of the values. */
  exp(): R {
    return callMethod(this, "exp");
  }
  /** Natural logarithm of 1 + the values. */
  log1p(): R {
    return callMethod(this, "log1p");
  }
  /** Logarithm in `base`. @default Math.E */
  log(base?: number): R {
    return callMethod(this, "log", [], { base });
  }
  /** The values to the power `exponent`. */
  pow(exponent: number | { exponent: number }): R {
    return callMethod(this, "pow", [pick<number>(exponent, "exponent") ?? null]);
  }
  /** Smallest integer not below each value. */
  ceil(): R {
    return callMethod(this, "ceil");
  }
  /** Largest integer not above each value. */
  floor(): R {
    return callMethod(this, "floor");
  }
  /**
   * Rounds to `decimals` digits (in [0, 2^32 - 1]).
   * @param mode @default "halftoeven"
   */
  round(
    decimals: number | { decimals: number; mode?: RoundMode },
    mode?: RoundMode,
  ): R {
    return callMethod(this, "round", [], {
      decimals: pick<number>(decimals, "decimals"),
      mode: option<RoundMode>(decimals, "mode") ?? mode,
    });
  }
  /** Limits the values to [min, max] (bounds cast to the column's type; null: no bound). */
  clip(
    min: NodeOrValue | { min: NodeOrValue; max: NodeOrValue },
    max?: NodeOrValue,
  ): R {
    const lower = isOptions(min) ? min.min as NodeOrValue : min;
    const upper = isOptions(min) ? min.max as NodeOrValue : max;
    const bound = (v: NodeOrValue) => v === null || v === undefined ? null : literalNode(v);
    return callMethod(this, "clip", [bound(lower), bound(upper)]);
  }
  /**
   * Whether each value lies between `lower` and `upper` (Python Polars' is_between; strings
   * name columns). @param closed inclusive ends @default "both"
   */
  isBetween(lower: NodeOrValue, upper: NodeOrValue, closed: ClosedInterval = "both"): R {
    return callMethod(this, "isBetween", [columnNode(lower), columnNode(upper)], {
      closed,
    });
  }
  /** Whether each value is NaN. */
  isNan(): R {
    return callMethod(this, "isNan");
  }
  /** Whether each value is not NaN. */
  isNotNan(): R {
    return callMethod(this, "isNotNan");
  }
  /** Whether each value is finite. */
  isFinite(): R {
    return callMethod(this, "isFinite");
  }
  /** Whether each value is infinite. */
  isInfinite(): R {
    return callMethod(this, "isInfinite");
  }
  /** The physical representation (a Date's days, a Categorical's codes, ...). */
  toPhysical(): R {
    return callMethod(this, "toPhysical");
  }
  /** Reinterprets 64-bit integers' bits as signed or unsigned. @param signed @default true */
  reinterpret(signed?: boolean | { signed: boolean }): R {
    return callMethod(this, "reinterpret", [], { signed: pick<boolean>(signed, "signed") });
  }
  /**
   * A UInt64 hash of each value, seeded by k0..k3 (each in [0, 2^53)).
   * @default k0 0, k1 1, k2 2, k3 3
   */
  hash(
    k0: number | bigint | {
      k0?: number | bigint;
      k1?: number | bigint;
      k2?: number | bigint;
      k3?: number | bigint;
    } = 0,
    k1: number | bigint = 1,
    k2: number | bigint = 2,
    k3: number | bigint = 3,
  ): R {
    const o = isOptions(k0) ? k0 : { k0 };
    return callMethod(this, "hash", [o.k0 ?? 0, o.k1 ?? k1, o.k2 ?? k2, o.k3 ?? k3]);
  }
  /** The dot product with `other` (a string names a column). */
  dot(other: NodeOrValue): R {
    return callMethod(this, "dot", [columnNode(other)]);
  }

  // ---- Reductions -----------------------------------------------------------------------

  /** Whether every value is true. @param ignoreNulls @default true */
  all(ignoreNulls?: boolean | { ignoreNulls?: boolean }): R {
    return callMethod(this, "all", [], { ignoreNulls: pick<boolean>(ignoreNulls, "ignoreNulls") });
  }
  /** Whether any value is true. @param ignoreNulls @default true */
  any(ignoreNulls?: boolean | { ignoreNulls?: boolean }): R {
    return callMethod(this, "any", [], { ignoreNulls: pick<boolean>(ignoreNulls, "ignoreNulls") });
  }
  /** Index of the largest value. */
  argMax(): R {
    return callMethod(this, "argMax");
  }
  /** Index of the smallest value. */
  argMin(): R {
    return callMethod(this, "argMin");
  }
  /** Indexes of the first occurrence of each distinct value. */
  argUnique(): R {
    return callMethod(this, "argUnique");
  }
  /** Product of the values (1 when there are none). */
  product(): R {
    return callMethod(this, "product");
  }
  /** The most frequent values. */
  mode(): R {
    return callMethod(this, "mode");
  }
  /** The number of nulls. */
  nullCount(): R {
    return callMethod(this, "nullCount");
  }
  /** The smallest value of the type. */
  lowerBound(): R {
    return callMethod(this, "lowerBound");
  }
  /** The largest value of the type. */
  upperBound(): R {
    return callMethod(this, "upperBound");
  }
  /** The values as one list. */
  implode(): R {
    return callMethod(this, "implode");
  }
  /** How often each distinct value occurs, in order of first occurrence. */
  uniqueCounts(): R {
    return callMethod(this, "uniqueCounts");
  }
  /**
   * Entropy of the values as a distribution.
   * @param base @default Math.E
   * @param normalize divide the values by their sum first @default true
   */
  entropy(
    base?: number | { base?: number; normalize?: boolean },
    normalize?: boolean,
  ): R {
    return callMethod(this, "entropy", [], {
      base: pick<number>(base, "base"),
      normalize: option<boolean>(base, "normalize") ?? normalize,
    });
  }
  /**
   * Kurtosis. @param fisher excess kurtosis (normal = 0) @default true
   * @param bias biased estimate @default true
   */
  kurtosis(fisher?: boolean | { fisher?: boolean; bias?: boolean }, bias?: boolean): R {
    return callMethod(this, "kurtosis", [], {
      fisher: pick<boolean>(fisher, "fisher"),
      bias: option<boolean>(fisher, "bias") ?? bias,
    });
  }
  /** Skewness. @param bias biased estimate @default true */
  skew(bias?: boolean | { bias: boolean }): R {
    return callMethod(this, "skew", [], { bias: pick<boolean>(bias, "bias") });
  }
  /**
   * Each distinct value with its count, as a struct.
   * @param sort most frequent first @default false
   * @param parallel @default false
   * @param name the count field @default "count" ("proportion" when normalized)
   * @param normalize proportions instead of counts @default false
   */
  valueCounts(sort?: boolean, parallel?: boolean, name?: string, normalize?: boolean): R {
    return callMethod(this, "valueCounts", [], { sort, parallel, name, normalize });
  }

  // ---- Windows, cumulative ops and fills ---------------------------------------------------

  /** Running count, from the end when `reverse`. @default false */
  cumCount(reverse?: boolean | { reverse: boolean }): R {
    return callMethod(this, "cumCount", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running maximum, from the end when `reverse`. @default false */
  cumMax(reverse?: boolean | { reverse: boolean }): R {
    return callMethod(this, "cumMax", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running minimum, from the end when `reverse`. @default false */
  cumMin(reverse?: boolean | { reverse: boolean }): R {
    return callMethod(this, "cumMin", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running product, from the end when `reverse`. @default false */
  cumProd(reverse?: boolean | { reverse: boolean }): R {
    return callMethod(this, "cumProd", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running sum, from the end when `reverse`. @default false */
  cumSum(reverse?: boolean | { reverse: boolean }): R {
    return callMethod(this, "cumSum", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /**
   * Difference with the value `n` rows before. @param n @default 1
   * @param nullBehavior "drop" removes the first n rows @default "ignore"
   */
  diff(
    n?: number | { n: number; nullBehavior: "ignore" | "drop" },
    nullBehavior?: "ignore" | "drop",
  ): R {
    return callMethod(this, "diff", [], {
      n: pick<number>(n, "n"),
      nullBehavior: option<"ignore" | "drop">(n, "nullBehavior") ?? nullBehavior,
    });
  }
  /** Relative change from the value `n` rows before (a string names a column). @default 1 */
  pctChange(n?: number | ExprNode | string | { n: number | ExprNode }): R {
    const periods = pick<number | ExprNode | string>(n, "n") ?? 1;
    return callMethod(this, "pctChange", [
      typeof periods === "number" ? periods : columnNode(periods),
    ]);
  }
  /** The values moved down by `periods` rows (up when negative). @default 1 */
  shift(periods?: number | ExprNode | { periods: number | ExprNode }): R {
    return callMethod(this, "shift", [pick<number | ExprNode>(periods, "periods") ?? 1]);
  }
  /** `shift()` filling the vacated rows with `fillValue` (a plain value). */
  shiftAndFill(
    periods: number | { periods: number; fillValue: LiteralValue },
    fillValue?: LiteralValue,
  ): R {
    const o = isOptions(periods) ? periods : { periods, fillValue };
    return callMethod(this, "shiftAndFill", [o.periods as number, plainArg(o.fillValue)]);
  }
  /**
   * Ranks of the values. @param method tie handling @default "average"
   * @param descending @default false
   * @param seed for "random" (Python Polars' seed; in [0, 2^53)) @default random
   */
  rank(
    method?: RankMethod | { method?: RankMethod; descending?: boolean; seed?: number },
    descending?: boolean,
    seed?: number,
  ): R {
    return callMethod(this, "rank", [], {
      method: pick<RankMethod>(method, "method"),
      descending: option<boolean>(method, "descending") ?? descending,
      seed: option<number>(method, "seed") ?? seed,
    });
  }
  /** Fills nulls by interpolating between neighbours. @param method @default "linear" */
  interpolate(method?: "linear" | "nearest"): R {
    return callMethod(this, "interpolate", [], { method });
  }
  /**
   * Fills nulls with a value (an Expr, or a plain value as a literal) or by a strategy.
   * @param limit most consecutive nulls a "forward"/"backward" strategy fills
   */
  fillNull(value: NodeOrValue | FillNullStrategy, limit?: number): R {
    if (typeof value === "string" && FILL_STRATEGIES.has(value)) {
      return callMethod(this, "fillNull", [], { strategy: value, limit });
    }
    return callMethod(this, "fillNull", [literalNode(value)]);
  }
  /** Fills NaN with a value (an Expr, or a plain value as a literal). */
  fillNan(value: NodeOrValue): R {
    return callMethod(this, "fillNan", [literalNode(value)]);
  }
  /** Fills nulls with the last value before them. */
  forwardFill(): R {
    return callMethod(this, "forwardFill");
  }
  /** Fills nulls with the next value after them. */
  backwardFill(): R {
    return callMethod(this, "backwardFill");
  }
}
