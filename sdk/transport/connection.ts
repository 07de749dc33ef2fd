/**
 * Opening gRPC channels for the SDK: endpoint defaults, the one environment read of the SDK,
 * option checks, a bounded readiness check, and the routing of calls over several endpoints
 * (balancing and retries, see balancer.ts and retry.ts).
 *
 * @module
 */

import { UnavailableError } from "../../shared/errors.ts";
import {
  type CallOptions,
  RpcClient,
  type RpcClientOptions,
  type TlsClientOptions,
} from "../../shared/grpc/client.ts";
import type { ShieldObserver } from "../../shared/grpc/shielded_credentials.ts";
import type { ServiceDefinition } from "../../shared/grpc/types.ts";
import { validateTenant } from "../../shared/ids.ts";
import { type BalanceMode, Balancer } from "./balancer.ts";
import { retryCall, type RetryMethod, type RetryOptions, retryStream } from "./retry.ts";

/** Options shared by `connect()` and `connectIngest()`. */
export interface ChannelOptions {
  /** "host:port" of the service. */
  endpoint?: string;
  /**
   * Sent as `x-polaroid-tenant` on every call. With authentication on, the tenant is the
   * credential's and this may only repeat it. @default the credential's tenant, or the
   * server's "default" tenant when authentication is off
   */
  tenant?: string;
  /**
   * An API key (`pk_...`) or a JWT, sent as `authorization: Bearer <token>` on every call;
   * needed by servers with `POLAROID_AUTH=token` (docs/security.md). @default none
   */
  token?: string;
  /**
   * Call over TLS: `ca` (PEM) verifies the server, the system's CAs when absent; `cert` and
   * `key` (PEM) are the client's certificate for servers that ask for one. @default plaintext
   */
  tls?: TlsClientOptions;
  /** Deadline of each call, in milliseconds, its retries included. @default 300000 */
  timeoutMs?: number;
  /** Largest gRPC message in either direction, at least 2 MiB. @default 67108864 (64 MiB) */
  maxMessageBytes?: number;
  /** How long `connect` waits for the server to answer; 0 skips the check. @default 5000 */
  connectTimeoutMs?: number;
  /**
   * A call to an endpoint that cannot be reached (e.g. while it restarts) waits for it,
   * within the call's deadline, instead of failing at once with UNAVAILABLE. @default true
   * with one endpoint, false with several (a call then goes to the next endpoint at once)
   */
  waitForReady?: boolean;
  /**
   * Told each time a server drains a connection (a restart): the GOAWAY the client dropped
   * and how many calls it refused, which were retried on a new connection (docs/adr/0005).
   * For metrics. @default none
   */
  goawayObserver?: ShieldObserver;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MIN_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * An environment variable, or undefined when it is unset or the program may not read it
 * (no `--allow-env`): the SDK never prompts for or requires the permission. The SDK reads
 * exactly two variables this way: POLAROID_ENDPOINT (one endpoint or a comma-separated list)
 * and POLAROID_INGEST_ENDPOINT.
 */
export function readEnv(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name)?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Checks one "host:port". */
function checkEndpoint(endpoint: unknown, name = "endpoint"): string {
  if (typeof endpoint !== "string" || !/^[^\s,]+:\d+$/.test(endpoint)) {
    throw new TypeError(
      `Cannot connect as '${name}' must be "host:port": current value is ${
        JSON.stringify(endpoint)
      }`,
    );
  }
  return endpoint;
}

/** The endpoint to use: the option, else the environment variable, else the fallback. */
export function resolveEndpoint(
  option: string | undefined,
  variable: string,
  fallback: string,
): string {
  return checkEndpoint(option ?? readEnv(variable) ?? fallback);
}

/** Where to connect: one endpoint or several. */
export interface EndpointOptions {
  /** "host:port" of one server; exclusive with `endpoints`. */
  endpoint?: string;
  /** "host:port" of each of several equivalent servers; exclusive with `endpoint`. */
  endpoints?: readonly string[];
}

/**
 * The endpoints to use, without duplicates: the `endpoint` or `endpoints` option, else the
 * environment variable (one endpoint or a comma-separated list), else the fallback.
 */
export function resolveEndpoints(
  options: EndpointOptions,
  variable: string,
  fallback: string,
): string[] {
  const { endpoint, endpoints } = options;
  if (endpoint !== undefined && endpoints !== undefined) {
    throw new TypeError(
      `Cannot connect as 'endpoint' and 'endpoints' are exclusive: current values are ${
        JSON.stringify(endpoint)
      } and ${JSON.stringify(endpoints)}`,
    );
  }
  if (endpoints !== undefined) {
    if (!Array.isArray(endpoints) || endpoints.length === 0) {
      throw new TypeError(
        `Cannot connect as 'endpoints' must be a non-empty array of "host:port": current value is ${
          JSON.stringify(endpoints)
        }`,
      );
    }
    return [...new Set(endpoints.map((e) => checkEndpoint(e, "endpoints")))];
  }
  if (endpoint !== undefined) return [checkEndpoint(endpoint)];
  const listed = readEnv(variable)?.split(",").map((e) => e.trim()).filter((e) => e !== "");
  if (listed?.length) return [...new Set(listed.map((e) => checkEndpoint(e, variable)))];
  return [checkEndpoint(fallback)];
}

/** Checks a non-negative integer option. */
export function checkCount(
  what: string,
  name: string,
  value: number | undefined,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(
      `Cannot ${what} as '${name}' must be an integer in [0, ${max}]: current value is ${value}`,
    );
  }
}

