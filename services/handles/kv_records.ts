/**
 * How the JetStream KV catalog lays handles out in its bucket, and each replica's local
 * mirror of the handle entries (kept by a KV watch) for the sweeper and metrics.
 *
 * Keys: `h.<handle id>` holds a handle's record as JSON (bigints as decimal strings, the
 * schema as base64 protobuf); `name.<tenant>.<name>` holds `{"id", "atMs"}`, the claim of a
 * name by a handle. Handle ids, tenants and names use only characters KV keys allow.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { KV, KvEntry } from "@nats-io/kv";
import { Schema } from "../../shared/gen/polaroid/v1/types.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import type { HandleLostReason } from "../../shared/errors.ts";
import { type HandleRecord, isExpired } from "./record.ts";
import { type CatalogStats, countTenant } from "./catalog_api.ts";

/** The bucket shared by every handles-service replica. */
export const CATALOG_BUCKET = "polaroid_handles";
/** The prefix of handle entries. */
export const RECORD_PREFIX = "h.";

/** A handle's record and the KV revision it was read at. */
export interface Versioned {
  readonly record: HandleRecord;
  readonly revision: number;
}

/** The claim a name entry holds. */
export interface NameClaim {
  /** The handle that claimed the name. */
  id: string;
  /** When the claim was made, in milliseconds since the epoch. */
  atMs: number;
}

/** The KV key of a handle's record. */
export function recordKey(id: string): string {
  return `${RECORD_PREFIX}${id}`;
}

/** The KV key of a tenant's name. */
export function nameKey(tenant: string, name: string): string {
  return `name.${tenant}.${name}`;
}

/** The JSON stored for a record. */
export function encodeRecord(record: HandleRecord): string {
  return JSON.stringify({
    ...record,
    schema: record.schema
      ? Buffer.from(Schema.encode(record.schema).finish()).toString("base64")
      : "",
    rows: String(record.rows),
    bytes: String(record.bytes),
  });
}

/** The record an entry holds; undefined for a deletion marker. */
export function decodeEntry(entry: KvEntry | null): Versioned | undefined {
  if (!entry || entry.operation !== "PUT") return undefined;
  const raw = entry.json<Record<string, unknown>>();
  const schema = String(raw.schema ?? "");
  const record: HandleRecord = {
    id: String(raw.id),
    owner: String(raw.owner),
    schema: schema === "" ? undefined : Schema.decode(Buffer.from(schema, "base64")),
    rows: BigInt(String(raw.rows)),
    bytes: BigInt(String(raw.bytes)),
    worker: String(raw.worker ?? ""),
    createdAtMs: Number(raw.createdAtMs),
    ttlSeconds: Number(raw.ttlSeconds),
    expiresAtMs: Number(raw.expiresAtMs),
    refcount: Number(raw.refcount),
    name: String(raw.name ?? ""),
    metadata: (raw.metadata ?? {}) as Record<string, string>,
    objectKey: String(raw.objectKey ?? ""),
    objectPending: raw.objectPending === true,
    pinned: raw.pinned === true,
    incarnation: String(raw.incarnation ?? ""),
    lost: lostReason(raw.lost),
    lostAtMs: Number(raw.lostAtMs ?? 0),
  };
  return { record, revision: entry.revision };
}

const LOST_REASONS: ReadonlySet<unknown> = new Set(["restarted", "stopped", "lease_expired"]);

function lostReason(raw: unknown): HandleLostReason | "" {
  return LOST_REASONS.has(raw) ? raw as HandleLostReason : "";
}

/**
 * Every handle entry of the bucket as this replica last saw it, kept up to date by a KV
 * watch. It lags the bucket by the watch's latency, so it only serves what may be
 * approximate or is checked again against KV: the sweep's candidates, the metrics and the
 * per-tenant handle counts and bytes.
 */
export class CatalogMirror {
  readonly #entries = new Map<string, Versioned>();
  readonly #perTenant = new Map<string, { handles: number; bytes: bigint }>();
  readonly #stop: () => void;
  readonly #done: Promise<void>;

  private constructor(iterator: AsyncIterable<KvEntry> & { stop(): void }, logger?: Logger) {
    this.#stop = () => iterator.stop();
    this.#done = (async () => {
      try {
        for await (const entry of iterator) this.#apply(entry);
      } catch (error) {
        logger?.warn("catalog watch ended", { error: String(error) });
      }
    })();
  }

  /** Starts watching the bucket's handle entries. */
  static async watch(kv: KV, logger?: Logger): Promise<CatalogMirror> {
    return new CatalogMirror(await kv.watch({ key: `${RECORD_PREFIX}>` }), logger);
  }

  /** The handles seen, with their revisions. */
  entries(): IterableIterator<Versioned> {
    return this.#entries.values();
  }

  /** The handle's entry as last seen. */
  get(id: string): Versioned | undefined {
    return this.#entries.get(recordKey(id));
  }

  /** Handles of the tenant seen, and their bytes. */
  held(tenant: string): { handles: number; bytes: bigint } {
    return this.#perTenant.get(tenant) ?? { handles: 0, bytes: 0n };
  }

  /** Counts for metrics. */
  stats(now: number): CatalogStats {
    const stats: CatalogStats = { live: 0, lost: 0, expired: 0, bytes: 0n, tenants: new Map() };
    for (const { record } of this.#entries.values()) {
      if (isExpired(record, now)) stats.expired++;
      else if (record.lost !== "") stats.lost++;
      else {
        stats.live++;
        countTenant(stats.tenants, record.owner, record.bytes);
      }
      stats.bytes += record.bytes;
    }
    return stats;
  }

  /** Stops the watch. */
  async close(): Promise<void> {
    this.#stop();
    await this.#done;
  }

  #apply(entry: KvEntry): void {
    const known = this.#entries.get(entry.key);
    if (known && known.revision > entry.revision) return;
    const versioned = decodeEntry(entry);
    if (versioned && !known) this.#add(versioned.record, 1);
    if (!versioned && known) this.#add(known.record, -1);
    if (versioned) this.#entries.set(entry.key, versioned);
    else this.#entries.delete(entry.key);
  }

  #add(record: HandleRecord, sign: 1 | -1): void {
    const held = this.held(record.owner);
    const handles = held.handles + sign;
    if (handles > 0) {
      this.#perTenant.set(record.owner, {
        handles,
        bytes: held.bytes + BigInt(sign) * record.bytes,
      });
    } else this.#perTenant.delete(record.owner);
  }
}
