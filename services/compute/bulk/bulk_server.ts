/**
 * The bulk port (docs/adr/0016): Deno's native HTTP server, beside the gRPC port, where a
 * ticket from a Collect or an Upload call is redeemed: `GET /v1/bulk/collect` streams the
 * batches, `PUT /v1/bulk/upload` takes the Arrow IPC bytes. Everything a request carries is
 * checked as hostile, in this order and before anything is allocated for it: the path, the
 * method, the ticket's shape, the credentials (the same authenticator and role as the gRPC
 * call: `authorization: Bearer …`), then the ticket (used once: redeemed whatever follows)
 * and its tenant. Transfers are bounded in number (the tickets' slots), in bytes (an
 * upload's ticket), and in idle time; each lets go of what it holds on every path.
 *
 * @module
 */

import { Metadata } from "@grpc/grpc-js";
import type { Authenticator } from "../../../shared/auth/authenticator.ts";
import {
  DeadlineExceededError,
  InvalidArgumentError,
  LimitExceededError,
  NotFoundError,
} from "../../../shared/errors.ts";
import { UploadResponse } from "../../../shared/gen/polaroid/v1/dataframe.ts";
import { TENANT_METADATA_KEY } from "../../../shared/grpc/types.ts";
import type { Logger } from "../../../shared/telemetry/log.ts";
import type { StreamMetrics } from "../metrics.ts";
import { errorReply } from "./http_reply.ts";
import { BULK_PATHS, type BulkEntry, type CollectEntry, type UploadEntry } from "./offers.ts";
import { type BulkTickets, type Redeemed, TICKET_PATTERN } from "./tickets.ts";
import { bulkBody } from "./bulk_body.ts";
import { idleBody } from "./idle.ts";

/** Longest wait for the HTTP server to stop once transfers are cut. */
const SHUTDOWN_MS = 1000;

/** The header that carries a ticket. */
export const TICKET_HEADER = "x-polaroid-ticket";

/** The gRPC method whose role each kind of transfer needs. */
const METHODS = {
  collect: "/polaroid.v1.DataFrameService/Collect",
  upload: "/polaroid.v1.DataFrameService/Upload",
} as const;

/** Options of {@link startBulkServer}. */
export interface BulkServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve TLS with the gRPC port's certificate chain and key (PEM). @default plaintext */
  tls?: { cert: string; key: string };
  auth: Authenticator;
  tickets: BulkTickets<BulkEntry>;
  /** A transfer whose peer reads or sends nothing for this long is cut. */
  idleMs: number;
  logger: Logger;
  metrics?: StreamMetrics;
}

/** A running bulk port. */
export interface BulkServer extends AsyncDisposable {
  readonly port: number;
  /** Transfers running. */
  readonly active: number;
  /** Drops every ticket, cuts every transfer, and stops listening. */
  close(): Promise<void>;
}

function metadataOf(headers: Headers): Metadata {
  const metadata = new Metadata();
  const authorization = headers.get("authorization");
  if (authorization !== null) metadata.set("authorization", authorization);
  const tenant = headers.get(TENANT_METADATA_KEY);
  if (tenant !== null) metadata.set(TENANT_METADATA_KEY, tenant);
  return metadata;
}

