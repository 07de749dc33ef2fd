/**
 * Peeks: plans that only cut a few rows out of frames the worker holds (head, tail, slice,
 * with column picks, renames and casts on top). Their cost is about their output, so they
 * run on the calling thread instead of Polars' pool, which saves a thread hop on the most
 * frequent small request (`df.head(10)`).
 *
 * @module
 */

import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";

/** The largest output a peek may have. */
export const PEEK_MAX_ROWS = 10_000;

/** True when the plan is a bounded slice of held frames (see the module doc). */
export function isPeek(plan: Plan, maxRows = PEEK_MAX_ROWS): boolean {
  let bounded = false;
  let node = plan.node;
  for (;;) {
    if (!node) return false;
    switch (node.$case) {
      case "slice": {
        const length = node.value.length;
        // A later (outer) bound already limits the output; an inner one may too.
        if (length !== undefined && length <= BigInt(maxRows) && node.value.offset >= 0n) {
          bounded = true;
        }
        node = node.value.input?.node;
        break;
      }
      case "tail":
        if (node.value.n <= BigInt(maxRows)) bounded = true;
        node = node.value.input?.node;
        break;
      case "select":
        if (!node.value.exprs.every(isColumnPick)) return false;
        node = node.value.input?.node;
        break;
      case "drop":
      case "rename":
      case "cast":
        node = node.value.input?.node;
        break;
      case "scan":
        return bounded && node.value.source?.$case === "handle";
      default:
        return false;
    }
  }
}

/** A column, possibly renamed or cast: nothing that reads more rows than it returns. */
function isColumnPick(expr: Expr): boolean {
  const kind = expr.kind;
  if (!kind) return false;
  switch (kind.$case) {
    case "column":
      return true;
    case "alias":
    case "cast":
      return kind.value.input !== undefined && isColumnPick(kind.value.input);
    default:
      return false;
  }
}
