/**
 * One gRPC call from admission to its end, around the handler that serves it: the caller's
 * identity and tenant (verified by the server's authenticator), the call's abort signal, flow control of response streams, the idle and upload
 * timeouts, and the one place where a call ends — exactly once, whichever comes first:
 * the handler's result, its error, the client's cancel or deadline, the connection's loss,
 * or a timeout. Ending a call gives its slot back at once, logs it and records its metrics;
 * a handler still running then is abandoned (see admission.ts).
 *
 * @module
 */

import type * as grpc from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import { once } from "node:events";
import http2 from "node:http2";
import type { Identity } from "../auth/identity.ts";
import type { Role } from "../auth/roles.ts";
import { DEFAULT_TENANT } from "../ids.ts";
import { CancelledError, DeadlineExceededError, PolaroidError } from "../errors.ts";
import type { Slot } from "./admission.ts";
import { MalformedRequest } from "./decode_guard.ts";
import { type Context, type Span, withContext } from "../telemetry/tracing.ts";
import type { AnyMethod, CallContext } from "./types.ts";

/** What grpc-js gives every kind of call. */
export type Call = {
  metadata: grpc.Metadata;
  getPeer(): string;
  sendMetadata(metadata: grpc.Metadata): void;
  on(event: "cancelled", listener: () => void): unknown;
};

/** One call being served. */
export interface Active {
  readonly ctx: CallContext;
  readonly controller: AbortController;
  readonly started: number;
  /** Its slot; none for health checks and refused calls. */
  readonly slot: Slot | undefined;
  /** Why the call is refused before its handler runs. */
  readonly refusal: PolaroidError | undefined;
  /** Set once the call has ended (see {@link CallHooks.end}). */
  ended: boolean;
  /** The error it ended with; undefined for success (or while it runs). */
  error: PolaroidError | undefined;
  /** When it ended (performance.now()). */
  endedAt: number;
  /** Its server span (none for health checks, or a no-op one with tracing off). */
  readonly span?: Span;
  /** The context its handler runs in: the caller's trace, with the call's span. */
  readonly traceContext?: Context;
}

/** What the server provides to the call wrappers. */
export interface CallHooks {
  /** Admits (or refuses) a call and sets up its context. */
  begin(method: string, call: Call): Active;
  /** Ends a call once: its status, slot and metrics; later calls do nothing. */
  end(active: Active, error?: PolaroidError): void;
  /** The handler returned: the call's log line (its handler's fields complete by now). */
  finish(active: Active): void;
  /** The status sent for an error. */
  wire(error: PolaroidError): grpc.StatusObject;
  /**
   * Who the call is from and whether it may call its method: the identity it acts as, or a
   * rejection (UNAUTHENTICATED, PERMISSION_DENIED, a malformed tenant).
   */
  authorize(active: Active): Promise<Identity>;
  /** The call was admitted and authorized: its handler starts now. */
  admitted(active: Active): void;
  /** Time a stream may make no progress before the call is ended. */
  streamIdleTimeoutMs: number;
  /** Time a request stream may take in all. */
  uploadTimeoutMs: number;
}

// deno-lint-ignore no-explicit-any
export type AnyHandler = (...args: any[]) => any;

/** Who a call is until {@link admitted} has verified its credentials. */
const UNVERIFIED: Identity = Object.freeze({
  tenant: DEFAULT_TENANT,
  roles: new Set<Role>(),
  subject: "unverified",
  via: "none",
});

/** The call's context; its tenant and identity are set once {@link admitted} verified them. */
export function callContext(
  method: string,
  call: Call,
  signal: AbortSignal,
  draining?: AbortSignal,
): CallContext {
  return {
    method,
    tenant: DEFAULT_TENANT,
    identity: UNVERIFIED,
    metadata: call.metadata,
    signal,
    ...(draining ? { draining } : {}),
    log: { peer: call.getPeer() },
    sendHeaders(headers) {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
      call.sendMetadata(metadata);
    },
  };
}

/**
 * Throws why the call may not run its handler: a refusal, credentials that do not verify or
 * do not allow the method, a bad tenant, or a bad request. Sets the call's identity.
 */
