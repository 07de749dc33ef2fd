/**
 * Registering a result with the handles service, safely repeated. Calls to the handles
 * service wait for it while it restarts (compute.ts), so a register rarely fails; when one
 * does with UNAVAILABLE (the connection broke under it), the worker cannot tell whether it
 * arrived. Every attempt therefore carries the same random request id, which makes the
 * register idempotent on the handles service (the handle id is derived from it): a repeat
 * returns the handle the first attempt made rather than a second handle naming the same
 * object (whose release would then delete the object under the first).
 *
 * @module
 */

import { GrpcCode, PolaroidError } from "../../shared/errors.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { RegisterHandleRequest } from "../../shared/gen/polaroid/v1/handles.ts";
import type { Registrar } from "./register_stream.ts";

/** Options of registerResult(). */
export interface RegisterOptions {
  /** The tenant the handle is registered for. */
  tenant: string;
  /** Attempts in all. @default 3 */
  attempts?: number;
  /** Wait before the second attempt; it doubles. @default 100 */
  backoffMs?: number;
}

/** Registers `request` (its requestId is set here), retried on UNAVAILABLE. */
export async function registerResult(
  registrar: Registrar,
  request: Omit<RegisterHandleRequest, "requestId">,
  options: RegisterOptions,
): Promise<HandleInfo> {
  const attempts = options.attempts ?? 3;
  const withId = { ...request, requestId: crypto.randomUUID() };
  for (let attempt = 1;; attempt++) {
    try {
      return await registrar.register(withId, options.tenant);
    } catch (error) {
      const unavailable = error instanceof PolaroidError && error.code === GrpcCode.UNAVAILABLE;
      if (!unavailable || attempt >= attempts) throw error;
      const wait = (options.backoffMs ?? 100) * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
