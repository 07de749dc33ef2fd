/**
 * Structure of expressions: the children of each expression node (plan nodes' inputs and
 * expressions are their specs', see nodes/registry.ts). Nothing here recurses.
 *
 * @module
 */

import { UnimplementedError } from "../../../shared/errors.ts";
import type { Arg, Expr } from "../../../shared/gen/polaroid/v1/expr.ts";

/** The sub-expressions of an expression, in order (absent ones are left out). */
export function exprChildren(expr: Expr): Expr[] {
  const kind = expr.kind;
  if (!kind) return [];
  switch (kind.$case) {
    case "column":
    case "literal":
    case "len":
      return [];
    case "binary":
      return present([kind.value.left, kind.value.right]);
    case "function":
      return argExprs([...kind.value.args, ...Object.values(kind.value.options)]);
    case "when":
      return present([
        ...kind.value.branches.flatMap((b) => [b.when, b.then]),
        kind.value.otherwise,
      ]);
    case "aggregate":
      return present([kind.value.input, kind.value.quantileExpr]);
    case "unary":
    case "alias":
    case "cast":
      return present([kind.value.input]);
    default: {
      // A case added to the proto and not here: every walk would miss its children.
      const unknown: never = kind;
      throw new UnimplementedError(
        `Cannot read the expression as its '${
          (unknown as { $case: string }).$case
        }' node is not implemented yet`,
      );
    }
  }
}

/** The expressions among function arguments, lists flattened (iteratively), in order. */
export function argExprs(args: readonly Arg[]): Expr[] {
  const out: Expr[] = [];
  const stack: Arg[] = [...args].reverse();
  while (stack.length > 0) {
    const value = stack.pop()!.value;
    if (value?.$case === "expr") out.push(value.value);
    else if (value?.$case === "list") {
      for (let i = value.value.items.length - 1; i >= 0; i--) stack.push(value.value.items[i]!);
    }
  }
  return out;
}

function present<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
