/**
 * The handle catalog: which handles exist, which tenant owns each, how long they live and
 * how many references they have. Pure and in memory: time comes from an injected clock and
 * every change of a handle's life is reported to an injected sink, so nothing here does I/O.
 *
 * @module
 */

import {
  AlreadyExistsError,
  HandleNotFoundError,
  InvalidArgumentError,
  LimitExceededError,
} from "../../shared/errors.ts";
import { newHandleId, parseHandleId, validateTenant } from "../../shared/ids.ts";
import type { Schema } from "../../shared/gen/polaroid/v1/types.ts";
import { validateHandleMetadata } from "./metadata.ts";
import { validateKey } from "../../shared/state_store/store.ts";
import { validateHandleName } from "./names.ts";
import { lowerBound, upperBound } from "./_sorted.ts";

/** Why a handle was freed. */
export type FreeReason = "released" | "deleted" | "expired";

/** What the catalog knows of one handle, as a read-only snapshot. */
export interface HandleRecord {
  readonly id: string;
  /** The tenant that registered it. */
  readonly owner: string;
  readonly schema: Schema | undefined;
  readonly rows: bigint;
  readonly bytes: bigint;
  /** The compute worker that holds the frame. */
  readonly worker: string;
  readonly createdAtMs: number;
  /** Idle time to live. */
  readonly ttlSeconds: number;
  /** Last use plus the TTL. */
  readonly expiresAtMs: number;
  readonly refcount: number;
  /** Unique among the owner's live handles; "" when the handle has no name. */
  readonly name: string;
  /** The client's labels (see metadata.ts). */
  readonly metadata: Readonly<Record<string, string>>;
  /** The frame's state store key ("" when a worker holds it alone). */
  readonly objectKey: string;
}

/** A change in a handle's life, reported to `onEvent`. */
export type CatalogEvent =
  | { readonly kind: "registered"; readonly record: HandleRecord; readonly atMs: number }
  | {
    readonly kind: "freed";
    readonly record: HandleRecord;
    readonly reason: FreeReason;
    readonly atMs: number;
  };

/** What a worker registers. */
export interface RegisterInput {
  schema?: Schema | undefined;
  /** @default 0n */
  rows?: bigint;
  /** @default 0n */
  bytes?: bigint;
  /** 0 or absent means the catalog's default. */
  ttlSeconds?: number | bigint;
  /** @default "" */
  worker?: string;
  /** Unique among the tenant's live handles (see names.ts); "" for none. @default "" */
  name?: string;
  /** The client's labels, within the limits of metadata.ts. @default {} */
  metadata?: Record<string, string>;
  /** The frame's state store key. @default "" */
  objectKey?: string;
}

/** One page of a tenant's handles. */
export interface HandlePage {
  handles: HandleRecord[];
  /** The last id of this page when more follow; "" on the last page. */
  nextAfter: string;
}

/** Options of list(). */
export interface ListOptions {
  /** Page size; 0 or absent means 100; larger than 1000 is cut to 1000. @default 100 */
  limit?: number;
  /** The last id of the previous page. @default "" */
  after?: string;
}

/** Counts for metrics. */
export interface CatalogStats {
  /** Handles alive now. */
  live: number;
  /** Handles past their expiry that the next sweep will free. */
  expired: number;
  /** Sum of `bytes` over every handle held. */
  bytes: bigint;
}

/** Options of HandleCatalog. */
export interface HandleCatalogOptions {
  /** TTL used when a registration asks for 0. @default 3600 */
  defaultTtlSeconds?: number;
  /** Largest TTL a registration may ask for. @default 604800 */
  maxTtlSeconds?: number;
  /** Handles one tenant may hold at once. @default 100000 */
  maxHandlesPerTenant?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Called after every registration and every free; must not throw. @default no-op */
  onEvent?: (event: CatalogEvent) => void;
}

/** Default page size of list(). */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page size of list(). */
export const MAX_PAGE_SIZE = 1000;
const MAX_WORKER_LENGTH = 256;

type Entry = { -readonly [K in keyof HandleRecord]: HandleRecord[K] };

/** An in-memory catalog of handles, per tenant. */
export class HandleCatalog {
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #maxPerTenant: number;
  readonly #now: () => number;
  readonly #onEvent: (event: CatalogEvent) => void;
  readonly #entries = new Map<string, Entry>();
  /** Ids of each tenant, sorted, for paging. */
  readonly #byTenant = new Map<string, string[]>();
  /** Handle id of each name, per tenant. */
  readonly #names = new Map<string, Map<string, string>>();
  #bytes = 0n;

