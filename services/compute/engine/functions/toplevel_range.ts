/**
 * `pl.intRange` and `pl.intRanges`: ranges whose length is bounded before they run (from
 * literal ends) or while they run (from computed ends), so no plan can make the engine
 * allocate more than MAX_GENERATED values.
 *
 * @module
 */

import pl from "nodejs-polars";
import { failWhen, INTEGER_TYPES, MAX_GENERATED } from "./core_args.ts";
import type { Call } from "./call.ts";
import type { FunctionTable } from "./spec.ts";

const SAFE = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

function step(call: Call): number {
  const n = call.int("step", SAFE, 1);
  if (n === 0) call.fail("step", "not be 0", n);
  return n;
}

function integerType(call: Call): pl.DataType {
  if (!call.has("dtype")) return pl.Int64;
  const dtype = call.dtype("dtype");
  if (!INTEGER_TYPES.has(dtype.variant)) call.fail("dtype", "be an integer type", dtype.variant);
  return dtype;
}

/** An end of a range: a literal integer (as nodejs-polars' lit) or an expression. */
function end(call: Call, key: number): { expr: pl.Expr; value?: number } {
  if (call.kind(key) === "expr") return { expr: call.expr(key) };
  const value = call.int(key, SAFE);
  return { expr: pl.lit(value), value };
}

const TOO_LONG = `Cannot build a range as it must hold at most ${MAX_GENERATED} values`;

function intRange(call: Call): pl.Expr {
  const start = end(call, 0);
  const stop = end(call, 1);
  const by = step(call);
  const dtype = integerType(call);
  const limit = MAX_GENERATED * Math.abs(by);
  if (start.value !== undefined && stop.value !== undefined) {
    if (Math.abs(stop.value - start.value) > limit) {
      call.fail(1, `make a range of at most ${MAX_GENERATED} values`, stop.value);
    }
    return pl.intRange(start.expr, stop.expr, by, dtype);
  }
  const span = stop.expr.cast(pl.Float64).sub(start.expr.cast(pl.Float64)).abs();
  return pl.intRange(start.expr, failWhen(stop.expr, span.gt(pl.lit(limit)), TOO_LONG), by, dtype);
}

function intRanges(call: Call): pl.Expr {
  const start = end(call, 0).expr;
  const stop = end(call, 1).expr;
  const by = step(call);
  const dtype = integerType(call);
  const total = stop.cast(pl.Float64).sub(start.cast(pl.Float64)).abs().sum();
  const guarded = failWhen(stop, total.gt(pl.lit(MAX_GENERATED * Math.abs(by))), TOO_LONG);
  return pl.intRanges(start, guarded, by, dtype);
}

/** Integer ranges. */
export const TOPLEVEL_RANGE_FUNCTIONS: FunctionTable = {
  "pl.intRange": { args: [2, 2], options: ["step", "dtype"], build: intRange },
  "pl.intRanges": { args: [2, 2], options: ["step", "dtype"], build: intRanges },
};
