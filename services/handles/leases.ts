/**
 * Worker leases: which compute workers are alive, so that the handles whose frames only a
 * dead worker's memory held are marked lost (lost.ts) instead of naming frames that are gone.
 *
 * A worker heartbeats with its id and its incarnation (random per process start) at start
 * and every third of the lease. Then:
 * - a heartbeat with a new incarnation for a worker id marks lost the handles of every other
 *   incarnation of that id (the worker restarted: its memory is empty);
 * - a lease that runs out (the sweep sees it) marks lost the handles its incarnation
 *   registered until then; a heartbeat from that incarnation afterwards takes the lease again
 *   and is told it lapsed, so the worker drops what it still holds of them;
 * - a worker that stops ends its lease, which marks its handles lost at once.
 * Handles with an object key are never lost. Every step is a compare-and-set on the lease and
 * every marking is idempotent, so replicas sharing the store (kv_lease_store.ts) may race: an
 * ended lease records `marking` until its handles are all marked, and whoever reads it so
 * (a sweep, the worker's next heartbeat) finishes the marking.
 *
 * @module
 */

import { FailedPreconditionError, UnavailableError } from "../../shared/errors.ts";
import { validateIncarnation, validateWorkerId } from "../../shared/ids.ts";
import type { Catalog } from "./catalog_api.ts";
import type { LostSelector } from "./lost.ts";
import type { HandleRecord } from "./record.ts";
import type { Lease, LeaseStore, StoredLease } from "./lease_store.ts";

/** Options of WorkerLeases. */
export interface WorkerLeasesOptions {
  /** How long a lease lasts after a heartbeat. @default 30000 */
  leaseMs?: number;
  /** How long an ended lease is kept (to tell its worker it lapsed). @default 1 hour or 10 leases */
  retentionMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Called with the handles this replica marked lost; must not throw. @default no-op */
  onLost?: (records: HandleRecord[]) => void;
}

/** What a heartbeat answers. */
export interface HeartbeatResult {
  leaseMs: number;
  /** The incarnation's lease had ended before: its handles were marked lost. */
  lapsed: boolean;
  /** Handles of earlier incarnations this heartbeat marked lost. */
  lost: number;
  /** No lease was known for the worker id (first heartbeat, or the store lost it). */
  newLease: boolean;
}

/** Incarnations of a worker id remembered to detect two processes using it. */
const PREVIOUS_KEPT = 4;
/** Compare-and-set attempts of one change. */
const ATTEMPTS = 20;

/** The leases of every worker, kept in a store, marking lost handles in a catalog. */
export class WorkerLeases {
  readonly #store: LeaseStore;
  readonly #catalog: Catalog;
  readonly #leaseMs: number;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #onLost: (records: HandleRecord[]) => void;

  constructor(store: LeaseStore, catalog: Catalog, options: WorkerLeasesOptions = {}) {
    this.#store = store;
    this.#catalog = catalog;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#retentionMs = options.retentionMs ?? Math.max(3_600_000, 10 * this.#leaseMs);
    this.#now = options.now ?? Date.now;
    this.#onLost = options.onLost ?? (() => {});
  }

  /** Takes or renews the worker's lease for this incarnation. */
  async heartbeat(worker: string, incarnation: string): Promise<HeartbeatResult> {
    validateWorkerId(worker);
    validateIncarnation(incarnation);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.#store.get(worker);
      const held = current?.lease;
      if (held?.previous.includes(incarnation)) {
        throw new FailedPreconditionError(
          `Cannot renew the lease of worker '${worker}' as one process must use the id: current value is used by incarnation ${held.incarnation} too, which started after this one (give each worker its own POLAROID_WORKER_ID)`,
          { metadata: { worker } },
        );
      }
      let lost = 0;
      let lapsed = false;
      if (held?.incarnation !== incarnation) {
        // A new process: nothing any earlier one held only in memory is left.
        lost = await this.#mark({ worker, reason: "restarted", exceptIncarnation: incarnation });
      } else if (held.ended !== "") {
        lapsed = true;
        if (held.marking) await this.#mark(endedSelector(held));
      }
      const now = this.#now();
      const lease: Lease = {
        worker,
        incarnation,
        expiresAtMs: now + this.#leaseMs,
        previous: held && held.incarnation !== incarnation
          ? [held.incarnation, ...held.previous].slice(0, PREVIOUS_KEPT)
          : held?.previous ?? [],
        ended: "",
        endedAtMs: 0,
        marking: false,
      };
      if (await this.#store.put(lease, current?.revision) !== undefined) {
        return { leaseMs: this.#leaseMs, lapsed, lost, newLease: held === undefined };
      }
    }
    throw busy(worker);
  }

