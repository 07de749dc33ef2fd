/**
 * The handle catalog: which handles exist, which tenant owns each, how long they live and
 * how many references they have. Pure and in memory: time comes from an injected clock and
 * every change of a handle's life is reported to an injected sink, so nothing here does I/O.
 *
 * @module
 */

import {
  AlreadyExistsError,
  FailedPreconditionError,
  HandleNotFoundError,
} from "../../shared/errors.ts";
import { handleIdFor, newHandleId, parseHandleId, validateTenant } from "../../shared/ids.ts";
import { validateHandleName } from "./names.ts";
import { checkNotLost, type LostSelector, markedLost, selects } from "./lost.ts";
import { lowerBound, upperBound } from "./_sorted.ts";
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
  type CatalogEvent,
  type CatalogStats,
  countTenant,
  type FreeReason,
  type HandlePage,
  type ListOptions,
  listPaging,
  type TenantStats,
} from "./catalog_api.ts";

export type { HandleRecord, RegisterInput } from "./record.ts";
export {
  type CatalogEvent,
  type CatalogStats,
  DEFAULT_PAGE_SIZE,
  type FreeReason,
  type HandlePage,
  type ListOptions,
  MAX_PAGE_SIZE,
} from "./catalog_api.ts";

/** Options of HandleCatalog. */
export interface HandleCatalogOptions {
  /** TTL used when a registration asks for 0. @default 3600 */
  defaultTtlSeconds?: number;
  /** Largest TTL a registration may ask for. @default 604800 */
  maxTtlSeconds?: number;
  /** Handles one tenant may hold at once. @default 100000 */
  maxHandlesPerTenant?: number;
  /** Bytes one tenant's handles may hold together; 0 is unbounded. @default 0 */
  maxBytesPerTenant?: bigint;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Called after every registration and every free; must not throw. @default no-op */
  onEvent?: (event: CatalogEvent) => void;
}

type Entry = { -readonly [K in keyof HandleRecord]: HandleRecord[K] };

/** An in-memory catalog of handles, per tenant. */
export class HandleCatalog {
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #holdings: TenantHoldings;
  readonly #now: () => number;
  readonly #onEvent: (event: CatalogEvent) => void;
  readonly #entries = new Map<string, Entry>();
  /** Ids of each tenant, sorted, for paging. */
  readonly #byTenant = new Map<string, string[]>();
  /** Handle id of each name, per tenant. */
  readonly #names = new Map<string, Map<string, string>>();
  /** Ids of the handles each worker holds only in memory (those that can be lost). */
  readonly #byWorker = new Map<string, Set<string>>();
  #bytes = 0n;
  /** Bytes of each tenant's handles. */
  readonly #tenantBytes = new Map<string, bigint>();

