/**
 * Bytes of uploads a worker holds while they arrive: every upload counts its received bytes
 * against one budget for the worker, so that many uploads at once — or many slow ones —
 * cannot hold more memory between them than the budget, whatever each may hold alone
 * (POLAROID_MAX_UPLOAD_BYTES). Past the budget an upload is refused as a busy worker's
 * call (RESOURCE_EXHAUSTED, retryable), which the SDK retries elsewhere.
 *
 * @module
 */

import { LimitExceededError } from "../../shared/errors.ts";

/** One upload's share of the budget; `release()` gives it all back, once. */
export interface UploadLease {
  /** Counts `bytes` more, or throws LimitExceededError when the budget has no room. */
  take(bytes: number): void;
  release(): void;
}

/** The worker's budget of bytes held by uploads in progress. */
export class UploadBudget {
  readonly #maxBytes: number;
  #held = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes held by uploads in progress. */
  get held(): number {
    return this.#held;
  }

  /** A lease for one upload. */
  lease(): UploadLease {
    let mine = 0;
    let released = false;
    return {
      take: (bytes) => {
        if (released) throw new RangeError("Cannot take bytes on a released upload lease");
        if (this.#held + bytes > this.#maxBytes) {
          throw new LimitExceededError(
            `Cannot accept more of this upload as uploads in progress on this worker hold ${this.#held} bytes of the ${this.#maxBytes} they may (POLAROID_MAX_UPLOAD_BUFFER_BYTES): retry later or on another worker`,
            { metadata: { limit: String(this.#maxBytes), retryable: "true" } },
          );
        }
        this.#held += bytes;
        mine += bytes;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#held -= mine;
      },
    };
  }
}
