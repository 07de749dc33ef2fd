/**
 * The `bulk` option of `connect()` (docs/adr/0016), checked: on by default, off with client
 * certificates (the bulk port cannot verify them), refused when asked for with them.
 *
 * @module
 */

import type { BulkDownloadOptions } from "./collect.ts";
import { type ChannelOptions, DEFAULT_TIMEOUT_MS } from "./connection.ts";

/** The largest message read, as ChannelOptions.maxMessageBytes defaults. */
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** How long a bulk download may take to open without `connectTimeoutMs`. */
const DEFAULT_OPEN_TIMEOUT_MS = 5000;

/**
 * Checks the `bulk` option; undefined when the bulk port is not to be used, else what makes
 * the client's bulk options (an HTTP client for a private CA included), called once the
 * connection is open.
 */
export function bulkOptions(
  options: ChannelOptions,
  bulk: unknown,
): (() => BulkDownloadOptions) | undefined {
  const { tls } = options;
  if (bulk !== undefined && typeof bulk !== "boolean") {
    throw new TypeError(`Cannot connect as 'bulk' must be a boolean: current value is ${bulk}`);
  }
  if (bulk === true && tls?.cert !== undefined) {
    throw new TypeError(
      "Cannot connect as 'bulk' does not go with client certificates ('tls.cert'): the bulk port cannot verify them",
    );
  }
  if (bulk === false || tls?.cert !== undefined) return undefined;
  return () => ({
    credentials: {
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
      ...(tls?.ca === undefined ? {} : { client: Deno.createHttpClient({ caCerts: [tls.ca] }) }),
    },
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    openTimeoutMs: options.connectTimeoutMs || DEFAULT_OPEN_TIMEOUT_MS,
    uploadTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}
