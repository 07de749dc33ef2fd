/**
 * Wiring of the compute worker, separate from main.ts so tests can start one in-process.
 *
 * @module
 */

import { clientTls } from "../../shared/config_tls.ts";
import { join } from "node:path";
import {
  HandleServiceService,
  HandleWorkerServiceService,
} from "../../shared/gen/polaroid/v1/handles.ts";
import type { ComputeConfig } from "../../shared/config.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { connectNats, NATS_INBOX_PREFIX } from "../../shared/nats.ts";
import { newIncarnation } from "../../shared/ids.ts";
import { type RunningService, startService } from "../../shared/service.ts";
import { prom } from "../../shared/telemetry/metrics.ts";
import { dataFrameService, type DataFrameServiceDeps, planExecutor } from "./dataframe_service.ts";
import { FrameStore } from "./frames.ts";
import { handleService } from "./handle_service.ts";
import { JobQueue } from "./jobs_queue.ts";
import { JobRunner } from "./jobs_runner.ts";
import { jobService } from "./jobs_service.ts";
import { PlanCache } from "./plan_cache.ts";
import { HandleResolver } from "./resolver.ts";
import { HandleSync } from "./handle_sync.ts";
import { WorkerLease } from "./worker_lease.ts";
import { createStreamMetrics } from "./stream_metrics.ts";
import { openStateStore } from "../../shared/state_store/open.ts";
import { LiveTables } from "./live_tables.ts";
import { openOutputs } from "./sink/open.ts";

