/**
 * The IngestService gRPC handlers: decode, call the registry for the calling tenant, encode.
 *
 * @module
 */

import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { IngestServiceService } from "../../shared/gen/polaroid/v1/ingest.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { SourceRegistry } from "./registry.ts";

/** Stores a snapshot (Arrow IPC) as a new handle of the tenant. */
export type Uploader = (
  ipc: Uint8Array,
  options: { tenant: string; ttlSeconds: bigint; signal: AbortSignal },
) => Promise<HandleInfo>;

/** IngestService served from a registry; snapshots go through `upload`. */
export function ingestServiceBinding(registry: SourceRegistry, upload: Uploader): ServiceBinding {
  return bind(IngestServiceService, {
    addSource: async ({ spec }, ctx) => {
      ctx.log.source = spec?.name;
      return (await registry.add(ctx.tenant, spec)).info();
    },
    listSources: (_request, ctx) =>
      Promise.try(() => ({ sources: registry.list(ctx.tenant).map((s) => s.info()) })),
    removeSource: async ({ name }, ctx) => {
      ctx.log.source = name;
      await registry.remove(ctx.tenant, name);
      return {};
    },
    snapshotSource: async ({ name, ttlSeconds }, ctx) => {
      ctx.log.source = name;
      const ipc = await registry.get(ctx.tenant, name).snapshot();
      ctx.log.bytes = ipc.byteLength;
      const handle = await upload(ipc, { tenant: ctx.tenant, ttlSeconds, signal: ctx.signal });
      ctx.log.handle = handle.id;
      return { handle };
    },
  });
}
