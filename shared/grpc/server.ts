/**
 * Serving gRPC: every handler is wrapped once here with tenant parsing, cancellation, flow
 * control, metrics, one JSON log line per call, and the mapping of errors to the wire. No
 * handler maps errors itself, and nothing a handler throws escapes as a raw exception.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { once } from "node:events";
import net from "node:net";
import { withoutGoaway } from "./goaway_filter.ts";
import { DEFAULT_TENANT, validateTenant } from "../ids.ts";
import { CancelledError, InternalError, PolaroidError } from "../errors.ts";
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
  logger: Logger;
  metrics: RpcMetrics;
}

export interface GrpcServer extends AsyncDisposable {
  readonly port: number;
  readonly health: HealthState;
  /** Marks the server NOT_SERVING, waits up to `graceMs` for calls in flight, then stops. */
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
}

/** Binds and starts a gRPC server with Health and the given services. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
    "grpc.max_send_message_length": options.maxMessageBytes,
  });
  const names = options.services.map((s) => serviceName(s.definition));
  const health = new HealthState(names);
  let inFlight = 0;
  const idle: Array<() => void> = [];

  const begin = (method: string, call: Call): Active => {
    inFlight++;
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
    return { ctx, controller, started: performance.now() };
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
    } else if (ctx.method.startsWith("/grpc.health")) {
      options.logger.debug("rpc", fields);
    } else {
      options.logger.info("rpc", fields);
    }
    active.controller.abort();
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
  const listener = net.createServer((socket) => injector.injectConnection(withoutGoaway(socket)));
  const port = await new Promise<number>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(options.port, options.host, () => {
      listener.off("error", reject);
      resolve((listener.address() as net.AddressInfo).port);
    });
  });

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    closing ??= (async () => {
      health.setAll(ServingStatus.NOT_SERVING);
      listener.close();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => idle.push(resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs)),
        ]);
      }
      injector.destroy();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
    })();
  return { port, health, close, [Symbol.asyncDispose]: () => close() };
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
  const checkTenant = (ctx: CallContext) => validateTenant(ctx.tenant);

  if (!def.requestStream && !def.responseStream) {
    return (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const active = hooks.begin(method, call);
      (async () => {
        checkTenant(active.ctx);
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
        checkTenant(active.ctx);
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
      checkTenant(active.ctx);
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