/** Starts a compute worker with the given configuration. */
export function startCompute(config: ComputeConfig): Promise<RunningService> {
  return startService({
    name: "compute",
    config,
    async build({ logger, registry }) {
      const dataRoot = await realDataRoot(config.dataRoot);
      // This worker's own spill directory: what a crashed run of it left there is stale.
      const spillDir = join(config.spillDir, config.workerId);
      await Deno.remove(spillDir, { recursive: true }).catch(() => {});
      const store = config.handleStore === "external" && config.stateStore
        ? await openStateStore(config.stateStore)
        : undefined;
      // Live tables are read from the same store when handles use it, else from their own.
      const liveStore = store ??
        (config.liveStore ? await openStateStore(config.liveStore) : undefined);
      const liveTables = new LiveTables({
        store: liveStore,
        maxTableBytes: config.limits.maxResultBytes,
      });
      // With the external store, the frames in memory are a cache of it.
      const frames = store
        ? new FrameStore({ maxBytes: config.cacheBytes, evictable: true })
        : new FrameStore({ maxBytes: config.limits.maxWorkerBytes });
      // While the handles service restarts, calls wait for it (within their deadline)
      // instead of failing at once.
      const tls = clientTls(config.tls);
      const token = {
        ...(config.auth.serviceToken === undefined ? {} : { token: config.auth.serviceToken }),
        ...(tls === undefined ? {} : { tls }),
      };
      const handles = new RpcClient(config.handlesEndpoint, HandleServiceService, {
        ...token,
        timeoutMs: 10_000,
        maxMessageBytes: config.maxMessageBytes,
        waitForReady: true,
      });
      // Leases and reconciliation: calls only workers make (not passed through to clients).
      const workers = new RpcClient(config.handlesEndpoint, HandleWorkerServiceService, {
        ...token,
        timeoutMs: 10_000,
      });
      const planCache = new PlanCache({ maxEntries: config.planCacheEntries });
      const nats = await connectNats(config.natsUrl, {
        name: `polaroid-${config.workerId}`,
        inboxPrefix: NATS_INBOX_PREFIX.compute,
        ...(config.natsAuth ? { auth: config.natsAuth } : {}),
      });
      const sync = HandleSync.start({
        nats,
        workers,
        frames,
        planCache,
        logger,
        intervalMs: config.reconcileIntervalMs,
      });
      const incarnation = newIncarnation();
      const lease = new WorkerLease({
        workers,
        workerId: config.workerId,
        incarnation,
        logger,
        onLapsed: () => sync.reconcileSoon(),
      });
      new prom.Gauge({
        name: "polaroid_compute_catalog_synced",
        help:
          "1 while this worker serves held frames without asking the catalog; 0 while freed events may have been missed (NATS down, or not reconciled since it came back) and each use is checked.",
        registers: [registry],
        collect() {
          this.set(sync.trusted ? 1 : 0);
        },
      });
      new prom.Gauge({
        name: "polaroid_compute_reconciliations",
        help:
          "Reconciliations of the held frames with the catalog since start, by outcome (done, failed), and the frames they dropped (dropped).",
        labelNames: ["result"],
        registers: [registry],
        collect() {
          this.set({ result: "done" }, sync.stats.reconciliations);
          this.set({ result: "failed" }, sync.stats.failures);
          this.set({ result: "dropped" }, sync.stats.dropped);
        },
      });
      new prom.Gauge({
        name: "polaroid_compute_frames",
        help: "Frames held by this worker.",
        registers: [registry],
        collect() {
          this.set(frames.size);
        },
      });
      new prom.Gauge({
        name: "polaroid_compute_frame_bytes",
        help: "Estimated bytes of the frames held by this worker.",
        registers: [registry],
        collect() {
          this.set(frames.bytes);
        },
      });
      new prom.Gauge({
        name: "polaroid_plan_cache_lookups",
        help: "Plan cache lookups since start, by result (hit, miss, skipped).",
        labelNames: ["result"],
        registers: [registry],
        collect() {
          const { hits, misses, skipped } = planCache.stats;
          this.set({ result: "hit" }, hits);
          this.set({ result: "miss" }, misses);
          this.set({ result: "skipped" }, skipped);
        },
      });
      new prom.Gauge({
        name: "polaroid_plan_cache_hit_ratio",
        help: "Plan cache hits over lookups since start (0 before the first lookup).",
        registers: [registry],
        collect() {
          const { hits, misses } = planCache.stats;
          this.set(hits + misses === 0 ? 0 : hits / (hits + misses));
        },
      });
      new prom.Gauge({
        name: "polaroid_plan_cache_entries",
        help: "Plans whose results the plan cache holds.",
        registers: [registry],
        collect() {
          this.set(planCache.stats.entries);
        },
      });
      const resolver = new HandleResolver({
        frames,
        handles,
        workerId: config.workerId,
        logger,
        sync,
        ...(store ? { store } : {}),
      });
      new prom.Gauge({
        name: "polaroid_frame_cache_lookups",
        help:
          "Handles read by plans since start: found in memory (hit), loaded from the state store (miss), dropped to make room (eviction).",
        labelNames: ["result"],
        registers: [registry],
        collect() {
          this.set({ result: "hit" }, resolver.stats.hits);
          this.set({ result: "miss" }, resolver.stats.misses);
          this.set({ result: "eviction" }, frames.evictions);
        },
      });
      logger.info("configured", {
        worker: config.workerId,
        dataRoot,
        store: config.handleStore,
        ...(store ? { stateStore: store.kind } : {}),
      });
      const outputs = await openOutputs(config.output);
      new prom.Gauge({
        name: "polaroid_sink_engines_running",
        help:
          "Sinks whose engine is writing, those whose call ended (cancelled, past its deadline, over POLAROID_MAX_OUTPUT_BYTES) included: nodejs-polars cannot stop a running sink.",
        registers: [registry],
        collect() {
          this.set(outputs.engines.running);
        },
      });
      const deps: DataFrameServiceDeps = {
        config: { ...config, spillDir },
        dataRoot,
        frames,
        resolver,
        handles,
        planCache,
        incarnation,
        metrics: createStreamMetrics(registry),
        ...(store ? { store } : {}),
        outputs,
        liveTables,
      };
      const jobs = await JobQueue.open(nats, config.jobs);
      const runner = new JobRunner({
        queue: jobs,
        execute: planExecutor(deps),
        handles,
        workerId: config.workerId,
        logger,
        ...config.jobs,
      });
      runner.start();
      // Before serving: a restart's first heartbeat marks what the previous process held lost.
      await lease.start();
      return {
        bindings: [
          dataFrameService(deps),
          handleService(handles, frames),
          jobService(jobs, config.limits),
        ],
        async close() {
          await runner.stop();
          await lease.end();
          await sync.close();
          await nats.drain();
          handles.close();
          workers.close();
          frames.clear();
          frames.close();
          await store?.close();
          if (liveStore !== store) await liveStore?.close();
          outputs.s3?.writer.close();
          await Deno.remove(spillDir, { recursive: true }).catch(() => {});
        },
      };
    },
  });
}

/** The data root as an absolute real path, created if missing. */
async function realDataRoot(path: string): Promise<string> {
  await Deno.mkdir(path, { recursive: true });
  return await Deno.realPath(path);
}
