/**
 * Where worker leases are kept: what leases.ts needs of a store (reads, and writes that are
 * compare-and-sets on a revision), and the in-memory store of a single handles service
 * (POLAROID_CATALOG=memory). The JetStream KV store shared by replicas is kv_lease_store.ts.
 *
 * @module
 */

import type { HandleLostReason } from "../../shared/errors.ts";

/** One worker's lease, as stored. */
export interface Lease {
  readonly worker: string;
  /** The incarnation (process start) that holds it. */
  readonly incarnation: string;
  /** When it runs out without another heartbeat (ms since the epoch). */
  readonly expiresAtMs: number;
  /**
   * The worker id's earlier incarnations, newest first (at most 4): a heartbeat from one of
   * them is a second process using the id.
   */
  readonly previous: readonly string[];
  /** Why the lease ended ("stopped", "lease_expired"); "" while it holds. */
  readonly ended: Exclude<HandleLostReason, "restarted"> | "";
  /** When it ended (its handles registered until then are lost); 0 while it holds. */
  readonly endedAtMs: number;
  /** Ended, but its handles are not all marked lost yet: whoever sees this finishes it. */
  readonly marking: boolean;
}

/** A lease and the revision it was read at. */
export interface StoredLease {
  readonly lease: Lease;
  readonly revision: number;
}

/** Leases by worker id; every write is a compare-and-set. */
export interface LeaseStore {
  get(worker: string): Promise<StoredLease | undefined>;
  /** Every lease. */
  list(): Promise<StoredLease[]>;
  /**
   * Writes the lease if the worker's entry is still at `revision` (undefined: if it has
   * none); returns the new revision, or undefined when another write came first.
   */
  put(lease: Lease, revision: number | undefined): Promise<number | undefined>;
  /** Deletes the entry if it is still at `revision`; false when another write came first. */
  delete(worker: string, revision: number): Promise<boolean>;
  /** Stops background work. */
  close(): Promise<void>;
}

/** Leases in this process's memory. */
export class MemoryLeaseStore implements LeaseStore {
  readonly #leases = new Map<string, StoredLease>();
  #revision = 0;

  get(worker: string): Promise<StoredLease | undefined> {
    return Promise.resolve(this.#leases.get(worker));
  }

  list(): Promise<StoredLease[]> {
    return Promise.resolve([...this.#leases.values()]);
  }

  put(lease: Lease, revision: number | undefined): Promise<number | undefined> {
    if (this.#leases.get(lease.worker)?.revision !== revision) return Promise.resolve(undefined);
    const stored = { lease, revision: ++this.#revision };
    this.#leases.set(lease.worker, stored);
    return Promise.resolve(stored.revision);
  }

  delete(worker: string, revision: number): Promise<boolean> {
    if (this.#leases.get(worker)?.revision !== revision) return Promise.resolve(false);
    this.#leases.delete(worker);
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
