/**
 * Private helpers of the s3 state store backend (s3.ts): option defaults and checks, the
 * splitting of a body into upload parts, and the mapping of S3 failures to PolaroidErrors.
 *
 * @module
 */

import {
  FailedPreconditionError,
  InternalError,
  PermissionDeniedError,
  PolaroidError,
  UnavailableError,
} from "../errors.ts";
import type { Body } from "./store.ts";

/** The smallest part S3 accepts (all parts but the last). */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;

/** What an S3 server replied to a failed request. */
export interface S3Reply {
  status: number;
  /** "NoSuchKey", "NoSuchBucket", "AccessDenied", "PreconditionFailed", "NotFound"... */
  code: string;
}

/**
 * The body as parts of exactly `size` bytes, the last one shorter. A part may hold the
 * caller's chunks themselves: a producer must not reuse a chunk once it has yielded it.
 */
export async function* split(body: Body, size: number): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let i = 0; i < body.byteLength; i += size) yield body.subarray(i, i + size);
    return;
  }
  let pieces: Uint8Array[] = [];
  let filled = 0;
  for await (const chunk of body) {
    for (let offset = 0; offset < chunk.byteLength;) {
      const n = Math.min(size - filled, chunk.byteLength - offset);
      pieces.push(chunk.subarray(offset, offset + n));
      filled += n;
      offset += n;
      if (filled === size) {
        yield concat(pieces, filled);
        [pieces, filled] = [[], 0];
      }
    }
  }
  if (filled > 0) yield concat(pieces, filled);
}

function concat(pieces: Uint8Array[], length: number): Uint8Array {
  if (pieces.length === 1 && pieces[0]) return pieces[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.byteLength;
  }
  return out;
}

/** The options over their defaults, checked. */
export function resolveOptions(options: S3StateStoreOptions) {
  const o = {
    prefix: "",
    forcePathStyle: false,
    partSizeBytes: 16 * 1024 * 1024,
    partConcurrency: 4,
    conditionalWrites: "auto" as const,
    requestTimeoutMs: 30_000,
    listPageSize: 1000,
    ...options,
  };
  const rules: [keyof S3StateStoreOptions, boolean, string][] = [
    ["bucket", o.bucket.length > 0, "non-empty"],
    ["region", o.region.length > 0, "non-empty"],
    ["prefix", /^([A-Za-z0-9_-][A-Za-z0-9._/-]*)?$/.test(o.prefix), "made of key characters"],
    [
      "partSizeBytes",
      Number.isSafeInteger(o.partSizeBytes) && o.partSizeBytes >= MIN_PART_SIZE_BYTES,
      `an integer >= ${MIN_PART_SIZE_BYTES}`,
    ],
    [
      "partConcurrency",
      Number.isInteger(o.partConcurrency) && o.partConcurrency >= 1 && o.partConcurrency <= 16,
      "from 1 to 16",
    ],
    ["conditionalWrites", ["auto", "on", "off"].includes(o.conditionalWrites), "auto, on or off"],
    ["requestTimeoutMs", o.requestTimeoutMs > 0, "positive"],
    [
      "listPageSize",
      Number.isInteger(o.listPageSize) && o.listPageSize >= 1 && o.listPageSize <= 1000,
      "from 1 to 1000",
    ],
  ];
  for (const [option, ok, must] of rules) {
    if (!ok) {
      throw new RangeError(
        `Cannot create S3StateStore as '${option}' must be ${must}: current value is ${
          JSON.stringify(o[option])
        }`,
      );
    }
  }
  return o;
}

/** The status and code of an S3 error reply; undefined for a failure without a reply. */
export function s3Reply(error: unknown): S3Reply | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  if (typeof status !== "number") return undefined;
  const code = typeof e.Code === "string" ? e.Code : typeof e.name === "string" ? e.name : "";
  return { status, code };
}

/** The PolaroidError for a failed S3 request. */
export function describeS3Error(
  error: unknown,
  action: string,
  where: string,
  context: { bucket: string; timedOutAfterMs: number | undefined },
): PolaroidError {
  const { bucket, timedOutAfterMs } = context;
  const reply = timedOutAfterMs === undefined ? s3Reply(error) : undefined;
  const got = reply ? `${reply.code || "an error"} (HTTP ${reply.status})` : "";
  const transient = ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"];
  const [Class, must, value]: [typeof PolaroidError, string, string] = timedOutAfterMs
    ? [UnavailableError, `answer within ${timedOutAfterMs} ms (requestTimeoutMs)`, "no answer"]
    : !reply
    ? [UnavailableError, "be reachable", error instanceof Error ? error.message : String(error)]
    : reply.code === "NoSuchBucket"
    ? [FailedPreconditionError, "exist", got]
    : reply.status === 403
    ? [PermissionDeniedError, "accept the state store's credentials", got]
    : reply.status >= 500 || reply.status === 429 || transient.includes(reply.code)
    ? [UnavailableError, "be available", got]
    : [InternalError, "accept the request", got];
  const message = `Cannot ${action} as the S3 ${where} must ${must}: current value is ${value}`;
  return new Class(message, { cause: error, metadata: { bucket } });
}

/** Options of S3StateStore. */
export interface S3StateStoreOptions {
  /** The S3 endpoint URL; unset for AWS S3 in `region`. */
  endpoint?: string;
  bucket: string;
  /** Prepended to every key, e.g. "polaroid/". @default "" */
  prefix?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the URL path rather than the host name: true for local servers. @default false */
  forcePathStyle?: boolean;
  /** Bodies larger than this go up in parts of this size (at least 5 MiB). @default 16 MiB */
  partSizeBytes?: number;
  /**
   * Parts of one body uploaded at once (each held in memory until it is sent, from 1 to 16).
   * @default 4
   */
  partConcurrency?: number;
  /**
   * Write metadata records with `If-None-Match: *`: "on", "off", or "auto" to probe once
   * whether the server enforces it. @default "auto"
   */
  conditionalWrites?: "auto" | "on" | "off";
  /** Bound on each request, its retries and its body transfer. @default 30_000 */
  requestTimeoutMs?: number;
  /** Keys per ListObjectsV2 page (at most 1000). @default 1000 */
  listPageSize?: number;
}
