/**
 * The handle catalog in a NATS JetStream KV bucket (POLAROID_CATALOG=jetstream), shared by
 * every handles-service replica so they agree on TTLs, reference counts, pins and names.
 *
 * Every change is an optimistic compare-and-set on the entry's revision, retried on
 * conflict a bounded number of times, so no replica loses another's change; a handle is
 * freed by a delete at the revision it was read at, so exactly one replica frees it and
 * reports the FREED event. Names are claimed with a create that fails when the name entry
 * exists, and released when their handle is freed.
 *
 * Lost handles (lost.ts) are marked with the same compare-and-set, so two replicas marking a
 * worker's handles at once mark each once.
 *
 * Limits: the per-tenant handle limit is checked against this replica's mirror and is
 * approximate across replicas (two replicas may both admit the last handle); list() and
 * objectKeys() read every key of the tenant (or bucket) from KV.
 *
 * @module
 */

import { Kvm } from "@nats-io/kv";
import { createOrOpenKv } from "../../shared/nats_kv.ts";
import { jetstreamManager, StorageType } from "@nats-io/jetstream";
import { HandleNotFoundError, UnavailableError } from "../../shared/errors.ts";
import { handleIdFor, newHandleId, parseHandleId, validateTenant } from "../../shared/ids.ts";
import type { NatsConnection } from "../../shared/nats.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import {
  type Catalog,
  type CatalogEvent,
  type CatalogStats,
  type FreeReason,
  type HandlePage,
  type ListOptions,
  listPaging,
} from "./catalog_api.ts";
import { type HandleCatalogOptions, noReference } from "./catalog.ts";
import { HANDLE_NAME, validateHandleName } from "./names.ts";
import {
  buildRecord,
  checkHoldings,
  checkTtlLimits,
  type HandleRecord,
  isExpired,
  type RegisterInput,
  type TenantHoldings,
  withObject,
} from "./record.ts";
import {
  CATALOG_BUCKET,
  CatalogMirror,
  encodeRecord,
  type NameClaim,
  nameKey,
  RECORD_PREFIX,
  recordKey,
  type Versioned,
} from "./kv_records.ts";
import { backoff, CatalogBucket, isConflict } from "./kv_bucket.ts";
import { checkNotLost, type LostSelector, markedLost, selects } from "./lost.ts";
import { upperBound } from "./_sorted.ts";

/**
 * Options of openKvCatalog(): the in-memory catalog's (the per-tenant limit is approximate
 * across replicas; onEvent sees the registrations and frees this replica made), and:
 */
export interface KvCatalogOptions extends HandleCatalogOptions {
  /** Compare-and-set attempts of one change before UnavailableError. @default 100 */
  maxAttempts?: number;
  /** The bucket. @default "polaroid_handles" */
  bucket?: string;
  /** Where the mirror's watch failures are logged. */
  logger?: Logger;
}

/** Opens (creating it if missing: history 1, file storage) the catalog bucket. */
export async function openKvCatalog(
  nats: NatsConnection,
  options: KvCatalogOptions = {},
): Promise<KvCatalog> {
  const bucket = options.bucket ?? CATALOG_BUCKET;
  const kv = await createOrOpenKv(new Kvm(nats), bucket, {
    history: 1,
    storage: StorageType.File,
  });
  const jsm = await jetstreamManager(nats);
  const mirror = await CatalogMirror.watch(kv, options.logger);
  return new KvCatalog(new CatalogBucket(kv, jsm, bucket), mirror, options);
}

/** The catalog in a JetStream KV bucket. */
export class KvCatalog implements Catalog {
  readonly #bucket: CatalogBucket;
  readonly #mirror: CatalogMirror;
  readonly #limits: { defaultTtlSeconds: number; maxTtlSeconds: number };
  readonly #holdings: TenantHoldings;
  readonly #maxAttempts: number;
  readonly #now: () => number;
  readonly #onEvent: (event: CatalogEvent) => void;

