/**
 * The HandleService gRPC handlers: decode, call the catalog for the calling tenant, encode.
 *
 * @module
 */

import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import {
  HandleServiceService,
  type RegisterHandleRequest,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { InvalidArgumentError } from "../../shared/errors.ts";
import { validateRequestId } from "../../shared/ids.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { Catalog } from "./catalog_api.ts";
import type { HandleRecord } from "./record.ts";

/** Names one ListHandles call may ask for. */
export const MAX_LISTED_NAMES = 1000;

/** The wire form of a catalog record. */
export function toHandleInfo(record: HandleRecord): HandleInfo {
  return {
    id: record.id,
    owner: record.owner,
    schema: record.schema,
    rows: record.rows,
    bytes: record.bytes,
    createdAtMs: BigInt(record.createdAtMs),
    name: record.name,
    ttlSeconds: BigInt(record.ttlSeconds),
    expiresAtMs: BigInt(record.expiresAtMs),
    refcount: record.refcount,
    worker: record.worker,
    metadata: { ...record.metadata },
    objectKey: record.objectKey,
    objectPending: record.objectPending,
    pinned: record.pinned,
    lost: record.lost !== "",
  };
}

/** Registers a result for `tenant`, as RegisterHandle (and each RegisterHandles request). */
export function register(
  catalog: Catalog,
  tenant: string,
  request: RegisterHandleRequest,
): Promise<HandleRecord> {
  return catalog.register(tenant, {
    schema: request.schema,
    rows: request.rows,
    bytes: request.bytes,
    ttlSeconds: request.ttlSeconds,
    worker: request.worker,
    name: request.name,
    metadata: request.metadata,
    objectKey: request.objectKey,
    objectPending: request.objectPending,
    incarnation: request.workerIncarnation,
    requestId: request.requestId === "" ? "" : validateRequestId(request.requestId),
  });
}

/** HandleService served from a catalog; `onRead` hears of each handle resolved for use. */
export function handleServiceBinding(
  catalog: Catalog,
  onRead?: (tenant: string) => void,
): ServiceBinding {
  return bind(HandleServiceService, {
    registerHandle: async (request, ctx) => {
      const record = await register(catalog, ctx.tenant, request);
      Object.assign(ctx.log, { handle: record.id, worker: record.worker });
      if (record.name !== "") ctx.log.name = record.name;
      return toHandleInfo(record);
    },
    resolveHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      const record = await catalog.resolve(ctx.tenant, id);
      onRead?.(ctx.tenant);
      return toHandleInfo(record);
    },
    describeHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      return toHandleInfo(await catalog.describe(ctx.tenant, id));
    },
    listHandles: async ({ limit, after, names }, ctx) => {
      if (names.length > 0) {
        if (names.length > MAX_LISTED_NAMES) {
          throw new InvalidArgumentError(
            `Cannot list handles as 'names' must hold at most ${MAX_LISTED_NAMES} names: current value holds ${names.length}`,
          );
        }
        const found = await catalog.named(ctx.tenant, names);
        ctx.log.count = found.length;
        return { handles: found.map(toHandleInfo), nextAfter: "" };
      }
      const page = await catalog.list(ctx.tenant, { limit, after });
      ctx.log.count = page.handles.length;
      return { handles: page.handles.map(toHandleInfo), nextAfter: page.nextAfter };
    },
    pinHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      return toHandleInfo(await catalog.pin(ctx.tenant, id));
    },
    unpinHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      return toHandleInfo(await catalog.unpin(ctx.tenant, id));
    },
    retainHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      return toHandleInfo(await catalog.retain(ctx.tenant, id));
    },
    releaseHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      return await catalog.release(ctx.tenant, id);
    },
    deleteHandle: async ({ id }, ctx) => {
      ctx.log.handle = id;
      return await catalog.delete(ctx.tenant, id);
    },
  });
}
