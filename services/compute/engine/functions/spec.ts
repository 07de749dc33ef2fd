/**
 * The shape of a registered function: arity, options and builder.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { Call } from "./call.ts";

/** How one function is called and built. */
export interface FunctionSpec {
  /** Positional arguments (a method's receiver included): at least `[0]`, at most `[1]`. */
  args: readonly [min: number, max: number];
  /** Names of the options it accepts. @default [] */
  options?: readonly string[];
  /** The nodejs-polars expression; argument accessors throw InvalidPlanError. */
  build(call: Call): pl.Expr;
}

/** Functions by name ("abs", "str.contains", "pl.concatList"). */
export type FunctionTable = Readonly<Record<string, FunctionSpec>>;

/** A method taking no argument but its receiver. */
export function unary(build: (input: pl.Expr) => pl.Expr): FunctionSpec {
  return { args: [1, 1], build: (call) => build(call.expr(0)) };
}