  constructor(options: HandleCatalogOptions = {}) {
    this.#defaultTtl = options.defaultTtlSeconds ?? 3600;
    this.#maxTtl = options.maxTtlSeconds ?? 604_800;
    this.#holdings = {
      maxHandles: options.maxHandlesPerTenant ?? 100_000,
      maxBytes: options.maxBytesPerTenant ?? 0n,
    };
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent ?? (() => {});
    checkTtlLimits({ defaultTtlSeconds: this.#defaultTtl, maxTtlSeconds: this.#maxTtl });
  }

  /**
   * Registers a new handle for the tenant, with one reference. A name the tenant already
   * gives a live handle is AlreadyExistsError. With `input.requestId`, a register repeated
   * returns the handle the first one made.
   */
  register(tenant: string, input: RegisterInput = {}): HandleRecord {
    let id: string;
    if (input.requestId) {
      // The same registration again (its caller could not tell whether it arrived).
      id = handleIdFor(tenant, input.requestId);
      const done = this.#entries.get(id);
      if (done) return { ...done };
    } else {
      id = newHandleId(tenant);
      while (this.#entries.has(id)) id = newHandleId(tenant);
    }
    const now = this.#now();
    const limits = { defaultTtlSeconds: this.#defaultTtl, maxTtlSeconds: this.#maxTtl };
    const entry: Entry = { ...buildRecord(tenant, id, input, limits, now) };
    const name = entry.name;
    const ids = this.#byTenant.get(tenant) ?? [];
    const heldBytes = this.#tenantBytes.get(tenant) ?? 0n;
    checkHoldings(entry, { handles: ids.length, bytes: heldBytes }, this.#holdings);
    const names = this.#names.get(tenant) ?? new Map<string, string>();
    let holder = name === "" ? undefined : this.#live(tenant, names.get(name));
    if (holder?.lost) {
      // Its frame is gone: the name goes to the new handle (the plan run again).
      this.#free(holder, "replaced", now);
      holder = undefined;
    }
    if (holder) {
      throw new AlreadyExistsError(
        `Cannot register handle as 'name' must be unique among the tenant's live handles: current value is ${
          JSON.stringify(name)
        }, the name of ${holder.id}`,
        { metadata: { name, handle: holder.id } },
      );
    }
    this.#entries.set(id, entry);
    ids.splice(lowerBound(ids, id), 0, id);
    this.#byTenant.set(tenant, ids);
    if (name !== "") this.#names.set(tenant, names.set(name, id));
    if (entry.worker !== "" && entry.objectKey === "") {
      const held = this.#byWorker.get(entry.worker) ?? new Set<string>();
      this.#byWorker.set(entry.worker, held.add(id));
    }
    this.#bytes += entry.bytes;
    this.#tenantBytes.set(tenant, heldBytes + entry.bytes);
    const record = { ...entry };
    this.#onEvent({ kind: "registered", record, atMs: now });
    return record;
  }

  /** Looks a handle up for use and renews its idle TTL. */
  resolve(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "resolve");
    checkNotLost(entry, "resolve");
    entry.expiresAtMs = this.#now() + entry.ttlSeconds * 1000;
    return { ...entry };
  }

  /** Looks a handle up without renewing it. */
  describe(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "describe");
    checkNotLost(entry, "describe");
    return { ...entry };
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
    const { after, limit } = listPaging(tenant, options);
    const ids = this.#byTenant.get(tenant) ?? [];
    const now = this.#now();
    const handles: HandleRecord[] = [];
    let i = after === "" ? 0 : upperBound(ids, after);
    for (; i < ids.length && handles.length < limit; i++) {
      const entry = this.#entries.get(ids[i]!)!;
      if (!isExpired(entry, now)) handles.push({ ...entry });
    }
    const more = ids.slice(i).some((id) => !isExpired(this.#entries.get(id)!, now));
    return { handles, nextAfter: more ? handles.at(-1)!.id : "" };
  }

  /** Adds a reference (and counts as a use: renews the idle TTL). */
  retain(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "retain");
    checkNotLost(entry, "retain");
    entry.refcount++;
    entry.expiresAtMs = this.#now() + entry.ttlSeconds * 1000;
    return { ...entry };
  }

  /**
   * Drops a reference; the handle is freed when none is left, unless it is pinned. A pinned
   * handle without references is FailedPreconditionError. A lost handle is freed by its last
   * reference whatever its pin, and by any release once it has none.
   */
  release(tenant: string, id: string): { refcount: number; freed: boolean } {
    const entry = this.#lookup(tenant, id, "release");
    const lost = entry.lost !== "";
    if (entry.refcount === 0 && !lost) throw noReference(id);
    entry.refcount = Math.max(0, entry.refcount - 1);
    if (entry.refcount > 0 || (entry.pinned && !lost)) {
      return { refcount: entry.refcount, freed: false };
    }
    this.#free(entry, "released", this.#now());
    return { refcount: 0, freed: true };
  }

  /** Pins a handle (see HandleRecord.pinned) and renews its idle TTL. */
  pin(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "pin");
    checkNotLost(entry, "pin");
    entry.pinned = true;
    entry.expiresAtMs = this.#now() + entry.ttlSeconds * 1000;
    return { ...entry };
  }

  /** Unpins a handle and renews its idle TTL; one without references is freed. */
  unpin(tenant: string, id: string): HandleRecord {
    const entry = this.#lookup(tenant, id, "unpin");
    const now = this.#now();
    entry.pinned = false;
    entry.expiresAtMs = now + entry.ttlSeconds * 1000;
    return entry.refcount === 0 ? this.#free(entry, "released", now) : { ...entry };
  }

  /** Ends a handle's write behind (see Catalog.setObject). */
  setObject(id: string, worker: string, objectKey: string | undefined): HandleRecord {
    const entry = this.#lookup(parseHandleId(id).tenant, id, "set the object of");
    Object.assign(entry, withObject(entry, worker, objectKey));
    return { ...entry };
  }

  /** Frees a handle whatever its reference count or pin. */
  delete(tenant: string, id: string): { freed: boolean } {
    const entry = this.#lookup(tenant, id, "delete");
    this.#free(entry, "deleted", this.#now());
    return { freed: true };
  }

  /**
   * Frees every unpinned handle whose idle TTL has run out at `now`, whatever its reference
   * count (the TTL is what reclaims references that were never released).
   */
  sweep(now: number = this.#now()): HandleRecord[] {
    const freed: HandleRecord[] = [];
    for (const entry of this.#entries.values()) {
      if (isExpired(entry, now)) freed.push(this.#free(entry, "expired", now));
    }
    return freed;
  }

  /** Counts for metrics. */
  stats(now: number = this.#now()): CatalogStats {
    let expired = 0;
    let lost = 0;
    const tenants = new Map<string, TenantStats>();
    for (const entry of this.#entries.values()) {
      if (isExpired(entry, now)) expired++;
      else if (entry.lost !== "") lost++;
      else countTenant(tenants, entry.owner, entry.bytes);
    }
    return {
      live: this.#entries.size - expired - lost,
      lost,
      expired,
      bytes: this.#bytes,
      tenants,
    };
  }

  /** Marks lost the handles the selector covers; returns those it marked. */
  markLost(selector: LostSelector): HandleRecord[] {
    const now = this.#now();
    const marked: HandleRecord[] = [];
    for (const id of this.#byWorker.get(selector.worker) ?? []) {
      const entry = this.#entries.get(id)!;
      if (!selects(selector, entry)) continue;
      Object.assign(entry, markedLost(entry, selector.reason, now));
      marked.push({ ...entry });
    }
    return marked;
  }

  /** The ids (of any tenant) that name no live handle, in order. */
  gone(ids: readonly string[]): string[] {
    for (const id of ids) parseHandleId(id);
    const now = this.#now();
    return ids.filter((id) => {
      const entry = this.#entries.get(id);
      return !entry || entry.lost !== "" || isExpired(entry, now);
    });
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

  /** The live entry of an id the tenant owns, freeing it if it has just expired. */
  #live(tenant: string, id: string | undefined): Entry | undefined {
    const entry = id === undefined ? undefined : this.#entries.get(id);
    if (!entry || entry.owner !== tenant) return undefined;
    const now = this.#now();
    if (!isExpired(entry, now)) return entry;
    this.#free(entry, "expired", now);
    return undefined;
  }

  /** The tenant's live entry, or HandleNotFoundError (the same for every kind of absence). */
  #lookup(tenant: string, id: string, op: string): Entry {
    validateTenant(tenant);
    const owner = parseHandleId(id).tenant;
    const entry = owner === tenant ? this.#entries.get(id) : undefined;
    const now = this.#now();
    if (entry && isExpired(entry, now)) this.#free(entry, "expired", now);
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
    const held = this.#byWorker.get(entry.worker);
    if (held?.delete(entry.id) && held.size === 0) this.#byWorker.delete(entry.worker);
    this.#bytes -= entry.bytes;
    const left = (this.#tenantBytes.get(entry.owner) ?? 0n) - entry.bytes;
    if (ids.length === 0) this.#tenantBytes.delete(entry.owner);
    else this.#tenantBytes.set(entry.owner, left);
    const record = { ...entry };
    this.#onEvent({ kind: "freed", record, reason, atMs: now });
    return record;
  }
}

/** Why a pinned handle without references cannot be released. */
export function noReference(id: string): FailedPreconditionError {
  return new FailedPreconditionError(
    `Cannot release handle as its refcount must be positive: current value is 0 (${id} is pinned)`,
    { metadata: { handle: id } },
  );
}
