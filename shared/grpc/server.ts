/**
 * Serving gRPC: every handler is wrapped once here (calls.ts) with tenant parsing,
 * cancellation, flow control, timeouts, metrics, one JSON log line per call, and the mapping
 * of errors to the wire. No handler maps errors itself, and nothing a handler throws escapes
 * as a raw exception.
 *
 * Before any handler runs: connections are bounded and must start speaking HTTP/2 in time
 * (connections.ts); requests are bounded in bytes and protobuf fields before they are decoded,
 * and a malformed one is INVALID_ARGUMENT (decode_guard.ts); beyond `maxConcurrentCalls` a
 * call is refused at once with RESOURCE_EXHAUSTED (admission.ts). A draining server takes no
 * new calls at all: its GOAWAY tells each client which calls it will finish (docs/adr/0005).
 * A call gives its slot back the moment it ends, however it ends.
 * Health checks are never refused and do not count; health turns NOT_SERVING while the server
 * is stuck (every slot held, none coming back).
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from "../config_limits.ts";
import { CancelledError, DeadlineExceededError, InternalError, PolaroidError } from "../errors.ts";
import { AUDITED_METHODS } from "../auth/roles.ts";
import { DEFAULT_TENANT } from "../ids.ts";
import { TenantQuotas } from "../auth/quotas.ts";
import { type Authenticator, type Identity, noAuthentication } from "../auth/authenticator.ts";
import type { Logger } from "../telemetry/log.ts";
import type { RpcMetrics } from "../telemetry/metrics.ts";
import { Admission } from "./admission.ts";
import { type Active, type Call, callContext, type CallHooks, wrapHandler } from "./calls.ts";
import type { CallLog } from "./call_log.ts";
import { type ConnectionListener, listenConnections } from "./connections.ts";
import { guardDecoding } from "./decode_guard.ts";
import { toStatusObject } from "./status.ts";
import { HealthState, ServingStatus } from "./health.ts";
import { endServerSpan, serverSpan } from "./tracing.ts";
import { spanIds } from "../telemetry/tracing.ts";
import type { AnyMethod, ServiceBinding } from "./types.ts";

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
  /** Bounds on peers, requests and streams. @default DEFAULT_SERVER_LIMITS */
  limits?: ServerLimits;
  logger: Logger;
  metrics: RpcMetrics;
  /**
   * Serve TLS only, with this certificate chain and key (PEM); with `clientCa`, every client
   * must present a certificate it signed (mTLS). @default plaintext
   */
  tls?: { cert: string; key: string; clientCa?: string };
  /**
   * Verifies each call's credentials and role (health checks left out).
   * @default noAuthentication(): the tenant `x-polaroid-tenant` names, every role
   */
  auth?: Authenticator;
  /** Where running and finished calls are recorded for the console. @default none */
  calls?: CallLog;
}

export interface GrpcServer extends AsyncDisposable {
  readonly port: number;
  readonly health: HealthState;
  /** Calls being served now (health checks left out). */
  readonly activeCalls: number;
  /** Handlers still running after their call ended (cancelled, timed out). */
  readonly abandonedCalls: number;
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

const HEALTH_PREFIX = "/grpc.health.v1.Health/";
/**
 * The reason a call's signal aborts with when the call ended without an error: made once, as
 * the default reason (a new DOMException with its stack) cost more than the rest of `end`.
 */
const CALL_ENDED = new DOMException("the call has ended", "AbortError");
/** Between the GOAWAY notice and the final GOAWAY of a drain: calls on their way arrive. */
const NOTICE_MS = 100;

/** Binds and starts a gRPC server with Health and the given services. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  const keepalive = limits.keepaliveMs > 0
    ? {
      "grpc.keepalive_time_ms": limits.keepaliveMs,
      "grpc.keepalive_timeout_ms": Math.max(5000, Math.floor(limits.keepaliveMs / 3)),
    }
    : {};
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxMessageBytes,
    "grpc.max_send_message_length": options.maxMessageBytes,
    "grpc.max_concurrent_streams": limits.maxStreamsPerConnection,
    ...keepalive,
  });
  const names = options.services.map((s) => serviceName(s.definition));
  const health = new HealthState(names);
  const admission = new Admission({
    maxCalls: options.maxConcurrentCalls ?? 0,
    stuckAfterMs: limits.stuckAfterMs,
  });
  /** Health calls in progress: Watch streams are ended once the server has drained. */
  const healthCalls = new Set<Active>();
  const { logger, metrics } = options;
  const auth = options.auth ?? noAuthentication();
  const anonymous: Identity = {
    tenant: DEFAULT_TENANT,
    roles: new Set(),
    subject: "anonymous",
    via: "none",
  };
  const quotas = new TenantQuotas({
    maxCalls: limits.tenantMaxCalls,
    ratePerSecond: limits.tenantRate,
    burst: limits.tenantBurst,
  });
  /** Set once listening; calls come after. */
  let connections: ConnectionListener | undefined = undefined;
  /** What ends each admitted call's hold on its tenant's quota. */
  const quotaHolds = new Map<Active, () => void>();
  /** What records each call's end in the call log. */
  const logEnds = new Map<Active, (code: string) => void>();
  const authorize = async (active: Active): Promise<Identity> => {
    const { method, metadata } = active.ctx;
    if (method.startsWith(HEALTH_PREFIX)) return anonymous;
    const peer = connections?.peerSubject(String(active.ctx.log.peer));
    const identity = await auth.authorize(method, metadata, peer);
    // A service's calls (a worker registering a tenant's result) follow from a call its
    // tenant's quota already counted where it came in; without authentication nobody can
    // tell a service from a client, so every call counts.
    const service = identity.via !== "none" && identity.roles.has("service");
    const release = service ? () => {} : quotas.admit(identity.tenant);
    // A call that ended while it was being verified gives its quota back at once.
    if (active.ended) release();
    else quotaHolds.set(active, release);
    return identity;
  };

