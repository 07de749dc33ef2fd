/**
 * HandleService on the compute endpoint: clients talk to one address, so the worker passes
 * handle administration through to the handles service for the caller's tenant, and drops
 * a frame it holds as soon as the catalog says it is freed.
 *
 * @module
 */

import {
  HandleServiceService,
  type ReleaseHandleResponse,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { PermissionDeniedError } from "../../shared/errors.ts";
import { bind, type CallContext, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { HeldFrames } from "./held_frames.ts";
import type { HandlesClient } from "./resolver.ts";

/**
 * Releases a handle for `tenant` through this worker: the frame goes at once when the catalog
 * says the release freed it (before the freed event arrives).
 */
export async function releaseThroughWorker(
  handles: HandlesClient,
  frames: HeldFrames,
  id: string,
  tenant: string,
): Promise<ReleaseHandleResponse> {
  const response = await handles.unary("releaseHandle", { id }, { tenant });
  if (response.freed) frames.forget(id, "released");
  return response;
}

export function handleService(handles: HandlesClient, frames: HeldFrames): ServiceBinding {
  /** The call's options to the handles service, its handle named in the call's log and audit. */
  const forCall = (request: { id: string }, ctx: CallContext) => {
    ctx.log.handle = request.id;
    return { tenant: ctx.tenant };
  };
  return bind(HandleServiceService, {
    registerHandle: () =>
      Promise.reject(
        new PermissionDeniedError(
          "Cannot register a handle from a client: workers register what they compute",
        ),
      ),
    resolveHandle: (request, ctx) => handles.unary("resolveHandle", request, forCall(request, ctx)),
    describeHandle: (request, ctx) =>
      handles.unary("describeHandle", request, forCall(request, ctx)),
    listHandles: (request, ctx) => handles.unary("listHandles", request, { tenant: ctx.tenant }),
    retainHandle: (request, ctx) => handles.unary("retainHandle", request, forCall(request, ctx)),
    pinHandle: (request, ctx) => handles.unary("pinHandle", request, forCall(request, ctx)),
    // Unpinning a handle nothing references frees it; the FREED event drops the frame.
    unpinHandle: (request, ctx) => handles.unary("unpinHandle", request, forCall(request, ctx)),
    releaseHandle: (request, ctx) =>
      releaseThroughWorker(handles, frames, request.id, forCall(request, ctx).tenant),
    async deleteHandle(request, ctx) {
      const response = await handles.unary("deleteHandle", request, forCall(request, ctx));
      if (response.freed) frames.forget(request.id, "released");
      return response;
    },
  });
}
