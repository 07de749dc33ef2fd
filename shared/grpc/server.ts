/**
 * Serving gRPC: every handler is wrapped once here with tenant parsing, cancellation, flow
 * control, metrics, one JSON log line per call, and the mapping of errors to the wire. No
 * handler maps errors itself, and nothing a handler throws escapes as a raw exception.
 *
 * Admission happens here too, before a handler runs (so before it reads or allocates
 * anything): beyond `maxConcurrentCalls` calls a new one is refused at once with
 * RESOURCE_EXHAUSTED. Health checks are never refused, and do not count. A draining server
 * takes no new calls at all: its GOAWAY tells each client which calls it will finish.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { once } from "node:events";
import { acceptConnections } from "./_connections.ts";
import { DEFAULT_TENANT, validateTenant } from "../ids.ts";
import { CancelledError, InternalError, LimitExceededError, PolaroidError } from "../errors.ts";
import type { Logger } from "../telemetry/log.ts";
import type { RpcMetrics } from "../telemetry/metrics.ts";
import { toStatusObject } from "./status.ts";
import { HealthState, ServingStatus } from "./health.ts";
import {
  type AnyMethod,
  type CallContext,
  type ServiceBinding,
  TENANT_METADATA_KEY,
} from "./types.ts";

const STATUS_NAMES = Object.fromEntries(
  Object.entries(grpc.status).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]),
) as Record<number, string>;

/** Options of startGrpcServer(). */
export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  services: readonly ServiceBinding[];
  /** Largest message in either direction. */
  maxMessageBytes: number;
  /**
   * Calls served at once (health checks left out); a call beyond it is refused with
   * RESOURCE_EXHAUSTED, not queued. 0 means no bound. @default 0
   */
  maxConcurrentCalls?: number;
  logger: Logger;
  metrics: RpcMetrics;
}

export interface GrpcServer extends AsyncDisposable {
  readonly port: number;
  readonly health: HealthState;
  /** Calls being served now (health checks left out). */
  readonly activeCalls: number;
  /** True once close() began. */
  readonly draining: boolean;
  /**
   * Drains and stops: health turns NOT_SERVING, the listener closes (new connections are
   * refused), and every connection gets a GOAWAY notice at once, then 100 ms later the final
   * GOAWAY: the calls that reached the server by then are served, any later one is ignored,
   * which tells the client to retry it elsewhere (grpc-js does so by itself). Calls in
   * flight get up to `graceMs` to finish and be delivered (connections close once their
   * streams have); whatever is left then is cut. @default graceMs 10000
   */
  close(graceMs?: number): Promise<void>;
}

type Call = {
  metadata: grpc.Metadata;
  getPeer(): string;
  on(event: "cancelled", listener: () => void): unknown;
};

interface Active {
  ctx: CallContext;
  controller: AbortController;
  started: number;
  /** Counted against the limit (and awaited on close); health checks are not. */
  admitted: boolean;
  /** Why the call is refused before its handler runs. */
  refusal?: PolaroidError;
}

const HEALTH_PREFIX = "/grpc.health.v1.Health/";
/** Between the GOAWAY notice and the final GOAWAY of a drain: calls on their way arrive. */
const NOTICE_MS = 100;

