/**
 * NATS connections and the subjects Polaroid publishes on.
 *
 * @module
 */

import { connect, headers, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import { type Context, extractContext, injectContext } from "./telemetry/tracing.ts";
import { UnavailableError } from "./errors.ts";

export type { NatsConnection };

/** Handle lifecycle events (protobuf HandleEvent), suffixed with the kind: `.freed`. */
export const HANDLE_EVENTS_SUBJECT = "polaroid.v1.handles.events";

/**
 * Where tenants publish to their ingest NATS sources: a source of tenant `acme` on subject
 * `md.ticks.*` reads `polaroid.ingest.acme.md.ticks.*`, so no tenant reads, or shares a queue
 * group on, another's subjects, and a locked-down server grants each tenant's publisher its
 * own prefix only (scripts/nats_config.ts).
 */
export const INGEST_SUBJECT_PREFIX = "polaroid.ingest";

/** The NATS subject an ingest source of `tenant` on `subject` reads. */
export function ingestSubject(tenant: string, subject: string): string {
  return `${INGEST_SUBJECT_PREFIX}.${tenant}.${subject}`;
}

/**
 * Subjects of durable (JetStream) ingest sources: `polaroid.durable.<tenant>.<subject>`, all
 * kept by the stream DURABLE_INGEST_STREAM, which each source reads through its own durable
 * consumer filtered to its tenant's subject.
 */
export const DURABLE_SUBJECT_PREFIX = "polaroid.durable";
export const DURABLE_INGEST_STREAM = "POLAROID_INGEST";

/** The subject a JetStream source of `tenant` on `subject` reads. */
export function durableSubject(tenant: string, subject: string): string {
  return `${DURABLE_SUBJECT_PREFIX}.${tenant}.${subject}`;
}

/**
 * Each service's reply-subject prefix: a locked-down nats-server lets a service subscribe to
 * its own replies only, so no service reads another's (scripts/nats_config.ts).
 */
export const NATS_INBOX_PREFIX = {
  compute: "_INBOX_compute",
  handles: "_INBOX_handles",
  ingest: "_INBOX_ingest",
} as const;

/**
 * Headers that carry the active trace context to a message's consumers, or undefined without
 * one (tracing off, or no span active).
 */
export function traceHeaders(): MsgHdrs | undefined {
  let out: MsgHdrs | undefined;
  injectContext({
    get: (key) => out?.get(key) || undefined,
    set: (key, value) => {
      out ??= headers();
      out.set(key, value);
    },
  });
  return out;
}

/** The trace context a message's headers carry (the active one without any). */
export function messageContext(message: { headers?: MsgHdrs }): Context {
  const carried = message.headers;
  return extractContext({
    get: (key) => carried?.get(key) || undefined,
    set: () => {},
  });
}

/** Options of connectNats(). */
export interface ConnectNatsOptions {
  /** Name shown by the server's monitoring. */
  name: string;
  /** Give up after this long. @default 10000 */
  timeoutMs?: number;
  /** User and password, for a locked-down server. @default none */
  auth?: { user: string; pass: string };
  /**
   * Prefix of the connection's reply subjects: a locked-down server lets each service
   * subscribe to its own replies only (scripts/nats_config.ts). @default "_INBOX"
   */
  inboxPrefix?: string;
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
        ...(options.auth ?? {}),
        ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
      });
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new UnavailableError(`Cannot connect to NATS at ${url}: ${String(last)}`, { cause: last });
}
