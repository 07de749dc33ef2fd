/**
 * What every handle catalog backend offers the service: the in-memory one (catalog.ts,
 * through memory_catalog.ts) and the NATS JetStream KV one (kv_catalog.ts).
 *
 * @module
 */

import type { HandleRecord, RegisterInput } from "./record.ts";
import type { LostSelector } from "./lost.ts";
import { InvalidArgumentError } from "../../shared/errors.ts";
import { parseHandleId, validateTenant } from "../../shared/ids.ts";

/** Why a handle was freed ("replaced": a lost handle whose name a new handle took). */
export type FreeReason = "released" | "deleted" | "expired" | "replaced";

/** A change in a handle's life, reported to `onEvent`. */
export type CatalogEvent =
  | { readonly kind: "registered"; readonly record: HandleRecord; readonly atMs: number }
  | {
    readonly kind: "freed";
    readonly record: HandleRecord;
    readonly reason: FreeReason;
    readonly atMs: number;
  };

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
  /** Handles alive now (pinned ones included), lost ones left out. */
  live: number;
  /** Handles marked lost that have not expired yet. */
  lost: number;
  /** Handles past their expiry that the next sweep will free. */
  expired: number;
  /** Sum of `bytes` over every handle held. */
  bytes: bigint;
  /** Live handles and their bytes, by owner (tenants with none left out). */
  tenants: Map<string, TenantStats>;
}

/** One tenant's live handles. */
export interface TenantStats {
  live: number;
  bytes: bigint;
}

/** Counts a live handle of `owner` into `tenants`. */
export function countTenant(
  tenants: Map<string, TenantStats>,
  owner: string,
  bytes: bigint,
): void {
  const known = tenants.get(owner);
  if (known) {
    known.live++;
    known.bytes += bytes;
  } else tenants.set(owner, { live: 1, bytes });
}

/** Default page size of list(). */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page size of list(). */
export const MAX_PAGE_SIZE = 1000;

/** The checked paging of a list() call: the id to start after and the page size. */
export function listPaging(tenant: string, options: ListOptions): { after: string; limit: number } {
  validateTenant(tenant);
  const after = options.after ?? "";
  if (after !== "") parseHandleId(after);
  const requested = options.limit ?? 0;
  if (!Number.isInteger(requested) || requested < 0) {
    throw new InvalidArgumentError(
      `Cannot list handles as 'limit' must be a non-negative integer: current value is ${requested}`,
    );
  }
  return { after, limit: requested === 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE) };
}

/**
 * A handle catalog, per tenant. Every lookup of a handle another tenant owns, or of one that
 * does not exist or has expired, is HandleNotFoundError with the same message.
 */
export interface Catalog {
  /** A new handle with one reference; a name the tenant gives a live handle is AlreadyExistsError. */
  register(tenant: string, input?: RegisterInput): Promise<HandleRecord>;
  /** Looks a handle up for use and renews its idle TTL. */
  resolve(tenant: string, id: string): Promise<HandleRecord>;
  /** Looks a handle up without renewing it. */
  describe(tenant: string, id: string): Promise<HandleRecord>;
  /** The tenant's live handle of that name, without renewing it. */
  findByName(tenant: string, name: string): Promise<HandleRecord>;
  /** The tenant's live named handles sorted by name; with `names`, those of these names. */
  named(tenant: string, names?: Iterable<string>): Promise<HandleRecord[]>;
  /** A page of the tenant's live handles, sorted by id. */
  list(tenant: string, options?: ListOptions): Promise<HandlePage>;
  /** Adds a reference and renews the idle TTL. */
  retain(tenant: string, id: string): Promise<HandleRecord>;
  /** Drops a reference; the handle is freed when none is left and it is not pinned. */
  release(tenant: string, id: string): Promise<{ refcount: number; freed: boolean }>;
  /** Frees a handle whatever its reference count or pin. */
  delete(tenant: string, id: string): Promise<{ freed: boolean }>;
  /** Pins a handle (see HandleRecord.pinned) and renews its idle TTL. */
  pin(tenant: string, id: string): Promise<HandleRecord>;
  /** Unpins a handle and renews its idle TTL; one without references is freed. */
  unpin(tenant: string, id: string): Promise<HandleRecord>;
  /**
   * Ends the write behind of handle `id` (of any tenant) that `worker` registered with
   * objectPending: `objectKey` names the object written, undefined says the write failed.
   * HandleNotFoundError when it is gone; FailedPreconditionError as withObject() says.
   */
  setObject(id: string, worker: string, objectKey: string | undefined): Promise<HandleRecord>;
  /** Frees every unpinned handle whose idle TTL has run out at `now`. */
  sweep(now?: number): Promise<HandleRecord[]>;
  /** Counts for metrics. */
  stats(now?: number): Promise<CatalogStats>;
  /** The state store keys of every handle held (expired ones not yet swept included). */
  objectKeys(): Promise<Set<string>>;
  /**
   * Marks lost the handles the selector covers (see lost.ts); returns those this call marked
   * (none when another call, or another replica, marked them first).
   */
  markLost(selector: LostSelector): Promise<HandleRecord[]>;
  /**
   * The ids (of any tenant) that name no live handle: never registered, freed, expired or
   * lost, in the order given; a malformed id is InvalidArgumentError.
   */
  gone(ids: readonly string[]): Promise<string[]>;
  /** Stops background work; the catalog is not used afterwards. */
  close(): Promise<void>;
}
