/**
 * The s3 backend of the state store: the body of key K is the object `${prefix}K`, its
 * metadata record `${prefix}K.meta.json`, written after the body; the record commits the
 * object (store.ts). Bodies above `partSizeBytes` go up as a multipart upload of up to
 * `partConcurrency` parts at once, each held in memory until sent (plus one read ahead),
 * aborted when anything fails.
 *
 * Immutability: put() first reads the record and fails with AlreadyExistsError when it
 * exists. Where the server enforces conditional writes (AWS S3 since 2024, MinIO, moto), the
 * record is PUT with `If-None-Match: *`: of two racing writers exactly one commits, the other
 * gets 412, AlreadyExistsError (409 ConditionalRequestConflict, both in flight, is retried).
 * Servers that ignore the header (s3rver) overwrite: "auto" probes the server once and then
 * relies on the read-before-write check alone, which is RACY (two writers that both pass it
 * both commit; the last record wins). Bodies are written unconditionally (a retried put must
 * replace an uncommitted body), so racing writers of one key also race on the body; keys are
 * random handle ids or content hashes (equal bytes), and get() checks the length.
 *
 * Every request, retries and body transfer included, is bounded by `requestTimeoutMs`.
 * Network failures, timeouts, 5xx and throttling are UnavailableError (cause kept); a missing
 * bucket is FailedPreconditionError and a 403 PermissionDeniedError, naming bucket and endpoint.
 *
 * @module
 */

