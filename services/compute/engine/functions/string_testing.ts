/**
 * Test helpers of the namespace tables (`str`, `dt`, `lst`, `struct`): FunctionCall
 * arguments, method calls, a sample frame run through the engine, and refusal checks.
 *
 * @module
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidPlanError, QueryError } from "../../../../shared/errors.ts";
import type { Arg, Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import type { DataType } from "../../../../shared/gen/polaroid/v1/types.ts";
import { arrowView, E, P, run } from "../_testing.ts";

/** Arguments of a FunctionCall. */
export const A = {
  e: (value: Expr): Arg => ({ value: { $case: "expr", value } }),
  int: (value: number | bigint): Arg => ({ value: { $case: "int", value: BigInt(value) } }),
  float: (value: number): Arg => ({ value: { $case: "float", value } }),
  str: (value: string): Arg => ({ value: { $case: "string", value } }),
  bool: (value: boolean): Arg => ({ value: { $case: "bool", value } }),
  null: (): Arg => ({ value: { $case: "null", value: {} } }),
  list: (...items: Arg[]): Arg => ({ value: { $case: "list", value: { items } } }),
  dtype: (value: DataType): Arg => ({ value: { $case: "dtype", value } }),
};

/** The method `name` called on `receiver`. */
export function m(
  name: string,
  receiver: Expr,
  args: Arg[] = [],
  options: Record<string, Arg> = {},
): Expr {
  return { kind: { $case: "function", value: { name, args: [A.e(receiver), ...args], options } } };
}

/** `expr.alias(name)`. */
export function named(expr: Expr, name: string): Expr {
  return { kind: { $case: "alias", value: { input: expr, name } } };
}

/** `col(name)`. */
export const col = E.col;

/** Runs `select(exprs)` over `frame` through the engine. */
export function select(frame: pl.DataFrame, ...exprs: Expr[]): Promise<pl.DataFrame> {
  return run(P.select(P.handle("t"), exprs), { t: frame });
}

/** One column's exact values as Arrow gives them (temporal values in raw units, bigint). */
export function values(df: pl.DataFrame, name: string): unknown[] {
  const view = arrowView(df.select(name));
  return view.columns[0]!;
}

/** The Arrow type of one column, e.g. "Timestamp<NANOSECOND, America/New_York>". */
export function typeOf(df: pl.DataFrame, name: string): string {
  return arrowView(df.select(name)).fields[0]!.replace(`${name}: `, "");
}

/** Asserts the plan is refused before it runs, with a message matching `pattern`. */
export async function refused(
  frame: pl.DataFrame,
  expr: Expr,
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(select(frame, expr), (e: unknown) => {
    assert.ok(e instanceof InvalidPlanError, `expected InvalidPlanError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Asserts the query fails while it runs, with a message matching `pattern`. */
export async function failsAtRun(
  frame: pl.DataFrame,
  expr: Expr,
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(select(frame, expr), (e: unknown) => {
    assert.ok(e instanceof QueryError, `expected QueryError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** An exact Int64 series (the typings do not admit BigInt64Array). */
export function int64(name: string, data: bigint[]): pl.Series {
  return pl.Series(name, BigInt64Array.from(data) as unknown as number[], pl.Int64);
}
