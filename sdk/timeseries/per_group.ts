/**
 * `perGroup()`: an expression evaluated per symbol, the one way the time-series and finance
 * code keeps shifts, fills and windows from crossing from one symbol to the next.
 *
 * @module
 */

import type { Expr } from "../expr/expr.ts";

/** `expr` evaluated per group of `by` (as it is when `by` is empty). */
export function perGroup(expr: Expr, by: readonly string[]): Expr {
  return by.length === 0 ? expr : expr.over([...by]);
}
