/**
 * Plans: one proto Plan tree → ONE nodejs-polars LazyFrame, so Polars optimises the whole
 * query (predicate and projection pushdown into scans). What each node becomes is its spec's
 * build() (nodes/registry.ts); the tree is walked here without recursion, inputs first.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { ComputeLimits } from "../../../shared/config_limits.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { Held } from "./frame_access.ts";
import { nodeSpec } from "./nodes/registry.ts";
import type { BuildContext } from "./nodes/spec.ts";

export { DEFAULT_JOIN_SUFFIX } from "./plan_join.ts";

/** What a plan runs against. */
export interface EngineContext {
  /** Frames of the handles the plan references (the caller resolved them). */
  frames: ReadonlyMap<string, Held>;
  /** Absolute, real path of the data root; scans must stay inside it. */
  dataRoot: string;
  limits: ComputeLimits;
  /**
   * Runs the plan's collect on the engine the request asks for (engine_gate.ts).
   * @default the collect as it is, on the process's engine
   */
  collect?: <T>(run: () => Promise<T>) => Promise<T>;
  /**
   * Runs a peek's synchronous collect on the in-memory engine (engine_gate.ts).
   * @default the collect as it is
   */
  peek?: <T>(run: () => T) => T;
  /** The request asks for the engine that is not the process's default. @default false */
  otherEngine?: boolean;
}

/** Options of the builder. */
export interface BuildOptions {
  /** Read every source with no rows (the result has the plan's schema and no data). */
  empty: boolean;
  /**
   * Results of the nodes that run before the plan (pivot, statistical tests), by node
   * message: preparePlan() (prepare.ts) fills them. @default none
   */
  ran?: ReadonlyMap<object, pl.DataFrame>;
}

const NONE: ReadonlyMap<object, pl.DataFrame> = new Map();

/**
 * The LazyFrame of a plan the analysis accepted (analyze.ts) and whose pivots and
 * statistical tests ran (prepare.ts). Walks the tree iteratively: each node is built once
 * its inputs are, so no plan depth grows the call stack here (the engine's own planning is
 * bounded by ENGINE_MAX_DEPTH, see validate.ts).
 */
export function buildPlanFrame(
  plan: Plan,
  sources: Omit<EngineContext, "limits"> & { limits?: ComputeLimits },
  options: BuildOptions,
): pl.LazyDataFrame {
  const ctx: BuildContext = {
    frames: sources.frames,
    dataRoot: sources.dataRoot,
    empty: options.empty,
    ran: options.ran ?? NONE,
    ...(sources.limits ? { limits: sources.limits } : {}),
  };
  const built = new Map<Plan, pl.LazyDataFrame>();
  const stack: { plan: Plan; open: boolean }[] = [{ plan, open: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (built.has(top.plan)) continue;
    const { spec, value } = nodeSpec(top.plan);
    // A node that already ran is built from its result, not from its inputs.
    const inputs = ctx.ran.has(value) ? [] : spec.inputs(value);
    if (!top.open) {
      stack.push({ plan: top.plan, open: true });
      for (let i = inputs.length - 1; i >= 0; i--) stack.push({ plan: inputs[i]!, open: false });
      continue;
    }
    built.set(top.plan, spec.build(value, inputs.map((input) => built.get(input)!), ctx));
  }
  return built.get(plan)!;
}
