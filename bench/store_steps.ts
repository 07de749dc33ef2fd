/**
 * The store part of `deno task bench`: the per-step cost of a pipeline with the external
 * handle stores against the memory store (bench/scaleout_pipeline.ts, a fresh one-worker
 * cluster per store). Targets: a directory step ≤ 1.5×, an S3 step ≤ 3× a memory step.
 *
 * @module
 */

import { tableFromIPC } from "apache-arrow";
import { factFrame } from "./data.ts";
import { type PipelineResult, runPipelines, type StoreKind } from "./scaleout_pipeline.ts";
import { atMost, type Target } from "./targets.ts";

/** The target of each external store's median step over the memory store's. */
export const STORE_TARGETS: Readonly<Record<Exclude<StoreKind, "memory">, Target>> = {
  fs: atMost(1.5),
  s3: atMost(3),
};

/** The store part's figures. */
export interface StoreReport {
  rows: number;
  steps: number;
  reps: number;
  pipeline: PipelineResult[];
}

/** Options of runStore(). */
export interface StoreOptions {
  rows: number;
  steps: number;
  reps: number;
  log: (line: string) => void;
}

/** Runs the pipeline with each store on a factFrame of `rows` rows. */
export async function runStore(options: StoreOptions): Promise<StoreReport> {
  const { rows, steps, reps, log } = options;
  const table = tableFromIPC(factFrame(rows).writeIPCStream());
  // As bench:scaleout: no plan cache, so every step runs.
  const env = { POLAROID_PLAN_CACHE_ENTRIES: "0", POLAROID_LOG_LEVEL: "warn" };
  const pipeline = await runPipelines({ table, steps, reps, env, log, writeBehind: true });
  return { rows, steps, reps, pipeline };
}