async function admitted(active: Active, hooks: CallHooks, request?: unknown): Promise<void> {
  if (active.refusal) throw active.refusal;
  const identity = await hooks.authorize(active);
  const ctx = active.ctx as { tenant: string; identity: Identity };
  ctx.identity = identity;
  ctx.tenant = identity.tenant;
  if (request instanceof MalformedRequest) throw request.error;
  hooks.admitted(active);
}

/** The error a call ends with, for something its handler threw. */
function errorOf(active: Active, error: unknown): PolaroidError {
  const reason = active.ctx.signal.reason;
  if (reason instanceof PolaroidError && !(error instanceof PolaroidError)) return reason;
  if (active.ctx.signal.aborted && !(error instanceof PolaroidError)) {
    return new CancelledError("cancelled by the client", { cause: error });
  }
  return PolaroidError.from(error);
}

/**
 * Cuts a call's HTTP/2 stream (RST_STREAM CANCEL): what the server does when a client stopped
 * reading, since a status queued behind unread messages would never leave. grpc-js keeps the
 * stream inside its call objects; it is looked up there, and a missing one cuts nothing.
 */
function cutStream(call: unknown): void {
  let node = (call as { call?: unknown }).call;
  for (let hops = 0; node && hops < 16; hops++) {
    const stream = (node as { stream?: http2.Http2Stream }).stream;
    if (stream && typeof stream.close === "function") {
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      return;
    }
    node = (node as { nextCall?: unknown }).nextCall;
  }
}

/**
 * Ends the call as soon as its signal aborts (the client cancelled, its deadline passed, its
 * connection went, or a timeout cut it), then lets `after` tell the client if it still can.
 */
function endOnAbort(active: Active, hooks: CallHooks, after: (error: PolaroidError) => void) {
  active.ctx.signal.addEventListener("abort", () => {
    if (active.ended) return;
    const reason = active.ctx.signal.reason;
    const error = reason instanceof PolaroidError
      ? reason
      : new CancelledError("cancelled by the client", { cause: reason });
    hooks.end(active, error);
    after(error);
  }, { once: true });
}

/** Runs a call's work in its trace context (the caller's trace, with the call's span). */
function inTrace<T>(active: Active, work: () => Promise<T>): Promise<T> {
  return active.traceContext ? withContext(active.traceContext, work) : work();
}

/** Wraps a handler of `def`'s kind of call. */
export function wrapHandler(
  def: AnyMethod,
  handler: AnyHandler,
  hooks: CallHooks,
): grpc.UntypedHandleCall {
  const method = def.path;
  /** The handler returned or threw: ends the call if nothing ended it before. */
  const settle = (active: Active, error?: unknown): PolaroidError | undefined => {
    active.slot?.settle();
    const ended = active.ended;
    const e = ended || error === undefined ? undefined : errorOf(active, error);
    if (!ended) hooks.end(active, e);
    hooks.finish(active);
    return e;
  };

  if (!def.requestStream && !def.responseStream) {
    return (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const active = hooks.begin(method, call);
      endOnAbort(active, hooks, () => {});
      inTrace(active, async () => {
        await admitted(active, hooks, call.request);
        return await handler(call.request, active.ctx);
      }).then(
        (response) => {
          if (active.ended) return settle(active);
          settle(active);
          callback(null, response);
        },
        (error) => {
          const e = settle(active, error);
          if (e) callback(hooks.wire(e));
        },
      );
    };
  }
  if (def.requestStream && !def.responseStream) {
    return (
      call: grpc.ServerReadableStream<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const active = hooks.begin(method, call);
      const timer = setTimeout(() => {
        active.controller.abort(
          new DeadlineExceededError(
            `Cannot finish the upload as a request stream may take at most ${hooks.uploadTimeoutMs} ms (POLAROID_UPLOAD_TIMEOUT_MS)`,
          ),
        );
      }, hooks.uploadTimeoutMs);
      endOnAbort(active, hooks, (error) => {
        clearTimeout(timer);
        if (call.cancelled) return;
        callback(hooks.wire(error));
        call.destroy();
      });
      inTrace(active, async () => {
        await admitted(active, hooks);
        return await handler(requestsOf(call, active, hooks.streamIdleTimeoutMs), active.ctx);
      }).then(
        (response) => {
          clearTimeout(timer);
          if (active.ended) return settle(active);
          settle(active);
          callback(null, response);
        },
        (error) => {
          clearTimeout(timer);
          const e = settle(active, error);
          if (!e) return;
          callback(hooks.wire(e));
          call.destroy();
        },
      );
    };
  }
  // Server streaming (and bidirectional): pull from the handler only as fast as the client
  // reads, and stop pulling (freeing what the handler holds) when the call ends.
  return (call: grpc.ServerWritableStream<unknown, unknown>) => {
    const active = hooks.begin(method, call);
    // A call cut by the server while the client reads nothing: a status queued behind its
    // unread messages would never leave, so the stream itself is cut.
    endOnAbort(active, hooks, () => {
      if (!call.cancelled) cutStream(call);
    });
    inTrace(active, async () => {
      await admitted(active, hooks, def.requestStream ? undefined : call.request);
      const source = def.requestStream
        ? handler(requestsOf(call as never, active, hooks.streamIdleTimeoutMs), active.ctx)
        : handler(call.request, active.ctx);
      const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const signal = active.ctx.signal;
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done || signal.aborted) break;
          if (!call.write(next.value)) await drained(call, active, hooks.streamIdleTimeoutMs);
          if (signal.aborted) break;
        }
      } finally {
        await iterator.return?.();
      }
    }).then(
      () => {
        if (active.ended) return settle(active);
        settle(active);
        call.end();
      },
      (error) => {
        const e = settle(active, error);
        if (e && !call.cancelled) call.emit("error", hooks.wire(e));
      },
    );
  };
}

