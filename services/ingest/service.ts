/**
 * The ingest service put together: the source registry (every kind of sources/), its metrics, and
 * the gRPC binding whose snapshots are uploaded to the compute service, as a `build` for
 * startService().
 *
 * @module
 */

import { clientTls } from "../../shared/config_tls.ts";
import { FailedPreconditionError } from "../../shared/errors.ts";
import type { IngestConfig } from "../../shared/config.ts";
import type { Retention, SourceInfo } from "../../shared/gen/polaroid/v1/ingest.ts";
import type { NatsConnection } from "../../shared/nats.ts";
import { instrumentStore } from "../../shared/state_store/instrumented.ts";
import { openStateStore } from "../../shared/state_store/open.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import { LiveWriter, type Retention as LiveRetention } from "./live_writer.ts";
import { SavedSources } from "./saved_sources.ts";
import { ParsePool } from "./parse_pool.ts";
import type { ServiceParts, ServiceTools } from "../../shared/service.ts";
import { publishActivity, type SourceView } from "../../shared/telemetry/activity.ts";
import type { Timers } from "./batcher.ts";
import { createIngestMetrics } from "./metrics.ts";
import { SOURCE_KINDS } from "./sources/mod.ts";
import { SourceRegistry } from "./registry.ts";
import { ingestServiceBinding, type Uploader } from "./server.ts";
import { uploadArrow } from "./upload.ts";

/** What the ingest service needs from outside. */
export interface IngestServiceDeps {
  /** Where NATS sources subscribe. */
  nats: NatsConnection;
  /** Stores snapshots. @default an upload to `config.computeEndpoint` */
  upload?: Uploader;
  /** @default the runtime's timers */
  timers?: Timers;
  /** Where live tables are. @default the store of `config.liveStore`, or none */
  store?: StateStore;
  /** Runs last when the service stops (e.g. drains the NATS connection). */
  onClose?: () => Promise<void> | void;
}

