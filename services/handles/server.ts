/**
 * The HandleService gRPC handlers: decode, call the catalog for the calling tenant, encode.
 *
 * @module
 */

import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { HandleServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { HandleCatalog, HandleRecord } from "./catalog.ts";

/** The wire form of a catalog record. */
export function toHandleInfo(record: HandleRecord): HandleInfo {
  return {
    id: record.id,
    owner: record.owner,
    schema: record.schema,
    rows: record.rows,
    bytes: record.bytes,
    createdAtMs: BigInt(record.createdAtMs),
    name: "",
    ttlSeconds: BigInt(record.ttlSeconds),
    expiresAtMs: BigInt(record.expiresAtMs),
    refcount: record.refcount,
    worker: record.worker,
  };
}

/** HandleService served from a catalog (whose calls are synchronous). */
export function handleServiceBinding(catalog: HandleCatalog): ServiceBinding {
  return bind(HandleServiceService, {
    registerHandle: (request, ctx) =>
      Promise.try(() => {
        const record = catalog.register(ctx.tenant, {
          schema: request.schema,
          rows: request.rows,
          bytes: request.bytes,
          ttlSeconds: request.ttlSeconds,
          worker: request.worker,
        });
        Object.assign(ctx.log, { handle: record.id, worker: record.worker });
        return toHandleInfo(record);
      }),
    resolveHandle: ({ id }, ctx) =>
      Promise.try(() => {
        ctx.log.handle = id;
        return toHandleInfo(catalog.resolve(ctx.tenant, id));
      }),
    describeHandle: ({ id }, ctx) =>
      Promise.try(() => {
        ctx.log.handle = id;
        return toHandleInfo(catalog.describe(ctx.tenant, id));
      }),
    listHandles: ({ limit, after }, ctx) =>
      Promise.try(() => {
        const page = catalog.list(ctx.tenant, { limit, after });
        ctx.log.count = page.handles.length;
        return { handles: page.handles.map(toHandleInfo), nextAfter: page.nextAfter };
      }),
    retainHandle: ({ id }, ctx) =>
      Promise.try(() => {
        ctx.log.handle = id;
        return toHandleInfo(catalog.retain(ctx.tenant, id));
      }),
    releaseHandle: ({ id }, ctx) =>
      Promise.try(() => {
        ctx.log.handle = id;
        return catalog.release(ctx.tenant, id);
      }),
    deleteHandle: ({ id }, ctx) =>
      Promise.try(() => {
        ctx.log.handle = id;
        return catalog.delete(ctx.tenant, id);
      }),
  });
}
