/**
 * What a service is doing, for the web console the handles service serves
 * (docs/observability.md, "Console"): every second or so each compute worker and ingest
 * process publishes a snapshot of its running and recent calls (and the ingest sources with
 * their counters) on `polaroid.console.<service>.<instance>` (core NATS, nothing kept), and
 * the console keeps the latest of each. A snapshot is bounded in bytes before it is sent, and
 * parsed with every field checked where it is read.
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/transport-node";
import type { CallLog, CallView } from "../grpc/call_log.ts";
import type { Logger } from "./log.ts";

/** The subjects of the snapshots: `polaroid.console.<service>.<instance>`. */
export const ACTIVITY_SUBJECT = "polaroid.console";
/** The largest snapshot sent (a larger one sheds its oldest recent calls first). */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** An ingest source as the console shows it. */
export interface SourceView {
  tenant: string;
  name: string;
  kind: string;
  state: string;
  table: string;
  messages: number;
  rows: number;
  rejected: number;
  droppedRows: number;
  committedRows: number;
  bufferedBytes: number;
  lastError: string;
}

/** One service instance's snapshot. */
export interface ActivitySnapshot {
  service: string;
  instance: string;
  /** When it was taken (ms since the epoch). */
  atMs: number;
  running: CallView[];
  recent: CallView[];
  sources: SourceView[];
}

/** Options of publishActivity(). */
export interface PublishActivityOptions {
  service: "compute" | "ingest";
  /** Unique among the service's processes (a NATS subject token). */
  instance: string;
  calls: CallLog;
  /** The sources to show (ingest). @default none */
  sources?: () => SourceView[];
  logger: Logger;
  /** @default 1000 */
  intervalMs?: number;
}

/** Publishes snapshots until the function returned is called. */
export function publishActivity(nats: NatsConnection, options: PublishActivityOptions): () => void {
  const instance = options.instance.replace(/[^A-Za-z0-9_-]/g, "_");
  const subject = `${ACTIVITY_SUBJECT}.${options.service}.${instance}`;
  let warned = false;
  const publish = () => {
    if (nats.isClosed()) return;
    const calls = options.calls.view();
    const snapshot: ActivitySnapshot = {
      service: options.service,
      instance,
      atMs: Date.now(),
      ...calls,
      sources: options.sources?.() ?? [],
    };
    const bytes = encodeBounded(snapshot);
    if (!bytes) {
      if (!warned) options.logger.warn("activity snapshot too large", { subject });
      warned = true;
      return;
    }
    try {
      nats.publish(subject, bytes);
    } catch (error) {
      if (!warned) options.logger.warn("activity not published", { error: String(error) });
      warned = true;
    }
  };
  publish();
  const timer = setInterval(publish, options.intervalMs ?? 1000);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/** The snapshot as JSON within MAX_ACTIVITY_BYTES, dropping old calls; undefined if it cannot be. */
function encodeBounded(snapshot: ActivitySnapshot): Uint8Array | undefined {
  const encoder = new TextEncoder();
  for (;;) {
    const bytes = encoder.encode(JSON.stringify(snapshot));
    if (bytes.length <= MAX_ACTIVITY_BYTES) return bytes;
    if (snapshot.recent.length > 0) snapshot.recent.length = Math.floor(snapshot.recent.length / 2);
    else if (snapshot.sources.length > 0) {
      snapshot.sources.length = Math.floor(snapshot.sources.length / 2);
    } else if (snapshot.running.length > 0) {
      snapshot.running.length = Math.floor(snapshot.running.length / 2);
    } else return undefined;
  }
}

/** Parses a snapshot; undefined for anything that is not one. */
export function parseActivity(bytes: Uint8Array): ActivitySnapshot | undefined {
  if (bytes.length > MAX_ACTIVITY_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { service, instance, atMs, running, recent, sources } = value;
  if (typeof service !== "string" || typeof instance !== "string") return undefined;
  if (typeof atMs !== "number" || !Array.isArray(running) || !Array.isArray(recent)) {
    return undefined;
  }
  if (!Array.isArray(sources)) return undefined;
  return {
    service: service.slice(0, 64),
    instance: instance.slice(0, 128),
    atMs,
    running: running.flatMap(callView),
    recent: recent.flatMap(callView),
    sources: sources.flatMap(sourceView),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const CALL_STRINGS = ["code", "traceId", "plan", "handle", "engine", "source"] as const;

function callView(value: unknown): CallView[] {
  if (!isRecord(value)) return [];
  const { method, tenant, startedAtMs, ms, rows } = value;
  if (typeof method !== "string" || typeof tenant !== "string") return [];
  if (typeof startedAtMs !== "number" || typeof ms !== "number") return [];
  const view: CallView = { method, tenant, startedAtMs, ms };
  for (const key of CALL_STRINGS) {
    const field = value[key];
    if (typeof field === "string") view[key] = field.slice(0, 512);
  }
  if (typeof rows === "number") view.rows = rows;
  return [view];
}

const SOURCE_STRINGS = ["tenant", "name", "kind", "state", "table", "lastError"] as const;
const SOURCE_NUMBERS = [
  "messages",
  "rows",
  "rejected",
  "droppedRows",
  "committedRows",
  "bufferedBytes",
] as const;

function sourceView(value: unknown): SourceView[] {
  if (!isRecord(value)) return [];
  const view = {} as SourceView;
  for (const key of SOURCE_STRINGS) {
    const field = value[key];
    if (typeof field !== "string") return [];
    view[key] = field.slice(0, 512);
  }
  for (const key of SOURCE_NUMBERS) {
    const field = value[key];
    if (typeof field !== "number" || !Number.isFinite(field)) return [];
    view[key] = field;
  }
  return [view];
}
