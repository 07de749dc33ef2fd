/**
 * HandleWorkerService.RegisterHandles: RegisterHandle over one long-lived stream per worker,
 * which saves a call per result (a unary call costs about 0.4 ms on loopback, a message on an
 * open stream about 0.1 ms; docs/benchmarks.md). Each request is registered as RegisterHandle
 * registers it, for the tenant the request names, and answered by one reply that carries its
 * request id, in the order the registrations end. A registration that fails is answered with
 * its error; the stream goes on. At most {@link MAX_IN_FLIGHT} registrations of one stream run
 * at once: past that, the stream is not read until one ends (HTTP/2 flow control then holds
 * the worker back). When the server begins to stop, the stream reads no more, answers what it
 * took and ends, so that it does not hold the stop for its grace period.
 *
 * Each registration leaves the log and audit lines a RegisterHandle call would, and a
 * `handles.register` span in the trace its request carries.
 *
 * @module
 */

import { status } from "@grpc/grpc-js";
import type {
  RegisterHandlesReply,
  RegisterHandlesRequest,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { InternalError, InvalidArgumentError, PolaroidError } from "../../shared/errors.ts";
import { validateTenant } from "../../shared/ids.ts";
import type { CallContext } from "../../shared/grpc/types.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import { extractContext, inSpan, SpanKind, withContext } from "../../shared/telemetry/tracing.ts";
import type { Catalog } from "./catalog_api.ts";
import { register, toHandleInfo } from "./server.ts";

/** Registrations of one stream that run at once. */
export const MAX_IN_FLIGHT = 64;

/** The method, as audit lines name it. */
const METHOD = "/polaroid.v1.HandleWorkerService/RegisterHandles";

/** Longest request id a reply echoes (a valid one is a UUID). */
const MAX_ECHOED_ID = 64;

/** The replies to a stream of registrations (see the module doc). */
export async function* registerReplies(
  catalog: Catalog,
  requests: AsyncIterable<RegisterHandlesRequest>,
  ctx: CallContext,
  logger: Logger,
): AsyncGenerator<RegisterHandlesReply> {
  const done: RegisterHandlesReply[] = [];
  let running = 0;
  let reading = true;
  let failure: unknown;
  // One waiter each: the reply loop for a reply, the reader for a free slot.
  let replyReady: (() => void) | undefined;
  let slotFree: (() => void) | undefined;
  const wake = (waiter: (() => void) | undefined) => waiter?.();
  // A stopping server reads no more: what it took is answered, then the stream ends and the
  // worker sends the rest again (with the same request ids) to the next handles service.
  const draining = Promise.withResolvers<"drained">();
  const onDrain = () => draining.resolve("drained");
  if (ctx.draining?.aborted) onDrain();
  ctx.draining?.addEventListener("abort", onDrain, { once: true });
  const reader = (async () => {
    const iterator = requests[Symbol.asyncIterator]();
    try {
      for (;;) {
        while (running >= MAX_IN_FLIGHT) await new Promise<void>((r) => (slotFree = r));
        const pending = iterator.next();
        // Left behind when the server drains: it fails once the call ends, unheard.
        pending.catch(() => {});
        const next = await Promise.race([pending, draining.promise]);
        if (next === "drained" || next.done) break;
        running++;
        registerOne(catalog, next.value, ctx, logger).then((reply) => {
          running--;
          done.push(reply);
          const [a, b] = [replyReady, slotFree];
          replyReady = slotFree = undefined;
          wake(a);
          wake(b);
        });
      }
    } catch (error) {
      failure = error;
    } finally {
      ctx.draining?.removeEventListener("abort", onDrain);
      reading = false;
      const waiter = replyReady;
      replyReady = undefined;
      wake(waiter);
    }
  })();
  for (;;) {
    const reply = done.shift();
    if (reply !== undefined) {
      yield reply;
      continue;
    }
    if (!reading && running === 0) break;
    await new Promise<void>((r) => (replyReady = r));
  }
  await reader;
  if (failure !== undefined) throw failure;
}

/** One registration's reply; it never rejects (a failure is the reply's error). */
async function registerOne(
  catalog: Catalog,
  request: RegisterHandlesRequest,
  ctx: CallContext,
  logger: Logger,
): Promise<RegisterHandlesReply> {
  const started = performance.now();
  const requestId = (request.register?.requestId ?? "").slice(0, MAX_ECHOED_ID);
  let tenant = "";
  let handle: string | undefined;
  let error: PolaroidError | undefined;
  try {
    tenant = validateTenant(request.tenant);
    const body = request.register;
    if (body === undefined || body.requestId === "") {
      throw new InvalidArgumentError(
        "Cannot register the handle as 'register.request_id' must be set on a RegisterHandles stream",
        { metadata: { field: "register.request_id" } },
      );
    }
    const parent = extractContext({
      get: (key) => request.traceContext[key],
      set: () => {},
    });
    const record = await withContext(parent, () =>
      inSpan(
        "handles.register",
        { "polaroid.tenant": tenant },
        async (span) => {
          const record = await register(catalog, tenant, body);
          span.setAttribute("polaroid.handle", record.id);
          return record;
        },
        SpanKind.SERVER,
      ));
    handle = record.id;
    return { requestId, outcome: { $case: "handle", value: toHandleInfo(record) } };
  } catch (e) {
    error = PolaroidError.from(e);
    const message = error instanceof InternalError
      ? "internal error (details are in the server log)"
      : error.message;
    return {
      requestId,
      outcome: {
        $case: "error",
        value: { code: error.code, message, reason: error.reason, metadata: error.metadata },
      },
    };
  } finally {
    logLines(logger, ctx, {
      tenant,
      handle,
      error,
      ms: Math.round((performance.now() - started) * 1e3) / 1e3,
    });
  }
}

/** The log and audit lines of one registration, as a RegisterHandle call leaves them. */
function logLines(
  logger: Logger,
  ctx: CallContext,
  r: { tenant: string; handle: string | undefined; error: PolaroidError | undefined; ms: number },
): void {
  const code = status[r.error ? r.error.code : status.OK] ?? "UNKNOWN";
  const who = ctx.identity.via === "none" ? {} : { subject: ctx.identity.subject };
  const fields = {
    method: METHOD,
    code,
    ms: r.ms,
    tenant: r.tenant,
    ...who,
    ...(r.handle === undefined ? {} : { handle: r.handle }),
    ...(r.error ? { error: r.error.message } : {}),
  };
  logger.info("audit", {
    action: "handle.create",
    method: METHOD,
    code,
    tenant: r.tenant,
    subject: ctx.identity.subject,
    via: ctx.identity.via,
    peer: ctx.log.peer,
    ...(r.handle === undefined ? {} : { handle: r.handle }),
  });
  if (r.error instanceof InternalError) {
    logger.error("register", { ...fields, cause: String(r.error.cause ?? r.error) });
  } else {
    logger.info("register", fields);
  }
}
