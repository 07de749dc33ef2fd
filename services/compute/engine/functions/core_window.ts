/**
 * Order-dependent methods of Expr: window (`over`), cumulative ops, differences, shifts,
 * ranks, interpolation and null/NaN filling.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import { plainValue, SEED_BOUNDS, U32_MAX } from "./core_args.ts";
import type { Call } from "./call.ts";
import { type FunctionSpec, type FunctionTable, unary } from "./spec.ts";

const RANK_METHODS = ["average", "min", "max", "dense", "ordinal", "random"] as const;
const FILL_STRATEGIES = ["backward", "forward", "mean", "min", "max", "zero", "one"] as const;
const NULL_BEHAVIORS = ["ignore", "drop"] as const;
const INTERPOLATIONS = ["linear", "nearest"] as const;

/** Row offsets (shift, diff, pctChange): any i64 the engine takes, kept to safe integers. */
const OFFSET_BOUNDS = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

type Cumulative = "cumCount" | "cumMax" | "cumMin" | "cumProd" | "cumSum";

function cumulative(method: Cumulative): FunctionSpec {
  return {
    args: [1, 1],
    options: ["reverse"],
    build: (call) => call.expr(0)[method](call.bool("reverse", false)),
  };
}

function rank(call: Call): pl.Expr {
  const input = call.expr(0);
  const method = call.string("method", RANK_METHODS, "average");
  const descending = call.bool("descending", false);
  const seed = call.maybeInt("seed", SEED_BOUNDS);
  // nodejs-polars' rank() takes no seed; the native method does (as Python Polars' rank).
  return _Expr(input._expr.rank(method, descending, seed === undefined ? null : BigInt(seed)));
}

function fillNull(call: Call): pl.Expr {
  const input = call.expr(0);
  const strategy = call.maybeString("strategy", FILL_STRATEGIES);
  if (strategy !== undefined) {
    if (call.has(1)) call.fail(1, "be unset when 'strategy' is set", call.kind(1));
    const limit = call.maybeInt("limit", { min: 0, max: U32_MAX });
    return _Expr(input._expr.fillNullWithStrategy(strategy, limit ?? null));
  }
  if (call.has("limit")) call.fail("limit", "be unset without a 'strategy'", "set");
  return input.fillNull(call.expr(1));
}

function over(call: Call): pl.Expr {
  const [first, ...rest] = call.exprs(1);
  if (first === undefined) return call.fail(1, "name at least one partition", "[]");
  return call.expr(0).over(first, ...rest);
}

/** Window, cumulative, shift, rank and fill methods. */
export const CORE_WINDOW_FUNCTIONS: FunctionTable = {
  over: { args: [2, 2], build: over },
  cumCount: cumulative("cumCount"),
  cumMax: cumulative("cumMax"),
  cumMin: cumulative("cumMin"),
  cumProd: cumulative("cumProd"),
  cumSum: cumulative("cumSum"),
  diff: {
    args: [1, 1],
    options: ["n", "nullBehavior"],
    build: (call) =>
      call.expr(0).diff(
        call.int("n", OFFSET_BOUNDS, 1),
        call.string("nullBehavior", NULL_BEHAVIORS, "ignore"),
      ),
  },
  pctChange: {
    args: [1, 2],
    build: (call) =>
      call.expr(0).pctChange(
        call.kind(1) === "expr" ? call.expr(1) : call.int(1, OFFSET_BOUNDS, 1),
      ),
  },
  shift: {
    args: [1, 2],
    build: (call) => {
      // As nodejs-polars: a number becomes a literal; Python Polars also takes an expression.
      const periods = call.kind(1) === "expr"
        ? call.expr(1)
        : pl.lit(call.int(1, OFFSET_BOUNDS, 1));
      return _Expr(call.expr(0)._expr.shift(periods._expr));
    },
  },
  shiftAndFill: {
    args: [3, 3],
    build: (call) =>
      // nodejs-polars types fillValue as a number; the engine takes any plain value.
      call.expr(0).shiftAndFill(
        call.int(1, OFFSET_BOUNDS),
        plainValue(call, 2) as number,
      ),
  },
  rank: { args: [1, 1], options: ["method", "descending", "seed"], build: rank },
  interpolate: {
    args: [1, 1],
    options: ["method"],
    build: (call) => call.expr(0).interpolate(call.string("method", INTERPOLATIONS, "linear")),
  },
  fillNull: { args: [1, 2], options: ["strategy", "limit"], build: fillNull },
  fillNan: { args: [2, 2], build: (call) => call.expr(0).fillNan(call.expr(1)) },
  forwardFill: unary((e) => e.forwardFill()),
  backwardFill: unary((e) => e.backwardFill()),
};
