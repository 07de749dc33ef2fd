/**
 * Keeps the frames a worker holds in step with the catalog. The handles service announces
 * every freed handle on NATS and the worker drops the frame (HeldFrames.listen()); but core
 * NATS does not replay what a subscriber missed, so while the worker's connection is down (and until it has caught
 * up after it came back) it cannot trust that a frame it holds is still live: then `trusted`
 * is false and the resolver asks the catalog before it serves a held frame.
 *
 * Catching up is a reconciliation: the worker sends the ids it holds to the handles service
 * (HandleWorkerService.CheckHandles, in pages of at most 1000) and drops those that are gone
 * (freed, expired or lost) with HeldFrames.forget(), which forgets them in the plan cache too. It runs when the connection
 * comes back, when asked (the worker's lease had lapsed), and every `intervalMs` whatever
 * happened, which also bounds how long a silently broken connection can hide a free.
 *
 * @module
 */

import type { HandleWorkerServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import type { RpcClient } from "../../shared/grpc/client.ts";
import { MAX_CHECKED_HANDLES } from "../../shared/ids.ts";
import type { NatsConnection } from "../../shared/nats.ts";
import { PolaroidError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import type { HeldFrames } from "./held_frames.ts";

/** A client of the handles service's calls for workers. */
export type WorkersClient = RpcClient<typeof HandleWorkerServiceService>;

/** Options of HandleSync.start(). */
export interface HandleSyncOptions {
  nats: NatsConnection;
  workers: WorkersClient;
  frames: HeldFrames;
  logger: Logger;
  /** Time between reconciliations when nothing asks for one. @default 60000 */
  intervalMs?: number;
  /** Ids per CheckHandles call. @default 1000 */
  pageSize?: number;
}

/** Counts since start, for metrics. */
export interface HandleSyncStats {
  /** Reconciliations completed. */
  reconciliations: number;
  /** Reconciliations that failed (retried). */
  failures: number;
  /** Frames dropped because a reconciliation found their handles gone. */
  dropped: number;
}

/** How often the worker looks whether a reconciliation is due. */
const TICK_MS = 250;
/** Longest wait before retrying a failed reconciliation. */
const MAX_RETRY_MS = 5000;

/** Frames in step with the catalog: NATS status, reconciliations. */
export class HandleSync {
  readonly stats: HandleSyncStats = { reconciliations: 0, failures: 0, dropped: 0 };
  readonly #options: HandleSyncOptions;
  readonly #intervalMs: number;
  readonly #pageSize: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #connected = true;
  /** Events may have been missed since the last reconciliation that completed. */
  #stale = false;
  /** Bumped whenever events may have been missed. */
  #epoch = 0;
  #dueAt: number;
  #failures = 0;
  #pass: Promise<void> | undefined;
  #closed = false;

  private constructor(options: HandleSyncOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#pageSize = Math.min(options.pageSize ?? MAX_CHECKED_HANDLES, MAX_CHECKED_HANDLES);
    this.#dueAt = Date.now() + this.#intervalMs;
    (async () => {
      for await (const status of options.nats.status()) this.#onStatus(status.type);
    })();
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  /** Starts watching the connection and reconciling. */
  static start(options: HandleSyncOptions): HandleSync {
    return new HandleSync(options);
  }

  /** Whether held frames may be served without asking the catalog first. */
  get trusted(): boolean {
    return this.#connected && !this.#stale;
  }

  /** Reconciles as soon as possible (e.g. the worker's lease had lapsed). */
  reconcileSoon(): void {
    this.#dueAt = 0;
    this.#tick();
  }

  /** Stops everything; waits for a reconciliation under way. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#pass;
  }

  #onStatus(type: string): void {
    if (type === "disconnect" || type === "staleConnection" || type === "forceReconnect") {
      if (this.#connected) {
        this.#options.logger.warn("NATS connection lost: held frames are checked with the catalog");
      }
      this.#connected = false;
      this.#missed();
    } else if (type === "reconnect") {
      this.#connected = true;
      this.#options.logger.info("NATS connection back: reconciling held frames");
      this.#tick();
    } else if (type === "slowConsumer") {
      this.#missed();
      this.#tick();
    }
  }

  #missed(): void {
    this.#stale = true;
    this.#epoch++;
    this.#failures = 0;
    this.#dueAt = 0;
  }

  #tick(): void {
    if (this.#closed || this.#pass) return;
    // While disconnected a reconciliation would be stale as soon as it ends: wait.
    if (Date.now() < this.#dueAt || (this.#stale && !this.#connected)) return;
    this.#pass = this.#reconcile().finally(() => (this.#pass = undefined));
  }

  async #reconcile(): Promise<void> {
    const epoch = this.#epoch;
    try {
      const ids = this.#options.frames.ids();
      let dropped = 0;
      for (let i = 0; i < ids.length && !this.#closed; i += this.#pageSize) {
        const page = ids.slice(i, i + this.#pageSize);
        const { gone } = await this.#options.workers.unary("checkHandles", { ids: page });
        for (const id of gone) if (this.#options.frames.forget(id, "reconciled")) dropped++;
      }
      this.stats.reconciliations++;
      this.stats.dropped += dropped;
      if (dropped > 0) {
        this.#options.logger.info("frames reconciled", { held: ids.length, dropped });
      }
      // Caught up only if nothing was missed while it ran.
      if (epoch === this.#epoch && this.#connected) this.#stale = false;
      this.#failures = 0;
      this.#dueAt = Date.now() + this.#intervalMs;
    } catch (error) {
      this.stats.failures++;
      this.#failures++;
      const retryMs = Math.min(MAX_RETRY_MS, TICK_MS * 2 ** this.#failures);
      this.#dueAt = Date.now() + (this.#stale ? retryMs : Math.min(retryMs, this.#intervalMs));
      // Once per run of failures: the handles service may be down for a while.
      const level = this.#failures === 1 ? "warn" : "debug";
      this.#options.logger[level]("reconciliation failed", {
        error: PolaroidError.from(error).message,
        failures: this.#failures,
        retryMs,
      });
    }
  }
}
