/**
 * Plan validation: structure (every node well formed) and size (node count, nesting depth).
 * Iterative, so a plan of any depth is measured without growing the call stack.
 *
 * @module
 */

import type { ComputeLimits } from "../../../shared/config.ts";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { checkExprNode, checkPlanNode } from "./checks.ts";
import { exprChildren, planExprs, planInputs } from "./walk.ts";

/**
 * Deepest nesting the engine runs, counting plan nodes and the expression nodes below the
 * deepest of them together. Polars plans and resolves a query recursively on a worker
 * thread with a small stack; measured on nodejs-polars 0.25.2, a chain of ~1800 group-bys
 * (or ~3500 with_columns) overflows it, which aborts the process. Plans deeper than this
 * validate (within `maxPlanDepth`) but are refused before they reach the engine.
 */
export const ENGINE_MAX_DEPTH = 1000;

/** Size of a plan. */
export interface PlanShape {
  /** Plan and expression nodes. */
  nodes: number;
  /** Nesting of plan nodes (a lone scan is 1). */
  planDepth: number;
  /** Nesting of the deepest expression tree (a lone column is 1). */
  exprDepth: number;
  /** Plan nesting down to a node plus the nesting of that node's expressions, at most. */
  combinedDepth: number;
}

type Item =
  | { plan: Plan; depth: number }
  | { expr: Expr; depth: number; base: number };

/**
 * Checks the plan's structure and measures it; throws InvalidPlanError for a malformed node
 * (missing input, unset oneof, unknown enum value, bad option) and LimitExceededError as
 * soon as the plan has more than `limits.maxPlanNodes` nodes or nests plan nodes or
 * expressions deeper than `limits.maxPlanDepth`.
 */
export function inspectPlan(plan: Plan, limits: ComputeLimits): PlanShape {
  const shape: PlanShape = { nodes: 0, planDepth: 0, exprDepth: 0, combinedDepth: 0 };
  const stack: Item[] = [{ plan, depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    shape.nodes++;
    if (shape.nodes > limits.maxPlanNodes) {
      throw new LimitExceededError(
        `Cannot run the plan as it must have at most ${limits.maxPlanNodes} nodes: current value is more`,
      );
    }
    if ("plan" in item) {
      tooDeep(item.depth, limits, "plan nodes");
      shape.planDepth = Math.max(shape.planDepth, item.depth);
      shape.combinedDepth = Math.max(shape.combinedDepth, item.depth);
      checkPlanNode(item.plan);
      for (const input of planInputs(item.plan)) stack.push({ plan: input, depth: item.depth + 1 });
      for (const expr of planExprs(item.plan)) stack.push({ expr, depth: 1, base: item.depth });
    } else {
      tooDeep(item.depth, limits, "expressions");
      shape.exprDepth = Math.max(shape.exprDepth, item.depth);
      shape.combinedDepth = Math.max(shape.combinedDepth, item.base + item.depth);
      checkExprNode(item.expr);
      for (const child of exprChildren(item.expr)) {
        stack.push({ expr: child, depth: item.depth + 1, base: item.base });
      }
    }
  }
  return shape;
}

function tooDeep(depth: number, limits: ComputeLimits, what: string): void {
  if (depth > limits.maxPlanDepth) {
    throw new LimitExceededError(
      `Cannot run the plan as it must nest ${what} at most ${limits.maxPlanDepth} deep: current value is more`,
    );
  }
}

/**
 * Node/expression count and depth limits; malformed plans (missing input, unset oneof,
 * unknown enum) → InvalidPlanError; over limits → LimitExceededError. Iterative: safe for
 * any depth.
 */
export function validatePlan(plan: Plan, limits: ComputeLimits): void {
  inspectPlan(plan, limits);
}

/** Refuses a plan the engine cannot plan without overflowing its stack (ENGINE_MAX_DEPTH). */
export function checkEngineDepth(shape: PlanShape): void {
  if (shape.combinedDepth > ENGINE_MAX_DEPTH) {
    throw new LimitExceededError(
      `Cannot run the plan as the engine runs plans nested at most ${ENGINE_MAX_DEPTH} deep (plan and expression nodes together): current value is ${shape.combinedDepth}`,
    );
  }
}
