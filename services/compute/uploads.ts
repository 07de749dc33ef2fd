/**
 * Upload calls: an Arrow IPC stream read within the upload limits (upload_bytes.ts) and
 * kept under a handle, or, for a request that asks for the bulk port, a ticket to send the
 * bytes there (bulk/offers.ts), which redeems into the same reading and keeping.
 *
 * @module
 */

import type { ComputeLimits } from "../../shared/config_limits.ts";
import { InvalidArgumentError } from "../../shared/errors.ts";
import type { UploadRequest, UploadResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { BulkOffers, StoreUpload } from "./bulk/offers.ts";
import { frameFromIpc, uploadIpcLimits } from "./engine/mod.ts";
import type { Held } from "./engine/frame_access.ts";
import { UploadBudget } from "./upload_budget.ts";
import { readUploadBytes } from "./upload_bytes.ts";

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

/** What an upload's caller is. */
export interface UploadContext {
  readonly tenant: string;
  readonly signal: AbortSignal;
  readonly log: Record<string, unknown>;
}

/** What {@link Uploads} needs. */
export interface UploadsDeps {
  limits: ComputeLimits;
  /** Keeps a frame under a handle (the executor's keep). */
  keep: (
    df: Held,
    ctx: UploadContext,
    options: { ttlSeconds: bigint; name: string },
  ) => Promise<HandleInfo>;
  bulk?: BulkOffers;
}

/** The worker's uploads, within one budget of bytes held while they arrive. */
export class Uploads {
  readonly #deps: UploadsDeps;
  readonly #budget: UploadBudget;

  constructor(deps: UploadsDeps) {
    this.#deps = deps;
    this.#budget = new UploadBudget(deps.limits.maxUploadBufferBytes);
  }

  /**
   * An Upload call: its messages' bytes kept under a handle. A first message with
   * `bulk_bytes` asks for a ticket to send the bytes to the bulk port instead; without a
   * bulk port (or a free slot on it) the answer has neither a handle nor a ticket.
   */
  async upload(
    requests: AsyncIterable<UploadRequest>,
    ctx: UploadContext,
  ): Promise<UploadResponse> {
    const rest = requests[Symbol.asyncIterator]();
    const head = await rest.next();
    const first = head.done ? undefined : head.value;
    if (first && first.bulkBytes > 0n) {
      if (!(await rest.next()).done || first.arrowIpc.byteLength > 0) {
        throw new InvalidArgumentError(
          "Cannot upload as a message with 'bulk_bytes' must be the only one and carry no bytes",
        );
      }
      const store: StoreUpload = (chunks, options, caller) => this.store(chunks, options, caller);
      const bulk = this.#deps.bulk;
      return bulk ? bulk.offerUpload(first, ctx, store) : { handle: undefined, bulk: undefined };
    }
    const chunks = async function* () {
      if (first) yield first.arrowIpc;
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        yield next.value.arrowIpc;
      }
    };
    return await this.store(chunks(), {
      ttlSeconds: first?.ttlSeconds ?? 0n,
      name: first?.name ?? "",
      maxBytes: this.#deps.limits.maxUploadBytes,
    }, ctx);
  }

  /** Reads the chunks of an Arrow IPC upload (within the upload limits) and keeps the frame. */
  async store(
    chunks: AsyncIterable<Uint8Array>,
    options: { ttlSeconds: bigint; name: string; maxBytes: number },
    ctx: UploadContext,
  ): Promise<UploadResponse> {
    const { limits } = this.#deps;
    // The received chunks, then their concatenation: both count until the frame is made.
    const lease = this.#budget.lease();
    try {
      let since = performance.now();
      const bytes = await readUploadBytes(chunks, {
        maxBytes: Math.min(options.maxBytes, limits.maxUploadBytes),
        lease,
      });
      ctx.log.bytes = bytes.byteLength;
      ctx.log.receiveMs = elapsed(since);
      since = performance.now();
      const df = frameFromIpc(bytes, uploadIpcLimits(limits));
      ctx.log.readMs = elapsed(since);
      lease.release();
      const keep = { ttlSeconds: options.ttlSeconds, name: options.name };
      return { handle: await this.#deps.keep(df, ctx, keep), bulk: undefined };
    } finally {
      lease.release();
    }
  }
}