  constructor(options: HandleCatalogOptions = {}) {
    this.#defaultTtl = options.defaultTtlSeconds ?? 3600;
    this.#maxTtl = options.maxTtlSeconds ?? 604_800;
    this.#maxPerTenant = options.maxHandlesPerTenant ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent ?? (() => {});
    if (this.#defaultTtl > this.#maxTtl) {
      throw new RangeError(
        `Cannot create catalog as 'defaultTtlSeconds' must be at most 'maxTtlSeconds' (${this.#maxTtl}): current value is ${this.#defaultTtl}`,
      );
    }
  }

  /**
   * Registers a new handle for the tenant, with one reference. A name the tenant already
   * gives a live handle is AlreadyExistsError.
   */
  register(tenant: string, input: RegisterInput = {}): HandleRecord {
    validateTenant(tenant);
    const ttl = this.#ttl(input.ttlSeconds ?? 0);
    const name = validateHandleName(input.name ?? "");
    const metadata = validateHandleMetadata(input.metadata ?? {});
    const objectKey = input.objectKey ? validateKey(input.objectKey) : "";
    const worker = input.worker ?? "";
    if (worker.length > MAX_WORKER_LENGTH) {
      throw new InvalidArgumentError(
        `Cannot register handle as 'worker' must be at most ${MAX_WORKER_LENGTH} characters: current value is ${worker.length} characters long`,
      );
    }
    const ids = this.#byTenant.get(tenant) ?? [];
    if (ids.length >= this.#maxPerTenant) {
      throw new LimitExceededError(
        `Cannot register handle as tenant '${tenant}' must hold at most ${this.#maxPerTenant} handles: current value is ${ids.length}`,
        { metadata: { limit: "max_handles_per_tenant" } },
      );
    }
    const names = this.#names.get(tenant) ?? new Map<string, string>();
    const holder = name === "" ? undefined : this.#live(tenant, names.get(name));
    if (holder) {
      throw new AlreadyExistsError(
        `Cannot register handle as 'name' must be unique among the tenant's live handles: current value is ${
          JSON.stringify(name)
        }, the name of ${holder.id}`,
        { metadata: { name, handle: holder.id } },
      );
    }
    let id = newHandleId(tenant);
    while (this.#entries.has(id)) id = newHandleId(tenant);
    const now = this.#now();
    const entry: Entry = {
      id,
      owner: tenant,
      schema: input.schema,
      rows: input.rows ?? 0n,
      bytes: input.bytes ?? 0n,
      worker,
      createdAtMs: now,
      ttlSeconds: ttl,
      expiresAtMs: now + ttl * 1000,
      refcount: 1,
      name,
      metadata,
      objectKey,
    };
    this.#entries.set(id, entry);
    ids.splice(lowerBound(ids, id), 0, id);
    this.#byTenant.set(tenant, ids);
    if (name !== "") this.#names.set(tenant, names.set(name, id));
    this.#bytes += entry.bytes;
    const record = { ...entry };
    this.#onEvent({ kind: "registered", record, atMs: now });
    return record;
  }

  /** Looks a handle up for use and renews its idle TTL. */
  resolve(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "resolve");
    entry.expiresAtMs = this.#now() + entry.ttlSeconds * 1000;
    return { ...entry };
  }

