/**
 * The functions an Expr FunctionCall may name, gathered from one table per family. Each
 * entry says how many positional arguments it takes (the receiver of a method counts as the
 * first), which options it accepts, and how it becomes a nodejs-polars expression.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { InvalidPlanError } from "../../../../shared/errors.ts";
import type { FunctionCall } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { type BuildExpr, Call } from "./call.ts";
import { CORE_FUNCTIONS } from "./core.ts";
import { DATETIME_FUNCTIONS } from "./datetime.ts";
import { LIST_FUNCTIONS } from "./list.ts";
import { STRING_FUNCTIONS } from "./string.ts";
import { STRUCT_FUNCTIONS } from "./struct.ts";
import { TOPLEVEL_FUNCTIONS } from "./toplevel.ts";
import type { FunctionSpec, FunctionTable } from "./spec.ts";

function merge(tables: readonly FunctionTable[]): ReadonlyMap<string, FunctionSpec> {
  const all = new Map<string, FunctionSpec>();
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (all.has(name)) throw new Error(`Function ${name} is registered twice`);
      all.set(name, spec);
    }
  }
  return all;
}

/** Every function the engine runs. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = merge([
  CORE_FUNCTIONS,
  STRING_FUNCTIONS,
  DATETIME_FUNCTIONS,
  LIST_FUNCTIONS,
  STRUCT_FUNCTIONS,
  TOPLEVEL_FUNCTIONS,
]);

/** The nodejs-polars expression of a call (checked by checks.ts first). */
export function buildFunction(fn: FunctionCall, build: BuildExpr): pl.Expr {
  const spec = FUNCTIONS.get(fn.name);
  if (spec === undefined) {
    throw new InvalidPlanError(
      `Cannot run the plan as 'function.name' must name a known function: current value is ${
        JSON.stringify(fn.name.slice(0, 100))
      }`,
    );
  }
  return spec.build(new Call(fn.name, fn.args, fn.options, build));
}
