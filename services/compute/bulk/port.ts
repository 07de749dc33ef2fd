/**
 * The compute worker's bulk port, from its configuration (docs/adr/0016): off when
 * POLAROID_BULK_PORT is 0, and off with mTLS (Deno's HTTP server cannot ask for client
 * certificates, so the bulk port could not check the identity gRPC does); TLS with the gRPC
 * port's certificate when that is configured.
 *
 * @module
 */

import { hostname } from "node:os";
import type { Authenticator } from "../../../shared/auth/authenticator.ts";
import type { ComputeConfig } from "../../../shared/config.ts";
import type { Logger } from "../../../shared/telemetry/log.ts";
import { prom, type Registry } from "../../../shared/telemetry/metrics.ts";
import type { StreamMetrics } from "../metrics.ts";
import { type BulkServer, startBulkServer } from "./bulk_server.ts";
import { type BulkEntry, BulkOffers } from "./offers.ts";
import { BulkTickets } from "./tickets.ts";

/** The bulk side of a worker: offers for the executor, then the server to start. */
export interface BulkPort {
  offers: BulkOffers;
  start(auth: Authenticator, metrics: StreamMetrics): Promise<BulkServer>;
}

/** The host of tickets' URLs when the worker binds every interface. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return hostname();
  return host.includes(":") ? `[${host}]` : host;
}

/** The worker's bulk port, or undefined when it is off. */
export function bulkPort(
  config: ComputeConfig,
  logger: Logger,
  registry: Registry,
): BulkPort | undefined {
  const { bulk, tls } = config;
  if (bulk.port === 0) return undefined;
  if (tls.clientCa !== undefined) {
    logger.warn(
      "bulk port off: POLAROID_TLS_CLIENT_CA_FILE asks clients for certificates, which the bulk port cannot; large results and uploads stay on gRPC",
      { bulkPort: bulk.port },
    );
    return undefined;
  }
  const tickets = new BulkTickets<BulkEntry>({
    maxSlots: bulk.maxStreams,
    maxSlotsPerTenant: bulk.maxStreamsPerTenant,
    ticketMs: bulk.ticketMs,
  });
  const offers = new BulkOffers({
    tickets,
    minBytes: bulk.minBytes,
    maxUploadBytes: config.limits.maxUploadBytes,
  });
  registerBulkGauges(registry, tickets, offers);
  const secure = tls.cert !== undefined && tls.key !== undefined;
  return {
    offers,
    async start(auth, metrics) {
      const server = await startBulkServer({
        host: config.host,
        port: bulk.port,
        ...(secure ? { tls: { cert: tls.cert!, key: tls.key! } } : {}),
        auth,
        tickets,
        idleMs: bulk.idleMs,
        logger,
        metrics,
      });
      const where = bulk.advertise ?? `${urlHost(config.host)}:${server.port}`;
      offers.listen(`${secure ? "https" : "http"}://${where}`);
      logger.info("bulk listening", { bulkPort: server.port, url: where, tls: secure });
      return server;
    },
  };
}

/** The bulk port's gauges: tickets waiting, transfers running, bytes of frames they hold. */
function registerBulkGauges(
  registry: Registry,
  tickets: BulkTickets<BulkEntry>,
  offers: BulkOffers,
): void {
  const registers = [registry];
  new prom.Gauge({
    name: "polaroid_compute_bulk_tickets",
    help: "Bulk port tickets handed out and not yet redeemed or expired.",
    registers,
    collect() {
      this.set(tickets.pending);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_bulk_transfers",
    help: "Transfers running on the bulk port.",
    registers,
    collect() {
      this.set(tickets.running);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_bulk_held_bytes",
    help: "Estimated bytes of results held for bulk port tickets and their transfers.",
    registers,
    collect() {
      this.set(offers.heldBytes);
    },
  });
}