  /** Aborted when close() begins (CallContext.draining). */
  const draining = new AbortController();
  const begin = (method: string, call: Call): Active => {
    const isHealth = method.startsWith(HEALTH_PREFIX);
    const admitted = isHealth ? undefined : admission.admit();
    const slot = admitted instanceof PolaroidError ? undefined : admitted;
    const refusal = admitted instanceof PolaroidError ? admitted : undefined;
    metrics.inFlight.inc({ method });
    const controller = new AbortController();
    // grpc-js also tells a call that ended normally that it was cancelled (its stream
    // closed): by then the signal is aborted, and no error is made for it.
    call.on("cancelled", () => {
      if (!controller.signal.aborted) controller.abort(cancellation(call));
    });
    const ctx = callContext(method, call, controller.signal, draining.signal);
    const traced = isHealth ? undefined : serverSpan(method, call.metadata);
    if (traced) Object.assign(ctx.log, spanIds(traced.span));
    const active: Active = {
      ctx,
      controller,
      started: performance.now(),
      slot,
      refusal,
      ended: false,
      error: undefined,
      endedAt: 0,
      ...(traced ? { span: traced.span, traceContext: traced.context } : {}),
    };
    if (isHealth) healthCalls.add(active);
    else if (options.calls) {
      logEnds.set(active, options.calls.begin({ method, tenant: () => ctx.tenant, log: ctx.log }));
    }
    return active;
  };

  const end = (active: Active, error?: PolaroidError) => {
    if (active.ended) return;
    active.ended = true;
    active.error = error;
    active.endedAt = performance.now();
    const { method } = active.ctx;
    const code = STATUS_NAMES[error ? error.code : grpc.status.OK] ?? "UNKNOWN";
    metrics.requests.inc({ method, code });
    metrics.duration.observe({ method }, (active.endedAt - active.started) / 1000);
    metrics.inFlight.dec({ method });
    if (error) metrics.errors.inc({ method, code });
    if (!active.controller.signal.aborted) active.controller.abort(error ?? CALL_ENDED);
    if (active.span) endServerSpan(active.span, active.ctx.tenant, error);
    healthCalls.delete(active);
    active.slot?.release();
    quotaHolds.get(active)?.();
    quotaHolds.delete(active);
    logEnds.get(active)?.(code);
    logEnds.delete(active);
  };

  /** One log line per call, once its handler is done (it may run on past the call's end). */
  const finish = (active: Active) => {
    const { ctx, error } = active;
    const ranOn = performance.now() - active.endedAt;
    const code = STATUS_NAMES[error ? error.code : grpc.status.OK] ?? "UNKNOWN";
    const who = ctx.identity.via === "none" ? {} : { subject: ctx.identity.subject };
    const fields = {
      method: ctx.method,
      code,
      ms: Math.round((active.endedAt - active.started) * 1e3) / 1e3,
      tenant: ctx.tenant,
      ...who,
      ...ctx.log,
      // A handler that ran on after its call ended (cancelled, timed out) says for how long.
      ...(ranOn >= 1 ? { abandonedMs: Math.round(ranOn) } : {}),
      ...(error ? { reason: error.reason, error: error.message } : {}),
    };
    const action = AUDITED_METHODS[ctx.method];
    if (action !== undefined) {
      // The audit trail: who did what to which handle, source or output, allowed or not.
      logger.info("audit", {
        action,
        method: ctx.method,
        code,
        tenant: ctx.tenant,
        subject: ctx.identity.subject,
        via: ctx.identity.via,
        peer: ctx.log.peer,
        ...(ctx.log.handle === undefined ? {} : { handle: ctx.log.handle }),
        ...(ctx.log.source === undefined ? {} : { source: ctx.log.source }),
        ...(ctx.log.output === undefined ? {} : { output: ctx.log.output }),
      });
    }
    if (error instanceof InternalError) {
      logger.error("rpc", { ...fields, cause: describeCause(error.cause) });
    } else if (ctx.method.startsWith(HEALTH_PREFIX)) {
      logger.debug("rpc", fields);
    } else {
      logger.info("rpc", fields);
    }
  };