/** Binds and starts a gRPC server with Health and the given services. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
    "grpc.max_send_message_length": options.maxMessageBytes,
  });
  const names = options.services.map((s) => serviceName(s.definition));
  const health = new HealthState(names);
  const maxCalls = options.maxConcurrentCalls ?? 0;
  if (!Number.isSafeInteger(maxCalls) || maxCalls < 0) {
    throw new RangeError(
      `Cannot start the gRPC server as 'maxConcurrentCalls' must be a non-negative integer: current value is ${maxCalls}`,
    );
  }
  let inFlight = 0;
  let draining = false;
  const idle: Array<() => void> = [];
  /** Health calls in progress: Watch streams are ended once the server has drained. */
  const healthCalls = new Set<Active>();

  /** Admits a call or says why not; health checks always pass and are not counted. */
  const admit = (method: string): PolaroidError | undefined => {
    if (method.startsWith(HEALTH_PREFIX)) return undefined;
    if (maxCalls > 0 && inFlight >= maxCalls) {
      return new LimitExceededError(
        `Cannot take the call as a server may run at most ${maxCalls} calls at once (POLAROID_MAX_CONCURRENT_CALLS): current value is ${inFlight}`,
        // The one RESOURCE_EXHAUSTED worth retrying elsewhere (clients look for it).
        { metadata: { limit: String(maxCalls), retryable: "true" } },
      );
    }
    inFlight++;
    return undefined;
  };

  const begin = (method: string, call: Call): Active => {
    const refusal = admit(method);
    const admitted = refusal === undefined && !method.startsWith(HEALTH_PREFIX);
    options.metrics.inFlight.inc({ method });
    const controller = new AbortController();
    call.on("cancelled", () => controller.abort(new CancelledError("cancelled by the client")));
    const raw = call.metadata.get(TENANT_METADATA_KEY)[0];
    const log: Record<string, unknown> = { peer: call.getPeer() };
    const ctx: CallContext = {
      method,
      tenant: typeof raw === "string" ? raw : DEFAULT_TENANT,
      metadata: call.metadata,
      signal: controller.signal,
      log,
    };
    const active = { ctx, controller, started: performance.now(), admitted, refusal };
    if (method.startsWith(HEALTH_PREFIX)) healthCalls.add(active);
    return active;
  };

  const end = (active: Active, error?: PolaroidError) => {
    const { ctx } = active;
    const code = error ? error.code : grpc.status.OK;
    const codeName = STATUS_NAMES[code] ?? String(code);
    const seconds = (performance.now() - active.started) / 1000;
    options.metrics.requests.inc({ method: ctx.method, code: codeName });
    options.metrics.duration.observe({ method: ctx.method }, seconds);
    options.metrics.inFlight.dec({ method: ctx.method });
    if (error) options.metrics.errors.inc({ method: ctx.method, code: codeName });
    const fields = {
      method: ctx.method,
      code: codeName,
      ms: Math.round(seconds * 1e6) / 1e3,
      tenant: ctx.tenant,
      ...ctx.log,
      ...(error ? { reason: error.reason, error: error.message } : {}),
    };
    if (error instanceof InternalError) {
      options.logger.error("rpc", { ...fields, cause: describeCause(error.cause) });
    } else if (ctx.method.startsWith(HEALTH_PREFIX)) {
      options.logger.debug("rpc", fields);
    } else {
      options.logger.info("rpc", fields);
    }
    active.controller.abort();
    healthCalls.delete(active);
    if (!active.admitted) return;
    inFlight--;
    if (inFlight === 0) { for (const wake of idle.splice(0)) wake(); }
  };

  /** The status sent for an error: internal errors keep their details in the log only. */
  const wire = (error: PolaroidError) =>
    toStatusObject(
      error,
      error instanceof InternalError ? "internal error (details are in the server log)" : undefined,
    );

  for (const binding of options.services) {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [key, def] of Object.entries(binding.definition)) {
      const handler = binding.handlers[key];
      if (!handler) throw new TypeError(`no handler for ${def.path}`);
      implementation[key] = wrap(def, handler, { begin, end, wire });
    }
    server.addService(binding.definition as grpc.ServiceDefinition, implementation);
  }
  server.addService(
    health.binding().definition as grpc.ServiceDefinition,
    Object.fromEntries(
      Object.entries(health.binding().definition).map(([key, def]) => [
        key,
        wrap(def, health.binding().handlers[key]!, { begin, end, wire }),
      ]),
    ),
  );

  // Connections are accepted here and handed to grpc-js through a filter that keeps the
  // peer's GOAWAY away from Deno's HTTP/2 layer (see goaway_filter.ts).
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const connections = await acceptConnections(
    options.host,
    options.port,
    (connection) => injector.injectConnection(connection),
  );

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    closing ??= (async () => {
      const deadline = performance.now() + graceMs;
      const left = () => Math.max(0, deadline - performance.now());
      draining = true;
      health.setAll(ServingStatus.NOT_SERVING);
      // GOAWAY in two steps (RFC 9113 §6.8): a notice at once, so that clients send new
      // calls elsewhere, then the final one once the calls already on their way have
      // arrived; those are served, any later one is refused (clients retry it). Each
      // connection closes once its streams have (their last messages may wait for the
      // client's flow control).
      connections.stopAccepting();
      await within(new Promise<void>((resolve) => setTimeout(resolve, NOTICE_MS)), left());
      injector.drain(left());
      if (inFlight > 0) await within(new Promise<void>((resolve) => idle.push(resolve)), left());
      // Health watches would hold a connection open: they end once the calls have.
      for (const active of healthCalls) {
        active.controller.abort(new CancelledError("the server is stopping"));
      }
      await connections.closed(left());
      injector.destroy();
      server.forceShutdown();
    })();
  return {
    port: connections.port,
    health,
    get activeCalls() {
      return inFlight;
    },
    get draining() {
      return draining;
    },
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}

