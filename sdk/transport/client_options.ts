/**
 * Options of the client's uploads and file scans, and how an upload's name travels.
 *
 * @module
 */

import type { UploadRequest } from "../../shared/gen/polaroid/v1/dataframe.ts";

/** Options of uploads. */
export interface UploadOptions {
  /** Idle time to live of the stored frame; 0 means the server's default. @default 0 */
  ttlSeconds?: number;
  /**
   * A name for the stored frame, unique among the tenant's live frames (AlreadyExistsError
   * otherwise): letters, digits and underscores, not starting with a digit, at most 64
   * characters. SQL reads it as a table of that name (`client.sql(q, { ownedHandles })`).
   * @default "" (no name)
   */
  name?: string;
}

/** Options of `scanCsv()`. */
export interface ScanCsvOptions {
  /** nodejs-polars' other scan options: refused, naming the option (docs/compat.md, Options). */
  [option: string]: unknown;
  /** @default true (server side) */
  hasHeader?: boolean;
  /** The field separator, one character. @default "," (server side) */
  sep?: string;
}

/** The `name` option as sent: "" when absent (the server checks its characters). */
export function checkName(what: string, name: string | undefined): string {
  if (name === undefined) return "";
  if (typeof name !== "string") {
    throw new TypeError(
      `Cannot ${what} as 'name' must be a string: current value is ${String(name)}`,
    );
  }
  return name;
}

/** Upload messages with the name in the first one (options travel in the first message). */
export function* withName(
  requests: Iterable<UploadRequest>,
  name: string,
): Generator<UploadRequest> {
  let first = true;
  for (const request of requests) {
    yield first ? { ...request, name } : request;
    first = false;
  }
}
