/**
 * What the gRPC side of the bulk port does (docs/adr/0016): a Collect that asked for bulk and
 * whose result is large enough, or an upload that asked for it, gets a ticket instead of
 * batches (or of a handle). The ticket holds the Collect's frame until it is redeemed or
 * expires; an upload's ticket holds nothing but the bound on its bytes.
 *
 * @module
 */

import type {
  BulkTicket,
  CollectRequest,
  UploadRequest,
  UploadResponse,
} from "../../../shared/gen/polaroid/v1/dataframe.ts";
import { batchCount } from "../engine/mod.ts";
import { heldHeight } from "../engine/frame_access.ts";
import type { CollectSource } from "../collect_stream.ts";
import { uploadTooLarge } from "../upload_bytes.ts";
import type { BulkTickets, TicketEntry } from "./tickets.ts";

/** What a call's context gives the bulk side. */
export interface BulkCaller {
  readonly tenant: string;
  readonly log: Record<string, unknown>;
}

/** A ticket to a Collect's batches. */
export interface CollectEntry extends TicketEntry {
  readonly kind: "collect";
  readonly source: CollectSource;
  readonly startBatch: bigint;
}

/** Stores an upload's chunks under a handle (the executor's uploadBytes). */
export type StoreUpload = (
  chunks: AsyncIterable<Uint8Array>,
  options: { ttlSeconds: bigint; name: string; maxBytes: number },
  caller: BulkCaller & { signal: AbortSignal },
) => Promise<UploadResponse>;

/** A ticket to send one upload's bytes. */
export interface UploadEntry extends TicketEntry {
  readonly kind: "upload";
  readonly maxBytes: number;
  readonly ttlSeconds: bigint;
  readonly name: string;
  readonly store: StoreUpload;
}

export type BulkEntry = CollectEntry | UploadEntry;

/** Paths of the bulk port. */
export const BULK_PATHS = { collect: "/v1/bulk/collect", upload: "/v1/bulk/upload" } as const;

/** Options of {@link BulkOffers}. */
export interface BulkOffersOptions {
  tickets: BulkTickets<BulkEntry>;
  /** Results of at least this many (estimated) bytes are offered over the bulk port. */
  minBytes: number;
  /** The most bytes of one upload (POLAROID_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
}

/** Hands out tickets to the bulk port. */
export class BulkOffers {
  readonly #options: BulkOffersOptions;
  #origin: string | undefined;
  #heldBytes = 0;

  constructor(options: BulkOffersOptions) {
    this.#options = options;
  }

  /** Estimated bytes of the frames that tickets and the transfers they opened hold. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Sets the URL origin put in tickets ("http://host:port"), once the port is bound. */
  listen(origin: string): void {
    this.#origin = origin;
  }

  #ticket(entry: BulkEntry): { url: string; ticket: string } | undefined {
    if (this.#origin === undefined) return undefined;
    const ticket = this.#options.tickets.issue(entry);
    return ticket === undefined
      ? undefined
      : { url: this.#origin + BULK_PATHS[entry.kind], ticket };
  }

  /**
   * A ticket to the batches of `source` from the request's start batch, or undefined (the
   * caller streams over gRPC) when the result is small or every bulk slot is taken. With a
   * ticket, the frame stays held until the ticket is redeemed and its stream ends, or until
   * it expires.
   */
  offerCollect(
    source: CollectSource,
    request: CollectRequest,
    caller: BulkCaller,
  ): BulkTicket | undefined {
    if (source.bytes < this.#options.minBytes) return undefined;
    let dropped = false;
    const given = this.#ticket({
      kind: "collect",
      tenant: caller.tenant,
      source,
      startBatch: request.startBatch,
      drop: () => {
        if (dropped) return;
        dropped = true;
        this.#heldBytes -= source.bytes;
        source.release();
      },
    });
    if (!given) return undefined;
    this.#heldBytes += source.bytes;
    caller.log.bulk = true;
    return {
      ...given,
      expiresInMs: BigInt(this.#options.tickets.ticketMs),
      batches: BigInt(batchCount(heldHeight(source.df), source.batchSize)),
      startBatch: request.startBatch,
      batchSize: source.batchSize,
      maxBytes: 0n,
    };
  }

  /**
   * The batches a Collect's ticket holds, read over gRPC instead (a client whose bulk port did
   * not open): the ticket is spent, and the frame let go of when the returned source is
   * released. Undefined when the ticket is unknown, expired, used, not a Collect's, or another
   * tenant's (which spends it too).
   */
  redeemCollect(
    ticket: string,
    caller: BulkCaller,
  ): { source: CollectSource; startBatch: bigint } | undefined {
    const redeemed = this.#options.tickets.redeem(ticket, "collect");
    if (!redeemed) return undefined;
    const entry = redeemed.entry as CollectEntry;
    const end = () => {
      entry.drop();
      redeemed.finish();
    };
    if (entry.tenant !== caller.tenant) {
      end();
      return undefined;
    }
    caller.log.bulkTicket = true;
    return { source: { ...entry.source, release: end }, startBatch: entry.startBatch };
  }

  /**
   * A ticket to send an upload of `request.bulkBytes` bytes, or an answer with neither a
   * handle nor a ticket (the client uploads over gRPC) when every bulk slot is taken. An
   * upload past POLAROID_MAX_UPLOAD_BYTES is refused here, before a byte is sent.
   */
  offerUpload(request: UploadRequest, caller: BulkCaller, store: StoreUpload): UploadResponse {
    const { maxUploadBytes } = this.#options;
    if (request.bulkBytes > BigInt(maxUploadBytes)) throw uploadTooLarge(maxUploadBytes);
    const maxBytes = Number(request.bulkBytes);
    const given = this.#ticket({
      kind: "upload",
      tenant: caller.tenant,
      maxBytes,
      ttlSeconds: request.ttlSeconds,
      name: request.name,
      store,
      drop: () => {},
    });
    if (!given) return { handle: undefined, bulk: undefined };
    caller.log.bulk = true;
    return {
      handle: undefined,
      bulk: {
        ...given,
        expiresInMs: BigInt(this.#options.tickets.ticketMs),
        batches: 0n,
        startBatch: 0n,
        batchSize: 0,
        maxBytes: BigInt(maxBytes),
      },
    };
  }
}
