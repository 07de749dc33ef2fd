/**
 * The state store: where handle data lives when compute workers share it
 * (POLAROID_HANDLE_STORE=external). One object per handle, its Arrow IPC bytes, and beside it
 * a small metadata record written last: an object is **committed** when its metadata exists,
 * so a writer killed mid-write leaves at most an uncommitted body (an orphan that garbage
 * collection removes after a grace period), never a handle that points at partial data.
 *
 * Backends: memory (one process, tests), fs (a shared directory), s3 (object storage).
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";

/** What is kept beside each object (DESIGN.md, "Handles and state"). */
export interface ObjectMeta {
  /** The object's key (see validateKey). */
  key: string;
  tenant: string;
  /** Size of the body. */
  bytes: number;
  rows: number;
  /** Milliseconds since the Unix epoch. */
  createdAtMs: number;
  /** Hash of the Arrow schema (hex). */
  schemaHash: string;
  /** Hash of the plan that produced it, "" for uploads (hex). */
  planHash: string;
  /** SHA-256 of the body (hex), when the writer computed it (content addressing). */
  contentHash?: string;
  /** Body format: an Arrow IPC file, or Parquet (a result of the streaming engine). */
  format: "arrow-ipc" | "parquet";
  /** The handle's client metadata (HandleInfo.metadata). */
  labels?: Record<string, string>;
}

/** One stored body, committed or not, as `list()` reports it. */
export interface StoredObject {
  key: string;
  bytes: number;
  /** When the body was last written (ms since epoch). */
  modifiedAtMs: number;
  /** Its metadata exists. */
  committed: boolean;
}

/** A body: whole, or in chunks (written as they come; S3 uploads them in parts). */
export type Body = Uint8Array | AsyncIterable<Uint8Array>;

/** The operations every backend provides. */
export interface StateStore {
  readonly kind: "memory" | "fs" | "s3";
  /**
   * Writes the body, then the metadata, each durably; resolves once both are (the object is
   * committed). A key already committed is AlreadyExistsError: objects are immutable.
   */
  put(key: string, body: Body, meta: Omit<ObjectMeta, "key" | "bytes">): Promise<ObjectMeta>;
  /** The body of a committed object; NotFoundError when there is none. */
  get(key: string): Promise<Uint8Array>;
  /** The metadata of a committed object, or undefined. */
  head(key: string): Promise<ObjectMeta | undefined>;
  /** Removes an object (metadata first, so it is never half-visible); absent is fine. */
  delete(key: string): Promise<void>;
  /** Every body under a key prefix ("" for all), committed or not, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
  /** Releases connections and files. */
  close(): Promise<void>;
  /**
   * Backends that can take a whole file without copying it (fs): where such a file is best
   * written (the same filesystem as the objects)...
   */
  readonly stagingDir?: string;
  /** ...and put() of that file, which the store takes over (moved into place, no copy). */
  putFile?(key: string, file: string, meta: Omit<ObjectMeta, "key" | "bytes">): Promise<ObjectMeta>;
  /**
   * Backends that write through temporary files (fs): where they are, so that garbage
   * collection can remove those a crash left behind.
   */
  readonly tmpDir?: string;
}

/** Keys: `/`-separated segments of letters, digits, `.`, `_`, `-`; no `..`, at most 512. */
export const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Returns the key when it is valid; InvalidArgumentError otherwise. */
export function validateKey(key: string): string {
  if (typeof key !== "string" || key.length === 0 || key.length > 512 || !KEY.test(key)) {
    throw new InvalidArgumentError(
      `Cannot use state store key as it must match ${KEY.source} (at most 512 characters): current value is ${
        JSON.stringify(String(key).slice(0, 80))
      }`,
    );
  }
  if (key.endsWith(META_SUFFIX)) {
    throw new InvalidArgumentError(
      `Cannot use state store key as it must not end with ${META_SUFFIX}: current value is ${
        JSON.stringify(key)
      }`,
    );
  }
  return key;
}

/** The metadata record of key K is stored as K + META_SUFFIX. */
export const META_SUFFIX = ".meta.json";

/** A fresh key for a result of the tenant: `handles/<tenant>/<uuid>.<arrow|parquet>`. */
export function resultKey(tenant: string, format: ObjectMeta["format"]): string {
  const ext = format === "parquet" ? "parquet" : "arrow";
  return validateKey(`handles/${tenant}/${crypto.randomUUID()}.${ext}`);
}

/** The key of a result named by its content: `handles/<tenant>/sha256-<hex>.<ext>`. */
export function contentKey(tenant: string, sha256: string, format: ObjectMeta["format"]): string {
  const ext = format === "parquet" ? "parquet" : "arrow";
  return validateKey(`handles/${tenant}/sha256-${sha256}.${ext}`);
}

/** Whether a key names its content (several handles may share its object). */
export function isContentKey(key: string): boolean {
  return /\/sha256-[0-9a-f]{64}\.(arrow|parquet)$/.test(key);
}

/** The format of a result key. */
export function keyFormat(key: string): ObjectMeta["format"] {
  return key.endsWith(".parquet") ? "parquet" : "arrow-ipc";
}

/** Reads a body into one buffer. */
export async function bodyBytes(body: Body): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of body) {
    parts.push(part);
    length += part.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Parses a metadata record; throws on a malformed one (the object is then not committed). */
export function parseMeta(text: string, key: string): ObjectMeta {
  const meta = JSON.parse(text) as ObjectMeta;
  if (
    meta.key !== key || typeof meta.bytes !== "number" ||
    (meta.format !== "arrow-ipc" && meta.format !== "parquet")
  ) {
    throw new Error(`Cannot read state store metadata of ${key} as it is malformed`);
  }
  return meta;
}

/** SHA-256 of bytes, hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
