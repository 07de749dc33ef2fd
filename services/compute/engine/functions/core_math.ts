/**
 * Element-wise math of Expr: trigonometry, logarithms, powers, rounding, clipping, bounds
 * checks, hashing and bit reinterpretation.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import { SEED_BOUNDS, U32_MAX } from "./core_args.ts";
import type { Call } from "./call.ts";
import { type FunctionTable, unary } from "./spec.ts";

const ROUND_MODES = ["halftoeven", "halfawayfromzero"] as const;
const CLOSED = ["both", "left", "right", "none"] as const;

function isBetween(call: Call): pl.Expr {
  const input = call.expr(0);
  const lower = call.expr(1);
  const upper = call.expr(2);
  const closed = call.string("closed", CLOSED, "both");
  const low = closed === "both" || closed === "left" ? input.gtEq(lower) : input.gt(lower);
  const high = closed === "both" || closed === "right" ? input.ltEq(upper) : input.lt(upper);
  return low.and(high);
}

/** Element-wise math methods. */
export const CORE_MATH_FUNCTIONS: FunctionTable = {
  abs: unary((e) => e.abs()),
  // nodejs-polars has no sqrt. x ** 0.5 gave bit-for-bit Math.sqrt on 2M random doubles
  // spanning 1e-20..1e20 (nodejs-polars 0.25.2); NaN below zero, as Polars' sqrt.
  sqrt: unary((e) => e.pow(0.5)),
  sin: unary((e) => e.sin()),
  cos: unary((e) => e.cos()),
  tan: unary((e) => e.tan()),
  cot: unary((e) => e.cot()),
  arcsin: unary((e) => e.arcsin()),
  arccos: unary((e) => e.arccos()),
  arctan: unary((e) => e.arctan()),
  sinh: unary((e) => e.sinh()),
  cosh: unary((e) => e.cosh()),
  tanh: unary((e) => e.tanh()),
  arcsinh: unary((e) => e.arcsinh()),
  arccosh: unary((e) => e.arccosh()),
  arctanh: unary((e) => e.arctanh()),
  degrees: unary((e) => e.degrees()),
  radians: unary((e) => e.radians()),
  exp: unary((e) => e.exp()),
  log1p: unary((e) => e.log1p()),
  ceil: unary((e) => e.ceil()),
  floor: unary((e) => e.floor()),
  isNan: unary((e) => e.isNan()),
  isNotNan: unary((e) => e.isNotNan()),
  isFinite: unary((e) => e.isFinite()),
  isInfinite: unary((e) => e.isInfinite()),
  toPhysical: unary((e) => e.toPhysical()),
  arctan2: { args: [2, 2], build: (call) => call.expr(0).arctan2(call.expr(1)) },
  dot: { args: [2, 2], build: (call) => call.expr(0).dot(call.expr(1)) },
  log: {
    args: [1, 1],
    options: ["base"],
    build: (call) => call.expr(0).log(call.number("base", {}, Math.E)),
  },
  pow: {
    args: [2, 2],
    build: (call) => call.expr(0).pow(call.number(1)),
  },
  round: {
    args: [1, 1],
    options: ["decimals", "mode"],
    build: (call) =>
      call.expr(0).round(
        call.int("decimals", { min: 0, max: U32_MAX }),
        call.string("mode", ROUND_MODES, "halftoeven"),
      ),
  },
  // Either bound may be null (no bound), as Polars' clip.
  clip: {
    args: [3, 3],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.clip(
          (call.maybeExpr(1) ?? pl.lit(null))._expr,
          (call.maybeExpr(2) ?? pl.lit(null))._expr,
        ),
      ),
  },
  // Missing from nodejs-polars; Python Polars' is_between(lower, upper, closed="both").
  isBetween: { args: [3, 3], options: ["closed"], build: isBetween },
  reinterpret: {
    args: [1, 1],
    options: ["signed"],
    build: (call) => call.expr(0).reinterpret(call.bool("signed", true)),
  },
  hash: {
    args: [5, 5],
    build: (call) =>
      call.expr(0).hash(
        call.int(1, SEED_BOUNDS),
        call.int(2, SEED_BOUNDS),
        call.int(3, SEED_BOUNDS),
        call.int(4, SEED_BOUNDS),
      ),
  },
};
