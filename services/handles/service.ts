/**
 * The handles service put together: the catalog (in memory, or in JetStream KV shared by
 * every replica), its NATS events and metrics, the compute workers' leases (kept beside the
 * catalog), the sweeper that frees expired handles and ends leases that ran out, and the
 * gRPC bindings (HandleService for everyone, HandleWorkerService for compute workers), as a
 * `build` for startService().
 *
 * @module
 */

import type { HandlesConfig } from "../../shared/config.ts";
import type { NatsConnection } from "../../shared/nats.ts";
import type { ServiceParts, ServiceTools } from "../../shared/service.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import type { Registry } from "../../shared/telemetry/metrics.ts";
import { ActivityView } from "./console/activity_view.ts";
import { consoleApp } from "./console/console_api.ts";
import type { Catalog, CatalogEvent } from "./catalog_api.ts";
import { MemoryCatalog } from "./memory_catalog.ts";
import { openKvCatalog } from "./kv_catalog.ts";
import { natsEventSink } from "./events.ts";
import { createHandlesMetrics } from "./metrics.ts";
import { handleServiceBinding } from "./server.ts";
import { handleWorkerBinding } from "./worker_server.ts";
import { WorkerLeases } from "./leases.ts";
import { type LeaseStore, MemoryLeaseStore } from "./lease_store.ts";
import { openKvLeaseStore } from "./kv_lease_store.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import { instrumentStore } from "../../shared/state_store/instrumented.ts";
import { prom } from "../../shared/telemetry/metrics.ts";
import { collectGarbage, deleteFreedObject } from "./gc.ts";

/** What the handles service needs from outside. */
export interface HandlesServiceDeps {
  /** Where handle events are published. */
  nats: NatsConnection;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Runs last when the service stops (e.g. drains the NATS connection). */
  onClose?: () => Promise<void> | void;
  /** The external handle store: a freed handle's object is deleted from it. */
  store?: StateStore;
}

/** The `build` of startService() for the handles service. */
export function buildHandlesService(
  config: HandlesConfig,
  deps: HandlesServiceDeps,
): (tools: ServiceTools) => Promise<ServiceParts> {
  return async ({ logger, registry, calls, auth }) => {
    const store = deps.store && instrumentStore(deps.store, registry);
    const publish = natsEventSink(deps.nats, logger);
    const metrics = createHandlesMetrics(registry, () => catalog.stats());
    const onEvent = (event: CatalogEvent) => {
      metrics.observe(event);
      publish(event);
      const key = event.record.objectKey;
      if (event.kind === "freed" && key !== "" && store) {
        deleteFreedObject(store, key, () => catalog.objectKeys()).catch((error) =>
          // Garbage collection removes it later as an unreferenced object.
          logger.warn("object delete failed", { key, error: String(error) })
        );
      }
    };
    const options = {
      defaultTtlSeconds: config.defaultTtlSeconds,
      maxTtlSeconds: config.maxTtlSeconds,
      maxHandlesPerTenant: config.maxHandlesPerTenant,
      maxBytesPerTenant: BigInt(config.maxBytesPerTenant ?? 0),
      ...(deps.now ? { now: deps.now } : {}),
      onEvent,
    };
    const catalog: Catalog = config.catalog === "jetstream"
      ? await openKvCatalog(deps.nats, { ...options, logger })
      : new MemoryCatalog(options);
    const leaseStore: LeaseStore = config.catalog === "jetstream"
      ? await openKvLeaseStore(deps.nats)
      : new MemoryLeaseStore();
    const leases = new WorkerLeases(leaseStore, catalog, {
      leaseMs: config.workerLeaseMs,
      ...(deps.now ? { now: deps.now } : {}),
      onLost: (records) => {
        metrics.observeLost(records);
        const { worker, lost: reason } = records[0]!;
        logger.warn("handles lost", { worker, reason, count: records.length });
      },
    });
    new prom.Gauge({
      name: "polaroid_worker_leases",
      help:
        "Compute workers' leases, by state (live; ended, their worker stopped or let it run out, kept a while to tell it).",
      labelNames: ["state"],
      registers: [registry],
      async collect() {
        const counts = await leases.counts();
        this.set({ state: "live" }, counts.live);
        this.set({ state: "ended" }, counts.ended);
      },
    });
    const gc = store && garbageCollector(store, catalog, config, logger, registry);
    // Each replica sweeps; with JetStream KV only the replica whose delete wins frees a handle,
    // and a lease that ran out is ended by the replica whose compare-and-set wins.
    const sweeper = every(config.sweepIntervalMs, async () => {
      try {
        const expired = await catalog.sweep();
        if (expired.length > 0) logger.info("handles expired", { count: expired.length });
        await leases.sweep();
      } catch (error) {
        logger.error("sweep failed", { error: String(error) });
      }
    });
    // The web console: what compute and ingest run, heard over NATS, beside the catalog.
    const activity = new ActivityView({ calls });
    activity.listen(deps.nats);
    return {
      bindings: [
        handleServiceBinding(catalog, (tenant) => metrics.observeRead(tenant)),
        handleWorkerBinding(leases, catalog, logger),
      ],
      app: consoleApp({ catalog, activity, auth }),
      close: async () => {
        activity.close();
        await sweeper.stop();
        await gc?.stop();
        await leaseStore.close();
        await catalog.close();
        await deps.nats.flush().catch(() => {});
        await deps.onClose?.();
      },
    };
  };
}

/** Runs `task` every `ms`, one run at a time; stop() waits for the run under way. */
function every(ms: number, task: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= task().finally(() => (running = undefined));
  }, ms);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** Runs collectGarbage() every gcIntervalMs, one pass at a time, counting what it deletes. */
function garbageCollector(
  store: StateStore,
  catalog: Catalog,
  config: HandlesConfig,
  logger: Logger,
  registry: Registry,
): { stop(): Promise<void> } {
  const deleted = new prom.Counter({
    name: "polaroid_store_gc_deleted_total",
    help: "State store objects deleted by garbage collection, by kind.",
    labelNames: ["kind"],
    registers: [registry],
  });
  const failures = new prom.Counter({
    name: "polaroid_store_gc_failures_total",
    help: "Garbage collection passes over the state store that failed (the next pass retries).",
    registers: [registry],
  });
  return every(config.gcIntervalMs, async () => {
    try {
      // The live keys are read once the store's listing is done (a handle registered
      // meanwhile is in them): collectGarbage() reads them synchronously after the listing.
      const report = await collectGarbage({
        store,
        liveKeys: () => catalog.objectKeys(),
        graceMs: config.gcGraceSeconds * 1000,
      });
      deleted.inc({ kind: "uncommitted" }, report.uncommitted);
      deleted.inc({ kind: "unreferenced" }, report.unreferenced);
      deleted.inc({ kind: "temporary" }, report.temporary);
      if (report.uncommitted + report.unreferenced + report.temporary > 0) {
        logger.info("store garbage collected", { ...report });
      }
    } catch (error) {
      failures.inc();
      logger.warn("store garbage collection failed", { error: String(error) });
    }
  });
}
