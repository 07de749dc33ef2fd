/**
 * Methods of Expr that match or map values (isIn, replace, replaceStrict) and that name
 * or select columns (exclude, keepName, prefix, suffix).
 *
 * @module
 */

import type pl from "nodejs-polars";
import { _Expr, exprToLitOrExpr } from "nodejs-polars";
import { exprOrValues, valuesSeries } from "./core_args.ts";
import type { Call, Scalar } from "./call.ts";
import { type FunctionTable, unary } from "./spec.ts";

/** A value, a list of values or an expression, made an expression as nodejs-polars does. */
function valueExpr(value: pl.Expr | Scalar | Scalar[]): pl.Expr {
  return exprToLitOrExpr(value);
}

function isIn(call: Call): pl.Expr {
  const input = call.expr(0);
  const nullsEquals = call.bool("nullsEquals", false);
  if (call.kind(1) !== "list") return input.isIn(call.expr(1), nullsEquals);
  const values = call.values(1);
  // With a dtype (the SDK sends one for bigint lists) the values are exact; without, they
  // are what nodejs-polars infers from JS values (numbers are Float64).
  if (call.has("dtype")) return input.isIn(valuesSeries(values, call.dtype("dtype")), nullsEquals);
  return input.isIn(values, nullsEquals);
}

function replaceStrict(call: Call): pl.Expr {
  const old = valueExpr(exprOrValues(call, 1));
  const replacement = valueExpr(exprOrValues(call, 2));
  const fallback = call.has("default") ? valueExpr(exprOrValues(call, "default")) : undefined;
  const returnDtype = call.has("returnDtype") ? call.dtype("returnDtype") : undefined;
  // nodejs-polars' wrapper drops a falsy default (0, "", false); the native method does not.
  return _Expr(
    call.expr(0)._expr.replaceStrict(old._expr, replacement._expr, fallback?._expr, returnDtype),
  );
}

/** Value matching and column naming methods. */
export const CORE_VALUES_FUNCTIONS: FunctionTable = {
  isIn: { args: [2, 2], options: ["nullsEquals", "dtype"], build: isIn },
  replace: {
    args: [3, 3],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.replace(
          valueExpr(exprOrValues(call, 1))._expr,
          valueExpr(exprOrValues(call, 2))._expr,
        ),
      ),
  },
  replaceStrict: { args: [3, 3], options: ["default", "returnDtype"], build: replaceStrict },
  exclude: {
    args: [2, 2],
    build: (call) => {
      const [first, ...rest] = call.strings(1);
      if (first === undefined) return call.fail(1, "name at least one column", "[]");
      return call.expr(0).exclude(first, ...rest);
    },
  },
  keepName: unary((e) => e.keepName()),
  prefix: { args: [2, 2], build: (call) => call.expr(0).prefix(call.string(1)) },
  suffix: { args: [2, 2], build: (call) => call.expr(0).suffix(call.string(1)) },
};
