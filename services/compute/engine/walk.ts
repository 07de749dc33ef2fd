/**
 * Structure of plans and expressions: the children of each node, and iterative traversals
 * (a plan may nest thousands of levels; nothing here recurses).
 *
 * @module
 */

import type { Arg, Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";

/** The input plans of a plan node, in order (absent inputs are left out). */
export function planInputs(plan: Plan): Plan[] {
  const node = plan.node;
  if (!node) return [];
  switch (node.$case) {
    case "scan":
      return [];
    case "join":
    case "joinAsof":
      return present([node.value.left, node.value.right]);
    case "concat":
      return node.value.inputs;
    case "sql":
      return Object.values(node.value.tables);
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
    case "explode":
      return node.value.columns;
    case "groupByDynamic":
      return [...node.value.by, ...node.value.aggs];
    case "groupByRolling":
      return present([node.value.indexColumn, ...node.value.by, ...node.value.aggs]);
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
    case "function":
      return argExprs([...kind.value.args, ...Object.values(kind.value.options)]);
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