/** The `build` of startService() for the ingest service. */
export function buildIngestService(
  config: IngestConfig,
  deps: IngestServiceDeps,
): (tools: ServiceTools) => Promise<ServiceParts> {
  return async ({ registry: metricsRegistry, logger, calls }) => {
    const metrics = createIngestMetrics(metricsRegistry);
    const opened = deps.store ?? (config.liveStore && await openStateStore(config.liveStore));
    const store = opened && instrumentStore(opened, metricsRegistry);
    const saved = store && new SavedSources(store);
    // Batches of sources with a live table are parsed on a worker thread.
    const parser = store && config.parseWorker ? new ParsePool() : undefined;
    /** The writer of each table this process writes, by "<tenant>/<table>". */
    const writers = new Map<string, LiveWriter>();
    /** The writers of tables producers append to (opened once each). */
    const appendWriters = new Map<string, Promise<LiveWriter>>();
    const sources = new SourceRegistry({
      maxSources: config.maxSources,
      maxSourcesPerTenant: config.maxSourcesPerTenant,
      defaults: {
        maxBatchRows: config.maxBatchRows,
        maxBatchDelayMs: config.maxBatchDelayMs,
        maxBufferBytes: config.maxBufferBytes,
      },
      create: async (spec, tenant) => {
        const kind = spec.kind!.$case;
        const writer = store &&
          await LiveWriter.open({
            store,
            tenant,
            table: spec.table,
            retention: retentionOf(spec.retention),
          });
        const source = await SOURCE_KINDS[kind].create(spec, {
          nats: deps.nats,
          tenant,
          outbound: config.outbound,
          credentials: config.credentials,
          ...(parser ? { parser } : {}),
          observer: metrics.observer(tenant, spec.name),
          durableStream: config.durableStream,
          ...(deps.timers ? { timers: deps.timers } : {}),
          ...(store && writer ? { live: { store, writer } } : {}),
        });
        if (writer) {
          if (writers.has(`${tenant}/${spec.table}`)) {
            await source.close();
            throw new FailedPreconditionError(
              `Cannot add source as 'spec.table' is appended to by producers (Append): a table has one writer: current value is ${
                JSON.stringify(spec.table)
              }`,
              { metadata: { field: "spec.table" } },
            );
          }
          writers.set(`${tenant}/${spec.table}`, writer);
        }
        const close = async () => {
          await source.close();
          metrics.forget(tenant, spec.name);
          if (writer && writers.get(`${tenant}/${spec.table}`) === writer) {
            writers.delete(`${tenant}/${spec.table}`);
          }
        };
        try {
          await saved?.save(tenant, spec);
        } catch (error) {
          await close();
          throw error;
        }
        return { ...source, close };
      },
      onRemoved: (tenant, name) => saved?.forget(tenant, name),
    });
    // The sources this service ran before it stopped (or crashed) start again.
    for (
      const { tenant, spec }
        of await saved?.list((key, error) =>
          logger.warn("saved source skipped", { key, error: String(error) })
        ) ?? []
    ) {
      await sources.add(tenant, spec).catch((error) =>
        logger.warn("saved source not restarted", {
          tenant,
          source: spec.name,
          error: error instanceof Error ? error.message : String(error),
        })
      );
    }
    const upload: Uploader = deps.upload ??
      ((ipc, options) =>
        uploadArrow(config.computeEndpoint, ipc, {
          ...options,
          ...(config.auth.serviceToken === undefined ? {} : { token: config.auth.serviceToken }),
          ...(clientTls(config.tls) === undefined ? {} : { tls: clientTls(config.tls)! }),
        }));
    // The NATS connection's losses and returns reach every source (each decides what they
    // mean for it); the watch ends when the connection closes.
    const watch = (async () => {
      for await (const status of deps.nats.status()) {
        const kind = status.type === "disconnect"
          ? "lost"
          : status.type === "reconnect"
          ? "back"
          : undefined;
        if (kind === undefined) continue;
        const detail = `${status.type} from ${"server" in status ? status.server : "the server"}`;
        sources.each((source) => source.connection?.({ kind, detail }));
      }
    })().catch(() => {});
    // What this process ingests, for the console (services/handles/console).
    const stopActivity = publishActivity(deps.nats, {
      service: "ingest",
      instance: `${Deno.hostname()}-${Deno.pid}`,
      calls,
      logger,
      sources: () => {
        const views: SourceView[] = [];
        sources.each((source, tenant) => views.push(sourceView(tenant, source.info())));
        return views;
      },
    });
    return {
      bindings: [
        ingestServiceBinding(sources, upload, {
          store,
          maxFollows: config.maxFollows,
          maxFollowsPerTenant: config.maxFollowsPerTenant,
          // A table written here wakes its followers at each commit; others are polled.
          onCommit: (tenant, table, wake) =>
            writers.get(`${tenant}/${table}`)?.onCommit(wake) ?? (() => {}),
        }, {
          maxBytes: config.maxAppendBytes,
          maxBufferedBytes: config.maxAppendBufferBytes,
          writer: (tenant, table) => {
            if (!store) {
              throw new FailedPreconditionError(
                "Cannot append to a live table as the ingest service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET)",
              );
            }
            const owner = sources.tableOwner(tenant, table);
            if (owner !== undefined) {
              throw new FailedPreconditionError(
                `Cannot append to live table ${JSON.stringify(table)} as source ${
                  JSON.stringify(owner)
                } writes it: a table has one writer`,
                { metadata: { table } },
              );
            }
            const key = `${tenant}/${table}`;
            let opening = appendWriters.get(key);
            if (!opening) {
              opening = LiveWriter.open({ store, tenant, table }).then((writer) => {
                writers.set(key, writer);
                return writer;
              });
              opening.catch(() => appendWriters.delete(key));
              appendWriters.set(key, opening);
            }
            return opening;
          },
        }),
      ],
      close: async () => {
        stopActivity();
        await sources.closeAll();
        parser?.close();
        if (!deps.store) await store?.close();
        await deps.onClose?.();
        // Bounded: the watch ends once the connection is closed by onClose.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([watch, new Promise((r) => (timer = setTimeout(r, 1000)))]);
        clearTimeout(timer);
      },
    };
  };
}

/** A spec's retention as the writer takes it (0: unbounded). */
function retentionOf(retention: Retention | undefined): LiveRetention {
  if (!retention) return {};
  return {
    ...(retention.maxRows ? { maxRows: Number(retention.maxRows) } : {}),
    ...(retention.maxBytes ? { maxBytes: Number(retention.maxBytes) } : {}),
    ...(retention.maxAgeSeconds ? { maxAgeMs: Number(retention.maxAgeSeconds) * 1000 } : {}),
  };
}

/** A source as the console shows it. */
function sourceView(tenant: string, info: SourceInfo): SourceView {
  return {
    tenant,
    name: info.spec?.name ?? "",
    kind: info.spec?.kind?.$case ?? "",
    state: info.state,
    table: info.liveTable,
    messages: Number(info.messages),
    rows: Number(info.rows),
    rejected: Number(info.rejected),
    droppedRows: Number(info.droppedRows),
    committedRows: Number(info.committedRows),
    bufferedBytes: Number(info.bufferedBytes),
    lastError: info.lastError,
  };
}
