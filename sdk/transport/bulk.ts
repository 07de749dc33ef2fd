/**
 * The SDK's side of the bulk port (docs/adr/0016): a Collect reply that is a ticket is read
 * with `fetch` from the worker's bulk HTTP port, as the same Collect messages, decoded one at
 * a time as the caller pulls; a large upload is sent there with one PUT. When the bulk port
 * cannot be opened (unreachable, a proxy in the way, the ticket gone), the transfer goes over
 * gRPC instead; a download that breaks midway ends with UnavailableError, which a handle's
 * download resumes over gRPC from the next batch (resume.ts).
 *
 * @module
 */

import {
  errorFromStatus,
  InternalError,
  type PolaroidError,
  UnavailableError,
} from "../../shared/errors.ts";
import {
  type BulkTicket,
  type CollectResponse,
  UploadResponse,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import { decodeCollectResponse } from "./arrow.ts";

/** The header that carries a ticket. */
export const TICKET_HEADER = "x-polaroid-ticket";

/** Uploads of at least this many bytes ask for the bulk port: 8 MiB. */
export const BULK_UPLOAD_MIN_BYTES = 8 * 1024 * 1024;

/** What a bulk request sends besides the ticket: the gRPC calls' credentials. */
export interface BulkCredentials {
  /** API key or JWT, sent as `authorization: Bearer <token>`. */
  token?: string;
  /** Sent as `x-polaroid-tenant`. */
  tenant?: string;
  /**
   * The HTTP client of requests to servers whose certificate a CA of the caller's signs (not
   * a system CA); its owner closes it. @default fetch's own
   */
  client?: Deno.HttpClient;
}

/** The bulk port could not be opened: the caller goes over gRPC instead. */
export class BulkUnreachable extends Error {
  override name = "BulkUnreachable";
}

/** Options of one bulk request. */
export interface BulkRequestOptions {
  credentials: BulkCredentials;
  /** Stops the request, and the body being read. */
  signal?: AbortSignal;
  /**
   * How long the request may take to be answered (a download's headers; an upload's whole
   * answer); past it the port counts as unreachable. @default 5000
   */
  openTimeoutMs?: number;
}

function headers(ticket: BulkTicket, credentials: BulkCredentials): Record<string, string> {
  return {
    [TICKET_HEADER]: ticket.ticket,
    ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
    ...(credentials.tenant ? { "x-polaroid-tenant": credentials.tenant } : {}),
  };
}

/** The server's error from an error answer's JSON body, or undefined when it is not one. */
async function serverError(response: Response): Promise<PolaroidError | undefined> {
  try {
    const body = await response.json() as Record<string, unknown>;
    if (typeof body.code !== "number" || typeof body.message !== "string") return undefined;
    const metadata = (body.metadata ?? {}) as Record<string, string>;
    const reason = typeof body.reason === "string" ? body.reason : undefined;
    return errorFromStatus(body.code, body.message, reason, metadata);
  } catch {
    return undefined;
  }
}

/** Sends one bulk request; BulkUnreachable when it cannot be sent or is not answered. */
async function send(
  ticket: BulkTicket,
  init: RequestInit,
  options: BulkRequestOptions,
): Promise<Response> {
  const { client } = options.credentials;
  // A port that drops packets (a firewall) would never answer: the wait to open is bounded.
  const opening = new AbortController();
  const openTimeoutMs = options.openTimeoutMs ?? 5000;
  const timer = setTimeout(
    () => opening.abort(new Error(`no answer within ${openTimeoutMs} ms`)),
    openTimeoutMs,
  );
  const signal = options.signal
    ? AbortSignal.any([options.signal, opening.signal])
    : opening.signal;
  try {
    return await fetch(ticket.url, {
      ...init,
      headers: headers(ticket, options.credentials),
      signal,
      ...(client ? { client } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new BulkUnreachable(`Cannot reach the bulk port at ${ticket.url}: ${error}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a body `length` bytes at a time: a view when one chunk holds them, else a copy. */
class BodyReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunk: Uint8Array = new Uint8Array(0);

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next `length` bytes, or undefined at the end of the body before any of them. */
  async read(length: number): Promise<Uint8Array | undefined> {
    if (this.#chunk.byteLength >= length) return this.#take(length);
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have + this.#chunk.byteLength < length) {
      if (this.#chunk.byteLength > 0) {
        parts.push(this.#chunk);
        have += this.#chunk.byteLength;
      }
      const next = await this.#reader.read();
      if (next.done) {
        this.#chunk = new Uint8Array(0);
        if (have === 0) return undefined;
        throw new UnavailableError(
          `Cannot read the bulk download as it ended inside a message (${have} of ${length} bytes)`,
        );
      }
      this.#chunk = next.value;
    }
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    out.set(this.#take(length - at), at);
    return out;
  }

  #take(length: number): Uint8Array {
    const out = this.#chunk.subarray(0, length);
    this.#chunk = this.#chunk.subarray(length);
    return out;
  }

  cancel(): void {
    this.#reader.cancel().catch(() => {});
  }
}

/** Opens a ticket's download; BulkUnreachable when it does not open. */
export async function openBulkDownload(
  ticket: BulkTicket,
  options: BulkRequestOptions,
): Promise<ReadableStream<Uint8Array>> {
  const response = await send(ticket, { method: "GET" }, options);
  if (!response.ok || response.body === null) {
    const error = await serverError(response);
    throw new BulkUnreachable(
      `Cannot open the bulk download at ${ticket.url}: HTTP ${response.status}${
        error ? `: ${error.message}` : ""
      }`,
      { cause: error },
    );
  }
  return response.body;
}

/**
 * The Collect messages of an open bulk download, read and decoded one at a time as they are
 * pulled: batches `ticket.startBatch` to `ticket.batches - 1`, in order. A break or a short
 * body is UnavailableError (a handle's download resumes from the next batch).
 */
export async function* bulkMessages(
  body: ReadableStream<Uint8Array>,
  ticket: BulkTicket,
  options: { maxMessageBytes: number },
): AsyncGenerator<CollectResponse> {
  const reader = new BodyReader(body);
  let next = ticket.startBatch;
  try {
    while (true) {
      let prefix: Uint8Array | undefined;
      let bytes: Uint8Array | undefined;
      try {
        prefix = await reader.read(4);
        if (prefix === undefined) break;
        const length = new DataView(prefix.buffer, prefix.byteOffset, 4).getUint32(0, true);
        if (length > options.maxMessageBytes) {
          throw new InternalError(
            `Cannot read the bulk download as a message of ${length} bytes is larger than 'maxMessageBytes' (${options.maxMessageBytes})`,
          );
        }
        bytes = await reader.read(length);
      } catch (error) {
        if (error instanceof UnavailableError || error instanceof InternalError) throw error;
        throw new UnavailableError(`Cannot go on reading the bulk download: ${error}`, {
          cause: error,
        });
      }
      if (bytes === undefined) {
        throw new UnavailableError("Cannot read the bulk download as it ended inside a message");
      }
      const message = decodeCollectResponse(bytes);
      if (message.batchIndex !== next) {
        throw new InternalError(
          `Cannot read the bulk download as batch ${next} was due and the server sent batch ${message.batchIndex}`,
        );
      }
      next++;
      yield message;
    }
    if (next < ticket.batches) {
      throw new UnavailableError(
        `Cannot read the bulk download as it ended after batch ${next - 1n} of ${ticket.batches}`,
      );
    }
  } finally {
    reader.cancel();
  }
}

/**
 * Sends an upload's bytes with its ticket; the stored frame's UploadResponse. BulkUnreachable
 * when the bulk port cannot be reached or the ticket is gone (the caller uploads over gRPC);
 * the server's refusal (bad Arrow, a limit) as its PolaroidError.
 */
export async function bulkUpload(
  ticket: BulkTicket,
  bytes: Uint8Array,
  options: BulkRequestOptions,
): Promise<UploadResponse> {
  const response = await send(
    ticket,
    { method: "PUT", body: bytes as Uint8Array<ArrayBuffer> },
    options,
  );
  if (!response.ok) {
    const error = await serverError(response);
    if (error === undefined || response.status === 404) {
      throw new BulkUnreachable(
        `Cannot upload to the bulk port at ${ticket.url}: HTTP ${response.status}`,
        { cause: error },
      );
    }
    throw error;
  }
  return UploadResponse.decode(new Uint8Array(await response.arrayBuffer()));
}
