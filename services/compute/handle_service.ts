/**
 * HandleService on the compute endpoint: clients talk to one address, so the worker passes
 * handle administration through to the handles service for the caller's tenant, and drops
 * a frame it holds as soon as the catalog says it is freed.
 *
 * @module
 */

import { HandleServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import { PermissionDeniedError } from "../../shared/errors.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { FrameStore } from "./frames.ts";
import type { HandlesClient } from "./resolver.ts";

export function handleService(handles: HandlesClient, frames: FrameStore): ServiceBinding {
  return bind(HandleServiceService, {
    registerHandle: () =>
      Promise.reject(
        new PermissionDeniedError(
          "Cannot register a handle from a client: workers register what they compute",
        ),
      ),
    resolveHandle: (request, ctx) =>
      handles.unary("resolveHandle", request, { tenant: ctx.tenant }),
    describeHandle: (request, ctx) =>
      handles.unary("describeHandle", request, { tenant: ctx.tenant }),
    listHandles: (request, ctx) => handles.unary("listHandles", request, { tenant: ctx.tenant }),
    retainHandle: (request, ctx) => handles.unary("retainHandle", request, { tenant: ctx.tenant }),
    pinHandle: (request, ctx) => handles.unary("pinHandle", request, { tenant: ctx.tenant }),
    // Unpinning a handle nothing references frees it; the FREED event drops the frame.
    unpinHandle: (request, ctx) => handles.unary("unpinHandle", request, { tenant: ctx.tenant }),
    async releaseHandle(request, ctx) {
      const response = await handles.unary("releaseHandle", request, { tenant: ctx.tenant });
      if (response.freed) frames.drop(request.id);
      return response;
    },
    async deleteHandle(request, ctx) {
      const response = await handles.unary("deleteHandle", request, { tenant: ctx.tenant });
      if (response.freed) frames.drop(request.id);
      return response;
    },
  });
}