import {
  type $Command,
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import {
  FailedPreconditionError,
  InternalError,
  LimitExceededError,
  NotFoundError,
  PolaroidError,
} from "../errors.ts";
import { exists, missing } from "./memory.ts";
import {
  describeS3Error,
  resolveOptions,
  type S3Reply,
  s3Reply,
  type S3StateStoreOptions,
  split,
} from "./_s3_util.ts";

export type { S3StateStoreOptions };
import {
  type Body,
  KEY,
  META_SUFFIX,
  type ObjectMeta,
  parseMeta,
  type StateStore,
  type StoredObject,
  validateKey,
} from "./store.ts";

export { MIN_PART_SIZE_BYTES } from "./_s3_util.ts";

/** The most parts one multipart upload may have. */
const MAX_PARTS = 10_000;

type S3Command<I extends ServiceInputTypes, O extends ServiceOutputTypes> = $Command<
  I,
  O,
  S3ClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes
>;

/** Turns an S3 error reply into a result (`{ value }`) or a domain error (by throwing). */
type Expected<T> = (reply: S3Reply) => { value: T } | undefined;

/** Objects in an S3 bucket; `S3StateStore.open(options)` makes one. */
export class S3StateStore implements StateStore {
  readonly kind = "s3" as const;
  readonly #o: Required<Omit<S3StateStoreOptions, "endpoint">> & { endpoint?: string };
  readonly #client: S3Client;
  readonly #where: string;
  #conditional: Promise<boolean> | undefined;

  private constructor(options: S3StateStoreOptions) {
    const o = this.#o = resolveOptions(options);
    this.#where = `bucket '${o.bucket}' at ${o.endpoint ?? `AWS S3 ${o.region}`}`;
    this.#client = new S3Client({
      region: o.region,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      forcePathStyle: o.forcePathStyle,
      credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
      requestHandler: { connectionTimeout: o.requestTimeoutMs, requestTimeout: o.requestTimeoutMs },
      maxAttempts: 3,
    });
  }

  /**
   * Opens the store: checks that the bucket answers (a missing bucket, refused credentials
   * or an unreachable endpoint fail here) and, with `conditionalWrites: "auto"`, probes
   * whether the server enforces conditional writes.
   */
  static async open(options: S3StateStoreOptions): Promise<S3StateStore> {
    const store = new S3StateStore(options);
    try {
      // HEAD, not a one-key listing: s3rver fails to page a listing (its continuation
      // tokens need a cipher neither Deno nor Node offers). A HEAD's 404 has no body: it is
      // the bucket that is missing.
      const missingBucket = (reply: S3Reply) => {
        if (reply.status !== 404) return undefined;
        throw new FailedPreconditionError(
          `Cannot open the state store as the S3 ${store.#where} must exist: current value is NoSuchBucket (HTTP 404)`,
          { metadata: { bucket: store.#o.bucket } },
        );
      };
      const head = new HeadBucketCommand({ Bucket: store.#o.bucket });
      await store.#send("check", "(bucket)", head, missingBucket);
      await store.conditionalWritesEnforced();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Whether metadata records are written with `If-None-Match: *` that the server enforces. */
  conditionalWritesEnforced(): Promise<boolean> {
    if (this.#o.conditionalWrites !== "auto") {
      return Promise.resolve(this.#o.conditionalWrites === "on");
    }
    this.#conditional ??= this.#probeConditionalWrites().catch((error) => {
      this.#conditional = undefined;
      throw error;
    });
    return this.#conditional;
  }

  /** Writes a probe object twice with `If-None-Match: *`: enforced when the second is 412. */
  async #probeConditionalWrites(): Promise<boolean> {
    // Not a valid store key (leading "."), so list() never reports it.
    const Key = `${this.#o.prefix}.polaroid/conditional-write-probe-${crypto.randomUUID()}`;
    const input = { Bucket: this.#o.bucket, Key, Body: new Uint8Array(0), IfNoneMatch: "*" };
    // A server that rejects the header itself (501, 400) does not enforce it either.
    const refused = (reply: S3Reply) =>
      [412, 400, 501].includes(reply.status) ? { value: reply.status === 412 } : undefined;
    const write = () =>
      this.#send("probe conditional writes with", Key, new PutObjectCommand(input), refused);
    try {
      if (await write() === false) return false; // the header itself was refused
      return await write() === true;
    } finally {
      const remove = new DeleteObjectCommand({ Bucket: this.#o.bucket, Key });
      await this.#send("delete", Key, remove).catch(() => {});
    }
  }

  async put(key: string, body: Body, meta: Omit<ObjectMeta, "key" | "bytes">): Promise<ObjectMeta> {
    const Key = this.#o.prefix + validateKey(key);
    const record = { Bucket: this.#o.bucket, Key: Key + META_SUFFIX };
    if (await this.head(key)) throw exists(key);
    const conditional = await this.conditionalWritesEnforced();
    const full: ObjectMeta = { ...meta, key, bytes: await this.#putBody(Key, key, body) };
    const input = {
      ...record,
      Body: new TextEncoder().encode(JSON.stringify(full)),
      ContentType: "application/json",
      ...(conditional ? { IfNoneMatch: "*" } : {}),
    };
    for (let attempt = 1;; attempt++) {
      const conflict = await this.#send("commit", key, new PutObjectCommand(input), (reply) => {
        if (reply.status === 412) throw exists(key);
        // Another conditional write of the record is in flight: S3 asks to try again.
        const retry = reply.code === "ConditionalRequestConflict" && attempt < 3;
        return retry ? { value: true } : undefined;
      });
      if (conflict !== true) return full;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }

  /** Uploads a body in one PUT, or in parts when it is larger than one part; its length. */
  async #putBody(Key: string, key: string, body: Body): Promise<number> {
    const parts = split(body, this.#o.partSizeBytes);
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    if (!second.done) return await this.#multipart(Key, key, [first.value, second.value], parts);
    const bytes = first.done ? new Uint8Array(0) : first.value;
    await this.#send(
      "write",
      key,
      new PutObjectCommand({ Bucket: this.#o.bucket, Key, Body: bytes }),
    );
    return bytes.byteLength;
  }

  async #multipart(
    Key: string,
    key: string,
    head: Uint8Array[],
    rest: AsyncGenerator<Uint8Array>,
  ): Promise<number> {
    const target = { Bucket: this.#o.bucket, Key };
    const start = new CreateMultipartUploadCommand({ ...target, ChecksumAlgorithm: "CRC32" });
    const { UploadId } = await this.#send("start the upload of", key, start);
    if (!UploadId) throw new InternalError(`S3 gave no upload id for ${key} in ${this.#where}`);
    // Completed parts by number; up to partConcurrency parts are on their way at once.
    const done: CompletedPart[] = [];
    const sending = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    let count = 0;
    let bytes = 0;
    const upload = async (PartNumber: number, Body: Uint8Array) => {
      const input = { ...target, UploadId, PartNumber, Body, ContentLength: Body.byteLength };
      const out = await this.#send(
        `upload part ${PartNumber} of`,
        key,
        new UploadPartCommand({ ...input, ChecksumAlgorithm: "CRC32" }),
      );
      const checksum = out.ChecksumCRC32 ? { ChecksumCRC32: out.ChecksumCRC32 } : {};
      done[PartNumber - 1] = { PartNumber, ETag: out.ETag, ...checksum };
      bytes += Body.byteLength;
    };
    const send = async (Body: Uint8Array) => {
      while (sending.size >= this.#o.partConcurrency) await Promise.race(sending);
      if (failure) throw failure.error;
      const PartNumber = ++count;
      if (PartNumber > MAX_PARTS) {
        throw new LimitExceededError(
          `Cannot write state store object ${key} as it must fit in ${MAX_PARTS} parts of ${this.#o.partSizeBytes} bytes (partSizeBytes): current value is more`,
          { metadata: { key } },
        );
      }
      const sent: Promise<void> = upload(PartNumber, Body)
        .catch((error) => void (failure ??= { error }))
        .finally(() => sending.delete(sent));
      sending.add(sent);
    };
    try {
      try {
        for (const part of head) await send(part);
        for await (const part of rest) await send(part);
      } finally {
        await Promise.all(sending);
      }
      if (failure) throw failure.error;
      const parts = { ...target, UploadId, MultipartUpload: { Parts: done } };
      await this.#send("finish the upload of", key, new CompleteMultipartUploadCommand(parts));
      return bytes;
    } catch (error) {
      await rest.return(undefined).catch(() => {});
      const abort = new AbortMultipartUploadCommand({ ...target, UploadId });
      await this.#send("abort the upload of", key, abort).catch(() => {});
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const meta = await this.head(key);
    if (!meta) throw missing(key);
    const damaged = (what: string) =>
      new NotFoundError(
        `state store object ${key} is damaged: its body ${what} where its metadata says ${meta.bytes} bytes`,
        { metadata: { key } },
      );
    const read = new GetObjectCommand({ Bucket: this.#o.bucket, Key: this.#o.prefix + key });
    return await this.#call("read", key, async (abortSignal) => {
      const out = await this.#client.send(read, { abortSignal });
      if (out.ContentLength !== undefined && out.ContentLength !== meta.bytes) {
        throw damaged(`has ${out.ContentLength} bytes`);
      }
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
      if (bytes.byteLength !== meta.bytes) throw damaged(`has ${bytes.byteLength} bytes`);
      return bytes;
    }, (reply) => {
      if (notFound(reply)) throw damaged("is missing");
      return undefined;
    });
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    const Key = this.#o.prefix + validateKey(key) + META_SUFFIX;
    const read = new GetObjectCommand({ Bucket: this.#o.bucket, Key });
    const text = await this.#call("read the metadata of", key, async (abortSignal) => {
      const out = await this.#client.send(read, { abortSignal });
      return out.Body ? await out.Body.transformToString() : "";
    }, (reply) => notFound(reply) ? { value: undefined } : undefined);
    return text === undefined ? undefined : parseMeta(text, key);
  }

  async delete(key: string): Promise<void> {
    const Key = this.#o.prefix + validateKey(key);
    for (const objectKey of [Key + META_SUFFIX, Key]) {
      const remove = new DeleteObjectCommand({ Bucket: this.#o.bucket, Key: objectKey });
      await this.#send(
        "delete",
        key,
        remove,
        (reply) => notFound(reply) ? { value: {} } : undefined,
      );
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // The whole listing is read before anything is reported: `committed` must not depend on
    // the server's order (s3rver does not list in S3's key order: "a-b" before "a").
    const bodies: StoredObject[] = [];
    const records = new Set<string>();
    const input = { Bucket: this.#o.bucket, Prefix: this.#o.prefix + prefix };
    let token: string | undefined;
    do {
      const page = await this.#send(
        "list",
        prefix === "" ? "(all)" : `${prefix}*`,
        new ListObjectsV2Command({
          ...input,
          MaxKeys: this.#o.listPageSize,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key?.startsWith(this.#o.prefix)) continue;
        const name = item.Key.slice(this.#o.prefix.length);
        const isRecord = name.endsWith(META_SUFFIX);
        const base = isRecord ? name.slice(0, -META_SUFFIX.length) : name;
        if (!KEY.test(base)) continue; // not an object of this store
        if (isRecord) records.add(base);
        else {
          const modifiedAtMs = item.LastModified?.getTime() ?? 0;
          bodies.push({ key: name, bytes: item.Size ?? 0, modifiedAtMs, committed: false });
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    bodies.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    for (const body of bodies) yield { ...body, committed: records.has(body.key) };
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Sends one command under the timeout (see #call). */
  #send<I extends ServiceInputTypes, O extends ServiceOutputTypes, T = O>(
    what: string,
    key: string,
    command: S3Command<I, O>,
    expected?: Expected<T>,
  ): Promise<O | T> {
    const send = (abortSignal: AbortSignal) => this.#client.send(command, { abortSignal });
    return this.#call<O | T>(what, key, send, expected);
  }

  /**
   * Runs one request (retries and reading its body included) under the timeout. `expected`
   * may handle an S3 error reply; any other failure becomes a PolaroidError.
   */
  async #call<T>(
    what: string,
    key: string,
    run: (signal: AbortSignal) => Promise<T>,
    expected?: Expected<T>,
  ): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#o.requestTimeoutMs);
    try {
      return await run(controller.signal);
    } catch (error) {
      controller.abort(); // releases a response body not read yet
      if (error instanceof PolaroidError) throw error;
      const reply = timedOut ? undefined : s3Reply(error);
      const handled = reply && expected?.(reply);
      if (handled) return handled.value;
      throw describeS3Error(error, `${what} state store object ${key}`, this.#where, {
        bucket: this.#o.bucket,
        timedOutAfterMs: timedOut ? this.#o.requestTimeoutMs : undefined,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A reply that means "no such key" (not a missing bucket). */
function notFound(reply: S3Reply): boolean {
  return reply.status === 404 && reply.code !== "NoSuchBucket";
}
