/**
 * Field checks shared by the node specs: each failure is an InvalidPlanError in the house
 * message shape ("Cannot run the plan as 'field' must rule: current value is V").
 *
 * @module
 */

import type { Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { fail } from "../checks.ts";
import { isZero, parseDuration } from "../plan_duration.ts";

export { fail, required } from "../checks.ts";

/** The value must be a key of `map` (a known enum value). */
export function known<K>(map: ReadonlyMap<K, unknown>, value: K, field: string): void {
  if (!map.has(value)) fail(field, "be a known enum value", value);
}

/** Every name must be non-empty. */
export function names(values: readonly string[], field: string): void {
  for (const name of values) if (name === "") fail(field, "hold non-empty names", '""');
}

/** The list must have items. */
export function notEmpty(values: readonly unknown[], field: string): void {
  if (values.length === 0) fail(field, "not be empty", "[]");
}

/** A name, when set, must be non-empty. */
export function name(value: string | undefined, field: string): void {
  if (value === "") fail(field, "not be empty", "");
}

/** A duration that must be longer than zero and not negative. */
export function positive(text: string, field: string): void {
  const d = parseDuration(text, field);
  if (d.negative || isZero(d)) fail(field, "be a positive duration", text);
}

/** Whether an expression is a plain column. */
export function isColumn(expr: Expr | undefined): boolean {
  return expr?.kind?.$case === "column";
}
