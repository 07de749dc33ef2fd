/**
 * The catalog's KV bucket as kv_catalog.ts uses it: reads of handle entries, key listings,
 * deletes at a revision that leave no marker behind, and name claims.
 *
 * @module
 */

import type { KV } from "@nats-io/kv";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";
import { AlreadyExistsError, UnavailableError } from "../../shared/errors.ts";
import { type HandleRecord, isExpired } from "./record.ts";
import { decodeEntry, type NameClaim, nameKey, recordKey, type Versioned } from "./kv_records.ts";

/** A name claim younger than this is a registration under way, never reclaimed. */
const CLAIM_GRACE_MS = 30_000;

/** One catalog bucket. */
export class CatalogBucket {
  /** The bucket's entries. */
  readonly kv: KV;
  readonly #jsm: JetStreamManager;
  readonly #name: string;

  constructor(kv: KV, jsm: JetStreamManager, name: string) {
    this.kv = kv;
    this.#jsm = jsm;
    this.#name = name;
  }

  /** A handle's entry; undefined when there is none. */
  async get(id: string): Promise<Versioned | undefined> {
    return decodeEntry(await this.kv.get(recordKey(id)));
  }

  /** The keys matching `filter`, deleted ones left out. */
  async keys(filter: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys(filter)) keys.push(key);
    return keys;
  }

  /** Deletes the key if it is still at `revision`; false when it changed meanwhile. */
  async deleteAt(key: string, revision: number): Promise<boolean> {
    try {
      await this.kv.delete(key, { previousSeq: revision });
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    await this.#dropMarker(key);
    return true;
  }

  /**
   * Claims the record's name with a create that fails when the name entry exists; a holder
   * that expired or was lost is freed by `freeHolder`, a claim whose handle never came (older
   * than 30 s) is reclaimed. A live holder is AlreadyExistsError.
   */
  async claimName(
    record: HandleRecord,
    now: number,
    maxAttempts: number,
    freeHolder: (holder: Versioned, reason: "expired" | "replaced") => Promise<unknown>,
  ): Promise<void> {
    const key = nameKey(record.owner, record.name);
    const claim: NameClaim = { id: record.id, atMs: now };
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      try {
        await this.kv.create(key, JSON.stringify(claim));
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== "PUT") continue;
      const held = entry.json<NameClaim>();
      // An attempt of the same idempotent registration claimed it already.
      if (held.id === record.id) return;
      const holder = await this.get(held.id);
      if (holder && isExpired(holder.record, now)) {
        await freeHolder(holder, "expired");
      } else if (holder && holder.record.lost !== "") {
        await freeHolder(holder, "replaced");
      } else if (holder || now - held.atMs < CLAIM_GRACE_MS) {
        throw new AlreadyExistsError(
          `Cannot register handle as 'name' must be unique among the tenant's live handles: current value is ${
            JSON.stringify(record.name)
          }, the name of ${held.id}`,
          { metadata: { name: record.name, handle: held.id } },
        );
      } else {
        await this.deleteAt(key, entry.revision);
      }
    }
    throw new UnavailableError(
      `Cannot register handle as its name must be claimed within ${maxAttempts} attempts: current value is ${
        JSON.stringify(record.name)
      }`,
    );
  }

  /** Deletes the name entry if it still names this handle. */
  async releaseName(record: HandleRecord): Promise<void> {
    const key = nameKey(record.owner, record.name);
    const entry = await this.kv.get(key);
    if (entry?.operation === "PUT" && entry.json<NameClaim>().id === record.id) {
      await this.deleteAt(key, entry.revision);
    }
  }

  /**
   * Removes a deleted key's marker from the stream (best effort), so freed handles leave
   * nothing behind; a newer entry of the key is kept.
   */
  async #dropMarker(key: string): Promise<void> {
    try {
      const marker = await this.kv.get(key);
      if (!marker || marker.operation === "PUT") return;
      await this.#jsm.streams.purge(`KV_${this.#name}`, {
        filter: `$KV.${this.#name}.${key}`,
        seq: marker.revision + 1,
      });
    } catch {
      // The marker stays: harmless, one small message.
    }
  }
}

/** True for a compare-and-set that lost to another change. */
export function isConflict(error: unknown): boolean {
  return error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);
}

/** Waits a random moment that grows with the attempt (at most 50 ms). */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
