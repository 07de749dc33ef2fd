/**
 * Structure of plans and expressions: the children of each node, and iterative traversals
 * (a plan may nest thousands of levels; nothing here recurses).
 *
 * @module
 */

import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";

/** The input plans of a plan node, in order (absent inputs are left out). */
export function planInputs(plan: Plan): Plan[] {
  const node = plan.node;
  if (!node) return [];
  switch (node.$case) {
    case "scan":
      return [];
    case "join":
      return present([node.value.left, node.value.right]);
    default:
      return present([node.value.input]);
  }
}

/** The expressions a plan node holds directly, in order (absent ones are left out). */
export function planExprs(plan: Plan): Expr[] {
  const node = plan.node;
  if (!node) return [];
  switch (node.$case) {
    case "filter":
      return present([node.value.predicate]);
    case "select":
    case "withColumns":
      return node.value.exprs;
    case "sort":
      return node.value.by;
    case "groupBy":
      return [...node.value.keys, ...node.value.aggs];
    case "join":
      return [...node.value.leftOn, ...node.value.rightOn];
    default:
      return [];
  }
}

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
    case "when":
      return present([
        ...kind.value.branches.flatMap((b) => [b.when, b.then]),
        kind.value.otherwise,
      ]);
    default:
      return present([kind.value.input]);
  }
}

/** Every plan node, parents before children, inputs in order. */
export function* walkPlan(root: Plan): Generator<Plan> {
  const stack: Plan[] = [root];
  while (stack.length > 0) {
    const plan = stack.pop()!;
    yield plan;
    const inputs = planInputs(plan);
    for (let i = inputs.length - 1; i >= 0; i--) stack.push(inputs[i]!);
  }
}

/** Every handle id referenced by Scan nodes (deduplicated, in order of appearance). */
export function planHandleIds(plan: Plan): string[] {
  const ids = new Set<string>();
  for (const node of walkPlan(plan)) {
    if (node.node?.$case === "scan" && node.node.value.source?.$case === "handle") {
      ids.add(node.node.value.source.value);
    }
  }
  return [...ids];
}

function present<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
