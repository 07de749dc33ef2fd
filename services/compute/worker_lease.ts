/**
 * This worker's lease with the handles service (services/handles/leases.ts): a heartbeat
 * with the worker id and this process's incarnation at start, before the worker serves, and
 * then every third of the lease the service grants. The first heartbeat of a new incarnation
 * makes the service mark lost what an earlier process of this worker id held only in memory;
 * a heartbeat answered "lapsed" means the lease had run out (the worker hung or could not
 * reach the service) and its handles were marked lost, so the worker reconciles to drop them;
 * so does a heartbeat answered "new lease" after an earlier one (the service lost its state:
 * an in-memory catalog restarted, forgetting the handles). A worker that stops ends its lease.
 *
 * @module
 */

import { FailedPreconditionError, PolaroidError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import type { WorkersClient } from "./handle_sync.ts";

/** Options of WorkerLease. */
export interface WorkerLeaseOptions {
  workers: WorkersClient;
  workerId: string;
  /** This process's incarnation (shared/ids.ts newIncarnation()). */
  incarnation: string;
  logger: Logger;
  /**
   * Called when the service says the lease had lapsed, or no longer knew it: the worker's
   * frames must be reconciled with the catalog.
   */
  onLapsed: () => void;
}

/** Until the first answer says otherwise. */
const DEFAULT_LEASE_MS = 30_000;
/** Wait between heartbeats that failed, at most a third of the lease. */
const RETRY_MS = 1000;

/** The heartbeats of one worker process. */
export class WorkerLease {
  readonly #options: WorkerLeaseOptions;
  #leaseMs = DEFAULT_LEASE_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failing = false;
  #stopped = false;
  /** A heartbeat went through since start. */
  #leased = false;

  constructor(options: WorkerLeaseOptions) {
    this.#options = options;
  }

  /**
   * Sends the first heartbeat, retrying for up to `waitMs`, then keeps beating in the
   * background; false when the first one did not get through in time (the worker serves
   * anyway: its registrations carry the incarnation, so nothing is marked lost wrongly).
   */
  async start(waitMs = 5000): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    let ok = await this.#beat();
    while (!ok && !this.#stopped && Date.now() + RETRY_MS < deadline) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      ok = await this.#beat();
    }
    this.#schedule(ok);
    return ok;
  }

  /** Stops beating and ends the lease (its memory-only handles are lost at once). */
  async end(): Promise<void> {
    this.#stop();
    const { workers, workerId, incarnation, logger } = this.#options;
    try {
      const request = { worker: workerId, incarnation };
      const { lost } = await workers.unary("endLease", request, { timeoutMs: 2000 });
      logger.info("lease ended", { lost });
    } catch (error) {
      logger.warn("lease not ended", { error: PolaroidError.from(error).message });
    }
  }

  #stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(ok: boolean): void {
    if (this.#stopped) return;
    const third = Math.floor(this.#leaseMs / 3);
    this.#timer = setTimeout(async () => {
      this.#schedule(await this.#beat());
    }, ok ? third : Math.min(RETRY_MS, third));
  }

  async #beat(): Promise<boolean> {
    const { workers, workerId, incarnation, logger } = this.#options;
    try {
      const answer = await workers.unary(
        "heartbeat",
        { worker: workerId, incarnation },
        { timeoutMs: Math.max(500, Math.floor(this.#leaseMs / 3)) },
      );
      this.#leaseMs = answer.leaseMs > 0 ? answer.leaseMs : DEFAULT_LEASE_MS;
      if (this.#failing) logger.info("lease renewed", { worker: workerId });
      this.#failing = false;
      if (answer.lost > 0) {
        logger.warn("handles of an earlier run marked lost", {
          worker: workerId,
          lost: answer.lost,
        });
      }
      if (answer.lapsed) {
        logger.warn("lease had lapsed: dropping the frames the catalog marked lost", {
          worker: workerId,
        });
        this.#options.onLapsed();
      } else if (answer.newLease && this.#leased) {
        logger.warn("the handles service no longer knew this worker: reconciling", {
          worker: workerId,
        });
        this.#options.onLapsed();
      }
      this.#leased = true;
      return true;
    } catch (error) {
      const message = PolaroidError.from(error).message;
      if (error instanceof FailedPreconditionError) {
        logger.error("lease refused", { worker: workerId, error: message });
      } else if (!this.#failing) {
        logger.warn("heartbeat failed", { worker: workerId, error: message });
      }
      this.#failing = true;
      return false;
    }
  }
}
