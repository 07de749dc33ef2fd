/**
 * Call slots of a gRPC server: which calls are let in, and when each gives its slot back.
 *
 * A call holds a slot from admission until it ends — completed, failed, cancelled by the
 * client, past its deadline, or cut by a timeout — whichever comes first; its handler may run
 * on after that (engine work cannot always be stopped), and is then counted as *abandoned*
 * until it returns. Abandoned handlers have a budget of their own, as large as the slots: a
 * client that starts and cancels heavy calls in a loop cannot pile up work without bound, yet
 * callers are not refused for work nobody waits for while that budget lasts.
 *
 * @module
 */

import { LimitExceededError, type PolaroidError } from "../errors.ts";

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** Calls at once; 0 means no bound. */
  maxCalls: number;
  /**
   * Slots all taken and none given back for this long makes the server stuck (see
   * {@link Admission.stuck}). @default 120000
   */
  stuckAfterMs?: number;
  /** The clock, in milliseconds (tests pass a fake). @default performance.now */
  now?: () => number;
}

/** A slot taken by one call; `release()` gives it back once, whatever calls it. */
export interface Slot {
  /** Gives the slot back (the call ended); later calls do nothing. */
  release(): void;
  /** The handler returned: ends its abandoned time if the call had ended before. */
  settle(): void;
}

/** Call slots, and stuck detection. */
export class Admission {
  readonly #maxCalls: number;
  readonly #stuckAfterMs: number;
  readonly #now: () => number;
  #inFlight = 0;
  #abandoned = 0;
  #draining = false;
  #lastRelease: number;
  #idle: Array<() => void> = [];

  constructor(options: AdmissionOptions) {
    const { maxCalls } = options;
    if (!Number.isSafeInteger(maxCalls) || maxCalls < 0) {
      throw new RangeError(
        `Cannot start the gRPC server as 'maxConcurrentCalls' must be a non-negative integer: current value is ${maxCalls}`,
      );
    }
    this.#maxCalls = maxCalls;
    this.#stuckAfterMs = options.stuckAfterMs ?? 120_000;
    this.#now = options.now ?? (() => performance.now());
    this.#lastRelease = this.#now();
  }

  /** Calls holding a slot. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Handlers still running after their call ended. */
  get abandoned(): number {
    return this.#abandoned;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * The server is draining: stuck detection stops. Calls are still admitted: those that reach
   * a draining server are the ones its GOAWAY said it would serve.
   */
  drain(): void {
    this.#draining = true;
  }

  /**
   * True when every slot has been taken for `stuckAfterMs` without one coming back, or when
   * abandoned handlers have used their whole budget that long: the server cannot serve.
   */
  get stuck(): boolean {
    if (this.#maxCalls === 0) return false;
    const full = this.#inFlight >= this.#maxCalls || this.#abandoned >= this.#maxCalls;
    return full && this.#now() - this.#lastRelease > this.#stuckAfterMs;
  }

  /** A slot for a call, or the error refusing it. */
  admit(): Slot | PolaroidError {
    const max = this.#maxCalls;
    if (max > 0 && this.#inFlight >= max) {
      return busy(
        `Cannot take the call as a server may run at most ${max} calls at once (POLAROID_MAX_CONCURRENT_CALLS): current value is ${this.#inFlight}`,
        max,
      );
    }
    if (max > 0 && this.#abandoned >= max) {
      return busy(
        `Cannot take the call as ${this.#abandoned} calls that ended early still run on this server, at most ${max} may (POLAROID_MAX_CONCURRENT_CALLS): retry on another one`,
        max,
      );
    }
    this.#inFlight++;
    let released = false;
    let settled = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#lastRelease = this.#now();
        if (!settled) this.#abandoned++;
        if (this.#inFlight === 0) { for (const wake of this.#idle.splice(0)) wake(); }
      },
      settle: () => {
        if (settled) return;
        settled = true;
        if (released) this.#abandoned--;
      },
    };
  }

  /** Resolves once no call holds a slot. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}

/** The one RESOURCE_EXHAUSTED worth retrying elsewhere (clients look for `retryable`). */
function busy(message: string, limit: number): LimitExceededError {
  return new LimitExceededError(message, {
    metadata: { limit: String(limit), retryable: "true" },
  });
}
