/**
 * Scale-out, part 1: the per-step cost of one pipeline on one worker with each handle store
 * (memory, external on a directory, external on S3 through s3rver). Each step is a
 * `withColumns` + `filter` over the previous step's handle, collected into a new handle, so
 * with the external store every step also writes its result to the store before the handle
 * exists.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import { col, connect, lit, type RemoteDataFrame } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { startS3rver } from "../shared/state_store/_s3_server.ts";
import { median } from "./stats.ts";

/** The handle stores compared. */
export type StoreKind = "memory" | "fs" | "s3";

/** Options of the pipeline run. */
export interface PipelineOptions {
  /** The base frame, uploaded once per store. */
  table: Table;
  steps: number;
  reps: number;
  /** Environment of every service, e.g. the plan cache off. */
  env: Record<string, string>;
  log: (line: string) => void;
  /**
   * Also runs each external store writing behind (POLAROID_STORE_WRITE=behind, docs/adr/0017).
   * @default false
   */
  writeBehind?: boolean;
}

/** The figures of one store. */
export interface PipelineResult {
  store: StoreKind;
  /** How results reach the external store. @default "through" */
  write?: "through" | "behind";
  uploadMs: number;
  /** Every timed step, in order (reps × steps). */
  stepMs: number[];
  medianStepMs: number;
  /** Median step time divided by the memory store's. */
  ratioToMemory: number;
}

/** Runs the pipeline on a fresh one-worker cluster per store. */
export async function runPipelines(options: PipelineOptions): Promise<PipelineResult[]> {
  const results: PipelineResult[] = [];
  for (const store of ["memory", "fs", "s3"] as const) {
    results.push(await runOne(store, options));
    if (store !== "memory" && options.writeBehind) {
      const env = { ...options.env, POLAROID_STORE_WRITE: "behind" };
      results.push({ ...await runOne(store, { ...options, env }), write: "behind" });
    }
  }
  const memory = results[0]!.medianStepMs;
  for (const r of results) r.ratioToMemory = r.medianStepMs / memory;
  return results;
}

async function runOne(store: StoreKind, options: PipelineOptions): Promise<PipelineResult> {
  const stateDir = store === "fs"
    ? await Deno.makeTempDir({ prefix: "polaroid-bench-state-" })
    : undefined;
  const s3 = store === "s3" ? await startS3rver({ bucket: "polaroid-bench" }) : undefined;
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-data-" });
  try {
    const storeEnv: Record<string, string> = store === "memory"
      ? { POLAROID_HANDLE_STORE: "memory" }
      : stateDir
      ? { POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: stateDir }
      : {
        POLAROID_HANDLE_STORE: "external",
        POLAROID_S3_BUCKET: s3!.bucket,
        POLAROID_S3_ENDPOINT: s3!.endpoint,
        POLAROID_S3_ACCESS_KEY_ID: s3!.accessKeyId,
        POLAROID_S3_SECRET_ACCESS_KEY: s3!.secretAccessKey,
        POLAROID_S3_PATH_STYLE: "true",
      };
    const write = options.env.POLAROID_STORE_WRITE ?? "through";
    options.log(`pipeline: starting a one-worker cluster, store ${store}, writing ${write}`);
    const cluster = await startCluster({
      quiet: true,
      restart: false,
      exitOnSignal: false,
      dataRoot,
      env: { ...options.env, ...storeEnv },
    });
    try {
      await using client = await connect({
        endpoint: cluster.endpoints.compute,
        timeoutMs: 600_000,
      });
      let started = performance.now();
      await using base = await client.fromArrow(options.table);
      const uploadMs = performance.now() - started;
      const stepMs: number[] = [];
      // Rep 0 warms the worker up and is not counted. Every step's filter literal differs
      // between reps, so no two plans are equal even with a plan cache.
      for (let rep = 0; rep <= options.reps; rep++) {
        let previous: RemoteDataFrame = base;
        for (let step = 0; step < options.steps; step++) {
          started = performance.now();
          const next = await previous.lazy()
            .withColumns(col("value").mul(lit(1.000001)).add(lit(step)).alias("value"))
            .filter(col("key").neq(lit((rep * options.steps + step) % 1000)))
            .collect();
          const ms = performance.now() - started;
          if (rep > 0) stepMs.push(ms);
          if (previous !== base) await previous.release();
          previous = next;
        }
        if (previous !== base) await previous.release();
        if (rep > 0) {
          const last = stepMs.slice(-options.steps);
          options.log(
            `pipeline: ${store} rep ${rep}: median step ${median(last).toFixed(1)} ms`,
          );
        }
      }
      return { store, uploadMs, stepMs, medianStepMs: median(stepMs), ratioToMemory: NaN };
    } finally {
      await cluster.stop();
    }
  } finally {
    await s3?.close();
    if (stateDir) await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    await Deno.remove(dataRoot, { recursive: true }).catch(() => {});
  }
}
