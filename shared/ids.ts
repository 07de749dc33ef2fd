/**
 * Handle ids and tenant names: built and checked on the server only, with a strict
 * character set, so nothing else reaches a path, an object key or a NATS subject.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { InvalidArgumentError } from "./errors.ts";

/** The tenant used when a call names none. */
export const DEFAULT_TENANT = "default";

const TENANT = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const HANDLE = /^([a-z0-9][a-z0-9_-]{0,31})\.([a-z2-7]{26})$/;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Returns the tenant if well formed; throws InvalidArgumentError otherwise. */
export function validateTenant(tenant: string): string {
  if (!TENANT.test(tenant)) {
    throw new InvalidArgumentError(
      `Cannot accept tenant as it must match ${TENANT.source}: current value is ${
        JSON.stringify(tenant.slice(0, 64))
      }`,
    );
  }
  return tenant;
}

/** A new handle id for the tenant: "<tenant>.<128 random bits in base32>". */
export function newHandleId(tenant: string): string {
  validateTenant(tenant);
  return `${tenant}.${base32(crypto.getRandomValues(new Uint8Array(17)))}`;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Returns the request id of an idempotent register if well formed; InvalidArgumentError otherwise. */
export function validateRequestId(requestId: string): string {
  if (!REQUEST_ID.test(requestId)) {
    throw new InvalidArgumentError(
      `Cannot register handle as 'request_id' must match ${REQUEST_ID.source}: current value is ${
        JSON.stringify(requestId.slice(0, 80))
      }`,
    );
  }
  return requestId;
}

/**
 * The handle id an idempotent register names: the same for the same tenant and request id,
 * as unguessable as the (random) request id. Same form as newHandleId().
 */
export function handleIdFor(tenant: string, requestId: string): string {
  validateTenant(tenant);
  validateRequestId(requestId);
  const digest = createHash("sha256").update(`polaroid.register\0${tenant}\0${requestId}`).digest();
  return `${tenant}.${base32(digest.subarray(0, 17))}`;
}

/**
 * `chars` base32 characters (a-z, 2-7), from the low `chars * 5` bits of `bytes` (26 characters:
 * the low 130 of the 136 bits of 17 bytes), which must hold that many:
 * handle ids, API keys and the local NATS passwords are written with it.
 */
export function base32(bytes: Uint8Array, chars = 26): string {
  if (bytes.length * 8 < chars * 5) {
    throw new RangeError(`${bytes.length} bytes cannot make ${chars} base32 characters`);
  }
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < chars; i++) {
    out += BASE32[Number(bits & 31n)];
    bits >>= 5n;
  }
  return out;
}

/**
 * Checks a handle id sent by a client and returns its tenant. Anything that is not an id
 * this system could have built is refused with InvalidArgumentError.
 */
export function parseHandleId(id: string): { tenant: string } {
  const match = HANDLE.exec(id);
  if (!match) {
    throw new InvalidArgumentError(
      `Cannot use handle id as it is malformed: current value is ${
        JSON.stringify(id.slice(0, 80))
      }`,
    );
  }
  return { tenant: match[1]! };
}

/**
 * A compute worker's id (POLAROID_WORKER_ID): parts of [A-Za-z0-9_-] joined by dots, so that
 * it is a valid key of a NATS KV bucket; at most 128 characters.
 */
export const WORKER_ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const MAX_WORKER_ID_LENGTH = 128;

/** True for a well-formed worker id. */
export function isWorkerId(worker: string): boolean {
  return worker.length <= MAX_WORKER_ID_LENGTH && WORKER_ID.test(worker);
}

/** Returns the worker id if well formed; throws InvalidArgumentError otherwise. */
export function validateWorkerId(worker: string): string {
  if (!isWorkerId(worker)) {
    throw new InvalidArgumentError(
      `Cannot accept worker id as it must match ${WORKER_ID.source} within ${MAX_WORKER_ID_LENGTH} characters: current value is ${
        JSON.stringify(worker.slice(0, 80))
      }`,
    );
  }
  return worker;
}

const INCARNATION = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** A new incarnation id of a worker process: a random UUID. */
export function newIncarnation(): string {
  return crypto.randomUUID();
}

/** Returns the incarnation if it is a lower-case UUID; throws InvalidArgumentError otherwise. */
export function validateIncarnation(incarnation: string): string {
  if (!INCARNATION.test(incarnation)) {
    throw new InvalidArgumentError(
      `Cannot accept worker incarnation as it must be a lower-case UUID: current value is ${
        JSON.stringify(incarnation.slice(0, 80))
      }`,
    );
  }
  return incarnation;
}

/** Handle ids one liveness check (HandleWorkerService.CheckHandles) may name. */
export const MAX_CHECKED_HANDLES = 1000;
