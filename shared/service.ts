/**
 * The life of a service process: gRPC and HTTP servers up, one "listening" log line with
 * the ports, then a graceful stop on SIGINT/SIGTERM (health NOT_SERVING, calls in flight
 * finish within the grace period, resources closed, exit).
 *
 * @module
 */

import { type Authenticator, authenticatorFor } from "./auth/authenticator.ts";
import type { CommonConfig, ServerPorts } from "./config.ts";
import { type GrpcServer, startGrpcServer } from "./grpc/server.ts";
import type { ServiceBinding } from "./grpc/types.ts";
import { createLogger, type Logger } from "./telemetry/log.ts";
import { createRegistry, createRpcMetrics, prom, type Registry } from "./telemetry/metrics.ts";
import { type HttpApp, type HttpServer, serveHttp } from "./telemetry/http.ts";
import { CallLog } from "./grpc/call_log.ts";

/** What a service builds before its servers start. */
export interface ServiceParts {
  bindings: readonly ServiceBinding[];
  /** Runs after the servers have stopped taking calls. */
  close?: () => Promise<void> | void;
  /** Pages and an API served on the HTTP port (the console). @default none */
  app?: HttpApp;
}

/** What a service's build gets. */
export interface ServiceTools {
  logger: Logger;
  registry: Registry;
  /** The gRPC server's running and recent calls. */
  calls: CallLog;
  /** How the gRPC server verifies callers (also for the console's API). */
  auth: Authenticator;
}

export interface RunningService extends AsyncDisposable {
  readonly grpc: GrpcServer;
  readonly http: HttpServer;
  readonly logger: Logger;
  /** Stops everything; safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of startService(). */
export interface StartServiceOptions {
  name: string;
  config: CommonConfig & ServerPorts;
  /** Builds the service's parts with the shared logger and metrics registry. */
  build: (tools: ServiceTools) => Promise<ServiceParts>;
}

/** Starts a service's servers and logs where they listen. */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { name, config } = options;
  const logger = createLogger(name, { level: config.logLevel });
  const registry = createRegistry(name);
  const metrics = createRpcMetrics(registry);
  const auth = await authenticatorFor(config.auth);
  if (auth.mode === "none") {
    logger.warn(
      "authentication is off (POLAROID_AUTH=none): any caller acts as the tenant it names; loopback only",
      { host: config.host },
    );
  }
  const calls = new CallLog();
  const parts = await options.build({ logger, registry, calls, auth });
  const { cert, key, clientCa } = config.tls;
  const grpc = await startGrpcServer({
    auth,
    ...(cert !== undefined && key !== undefined
      ? { tls: { cert, key, ...(clientCa === undefined ? {} : { clientCa }) } }
      : {}),
    host: config.host,
    port: config.grpcPort,
    services: parts.bindings,
    maxMessageBytes: config.maxMessageBytes,
    maxConcurrentCalls: config.maxConcurrentCalls,
    limits: config.server,
    logger,
    metrics,
    calls,
  });
  new prom.Gauge({
    name: "polaroid_grpc_abandoned_calls",
    help:
      "Handlers still running after their call ended (cancelled, past its deadline, timed out); their slots are back.",
    registers: [registry],
    collect() {
      this.set(grpc.abandonedCalls);
    },
  });
  const http = await serveHttp({
    host: config.host,
    port: config.httpPort,
    registry,
    healthy: () => grpc.health.serving,
    maxBlockMs: config.server.maxEventLoopBlockMs,
    service: name,
    ...(parts.app ? { app: parts.app } : {}),
  });
  grpc.health.onChange(() => http.refresh());
  logger.info("listening", { grpcPort: grpc.port, httpPort: http.port, pid: Deno.pid });
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) =>
    stopping ??= (async () => {
      logger.info("stopping", { graceMs });
      // Every step is bounded: a stop that hangs would be killed by its supervisor instead,
      // cutting what the steps after it would have closed cleanly.
      await bounded(grpc.close(graceMs), graceMs + 1000, "grpc server", logger);
      await bounded(Promise.resolve(parts.close?.()), STOP_STEP_MS, "service resources", logger);
      await bounded(http.close(), STOP_STEP_MS, "http server", logger);
      logger.info("stopped");
    })();
  return { grpc, http, logger, stop, [Symbol.asyncDispose]: () => stop() };
}

/** Longest wait for one step of a stop after the gRPC server's (closing resources, HTTP). */
const STOP_STEP_MS = 2000;

/** Waits for `step` at most `ms`; a step still running then is logged and left behind. */
async function bounded(step: Promise<unknown>, ms: number, what: string, logger: Logger) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  try {
    const outcome = await Promise.race([step.then(() => "done" as const), late]);
    if (outcome === "late") logger.warn("stop step timed out", { step: what, ms });
  } catch (error) {
    logger.warn("stop step failed", { step: what, error: String(error) });
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a service until SIGINT or SIGTERM, then stops it and exits. */
export async function runUntilSignal(service: Promise<RunningService>): Promise<void> {
  let running: RunningService;
  try {
    running = await service;
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "start failed", error: String(error) }));
    Deno.exit(1);
  }
  const done = Promise.withResolvers<void>();
  const onSignal = () => done.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  await done.promise;
  await running.stop();
  Deno.exit(0);
}