/** The RpcClient options of `options`, after checking them. */
function rpcOptions(
  options: ChannelOptions,
  endpoints: number,
): RpcClientOptions & { timeoutMs: number } {
  checkCount("connect", "timeoutMs", options.timeoutMs);
  checkCount("connect", "connectTimeoutMs", options.connectTimeoutMs);
  checkCount("connect", "maxMessageBytes", options.maxMessageBytes);
  if (options.maxMessageBytes !== undefined && options.maxMessageBytes < MIN_MESSAGE_BYTES) {
    throw new RangeError(
      `Cannot connect as 'maxMessageBytes' must be at least ${MIN_MESSAGE_BYTES} (uploads send 1 MiB chunks): current value is ${options.maxMessageBytes}`,
    );
  }
  if (options.tenant !== undefined) validateTenant(options.tenant);
  if (
    options.token !== undefined &&
    (typeof options.token !== "string" || !/^[\x21-\x7e]{1,8192}$/.test(options.token))
  ) {
    throw new TypeError(
      "Cannot connect as 'token' must be an API key or a JWT: 1 to 8192 printable characters without spaces",
    );
  }
  if (options.tls !== undefined) {
    for (const key of Object.keys(options.tls)) {
      if (!["ca", "cert", "key"].includes(key)) {
        throw new TypeError(
          `Cannot connect as 'tls.${key}' is not an option: tls takes ca, cert, key`,
        );
      }
      const value = (options.tls as Record<string, unknown>)[key];
      if (value !== undefined && typeof value !== "string") {
        throw new TypeError(`Cannot connect as 'tls.${key}' must be PEM text`);
      }
    }
    if ((options.tls.cert === undefined) !== (options.tls.key === undefined)) {
      throw new TypeError("Cannot connect as 'tls.cert' and 'tls.key' go together");
    }
  }
  return {
    ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    waitForReady: options.waitForReady ?? endpoints === 1,
    ...(options.goawayObserver ? { goawayObserver: options.goawayObserver } : {}),
  };
}

/** RpcClients of each service in `definitions` over one endpoint. */
export type Clients<D extends Record<string, ServiceDefinition>> = {
  [K in keyof D]: RpcClient<D[K]>;
};

function createClients<D extends Record<string, ServiceDefinition>>(
  endpoint: string,
  definitions: D,
  options: ReturnType<typeof rpcOptions>,
): Clients<D> {
  return Object.fromEntries(
    Object.entries(definitions).map(([key, def]) => [key, new RpcClient(endpoint, def, options)]),
  ) as Clients<D>;
}

function closeClients(clients: Record<string, RpcClient<ServiceDefinition>>): void {
  for (const c of Object.values(clients)) c.close();
}

/** Resolves when every client is connected, or rejects after `wait` ms. */
async function ready(clients: Record<string, RpcClient<ServiceDefinition>>, wait: number) {
  await Promise.all(Object.values(clients).map((c) => c.waitForReady(wait)));
}