  /** Ends the lease of a worker that stops; returns the handles marked lost. */
  async end(worker: string, incarnation: string): Promise<number> {
    validateWorkerId(worker);
    validateIncarnation(incarnation);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.#store.get(worker);
      // Another incarnation's lease, or one ended already: nothing of this one to end.
      if (current?.lease.incarnation !== incarnation || current.lease.ended !== "") return 0;
      const ended = await this.#endLease(current, "stopped", this.#now());
      if (ended !== undefined) return ended;
    }
    throw busy(worker);
  }

  /** Leases held, and leases ended (kept for the retention), for metrics. */
  async counts(): Promise<{ live: number; ended: number }> {
    const all = await this.#store.list();
    const ended = all.filter((s) => s.lease.ended !== "").length;
    return { live: all.length - ended, ended };
  }

  /**
   * Ends the leases that ran out at `now` (marking their handles lost), finishes markings
   * left half done, and forgets leases ended longer ago than the retention.
   */
  async sweep(now: number = this.#now()): Promise<number> {
    let lost = 0;
    for (const stored of await this.#store.list()) {
      const { lease } = stored;
      if (lease.ended === "" && lease.expiresAtMs <= now) {
        lost += await this.#endLease(stored, "lease_expired", lease.expiresAtMs) ?? 0;
      } else if (lease.marking) {
        lost += await this.#mark(endedSelector(lease));
        await this.#store.put({ ...lease, marking: false }, stored.revision);
      } else if (lease.ended !== "" && now - lease.endedAtMs > this.#retentionMs) {
        await this.#store.delete(lease.worker, stored.revision);
      }
    }
    return lost;
  }

  /**
   * Records the lease as ended (with `marking`), marks its handles lost, then clears
   * `marking`; undefined when another change to the lease came first.
   */
  async #endLease(
    stored: StoredLease,
    reason: Lease["ended"] & string,
    atMs: number,
  ): Promise<number | undefined> {
    const ended: Lease = { ...stored.lease, ended: reason, endedAtMs: atMs, marking: true };
    const revision = await this.#store.put(ended, stored.revision);
    if (revision === undefined) return undefined;
    const lost = await this.#mark(endedSelector(ended));
    // A heartbeat may have taken the lease again meanwhile: it finished the marking then.
    await this.#store.put({ ...ended, marking: false }, revision);
    return lost;
  }

  async #mark(selector: LostSelector): Promise<number> {
    const marked = await this.#catalog.markLost(selector);
    if (marked.length > 0) this.#onLost(marked);
    return marked.length;
  }
}

/** The handles an ended lease's incarnation registered until it ended. */
function endedSelector(lease: Lease): LostSelector {
  return {
    worker: lease.worker,
    reason: lease.ended === "" ? "lease_expired" : lease.ended,
    incarnation: lease.incarnation,
    createdUpToMs: lease.endedAtMs,
  };
}

function busy(worker: string): UnavailableError {
  return new UnavailableError(
    `Cannot change the lease of worker '${worker}' as it must stop changing within ${ATTEMPTS} attempts: current value keeps changing`,
    { metadata: { worker } },
  );
}
