/**
 * The compute worker: DataFrameService (and HandleService passed through to the handles
 * service) over gRPC; frames held in memory under handles; freed when the catalog says so.
 *
 * Run: deno run -A --v8-flags=--expose-gc services/compute/main.ts
 *
 * @module
 */

import { loadComputeConfig } from "../../shared/config.ts";
import { runUntilSignal } from "../../shared/service.ts";
import { startCompute } from "./compute.ts";

if (import.meta.main) {
  await runUntilSignal(startCompute(loadComputeConfig(Deno.env.toObject(), Deno.pid)));
}
