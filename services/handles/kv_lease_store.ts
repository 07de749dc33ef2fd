/**
 * Worker leases in the JetStream KV bucket `polaroid_workers` (POLAROID_CATALOG=jetstream),
 * shared by every handles-service replica like the catalog: a worker may heartbeat to any
 * replica, and whichever replica's sweep sees a lease run out marks its handles lost.
 *
 * Keys: `w.<worker id>` holds the lease as JSON (worker ids are valid KV keys, shared/ids.ts).
 *
 * @module
 */

import { type KV, Kvm } from "@nats-io/kv";
import { createOrOpenKv } from "../../shared/nats_kv.ts";
import { StorageType } from "@nats-io/jetstream";
import type { NatsConnection } from "../../shared/nats.ts";
import { isConflict } from "./kv_bucket.ts";
import type { Lease, LeaseStore, StoredLease } from "./lease_store.ts";

/** The bucket shared by every handles-service replica. */
export const LEASE_BUCKET = "polaroid_workers";
const PREFIX = "w.";

/** Opens (creating it if missing: history 1, file storage) the lease bucket. */
export async function openKvLeaseStore(
  nats: NatsConnection,
  options: { bucket?: string } = {},
): Promise<KvLeaseStore> {
  const kv = await createOrOpenKv(new Kvm(nats), options.bucket ?? LEASE_BUCKET, {
    history: 1,
    storage: StorageType.File,
  });
  return new KvLeaseStore(kv);
}

/** Leases in a JetStream KV bucket. */
export class KvLeaseStore implements LeaseStore {
  readonly #kv: KV;

  /** Use openKvLeaseStore(). */
  constructor(kv: KV) {
    this.#kv = kv;
  }

  async get(worker: string): Promise<StoredLease | undefined> {
    const entry = await this.#kv.get(`${PREFIX}${worker}`);
    if (!entry || entry.operation !== "PUT") return undefined;
    return { lease: entry.json<Lease>(), revision: entry.revision };
  }

  async list(): Promise<StoredLease[]> {
    const workers: string[] = [];
    for await (const key of await this.#kv.keys(`${PREFIX}>`)) {
      workers.push(key.slice(PREFIX.length));
    }
    const out: StoredLease[] = [];
    for (const worker of workers) {
      const found = await this.get(worker);
      if (found) out.push(found);
    }
    return out;
  }

  async put(lease: Lease, revision: number | undefined): Promise<number | undefined> {
    const key = `${PREFIX}${lease.worker}`;
    const value = JSON.stringify(lease);
    try {
      return revision === undefined
        ? await this.#kv.create(key, value)
        : await this.#kv.update(key, value, revision);
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }

  async delete(worker: string, revision: number): Promise<boolean> {
    try {
      await this.#kv.delete(`${PREFIX}${worker}`, { previousSeq: revision });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
