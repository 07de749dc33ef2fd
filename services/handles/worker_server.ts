/**
 * The HandleWorkerService gRPC handlers (what compute workers alone call): decode, check the
 * request's bounds, call the leases or the catalog, encode.
 *
 * @module
 */

import { HandleWorkerServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import { InvalidArgumentError } from "../../shared/errors.ts";
import { MAX_CHECKED_HANDLES, validateWorkerId } from "../../shared/ids.ts";
import { toHandleInfo } from "./server.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { Catalog } from "./catalog_api.ts";
import type { WorkerLeases } from "./leases.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import { registerReplies } from "./register_stream.ts";

/** HandleWorkerService served from the leases and the catalog. */
export function handleWorkerBinding(
  leases: WorkerLeases,
  catalog: Catalog,
  logger: Logger,
): ServiceBinding {
  return bind(HandleWorkerServiceService, {
    heartbeat: async ({ worker, incarnation }, ctx) => {
      Object.assign(ctx.log, { worker });
      const result = await leases.heartbeat(worker, incarnation);
      if (result.lapsed) ctx.log.lapsed = true;
      if (result.lost > 0) ctx.log.lost = result.lost;
      return result;
    },
    endLease: async ({ worker, incarnation }, ctx) => {
      Object.assign(ctx.log, { worker });
      const lost = await leases.end(worker, incarnation);
      ctx.log.lost = lost;
      return { lost };
    },
    setHandleObject: async ({ id, worker, objectKey, failed }, ctx) => {
      Object.assign(ctx.log, { handle: id, worker, failed });
      if (failed === (objectKey !== "")) {
        throw new InvalidArgumentError(
          "Cannot set the handle's object as exactly one of 'object_key' and 'failed' must be set",
          { metadata: { field: failed ? "failed" : "object_key" } },
        );
      }
      const record = await catalog.setObject(
        id,
        validateWorkerId(worker),
        failed ? undefined : objectKey,
      );
      return toHandleInfo(record);
    },
    checkHandles: async ({ ids }, ctx) => {
      if (ids.length > MAX_CHECKED_HANDLES) {
        throw new InvalidArgumentError(
          `Cannot check handles as 'ids' must hold at most ${MAX_CHECKED_HANDLES} ids: current value holds ${ids.length}`,
          { metadata: { field: "ids", max: String(MAX_CHECKED_HANDLES) } },
        );
      }
      const gone = await catalog.gone(ids);
      ctx.log.count = ids.length;
      ctx.log.gone = gone.length;
      return { gone };
    },
    registerHandles: (requests, ctx) => registerReplies(catalog, requests, ctx, logger),
  });
}