  /** The status sent for an error: internal errors keep their details in the log only. */
  const wire = (error: PolaroidError) =>
    toStatusObject(
      error,
      error instanceof InternalError ? "internal error (details are in the server log)" : undefined,
    );
  const hooks: CallHooks = {
    begin,
    end,
    finish,
    wire,
    authorize,
    admitted: (active) =>
      metrics.queue.observe(
        { method: active.ctx.method },
        (performance.now() - active.started) / 1000,
      ),
    streamIdleTimeoutMs: limits.streamIdleTimeoutMs,
    uploadTimeoutMs: limits.uploadTimeoutMs,
  };

  const serve = (binding: ServiceBinding) => {
    const definition: Record<string, AnyMethod> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [key, def] of Object.entries(binding.definition)) {
      const handler = binding.handlers[key];
      if (!handler) throw new TypeError(`no handler for ${def.path}`);
      definition[key] = guardDecoding(def, limits);
      implementation[key] = wrapHandler(def, handler, hooks);
    }
    server.addService(definition as grpc.ServiceDefinition, implementation);
  };
  for (const binding of options.services) serve(binding);
  serve(health.binding());

  // Connections are accepted here (TLS ends there too) and handed to grpc-js decrypted
  // (see connections.ts).
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  connections = await listenConnections({
    host: options.host,
    port: options.port,
    maxConnections: limits.maxConnections,
    maxConnectionsPerPeer: limits.maxConnectionsPerPeer,
    handshakeTimeoutMs: limits.handshakeTimeoutMs,
    ...(options.tls ? { tls: options.tls } : {}),
    accept: (stream) => injector.injectConnection(stream),
    onRefused: (reason) => logger.warn("connection refused", { reason }),
  });

  // A stuck server says so in its health, so that a supervisor restarts it.
  let stuck = false;
  const watch = setInterval(() => {
    if (admission.draining || admission.stuck === stuck) return;
    stuck = admission.stuck;
    health.setAll(stuck ? ServingStatus.NOT_SERVING : ServingStatus.SERVING);
    logger[stuck ? "error" : "info"](stuck ? "stuck" : "unstuck", {
      inFlight: admission.inFlight,
      abandoned: admission.abandoned,
      stuckAfterMs: limits.stuckAfterMs,
    });
  }, Math.min(1000, limits.stuckAfterMs));
  Deno.unrefTimer(watch);

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    closing ??= (async () => {
      clearInterval(watch);
      const deadline = performance.now() + graceMs;
      const left = () => Math.max(0, deadline - performance.now());
      admission.drain();
      // Long-lived streams (a worker's registrations) end themselves now rather than hold
      // the stop for its whole grace period.
      draining.abort(new CancelledError("the server is stopping"));
      health.setAll(ServingStatus.NOT_SERVING);
      // GOAWAY in two steps (RFC 9113 §6.8): a notice at once, so that clients send new
      // calls elsewhere, then the final one once the calls already on their way have
      // arrived; those are served, any later one is refused (clients retry it). Each
      // connection closes once its streams have (their last messages may wait for the
      // client's flow control).
      connections.stopAccepting();
      await within(new Promise<void>((resolve) => setTimeout(resolve, NOTICE_MS)), left());
      injector.drain(left());
      await within(admission.idle(), left());
      // Health watches would hold a connection open: they end once the calls have.
      for (const active of healthCalls) {
        active.controller.abort(new CancelledError("the server is stopping"));
      }
      await connections.closed(left());
      injector.destroy();
      connections.destroyAll();
      server.forceShutdown();
    })();
  return {
    port: connections.port,
    health,
    get activeCalls() {
      return admission.inFlight;
    },
    get abandonedCalls() {
      return admission.abandoned;
    },
    get draining() {
      return admission.draining;
    },
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}

/** Why a call grpc-js reports cancelled ended: its deadline, or the client (or its link). */
function cancellation(call: Call): PolaroidError {
  const deadline = (call as { getDeadline?: () => Date | number }).getDeadline?.();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (typeof at === "number" && Number.isFinite(at) && at <= Date.now()) {
    return new DeadlineExceededError("the client's deadline passed");
  }
  return new CancelledError("cancelled by the client");
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