/** Starts the bulk port; resolves once it listens. */
export function startBulkServer(options: BulkServerOptions): Promise<BulkServer> {
  const { tickets, logger } = options;
  const transfers = new Set<AbortController>();
  const listening = Promise.withResolvers<number>();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const kind = url.pathname === BULK_PATHS.collect
      ? "collect"
      : url.pathname === BULK_PATHS.upload
      ? "upload"
      : undefined;
    if (kind === undefined) {
      return errorReply(
        new NotFoundError("Cannot serve the request as its path is not a bulk path"),
      );
    }
    const method = kind === "collect" ? "GET" : "PUT";
    if (request.method !== method) {
      return errorReply(
        new InvalidArgumentError(`Cannot serve ${url.pathname} as it takes ${method} only`),
        { status: 405, headers: { allow: method } },
      );
    }
    if (url.search !== "") {
      return errorReply(
        new InvalidArgumentError(`Cannot serve ${url.pathname} as it takes no query string`),
      );
    }
    const ticket = request.headers.get(TICKET_HEADER);
    if (ticket === null || !TICKET_PATTERN.test(ticket)) {
      return errorReply(
        new InvalidArgumentError(
          `Cannot serve ${url.pathname} as '${TICKET_HEADER}' must be a ticket (43 characters of base64url)`,
        ),
      );
    }
    const identity = await options.auth.authorize(METHODS[kind], metadataOf(request.headers));
    const redeemed = tickets.redeem(ticket, kind);
    const gone = () =>
      errorReply(
        new NotFoundError("Cannot use the ticket as it is unknown, expired or already used"),
      );
    if (!redeemed) return gone();
    if (redeemed.entry.tenant !== identity.tenant) {
      // A ticket shown by another tenant is spent: its owner falls back to gRPC.
      redeemed.entry.drop();
      redeemed.finish();
      return gone();
    }
    const transfer = new AbortController();
    transfers.add(transfer);
    const end = () => {
      transfers.delete(transfer);
      redeemed.entry.drop();
      redeemed.finish();
    };
    // A client that goes away cancels a download's body, and fails an upload's reads.
    const log = { tenant: identity.tenant, kind };
    return redeemed.entry.kind === "collect"
      ? collect(redeemed as Redeemed<CollectEntry>, transfer, log, end)
      : await upload(redeemed as Redeemed<UploadEntry>, request, transfer, log, end);
  }

  function collect(
    redeemed: Redeemed<CollectEntry>,
    transfer: AbortController,
    log: Record<string, unknown>,
    end: () => void,
  ): Response {
    const started = performance.now();
    const body = bulkBody(redeemed.entry, {
      signal: transfer.signal,
      idleMs: options.idleMs,
      log,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      onEnd: (outcome) => {
        end();
        logger.info("bulk", { ...log, outcome, ms: Math.round(performance.now() - started) });
      },
    });
    return new Response(body, {
      headers: { "content-type": "application/vnd.polaroid.collect-stream" },
    });
  }

  async function upload(
    redeemed: Redeemed<UploadEntry>,
    request: Request,
    transfer: AbortController,
    log: Record<string, unknown>,
    end: () => void,
  ): Promise<Response> {
    const entry = redeemed.entry;
    const started = performance.now();
    let outcome = "failed";
    try {
      const declared = request.headers.get("content-length");
      if (
        declared !== null && !(/^\d{1,16}$/.test(declared) && Number(declared) <= entry.maxBytes)
      ) {
        return errorReply(
          new LimitExceededError(
            `Cannot accept an upload of ${declared} bytes as its ticket allows at most ${entry.maxBytes}`,
          ),
          { status: 413 },
        );
      }
      if (request.body === null) {
        throw new InvalidArgumentError(
          "Cannot store an upload as it is empty: send an Arrow IPC stream",
        );
      }
      const chunks = idleBody(request.body, {
        idleMs: options.idleMs,
        signal: transfer.signal,
        onIdle: () =>
          transfer.abort(
            new DeadlineExceededError(
              `Cannot go on with the upload as nothing arrived for ${options.idleMs} ms (POLAROID_BULK_IDLE_MS)`,
            ),
          ),
      });
      const response = await entry.store(
        chunks,
        { ttlSeconds: entry.ttlSeconds, name: entry.name, maxBytes: entry.maxBytes },
        { tenant: redeemed.entry.tenant, log, signal: transfer.signal },
      );
      outcome = "completed";
      return new Response(UploadResponse.encode(response).finish(), {
        headers: { "content-type": "application/x-protobuf" },
      });
    } catch (error) {
      return errorReply(transfer.signal.aborted ? transfer.signal.reason ?? error : error);
    } finally {
      end();
      logger.info("bulk", { ...log, outcome, ms: Math.round(performance.now() - started) });
    }
  }

  const server = Deno.serve({
    hostname: options.host,
    port: options.port,
    ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
    onListen: ({ port }) => listening.resolve(port),
    onError: (error) => errorReply(error),
  }, async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      return errorReply(error);
    }
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      tickets.close();
      for (const transfer of transfers) transfer.abort(new Error("the worker is stopping"));
      // Shutting down waits for connections a client keeps open (an upload's body it never
      // ends): bounded, as every step of a stop is.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        server.shutdown(),
        new Promise<void>((resolve) => timer = setTimeout(resolve, SHUTDOWN_MS)),
      ]);
      clearTimeout(timer);
    })();
  return listening.promise.then((port) => ({
    port,
    get active() {
      return transfers.size;
    },
    close,
    [Symbol.asyncDispose]: close,
  }));
}
