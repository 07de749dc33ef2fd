/**
 * Lost handles: a handle whose frame only its worker's memory held (no object key) is lost
 * when that worker restarts, stops or lets its lease run out (leases.ts). A lost handle stays
 * in the catalog as a marker, so that its holders learn what happened (HandleLostError)
 * instead of a bare NOT_FOUND: using it (resolve, describe, retain, pin) fails, releasing or
 * deleting it frees it, a pin no longer holds it and it expires one idle TTL after the loss.
 * Handles with an object key are never lost: any worker loads them from the store.
 *
 * @module
 */

import { HandleLostError, type HandleLostReason } from "../../shared/errors.ts";
import type { HandleRecord } from "./record.ts";

/** Which of a worker's handles a marking covers. */
export type LostSelector =
  & {
    /** The worker id. */
    worker: string;
    reason: HandleLostReason;
  }
  & (
    | {
      /** Those registered by this incarnation (its lease ran out or it stopped)... */
      incarnation: string;
      /** ...up to this time (later ones came from the incarnation alive again). */
      createdUpToMs: number;
    }
    /** Those of every incarnation but this one (the worker started again as it). */
    | { exceptIncarnation: string }
  );

/** True when a marking by `selector` applies to the record now. */
export function selects(selector: LostSelector, record: HandleRecord): boolean {
  if (record.worker !== selector.worker || record.objectKey !== "" || record.lost !== "") {
    return false;
  }
  return "exceptIncarnation" in selector
    ? record.incarnation !== selector.exceptIncarnation
    : record.incarnation === selector.incarnation && record.createdAtMs <= selector.createdUpToMs;
}

/** The record marked lost at `now`: it expires one idle TTL from now, pinned or not. */
export function markedLost<R extends HandleRecord>(
  record: R,
  reason: HandleLostReason,
  now: number,
): R {
  return { ...record, lost: reason, lostAtMs: now, expiresAtMs: now + record.ttlSeconds * 1000 };
}

/** Throws HandleLostError when the record is lost (for uses of a handle). */
export function checkNotLost(record: HandleRecord, op: string): void {
  if (record.lost === "") return;
  throw HandleLostError.of(op, { id: record.id, worker: record.worker, reason: record.lost });
}
