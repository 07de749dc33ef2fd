/**
 * One handle's record as every catalog backend keeps it, how a registration becomes one,
 * and when one has expired.
 *
 * @module
 */

import {
  FailedPreconditionError,
  type HandleLostReason,
  InvalidArgumentError,
  LimitExceededError,
} from "../../shared/errors.ts";
import { validateIncarnation, validateTenant, validateWorkerId } from "../../shared/ids.ts";
import type { Schema } from "../../shared/gen/polaroid/v1/types.ts";
import { validateKey } from "../../shared/state_store/store.ts";
import { validateHandleMetadata } from "./metadata.ts";
import { validateHandleName } from "./names.ts";

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
  /**
   * Its worker is writing the frame's object (writing behind, see setObject): until then the
   * worker holds it alone, and other workers wait for the object.
   */
  readonly objectPending: boolean;
  /** A pinned handle never expires and outlives its last release until unpinned. */
  readonly pinned: boolean;
  /** The incarnation of `worker` that registered it ("" when unknown). */
  readonly incarnation: string;
  /** Why its frame is gone (see lost.ts); "" while it is not. */
  readonly lost: HandleLostReason | "";
  /** When it was marked lost (ms since the epoch); 0 while it is not. */
  readonly lostAtMs: number;
}

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
  /** The worker writes the object after registering; exclusive with objectKey. @default false */
  objectPending?: boolean;
  /** The registering worker's incarnation (a UUID), for its lease. @default "" */
  incarnation?: string;
  /**
   * Makes the register idempotent (see shared/ids.ts handleIdFor): a register with the same
   * request id returns the handle the first one made. @default "" (a new handle)
   */
  requestId?: string;
}

/** The TTL bounds of a catalog. */
export interface TtlLimits {
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

/**
 * True when the idle TTL has run out at `now` and no pin holds the handle (a pin does not
 * hold a lost handle: there is nothing left to keep).
 */
export function isExpired(record: HandleRecord, now: number): boolean {
  return (!record.pinned || record.lost !== "") && record.expiresAtMs <= now;
}

/** Throws RangeError unless the default TTL is within the maximum. */
export function checkTtlLimits(limits: TtlLimits): void {
  if (limits.defaultTtlSeconds > limits.maxTtlSeconds) {
    throw new RangeError(
      `Cannot create catalog as 'defaultTtlSeconds' must be at most 'maxTtlSeconds' (${limits.maxTtlSeconds}): current value is ${limits.defaultTtlSeconds}`,
    );
  }
}

/**
 * The record of a new handle with one reference, after checking the registration (invalid
 * input is InvalidArgumentError). The caller checks the name's uniqueness.
 */
export function buildRecord(
  tenant: string,
  id: string,
  input: RegisterInput,
  limits: TtlLimits,
  now: number,
): HandleRecord {
  validateTenant(tenant);
  const ttl = checkTtl(input.ttlSeconds ?? 0, limits);
  const name = validateHandleName(input.name ?? "");
  const metadata = validateHandleMetadata(input.metadata ?? {});
  const objectKey = input.objectKey ? validateKey(input.objectKey) : "";
  const worker = input.worker ? validateWorkerId(input.worker) : "";
  const incarnation = input.incarnation ? validateIncarnation(input.incarnation) : "";
  const objectPending = input.objectPending === true;
  if (objectPending && (objectKey !== "" || worker === "")) {
    throw new InvalidArgumentError(
      "Cannot register the handle as 'object_pending' needs a worker and no 'object_key' (the worker names the object once written)",
      { metadata: { field: "object_pending" } },
    );
  }
  return {
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
    objectPending,
    pinned: false,
    incarnation,
    lost: "",
    lostAtMs: 0,
  };
}

function checkTtl(requested: number | bigint, limits: TtlLimits): number {
  const ttl = BigInt(requested);
  if (ttl < 0n || ttl > BigInt(limits.maxTtlSeconds)) {
    throw new InvalidArgumentError(
      `Cannot register handle as 'ttl_seconds' must be between 0 and ${limits.maxTtlSeconds}: current value is ${ttl}`,
      { metadata: { field: "ttl_seconds", max: String(limits.maxTtlSeconds) } },
    );
  }
  return ttl === 0n ? limits.defaultTtlSeconds : Number(ttl);
}

/** What a tenant may hold in the catalog; 0 bytes turns the bytes bound off. */
export interface TenantHoldings {
  /** Handles one tenant may hold (POLAROID_MAX_HANDLES_PER_TENANT). */
  maxHandles: number;
  /** Bytes of frames one tenant's handles may hold together (POLAROID_MAX_BYTES_PER_TENANT). */
  maxBytes: bigint;
}

/**
 * Throws LimitExceededError (RESOURCE_EXHAUSTED, not retryable: it lasts until the tenant
 * releases handles) when registering `record` would take its tenant, which holds `handles`
 * handles of `bytes` bytes, past a bound.
 */
export function checkHoldings(
  record: HandleRecord,
  held: { handles: number; bytes: bigint },
  limits: TenantHoldings,
): void {
  const tenant = record.owner;
  if (held.handles >= limits.maxHandles) {
    throw new LimitExceededError(
      `Cannot register handle as tenant '${tenant}' must hold at most ${limits.maxHandles} handles (POLAROID_MAX_HANDLES_PER_TENANT): current value is ${held.handles}`,
      { metadata: { limit: "max_handles_per_tenant" } },
    );
  }
  if (limits.maxBytes > 0n && held.bytes + record.bytes > limits.maxBytes) {
    throw new LimitExceededError(
      `Cannot register handle as tenant '${tenant}' must hold at most ${limits.maxBytes} bytes (POLAROID_MAX_BYTES_PER_TENANT): current value is ${held.bytes}, and this frame has ${record.bytes}`,
      { metadata: { limit: "max_bytes_per_tenant" } },
    );
  }
}

/**
 * The record once its worker's write behind ended: `objectKey` names the object written, or
 * undefined says the write failed (the worker keeps the frame alone). Repeating the same
 * outcome returns the record as it is (the worker retried after a broken connection).
 */
export function withObject(
  record: HandleRecord,
  worker: string,
  objectKey: string | undefined,
): HandleRecord {
  const key = objectKey === undefined ? "" : validateKey(objectKey);
  if (record.worker !== worker) {
    throw new FailedPreconditionError(
      `Cannot set the object of handle ${record.id} as worker ${worker} did not register it`,
      { metadata: { worker: record.worker } },
    );
  }
  if (!record.objectPending) {
    if (record.objectKey === key) return record;
    throw new FailedPreconditionError(
      `Cannot set the object of handle ${record.id} as it is not waiting for one`,
    );
  }
  if (record.lost !== "") {
    throw new FailedPreconditionError(
      `Cannot set the object of handle ${record.id} as it was lost (${record.lost}) before the write ended`,
    );
  }
  return { ...record, objectKey: key, objectPending: false };
}
