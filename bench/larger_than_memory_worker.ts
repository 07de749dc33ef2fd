/**
 * The compute worker of the larger-than-memory benchmark: joins the cgroup named by the
 * BENCH_CGROUP environment variable first (so the cap covers what it allocates from then
 * on), then loads and runs the worker as services/compute/main.ts does.
 *
 * @module
 */

const cgroup = Deno.env.get("BENCH_CGROUP");
if (cgroup) await Deno.writeTextFile(`${cgroup}/cgroup.procs`, String(Deno.pid));

const { loadComputeConfig } = await import("../shared/config.ts");
const { runUntilSignal } = await import("../shared/service.ts");
const { startCompute } = await import("../services/compute/compute.ts");
await runUntilSignal(startCompute(loadComputeConfig(Deno.env.toObject(), Deno.pid)));