interface Hooks {
  begin(method: string, call: Call): Active;
  end(active: Active, error?: PolaroidError): void;
  wire(error: PolaroidError): grpc.StatusObject;
}

// deno-lint-ignore no-explicit-any
type AnyHandler = (...args: any[]) => any;

function wrap(def: AnyMethod, handler: AnyHandler, hooks: Hooks): grpc.UntypedHandleCall {
  const method = def.path;
  const fail = (active: Active, error: unknown) => {
    const e = active.ctx.signal.aborted && !(error instanceof PolaroidError)
      ? new CancelledError("cancelled by the client", { cause: error })
      : PolaroidError.from(error);
    hooks.end(active, e);
    return hooks.wire(e);
  };
  /** Runs before the handler: a refused call fails here, then the tenant is checked. */
  const checkTenant = (active: Active) => {
    if (active.refusal) throw active.refusal;
    validateTenant(active.ctx.tenant);
  };

  if (!def.requestStream && !def.responseStream) {
    return (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const active = hooks.begin(method, call);
      (async () => {
        checkTenant(active);
        return await handler(call.request, active.ctx);
      })().then(
        (response) => {
          hooks.end(active);
          callback(null, response);
        },
        (error) => callback(fail(active, error)),
      );
    };
  }
  if (def.requestStream && !def.responseStream) {
    return (
      call: grpc.ServerReadableStream<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const active = hooks.begin(method, call);
      (async () => {
        checkTenant(active);
        return await handler(call as AsyncIterable<unknown>, active.ctx);
      })().then(
        (response) => {
          hooks.end(active);
          callback(null, response);
        },
        (error) => {
          call.destroy();
          callback(fail(active, error));
        },
      );
    };
  }
  // Server streaming (and bidirectional): pull from the handler only as fast as the client
  // reads, and stop pulling (freeing what the handler holds) when the call is cancelled.
  return (call: grpc.ServerWritableStream<unknown, unknown>) => {
    const active = hooks.begin(method, call);
    (async () => {
      checkTenant(active);
      const source = def.requestStream
        ? handler(call as unknown as AsyncIterable<unknown>, active.ctx)
        : handler(call.request, active.ctx);
      const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      try {
        while (!active.ctx.signal.aborted) {
          const next = await iterator.next();
          if (next.done) break;
          if (!call.write(next.value)) await drained(call, active.ctx.signal);
        }
      } finally {
        await iterator.return?.();
      }
      if (active.ctx.signal.aborted) throw new CancelledError("cancelled by the client");
    })().then(
      () => {
        hooks.end(active);
        call.end();
      },
      (error) => {
        const status = fail(active, error);
        if (!call.cancelled) call.emit("error", status);
      },
    );
  };
}

async function drained(call: NodeJS.EventEmitter, signal: AbortSignal): Promise<void> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  signal.addEventListener("abort", stop, { once: true });
  try {
    await once(call, "drain", { signal: ac.signal });
  } catch {
    // Cancelled: the caller checks the signal.
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

/** Resolves when `promise` does or after `ms`, whichever is first. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => timer = setTimeout(resolve, ms))]);
  } finally {
    clearTimeout(timer);
  }
}

function serviceName(definition: Record<string, AnyMethod>): string {
  const first = Object.values(definition)[0];
  return first ? first.path.split("/")[1] ?? "" : "";
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    return { name: cause.name, message: cause.message, stack: cause.stack };
  }
  return cause;
}