function why(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** RpcClients for `definitions` over `endpoint`, after a bounded readiness check. */
export async function openChannel<D extends Record<string, ServiceDefinition>>(
  endpoint: string,
  definitions: D,
  options: ChannelOptions,
): Promise<Clients<D>> {
  const clients = createClients(endpoint, definitions, rpcOptions(options, 1));
  const wait = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (wait > 0) {
    try {
      await ready(clients, wait);
    } catch (error) {
      closeClients(clients);
      throw new UnavailableError(
        `Cannot connect to ${endpoint} as it did not answer within ${wait} ms: ${why(error)}`,
        { cause: error },
      );
    }
  }
  return clients;
}

/** How calls spread over several endpoints and are retried. */
export interface RoutingOptions {
  /**
   * "round_robin": each call goes to the next endpoint that answers. "affinity": a call that
   * reads a handle goes to the endpoint rendezvous hashing picks for the handle (a worker
   * that cached the frame keeps serving it); other calls round-robin. @default "round_robin"
   */
  balance?: BalanceMode;
  /**
   * Retries on the next endpoint (one known to be up first), with exponential backoff and
   * full jitter, for up to `budgetMs` after the first attempt and inside the call's deadline.
   * @default { budgetMs: 30000, baseDelayMs: 50, maxDelayMs: 2000 }
   */
  retry?: RetryOptions;
  /** How long an endpoint that was unreachable is skipped, unless all are. @default 1000 */
  coolDownMs?: number;
}

/** Options of one routed call. */
export interface RouteOptions {
  /** Stops the call and any wait between attempts. */
  signal?: AbortSignal | undefined;
  /** Milliseconds since the epoch. @default now + the client's timeoutMs */
  deadline?: number;
  /** Endpoints the call failed on, shared by the streams of one resumed download. */
  tried?: Set<string>;
}

/** The channels of several endpoints, and the routing and retrying of calls over them. */
export class ChannelPool<D extends Record<string, ServiceDefinition>> {
  readonly #clients: ReadonlyMap<string, Clients<D>>;
  readonly #balancer: Balancer;
  readonly #retry: RetryOptions;
  readonly #timeoutMs: number;

  constructor(
    clients: ReadonlyMap<string, Clients<D>>,
    balancer: Balancer,
    retry: RetryOptions,
    timeoutMs: number,
  ) {
    this.#clients = clients;
    this.#balancer = balancer;
    this.#retry = retry;
    this.#timeoutMs = timeoutMs;
  }

  /** The endpoints, in the order given. */
  get endpoints(): readonly string[] {
    return this.#balancer.endpoints;
  }

  /** The deadline of a call that starts now. */
  deadline(): number {
    return Date.now() + this.#timeoutMs;
  }

  #plan(key: string | undefined, options: RouteOptions) {
    return {
      ...this.#retry,
      balancer: this.#balancer,
      key,
      deadline: options.deadline ?? this.deadline(),
      signal: options.signal,
      ...(options.tried ? { tried: options.tried } : {}),
    };
  }

  #call(timeoutMs: number, signal: AbortSignal | undefined): CallOptions {
    return signal ? { timeoutMs, signal } : { timeoutMs };
  }

  /** A unary or client-streaming call, routed by `key` (a handle id) and retried. */
  call<T>(
    method: RetryMethod,
    key: string | undefined,
    run: (clients: Clients<D>, call: CallOptions) => Promise<T>,
    options: RouteOptions = {},
  ): Promise<T> {
    return retryCall(
      method,
      (a) => run(this.#clients.get(a.endpoint)!, this.#call(a.timeoutMs, options.signal)),
      this.#plan(key, options),
    );
  }

  /** A server-streaming call, routed by `key` and retried until its first message. */
  stream<T>(
    method: RetryMethod,
    key: string | undefined,
    open: (clients: Clients<D>, call: CallOptions) => AsyncIterable<T>,
    options: RouteOptions = {},
  ): AsyncGenerator<T> {
    return retryStream(
      method,
      (a) => open(this.#clients.get(a.endpoint)!, this.#call(a.timeoutMs, options.signal)),
      this.#plan(key, options),
    );
  }

  close(): void {
    for (const clients of this.#clients.values()) closeClients(clients);
  }
}

/**
 * Channels to every endpoint, after a bounded readiness check: it waits for the first
 * endpoint that answers and fails (UnavailableError) only when none does.
 */
export async function openChannels<D extends Record<string, ServiceDefinition>>(
  endpoints: readonly string[],
  definitions: D,
  options: ChannelOptions & RoutingOptions,
): Promise<ChannelPool<D>> {
  const retry = options.retry ?? {};
  const attempts = retry.attempts;
  if (
    attempts !== undefined && !(Number.isSafeInteger(attempts) && attempts >= 1 && attempts <= 100)
  ) {
    throw new RangeError(
      `Cannot connect as 'retry.attempts' must be an integer in [1, 100]: current value is ${attempts}`,
    );
  }
  checkCount("connect", "retry.budgetMs", retry.budgetMs);
  checkCount("connect", "retry.baseDelayMs", retry.baseDelayMs);
  checkCount("connect", "retry.maxDelayMs", retry.maxDelayMs);
  checkCount("connect", "coolDownMs", options.coolDownMs);
  const balancer = new Balancer(endpoints, {
    ...(options.balance === undefined ? {} : { mode: options.balance }),
    ...(options.coolDownMs === undefined ? {} : { coolDownMs: options.coolDownMs }),
  });
  const rpc = rpcOptions(options, balancer.endpoints.length);
  const clients = new Map(balancer.endpoints.map((e) => [e, createClients(e, definitions, rpc)]));
  const wait = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (wait > 0) {
    // The first endpoint to answer is enough: an endpoint that is down fails its first call
    // at once (UNAVAILABLE), which cools it down and retries the call elsewhere.
    const waits = [...clients.values()].map((c) => ready(c, wait));
    for (const w of waits) w.catch(() => {}); // the others' checks end with close()
    try {
      await Promise.any(waits);
    } catch (failure) {
      for (const c of clients.values()) closeClients(c);
      const error = (failure as AggregateError).errors[0];
      const names = balancer.endpoints;
      throw new UnavailableError(
        names.length === 1
          ? `Cannot connect to ${names[0]} as it did not answer within ${wait} ms: ${why(error)}`
          : `Cannot connect to any of ${names.join(", ")} as none answered within ${wait} ms: ${
            why(error)
          }`,
        { cause: error },
      );
    }
  }
  return new ChannelPool(clients, balancer, retry, rpc.timeoutMs);
}
