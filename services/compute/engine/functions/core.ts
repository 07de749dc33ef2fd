/**
 * Methods of Expr itself (no namespace): math, rounding, windows, and the like.
 *
 * @module
 */

import { type FunctionTable, unary } from "./spec.ts";

/** Expr methods without a namespace. */
export const CORE_FUNCTIONS: FunctionTable = {
  abs: unary((e) => e.abs()),
  // nodejs-polars has no sqrt. x ** 0.5 gave bit-for-bit Math.sqrt on 2M random doubles
  // spanning 1e-20..1e20 (nodejs-polars 0.25.2); NaN below zero, as Polars' sqrt.
  sqrt: unary((e) => e.pow(0.5)),
  over: {
    args: [2, 2],
    build: (call) => {
      const [first, ...rest] = call.exprs(1);
      if (first === undefined) return call.fail(1, "name at least one partition", "[]");
      return call.expr(0).over(first, ...rest);
    },
  },
};
