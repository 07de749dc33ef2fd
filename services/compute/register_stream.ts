/**
 * How a worker registers its results: over one long-lived RegisterHandles stream to the
 * handles service (services/handles/register_stream.ts), which saves a unary call per result,
 * or with RegisterHandle calls where the stream is not served.
 *
 * The handle still exists in the catalog before the caller hears of it: register() resolves
 * with the catalog's answer, never before. The stream opens at the first registration and
 * closes after {@link RegisterStreamOptions.idleMs} without one (below the server's stream
 * idle timeout), to open again at the next. When it breaks (the handles service restarted, the
 * connection went), every registration waiting on it fails UNAVAILABLE, which registerResult()
 * repeats with the same request id (idempotent: the repeat returns the handle the first made, if
 * it arrived). A registration not answered within {@link RegisterStreamOptions.timeoutMs} fails
 * DEADLINE_EXCEEDED, as a RegisterHandle call past its deadline does. A handles service that
 * does not serve the stream (UNIMPLEMENTED) is called with RegisterHandle from then on.
 *
 * @module
 */

import type * as grpc from "@grpc/grpc-js";
import {
  DeadlineExceededError,
  errorFromStatus,
  GrpcCode,
  InternalError,
  UnavailableError,
} from "../../shared/errors.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type {
  RegisterHandleRequest,
  RegisterHandlesReply,
  RegisterHandlesRequest,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { fromServiceError } from "../../shared/grpc/status.ts";
import { injectContext, inSpan, SpanKind } from "../../shared/telemetry/tracing.ts";
import type { WorkersClient } from "./handle_sync.ts";
import type { HandlesClient } from "./resolver.ts";

/** What registers a result: the catalog's answer for it. */
export interface Registrar {
  register(request: RegisterHandleRequest, tenant: string): Promise<HandleInfo>;
}

/** Registers with one RegisterHandle call each. */
export function unaryRegistrar(handles: HandlesClient): Registrar {
  return { register: (request, tenant) => handles.unary("registerHandle", request, { tenant }) };
}

/** Options of RegisterStream. */
export interface RegisterStreamOptions {
  /** Time a registration waits for its answer. @default 10000 */
  timeoutMs?: number;
  /** Time without registrations after which the stream is closed. @default 10000 */
  idleMs?: number;
}

interface Waiting {
  resolve(info: HandleInfo): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type Call = grpc.ClientDuplexStream<RegisterHandlesRequest, RegisterHandlesReply>;

/** Registers over a RegisterHandles stream (see the module doc). */
export class RegisterStream implements Registrar {
  readonly #workers: WorkersClient;
  readonly #unary: Registrar;
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #waiting = new Map<string, Waiting>();
  #call: Call | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #unsupported = false;
  #closed = false;

  constructor(workers: WorkersClient, handles: HandlesClient, options: RegisterStreamOptions = {}) {
    this.#workers = workers;
    this.#unary = unaryRegistrar(handles);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#idleMs = options.idleMs ?? 10_000;
  }

  /** Whether a stream is open now. */
  get open(): boolean {
    return this.#call !== undefined;
  }

  /** Whether registrations go over the stream (false once the server said it lacks it). */
  get streaming(): boolean {
    return !this.#unsupported && !this.#closed;
  }

  register(request: RegisterHandleRequest, tenant: string): Promise<HandleInfo> {
    if (!this.streaming) return this.#unary.register(request, tenant);
    if (request.requestId === "") {
      return Promise.reject(new InternalError("a streamed registration needs a request id"));
    }
    return inSpan(
      "handles.register",
      { "polaroid.tenant": tenant },
      () => this.#send(request, tenant),
      SpanKind.CLIENT,
    );
  }

  #send(request: RegisterHandleRequest, tenant: string): Promise<HandleInfo> {
    const id = request.requestId;
    if (this.#waiting.has(id)) {
      return Promise.reject(new InternalError(`registration ${id} is already waiting`));
    }
    const traceContext: Record<string, string> = {};
    injectContext({ get: (key) => traceContext[key], set: (k, v) => (traceContext[k] = v) });
    const call = this.#open();
    clearTimeout(this.#idle);
    return new Promise<HandleInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(id)?.reject(
          new DeadlineExceededError(
            `Cannot register the result as the handles service did not answer within ${this.#timeoutMs} ms`,
          ),
        );
      }, this.#timeoutMs);
      this.#waiting.set(id, { resolve, reject, timer });
      call.write({ tenant, register: request, traceContext });
    });
  }

  /** The open stream, opened now if there is none. */
  #open(): Call {
    if (this.#call) return this.#call;
    // Waits for the handles service while it restarts; each registration has its own timer.
    const call = this.#workers.duplex("registerHandles", {
      timeoutMs: Infinity,
      waitForReady: true,
    });
    this.#call = call;
    call.on("data", (reply: RegisterHandlesReply) => this.#answer(reply));
    call.on("error", (error: unknown) => {
      const e = fromServiceError(error);
      if (e.code === GrpcCode.UNIMPLEMENTED) this.#unsupported = true;
      this.#broken(call, e.message);
    });
    call.on("end", () => this.#broken(call, "the handles service ended it"));
    return call;
  }

  #answer(reply: RegisterHandlesReply): void {
    const waiting = this.#settle(reply.requestId);
    if (!waiting) return; // Answered after its timer ran out.
    const outcome = reply.outcome;
    if (outcome?.$case === "handle") waiting.resolve(outcome.value);
    else if (outcome?.$case === "error") {
      const e = outcome.value;
      waiting.reject(errorFromStatus(e.code, e.message, e.reason || undefined, e.metadata));
    } else waiting.reject(new InternalError("the handles service sent a reply with no outcome"));
  }

  /**
   * The waiting registration `id`, no longer waiting (answered, timed out or broken off); the
   * last one to go starts the open stream's idle time.
   */
  #settle(id: string): Waiting | undefined {
    const waiting = this.#waiting.get(id);
    if (!waiting) return undefined;
    this.#waiting.delete(id);
    clearTimeout(waiting.timer);
    if (this.#waiting.size === 0 && this.#call !== undefined) this.#idleSoon();
    return waiting;
  }

  /** The stream broke: what waited on it fails UNAVAILABLE (registerResult repeats it). */
  #broken(call: Call, why: string): void {
    if (this.#call !== call) return;
    this.#call = undefined;
    clearTimeout(this.#idle);
    for (const id of [...this.#waiting.keys()]) {
      this.#settle(id)?.reject(
        new UnavailableError(`Cannot register the result as its registration stream broke: ${why}`),
      );
    }
  }

  #idleSoon(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      const call = this.#call;
      if (!call || this.#waiting.size > 0) return;
      this.#call = undefined;
      call.end();
    }, this.#idleMs);
  }

  /** Ends the stream; what still waits fails UNAVAILABLE, later registrations go unary. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#idle);
    const call = this.#call;
    if (!call) return;
    this.#broken(call, "the worker is stopping");
    call.end();
  }
}
