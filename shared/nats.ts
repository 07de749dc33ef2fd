/**
 * NATS connections and the subjects Polaroid publishes on.
 *
 * @module
 */

import { connect, type NatsConnection } from "@nats-io/transport-node";
import { UnavailableError } from "./errors.ts";

export type { NatsConnection };

/** Handle lifecycle events (protobuf HandleEvent), suffixed with the kind: `.freed`. */
export const HANDLE_EVENTS_SUBJECT = "polaroid.v1.handles.events";

/** Options of connectNats(). */
export interface ConnectNatsOptions {
  /** Name shown by the server's monitoring. */
  name: string;
  /** Give up after this long. @default 10000 */
  timeoutMs?: number;
}

/** Connects to NATS, retrying until `timeoutMs`; reconnects for ever once connected. */
export async function connectNats(
  url: string,
  options: ConnectNatsOptions,
): Promise<NatsConnection> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await connect({
        servers: url,
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: Math.max(500, Math.min(2000, deadline - Date.now())),
      });
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new UnavailableError(`Cannot connect to NATS at ${url}: ${String(last)}`, { cause: last });
}