  /** Looks a handle up without renewing it. */
  describe(tenant: string, id: string): HandleRecord {
    return { ...this.#lookup(tenant, id, "describe") };
  }

  /**
   * The tenant's live handle of that name, without renewing it (SQL reads named handles as
   * tables); HandleNotFoundError when no live handle has the name.
   */
  findByName(tenant: string, name: string): HandleRecord {
    validateTenant(tenant);
    validateHandleName(name);
    const entry = name === "" ? undefined : this.#live(tenant, this.#names.get(tenant)?.get(name));
    if (entry) return { ...entry };
    throw new HandleNotFoundError(
      `Cannot find handle by name as the tenant must have a live handle of that name: current value is ${
        JSON.stringify(name)
      }`,
      { metadata: { name } },
    );
  }

  /**
   * The tenant's live named handles, sorted by name; with `names`, only those of these names
   * (strings that are not valid names match nothing).
   */
  named(tenant: string, names?: Iterable<string>): HandleRecord[] {
    validateTenant(tenant);
    const index = this.#names.get(tenant);
    if (!index) return [];
    const wanted = names === undefined ? [...index.keys()] : [...new Set(names)];
    const out: HandleRecord[] = [];
    for (const name of wanted.sort()) {
      const entry = this.#live(tenant, index.get(name));
      if (entry) out.push({ ...entry });
    }
    return out;
  }

  /** A page of the tenant's live handles, sorted by id. */
  list(tenant: string, options: ListOptions = {}): HandlePage {
    validateTenant(tenant);
    const after = options.after ?? "";
    if (after !== "") parseHandleId(after);
    const requested = options.limit ?? 0;
    if (!Number.isInteger(requested) || requested < 0) {
      throw new InvalidArgumentError(
        `Cannot list handles as 'limit' must be a non-negative integer: current value is ${requested}`,
      );
    }
    const limit = requested === 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    const ids = this.#byTenant.get(tenant) ?? [];
    const now = this.#now();
    const handles: HandleRecord[] = [];
    let i = after === "" ? 0 : upperBound(ids, after);
    for (; i < ids.length && handles.length < limit; i++) {
      const entry = this.#entries.get(ids[i]!)!;
      if (entry.expiresAtMs > now) handles.push({ ...entry });
    }
    const more = ids.slice(i).some((id) => this.#entries.get(id)!.expiresAtMs > now);
    return { handles, nextAfter: more ? handles.at(-1)!.id : "" };
  }

  /** Adds a reference (and counts as a use: renews the idle TTL). */
  retain(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "retain");
    entry.refcount++;
    entry.expiresAtMs = this.#now() + entry.ttlSeconds * 1000;
    return { ...entry };
  }

  /** Drops a reference; the handle is freed when none is left. */
  release(tenant: string, id: string): { refcount: number; freed: boolean } {
    const entry = this.#lookup(tenant, id, "release");
    entry.refcount--;
    if (entry.refcount > 0) return { refcount: entry.refcount, freed: false };
    this.#free(entry, "released", this.#now());
    return { refcount: 0, freed: true };
  }

  /** Frees a handle whatever its reference count. */
  delete(tenant: string, id: string): { freed: boolean } {
    const entry = this.#lookup(tenant, id, "delete");
    this.#free(entry, "deleted", this.#now());
    return { freed: true };
  }

  /**
   * Frees every handle whose idle TTL has run out at `now`, whatever its reference count
   * (the TTL is what reclaims references that were never released).
   */
  sweep(now: number = this.#now()): HandleRecord[] {
    const freed: HandleRecord[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.expiresAtMs <= now) freed.push(this.#free(entry, "expired", now));
    }
    return freed;
  }

  /** Counts for metrics. */
  stats(now: number = this.#now()): CatalogStats {
    let expired = 0;
    for (const entry of this.#entries.values()) if (entry.expiresAtMs <= now) expired++;
    return { live: this.#entries.size - expired, expired, bytes: this.#bytes };
  }

  /** The state store keys of every handle held (expired ones not yet swept included). */
  objectKeys(): Set<string> {
    const keys = new Set<string>();
    for (const entry of this.#entries.values()) {
      if (entry.objectKey !== "") keys.add(entry.objectKey);
    }
    return keys;
  }

  /** Handles held, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size;
  }

  #ttl(requested: number | bigint): number {
    const ttl = BigInt(requested);
    if (ttl < 0n || ttl > BigInt(this.#maxTtl)) {
      throw new InvalidArgumentError(
        `Cannot register handle as 'ttl_seconds' must be between 0 and ${this.#maxTtl}: current value is ${ttl}`,
        { metadata: { field: "ttl_seconds", max: String(this.#maxTtl) } },
      );
    }
    return ttl === 0n ? this.#defaultTtl : Number(ttl);
  }

  /** The live entry of an id the tenant owns, freeing it if it has just expired. */
  #live(tenant: string, id: string | undefined): Entry | undefined {
    const entry = id === undefined ? undefined : this.#entries.get(id);
    if (!entry || entry.owner !== tenant) return undefined;
    const now = this.#now();
    if (entry.expiresAtMs > now) return entry;
    this.#free(entry, "expired", now);
    return undefined;
  }

  /** The tenant's live entry, or HandleNotFoundError (the same for every kind of absence). */
  #lookup(tenant: string, id: string, op: string): Entry {
    validateTenant(tenant);
    const owner = parseHandleId(id).tenant;
    const entry = owner === tenant ? this.#entries.get(id) : undefined;
    const now = this.#now();
    if (entry && entry.expiresAtMs <= now) this.#free(entry, "expired", now);
    else if (entry) return entry;
    throw new HandleNotFoundError(
      `Cannot ${op} handle as it must exist for this tenant: current value is ${
        JSON.stringify(id)
      }`,
      { metadata: { handle: id } },
    );
  }

  #free(entry: Entry, reason: FreeReason, now: number): HandleRecord {
    this.#entries.delete(entry.id);
    const ids = this.#byTenant.get(entry.owner)!;
    ids.splice(lowerBound(ids, entry.id), 1);
    if (ids.length === 0) this.#byTenant.delete(entry.owner);
    const names = this.#names.get(entry.owner);
    if (entry.name !== "" && names?.get(entry.name) === entry.id) {
      names.delete(entry.name);
      if (names.size === 0) this.#names.delete(entry.owner);
    }
    this.#bytes -= entry.bytes;
    const record = { ...entry };
    this.#onEvent({ kind: "freed", record, reason, atMs: now });
    return record;
  }
}
