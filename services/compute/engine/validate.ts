/**
 * Plan validation: structure (every node well formed) and size (node count, nesting depth,
 * literal sizes), by the one analysis pass (analyze.ts); and the depth the engine can plan.
 *
 * @module
 */

import type { ComputeLimits } from "../../../shared/config_limits.ts";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { type AnalysisLimits, analyzePlan, type PlanShape } from "./analyze.ts";

export type { PlanShape } from "./analyze.ts";

/**
 * Deepest nesting the engine runs, counting plan nodes and the expression nodes below the
 * deepest of them together. Polars plans and resolves a query recursively on a worker
 * thread with a small stack; measured on nodejs-polars 0.25.2, a chain of ~1800 group-bys
 * (or ~3500 with_columns) overflows it, which aborts the process. Plans deeper than this
 * validate (within `maxPlanDepth`) but are refused before they reach the engine.
 */
export const ENGINE_MAX_DEPTH = 1000;

/**
 * Checks the plan's structure and measures it (see analyzePlan): InvalidPlanError for a
 * malformed node, LimitExceededError over the node, depth or literal limits.
 */
export function inspectPlan(plan: Plan, limits: AnalysisLimits): PlanShape {
  return analyzePlan(plan, limits).shape;
}

/**
 * Node/expression count, depth and literal limits; malformed plans (missing input, unset
 * oneof, unknown enum) → InvalidPlanError; over limits → LimitExceededError. Iterative: safe
 * for any depth.
 */
export function validatePlan(plan: Plan, limits: ComputeLimits): void {
  analyzePlan(plan, limits);
}

/** Refuses a plan the engine cannot plan without overflowing its stack (ENGINE_MAX_DEPTH). */
export function checkEngineDepth(shape: PlanShape): void {
  if (shape.combinedDepth > ENGINE_MAX_DEPTH) {
    throw new LimitExceededError(
      `Cannot run the plan as the engine runs plans nested at most ${ENGINE_MAX_DEPTH} deep (plan and expression nodes together): current value is ${shape.combinedDepth}`,
    );
  }
}
