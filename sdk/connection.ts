/**
 * Opening gRPC channels for the SDK: endpoint defaults, the one environment read of the SDK,
 * option checks, and a bounded readiness check.
 *
 * @module
 */

import { UnavailableError } from "../shared/errors.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import type { ServiceDefinition } from "../shared/grpc/types.ts";
import { validateTenant } from "../shared/ids.ts";

/** Options shared by `connect()` and `connectIngest()`. */
export interface ChannelOptions {
  /** "host:port" of the service. */
  endpoint?: string;
  /** Sent as `x-polaroid-tenant` on every call. @default the server's "default" tenant */
  tenant?: string;
  /** Deadline of each call, in milliseconds. @default 300000 */
  timeoutMs?: number;
  /** Largest gRPC message in either direction, at least 2 MiB. @default 67108864 (64 MiB) */
  maxMessageBytes?: number;
  /** How long `connect` waits for the server to answer; 0 skips the check. @default 5000 */
  connectTimeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MIN_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * An environment variable, or undefined when it is unset or the program may not read it
 * (no `--allow-env`): the SDK never prompts for or requires the permission. The SDK reads
 * exactly two variables this way: POLAROID_ENDPOINT and POLAROID_INGEST_ENDPOINT.
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

/** The endpoint to use: the option, else the environment variable, else the fallback. */
export function resolveEndpoint(
  option: string | undefined,
  variable: string,
  fallback: string,
): string {
  const endpoint = option ?? readEnv(variable) ?? fallback;
  if (typeof endpoint !== "string" || !/^\S+:\d+$/.test(endpoint)) {
    throw new TypeError(
      `Cannot connect as 'endpoint' must be "host:port": current value is ${
        JSON.stringify(endpoint)
      }`,
    );
  }
  return endpoint;
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

/** RpcClients for `definitions` over `endpoint`, after a bounded readiness check. */
export async function openChannel<D extends Record<string, ServiceDefinition>>(
  endpoint: string,
  definitions: D,
  options: ChannelOptions,
): Promise<{ [K in keyof D]: RpcClient<D[K]> }> {
  checkCount("connect", "timeoutMs", options.timeoutMs);
  checkCount("connect", "connectTimeoutMs", options.connectTimeoutMs);
  checkCount("connect", "maxMessageBytes", options.maxMessageBytes);
  if (options.maxMessageBytes !== undefined && options.maxMessageBytes < MIN_MESSAGE_BYTES) {
    throw new RangeError(
      `Cannot connect as 'maxMessageBytes' must be at least ${MIN_MESSAGE_BYTES} (uploads send 1 MiB chunks): current value is ${options.maxMessageBytes}`,
    );
  }
  if (options.tenant !== undefined) validateTenant(options.tenant);
  const rpcOptions = {
    tenant: options.tenant,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  };
  const clients = Object.fromEntries(
    Object.entries(definitions).map((
      [key, def],
    ) => [key, new RpcClient(endpoint, def, rpcOptions)]),
  ) as { [K in keyof D]: RpcClient<D[K]> };
  const wait = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (wait > 0) {
    try {
      await Promise.all(Object.values(clients).map((c) => c.waitForReady(wait)));
    } catch (error) {
      for (const c of Object.values(clients)) c.close();
      const why = error instanceof Error ? error.message : String(error);
      throw new UnavailableError(
        `Cannot connect to ${endpoint} as it did not answer within ${wait} ms: ${why}`,
        { cause: error },
      );
    }
  }
  return clients;
}
