/**
 * The compute worker's bulk HTTP port (docs/adr/0016): large Collect results and uploads
 * travel over Deno's native HTTP server instead of grpc-js, under single-use tickets the
 * gRPC call hands out.
 *
 * @module
 */

import { bytes, ConfigError, type Env, int, raw } from "./config_env.ts";

const MIB = 1024 * 1024;

/** The bulk port's settings. */
export interface BulkConfig {
  /** POLAROID_BULK_PORT: the port of the bulk HTTP server; 0 turns bulk off. @default 0 */
  port: number;
  /**
   * POLAROID_BULK_ADVERTISE: "host:port" put in tickets' URLs, for workers behind a proxy or
   * a NAT. @default the worker's host (its host name when it binds every interface) and port
   */
  advertise: string | undefined;
  /**
   * POLAROID_BULK_MIN_BYTES: results (estimated) and uploads of at least this many bytes go
   * over the bulk port; smaller ones stay on gRPC. @default 8MiB
   */
  minBytes: number;
  /**
   * POLAROID_BULK_MAX_STREAMS: tickets outstanding and bulk transfers running at once; past
   * it, a Collect answers over gRPC as usual and a bulk upload is told to use gRPC. @default 8
   */
  maxStreams: number;
  /**
   * POLAROID_BULK_MAX_STREAMS_PER_TENANT: of those, the most one tenant holds at once; past it,
   * that tenant's calls go over gRPC while others still get the bulk port. At most
   * `maxStreams`. @default half of `maxStreams`, rounded up
   */
  maxStreamsPerTenant: number;
  /** POLAROID_BULK_TICKET_MS: how long a ticket may wait to be redeemed. @default 30000 */
  ticketMs: number;
  /**
   * POLAROID_BULK_IDLE_MS: a transfer whose peer reads or sends nothing for this long is cut
   * (its frame let go of). @default 60000
   */
  idleMs: number;
}

const ADVERTISE = /^[A-Za-z0-9.\-_]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;

/** Parses the bulk settings; ConfigError naming the variable for a bad value. */
export function bulkConfig(env: Env): BulkConfig {
  const advertise = raw(env, "POLAROID_BULK_ADVERTISE");
  if (advertise !== undefined && !ADVERTISE.test(advertise)) {
    throw new ConfigError(
      `Cannot start as 'POLAROID_BULK_ADVERTISE' must be host:port: current value is ${
        JSON.stringify(advertise)
      }`,
    );
  }
  const maxStreams = int(env, "POLAROID_BULK_MAX_STREAMS", 8, 1, 1024);
  return {
    port: int(env, "POLAROID_BULK_PORT", 0, 0, 65535),
    advertise,
    minBytes: bytes(env, "POLAROID_BULK_MIN_BYTES", 8 * MIB),
    maxStreams,
    maxStreamsPerTenant: int(
      env,
      "POLAROID_BULK_MAX_STREAMS_PER_TENANT",
      Math.ceil(maxStreams / 2),
      1,
      maxStreams,
    ),
    ticketMs: int(env, "POLAROID_BULK_TICKET_MS", 30_000, 100, 600_000),
    idleMs: int(env, "POLAROID_BULK_IDLE_MS", 60_000, 100, 3_600_000),
  };
}