/**
 * Waits for the stream to take more. Ends at once when the call was aborted, and aborts it
 * when the client reads nothing for `idleMs`.
 */
async function drained(
  call: grpc.ServerWritableStream<unknown, unknown>,
  active: Active,
  idleMs: number,
): Promise<void> {
  const signal = active.ctx.signal;
  if (signal.aborted) return;
  const ac = new AbortController();
  const stop = () => ac.abort();
  signal.addEventListener("abort", stop, { once: true });
  const timer = setTimeout(() => {
    active.controller.abort(
      new DeadlineExceededError(
        `Cannot go on streaming as the client read nothing for ${idleMs} ms (POLAROID_STREAM_IDLE_TIMEOUT_MS)`,
      ),
    );
    ac.abort();
  }, idleMs);
  try {
    await once(call, "drain", { signal: ac.signal });
  } catch {
    // Aborted or timed out: the caller checks the signal.
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", stop);
  }
}

/**
 * The request messages of a streaming call: each decoded message checked (a malformed one
 * fails the call), and a client that sends nothing for `idleMs` timed out.
 */
async function* requestsOf(
  call: AsyncIterable<unknown>,
  active: Active,
  idleMs: number,
): AsyncGenerator<unknown> {
  // A stream's own iterator destroys it once read to the end, its writable side with it: a
  // bidirectional call could then send nothing back. Reading ends, the call goes on.
  const readable = call as AsyncIterable<unknown> & {
    iterator?: (options: { destroyOnReturn: boolean }) => AsyncIterator<unknown>;
  };
  const iterator = typeof readable.iterator === "function"
    ? readable.iterator({ destroyOnReturn: false })
    : call[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await nextWithin(iterator, active, idleMs);
      if (next.done) return;
      if (next.value instanceof MalformedRequest) throw next.value.error;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * The iterator's next message, or a rejection when the call aborts or nothing comes for
 * `idleMs`. Each wait sets up and takes down its own listener and timer: a race against one
 * promise that lives as long as the call would keep every message it ever won alive.
 */
function nextWithin(
  iterator: AsyncIterator<unknown>,
  active: Active,
  idleMs: number,
): Promise<IteratorResult<unknown>> {
  const signal = active.ctx.signal;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    const timer = setTimeout(() => {
      const error = new DeadlineExceededError(
        `Cannot go on reading the request stream as the client sent nothing for ${idleMs} ms (POLAROID_STREAM_IDLE_TIMEOUT_MS)`,
      );
      active.controller.abort(error);
      reject(error);
    }, idleMs);
    signal.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    });
  });
}
