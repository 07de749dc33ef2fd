/**
 * Argument helpers shared by the namespace tables (`str`, `dt`, `lst`, `struct`): plain
 * values turned into literals as nodejs-polars does, exact integer literals, and a guard
 * that fails a query on rows where a data-dependent bound is broken.
 *
 * @module
 */

import pl from "nodejs-polars";
import { buildLiteral } from "../literal.ts";
import type { ArgKey, Call } from "./call.ts";

/**
 * An argument as nodejs-polars' `exprToLitOrExpr` takes it: an expression as is, a plain
 * value as a literal (a number is a Float64 literal, as in nodejs-polars), null or absent as a
 * null literal.
 */
export function exprOrLit(call: Call, key: ArgKey): pl.Expr {
  const kind = call.kind(key);
  switch (kind) {
    case "expr":
      return call.expr(key);
    case "string":
      return pl.lit(call.string(key));
    case "bool":
      return pl.lit(call.bool(key));
    case "int":
    case "uint":
      return pl.lit(call.int(key));
    case "float":
      return pl.lit(call.number(key));
    case "null":
    case undefined:
      return pl.lit(null);
  }
  return call.fail(key, "be an expression or a plain value", kind);
}

/** An expression argument, or a string taken as a string literal (never as a column). */
export function exprOrString(call: Call, key: ArgKey): pl.Expr {
  return call.kind(key) === "string" ? pl.lit(call.string(key)) : call.expr(key);
}

/** An expression argument, or an integer as an Int64 literal. */
export function exprOrInt(
  call: Call,
  key: ArgKey,
  bounds: { min?: number; max?: number } = {},
): pl.Expr {
  return call.kind(key) === "expr" ? call.expr(key) : int64(call.int(key, bounds));
}

/** An exact Int64 literal (no value passes through a double). */
export function int64(value: number | bigint): pl.Expr {
  return buildLiteral({ value: { $case: "int64", value: BigInt(value) } });
}

/**
 * An Int64 zero that fails the query with `message` when `bad` holds on some row: add it to
 * an integer the result depends on. The engine reports the failure as a conversion of the
 * message to an integer, quoting the message.
 */
export function zeroUnless(bad: pl.Expr, message: string): pl.Expr {
  return pl.when(bad).then(pl.lit(message)).otherwise(pl.lit("0")).cast(pl.Int64, true);
}
