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
import type { ComputeConfig, StateStoreConfig } from "../../shared/config.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { RegisterStream } from "./register_stream.ts";
import { connectNats, NATS_INBOX_PREFIX } from "../../shared/nats.ts";
import { publishActivity } from "../../shared/telemetry/activity.ts";
import { newIncarnation } from "../../shared/ids.ts";
import { type RunningService, startService } from "../../shared/service.ts";
import { dataFrameService } from "./dataframe_service.ts";
import { flightService } from "./flight/flight_service.ts";
import { PlanExecutor } from "./executor.ts";
import { EngineGate } from "./engine/engine_gate.ts";
import { HeldFrames } from "./held_frames.ts";
import { handleService } from "./handle_service.ts";
import { JobQueue } from "./jobs_queue.ts";
import { JobRunner } from "./jobs_runner.ts";
import { jobService } from "./jobs_service.ts";
import { PlanCache } from "./plan_cache.ts";
import { HandleResolver } from "./resolver.ts";
import { HandleSync } from "./handle_sync.ts";
import { WorkerLease } from "./worker_lease.ts";
import {
  createStreamMetrics,
  registerJobQueueGauges,
  registerWorkerGauges,
  registerWriteBehindMetrics,
} from "./metrics.ts";
import { WriteBehind } from "./write_behind.ts";
import { openStateStore } from "../../shared/state_store/open.ts";
import { instrumentStore } from "../../shared/state_store/instrumented.ts";
import { LiveTables } from "./live_tables.ts";
import { openOutputs } from "./sink/open.ts";
import { bulkPort } from "./bulk/port.ts";

/** How long a stopping worker waits for its writes behind before it ends its lease. */
const STOP_WRITES_MS = 30_000;

/** Starts a compute worker with the given configuration. */
export function startCompute(config: ComputeConfig): Promise<RunningService> {
  return startService({
    name: "compute",
    config,
    async build({ logger, registry, calls, auth }) {
      const dataRoot = await realDataRoot(config.dataRoot);
      // This worker's own spill directory: what a crashed run of it left there is stale.
      const spillDir = join(config.spillDir, config.workerId);
      await Deno.remove(spillDir, { recursive: true }).catch(() => {});
      const open = async (c: StateStoreConfig) =>
        instrumentStore(await openStateStore(c), registry);
      const store = config.handleStore === "external" && config.stateStore
        ? await open(config.stateStore)
        : undefined;
      // Live tables are read from the same store when handles use it, else from their own.
      const liveStore = store ?? (config.liveStore ? await open(config.liveStore) : undefined);
      const liveTables = new LiveTables({
        store: liveStore,
        maxTableBytes: config.limits.maxResultBytes,
      });
      const planCache = new PlanCache({ maxEntries: config.planCacheEntries });
      // With the external store, the frames in memory are a cache of it.
      const frames = new HeldFrames({
        ...(store
          ? { maxBytes: config.cacheBytes, evictable: true }
          : { maxBytes: config.limits.maxWorkerBytes }),
        onForget: (id) => planCache.forget(id),
        logger,
      });
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
      const nats = await connectNats(config.natsUrl, {
        name: `polaroid-${config.workerId}`,
        inboxPrefix: NATS_INBOX_PREFIX.compute,
        ...(config.natsAuth ? { auth: config.natsAuth } : {}),
      });
      const stopListening = frames.listen(nats);
      // What this worker runs, for the console (services/handles/console).
      const stopActivity = publishActivity(nats, {
        service: "compute",
        instance: config.workerId,
        calls,
        logger,
      });
      const sync = HandleSync.start({
        nats,
        workers,
        frames,
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
      const resolver = new HandleResolver({
        frames,
        handles,
        workerId: config.workerId,
        logger,
        sync,
        writeWaitMs: config.storeWriteWaitMs,
        ...(store ? { store } : {}),
      });
      logger.info("configured", {
        worker: config.workerId,
        dataRoot,
        store: config.handleStore,
        ...(store ? { stateStore: store.kind } : {}),
      });
      const outputs = await openOutputs(config.output);
      registerWorkerGauges(registry, { frames, sync, planCache, resolver, outputs });
      let writeBehind: WriteBehind | undefined;
      if (store && config.storeWrite === "behind" && config.storeWriteBehindMax > 0) {
        writeBehind = new WriteBehind({
          store,
          workers,
          frames,
          workerId: config.workerId,
          logger,
          maxPending: config.storeWriteBehindMax,
          onEnd: registerWriteBehindMetrics(registry, () => writeBehind?.pending ?? 0),
        });
      }
      // Results are registered over one stream to the handles service (register_stream.ts).
      const registrar = new RegisterStream(workers, handles);
      const workerConfig = { ...config, spillDir };
      const streamMetrics = createStreamMetrics(registry);
      const bulk = bulkPort(config, logger, registry);
      const executor = new PlanExecutor({
        gate: new EngineGate(config.engine),
        config: workerConfig,
        dataRoot,
        frames,
        resolver,
        handles,
        planCache,
        incarnation,
        metrics: streamMetrics,
        ...(store ? { store } : {}),
        ...(writeBehind ? { writeBehind } : {}),
        liveTables,
        ...(bulk ? { bulk: bulk.offers } : {}),
        registrar,
      });
      const bulkServer = bulk ? await bulk.start(auth, streamMetrics) : undefined;
      const jobs = await JobQueue.open(nats, config.jobs);
      registerJobQueueGauges(registry, jobs);
      const runner = new JobRunner({
        queue: jobs,
        executor,
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
          dataFrameService(executor, { config: workerConfig, outputs }),
          handleService(handles, frames),
          jobService(jobs, config.limits),
          flightService({ executor, handles, frames }),
        ],
        async close() {
          await bulkServer?.close();
          await runner.stop();
          // Ending the lease marks lost what is held in memory alone: the writes under way
          // end first (bounded: what is left is lost, and logged).
          if (writeBehind && !(await writeBehind.drain(STOP_WRITES_MS))) {
            logger.warn("stopping with writes behind unfinished", {
              pending: writeBehind.pending,
            });
          }
          registrar.close();
          await lease.end();
          stopListening();
          stopActivity();
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