  /** Use openKvCatalog(). */
  constructor(bucket: CatalogBucket, mirror: CatalogMirror, options: KvCatalogOptions) {
    this.#bucket = bucket;
    this.#mirror = mirror;
    this.#limits = {
      defaultTtlSeconds: options.defaultTtlSeconds ?? 3600,
      maxTtlSeconds: options.maxTtlSeconds ?? 604_800,
    };
    checkTtlLimits(this.#limits);
    this.#holdings = {
      maxHandles: options.maxHandlesPerTenant ?? 100_000,
      maxBytes: options.maxBytesPerTenant ?? 0n,
    };
    this.#maxAttempts = options.maxAttempts ?? 100;
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent ?? (() => {});
  }

  async register(tenant: string, input: RegisterInput = {}): Promise<HandleRecord> {
    const now = this.#now();
    const requestId = input.requestId ?? "";
    const id = requestId === "" ? newHandleId(tenant) : handleIdFor(tenant, requestId);
    if (requestId !== "") {
      // The same registration again (its caller could not tell whether it arrived).
      const done = await this.#bucket.get(id);
      if (done) return done.record;
    }
    const record = buildRecord(tenant, id, input, this.#limits, now);
    checkHoldings(record, this.#mirror.held(tenant), this.#holdings);
    if (record.name !== "") {
      await this.#bucket.claimName(
        record,
        now,
        this.#maxAttempts,
        (holder, reason) => this.#erase(holder, holder.record, reason, now),
      );
    }
    try {
      await this.#bucket.kv.create(recordKey(record.id), encodeRecord(record));
    } catch (error) {
      // Two attempts of one registration at once (on two replicas): the first one made it.
      const done = requestId !== "" && isConflict(error) ? await this.#bucket.get(id) : undefined;
      if (done) return done.record;
      if (record.name !== "") await this.#bucket.releaseName(record).catch(() => {});
      throw error;
    }
    this.#onEvent({ kind: "registered", record, atMs: now });
    return record;
  }

  async resolve(tenant: string, id: string): Promise<HandleRecord> {
    const changed = await this.#change(tenant, id, "resolve", (r, now) => {
      checkNotLost(r, "resolve");
      return { ...r, ...renew(r, now) };
    });
    return changed.record;
  }

  async describe(tenant: string, id: string): Promise<HandleRecord> {
    const { record } = await this.#lookup(tenant, id, "describe");
    checkNotLost(record, "describe");
    return record;
  }

  async findByName(tenant: string, name: string): Promise<HandleRecord> {
    validateTenant(tenant);
    validateHandleName(name);
    const found = name === "" ? undefined : await this.#named(tenant, name);
    if (found) return found;
    throw new HandleNotFoundError(
      `Cannot find handle by name as the tenant must have a live handle of that name: current value is ${
        JSON.stringify(name)
      }`,
      { metadata: { name } },
    );
  }

  async named(tenant: string, names?: Iterable<string>): Promise<HandleRecord[]> {
    validateTenant(tenant);
    const prefix = nameKey(tenant, "");
    const wanted = names === undefined
      ? (await this.#bucket.keys(`${prefix}>`)).map((key) => key.slice(prefix.length))
      : [...new Set(names)].filter((name) => HANDLE_NAME.test(name) && name.length <= 64);
    const out: HandleRecord[] = [];
    for (const name of wanted.sort()) {
      const record = await this.#named(tenant, name);
      if (record) out.push(record);
    }
    return out;
  }

  async list(tenant: string, options: ListOptions = {}): Promise<HandlePage> {
    const { after, limit } = listPaging(tenant, options);
    const ids = (await this.#bucket.keys(`${recordKey(tenant)}.>`))
      .map((key) => key.slice(RECORD_PREFIX.length)).sort();
    const now = this.#now();
    const handles: HandleRecord[] = [];
    let i = after === "" ? 0 : upperBound(ids, after);
    for (; i < ids.length && handles.length < limit; i++) {
      const found = await this.#bucket.get(ids[i]!);
      if (found && !isExpired(found.record, now)) handles.push(found.record);
    }
    let more = false;
    for (; i < ids.length && !more; i++) {
      const found = await this.#bucket.get(ids[i]!);
      more = found !== undefined && !isExpired(found.record, now);
    }
    return { handles, nextAfter: more ? handles.at(-1)!.id : "" };
  }

  async retain(tenant: string, id: string): Promise<HandleRecord> {
    const changed = await this.#change(tenant, id, "retain", (r, now) => {
      checkNotLost(r, "retain");
      return { ...r, ...renew(r, now), refcount: r.refcount + 1 };
    });
    return changed.record;
  }

  async release(tenant: string, id: string): Promise<{ refcount: number; freed: boolean }> {
    const changed = await this.#change(tenant, id, "release", (r) => {
      // A lost handle is freed by its last reference whatever its pin (see lost.ts).
      const lost = r.lost !== "";
      if (r.refcount === 0 && !lost) throw noReference(id);
      const next = { ...r, refcount: Math.max(0, r.refcount - 1) };
      const held = next.refcount > 0 || (next.pinned && !lost);
      return held ? next : { ...next, free: "released" as const };
    });
    return { refcount: changed.record.refcount, freed: changed.freed };
  }

  async delete(tenant: string, id: string): Promise<{ freed: boolean }> {
    await this.#change(tenant, id, "delete", (r) => ({ ...r, free: "deleted" as const }));
    return { freed: true };
  }

  async setObject(
    id: string,
    worker: string,
    objectKey: string | undefined,
  ): Promise<HandleRecord> {
    const tenant = parseHandleId(id).tenant;
    const changed = await this.#change(
      tenant,
      id,
      "set the object of",
      (r) => withObject(r, worker, objectKey),
    );
    return changed.record;
  }

  async pin(tenant: string, id: string): Promise<HandleRecord> {
    const changed = await this.#change(tenant, id, "pin", (r, now) => {
      checkNotLost(r, "pin");
      return { ...r, ...renew(r, now), pinned: true };
    });
    return changed.record;
  }

  async unpin(tenant: string, id: string): Promise<HandleRecord> {
    const changed = await this.#change(tenant, id, "unpin", (r, now) => {
      const next = { ...r, ...renew(r, now), pinned: false };
      return next.refcount > 0 ? next : { ...next, free: "released" as const };
    });
    return changed.record;
  }

  async sweep(now: number = this.#now()): Promise<HandleRecord[]> {
    const freed: HandleRecord[] = [];
    const candidates = [...this.#mirror.entries()].filter((e) => isExpired(e.record, now));
    for (let entry of candidates) {
      // A conflict means another replica renewed or freed it meanwhile: read it again.
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await this.#erase(entry, entry.record, "expired", now)) {
          freed.push(entry.record);
          break;
        }
        const fresh = await this.#bucket.get(entry.record.id);
        if (!fresh || !isExpired(fresh.record, now)) break;
        entry = fresh;
      }
    }
    return freed;
  }

  stats(now: number = this.#now()): Promise<CatalogStats> {
    return Promise.resolve(this.#mirror.stats(now));
  }

  async objectKeys(): Promise<Set<string>> {
    const keys = new Set<string>();
    for (const key of await this.#bucket.keys(`${RECORD_PREFIX}>`)) {
      const found = await this.#bucket.get(key.slice(RECORD_PREFIX.length));
      if (found && found.record.objectKey !== "") keys.add(found.record.objectKey);
    }
    return keys;
  }

  async markLost(selector: LostSelector): Promise<HandleRecord[]> {
    const marked: HandleRecord[] = [];
    // The mirror finds the candidates; each is marked at the revision it is read at in KV.
    const candidates = [...this.#mirror.entries()].filter((e) => selects(selector, e.record));
    for (const { record } of candidates) {
      for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
        const fresh = await this.#bucket.get(record.id);
        if (!fresh || !selects(selector, fresh.record)) break;
        const next = markedLost(fresh.record, selector.reason, this.#now());
        try {
          await this.#bucket.kv.update(recordKey(record.id), encodeRecord(next), fresh.revision);
          marked.push(next);
          break;
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
        await backoff(attempt);
      }
    }
    return marked;
  }

  async gone(ids: readonly string[]): Promise<string[]> {
    for (const id of ids) parseHandleId(id);
    const now = this.#now();
    const out: string[] = [];
    for (const id of ids) {
      const live = (found: Versioned | undefined) =>
        found !== undefined && found.record.lost === "" && !isExpired(found.record, now);
      // The mirror lags: what it does not show as live is read again from KV (a handle
      // registered a moment ago may not be in it yet).
      if (!live(this.#mirror.get(id)) && !live(await this.#bucket.get(id))) out.push(id);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#mirror.close();
  }

  /** Applies `change` with a compare-and-set, re-reading and retrying on conflict. */
  async #change(
    tenant: string,
    id: string,
    op: string,
    change: (record: HandleRecord, now: number) => HandleRecord & { free?: FreeReason },
  ): Promise<{ record: HandleRecord; freed: boolean }> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const current = await this.#lookup(tenant, id, op);
      const now = this.#now();
      const { free, ...next } = change(current.record, now);
      if (free) {
        if (await this.#erase(current, next, free, now)) return { record: next, freed: true };
      } else {
        try {
          await this.#bucket.kv.update(recordKey(id), encodeRecord(next), current.revision);
          return { record: next, freed: false };
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
      }
      await backoff(attempt);
    }
    throw new UnavailableError(
      `Cannot ${op} handle as its catalog entry must stop changing within ${this.#maxAttempts} attempts: current value is ${id}`,
      { metadata: { handle: id } },
    );
  }

  /** The tenant's live entry, or HandleNotFoundError; frees one that has just expired. */
  async #lookup(tenant: string, id: string, op: string): Promise<Versioned> {
    validateTenant(tenant);
    const owner = parseHandleId(id).tenant;
    const found = owner === tenant ? await this.#bucket.get(id) : undefined;
    const now = this.#now();
    if (found && isExpired(found.record, now)) {
      await this.#erase(found, found.record, "expired", now);
    } else if (found) return found;
    throw new HandleNotFoundError(
      `Cannot ${op} handle as it must exist for this tenant: current value is ${
        JSON.stringify(id)
      }`,
      { metadata: { handle: id } },
    );
  }

  /** The live handle holding the tenant's name, if any. */
  async #named(tenant: string, name: string): Promise<HandleRecord | undefined> {
    const claim = await this.#bucket.kv.get(nameKey(tenant, name));
    if (!claim || claim.operation !== "PUT") return undefined;
    const found = await this.#bucket.get(claim.json<NameClaim>().id);
    if (!found || found.record.owner !== tenant || found.record.name !== name) return undefined;
    const now = this.#now();
    if (!isExpired(found.record, now)) return found.record;
    await this.#erase(found, found.record, "expired", now);
    return undefined;
  }

  /**
   * Deletes the entry at the revision it was read at and reports `record` freed; false when
   * the entry changed meanwhile (another replica's change wins, nothing is reported).
   */
  async #erase(
    entry: Versioned,
    record: HandleRecord,
    reason: FreeReason,
    now: number,
  ): Promise<boolean> {
    if (!await this.#bucket.deleteAt(recordKey(entry.record.id), entry.revision)) return false;
    if (record.name !== "") await this.#bucket.releaseName(record).catch(() => {});
    this.#onEvent({ kind: "freed", record, reason, atMs: now });
    return true;
  }
}

function renew(record: HandleRecord, now: number): { expiresAtMs: number } {
  return { expiresAtMs: now + record.ttlSeconds * 1000 };
}
