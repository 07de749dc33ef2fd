/**
 * The console's view of what the other services run: the latest activity snapshot of each
 * compute worker and ingest process (shared/telemetry/activity.ts), heard over NATS, plus
 * this service's own calls. A process not heard from for `staleMs` is left out; at most
 * `maxInstances` are kept (the ones heard from last).
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/transport-node";
import type { CallLog } from "../../../shared/grpc/call_log.ts";
import {
  ACTIVITY_SUBJECT,
  type ActivitySnapshot,
  parseActivity,
} from "../../../shared/telemetry/activity.ts";

/** Options of ActivityView. */
export interface ActivityViewOptions {
  /** This service's own calls, shown as instance "handles". */
  calls: CallLog;
  /** @default 15000 */
  staleMs?: number;
  /** @default 128 */
  maxInstances?: number;
}

/** The latest snapshots of every service instance heard from. */
export class ActivityView {
  readonly #latest = new Map<string, ActivitySnapshot>();
  readonly #calls: CallLog;
  readonly #staleMs: number;
  readonly #maxInstances: number;
  #stop: () => void = () => {};

  constructor(options: ActivityViewOptions) {
    this.#calls = options.calls;
    this.#staleMs = options.staleMs ?? 15_000;
    this.#maxInstances = options.maxInstances ?? 128;
  }

  /** Listens to every snapshot published on NATS until close(). */
  listen(nats: NatsConnection): void {
    const subscription = nats.subscribe(`${ACTIVITY_SUBJECT}.>`, {
      callback: (error, message) => {
        if (!error) this.add(message.data);
      },
    });
    this.#stop = () => subscription.unsubscribe();
  }

  /** Takes one snapshot's bytes; anything that is not one is ignored. */
  add(bytes: Uint8Array): void {
    const snapshot = parseActivity(bytes);
    if (!snapshot) return;
    const key = `${snapshot.service}/${snapshot.instance}`;
    this.#latest.delete(key);
    this.#latest.set(key, { ...snapshot, atMs: Date.now() });
    // The map keeps insertion order: the first key is the one heard from longest ago.
    while (this.#latest.size > this.#maxInstances) {
      this.#latest.delete(this.#latest.keys().next().value!);
    }
  }

  /** Every instance heard from lately, this service first. */
  snapshots(now: number = Date.now()): ActivitySnapshot[] {
    for (const [key, snapshot] of this.#latest) {
      if (now - snapshot.atMs > this.#staleMs) this.#latest.delete(key);
    }
    const own: ActivitySnapshot = {
      service: "handles",
      instance: "handles",
      atMs: now,
      ...this.#calls.view(),
      sources: [],
    };
    return [own, ...this.#latest.values()];
  }

  close(): void {
    this.#stop();
  }
}
