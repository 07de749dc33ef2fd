/**
 * Files written to an S3 bucket as plain objects (the results of sinks), atomically: a file
 * of one part goes up in one PUT, a larger one as a multipart upload completed only once
 * every part is in, and aborted when anything fails or the caller stops; S3 makes an object
 * visible only when its PUT or its completion succeeds, so no reader ever sees a partial
 * object. An existing object of that key is replaced (as a file is by a rename). One part is
 * held in memory at a time.
 *
 * @module
 */

import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { InternalError, LimitExceededError, PolaroidError } from "../errors.ts";
import { describeS3Error, MIN_PART_SIZE_BYTES } from "./_s3_util.ts";

/** Options of {@link S3FileWriter}. */
export interface S3FileWriterOptions {
  /** The S3 endpoint URL; unset for AWS S3 in `region`. */
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the URL path rather than the host name: true for local servers. @default false */
  forcePathStyle?: boolean;
  /** Files larger than this go up in parts of at least this size. @default 16 MiB */
  partSizeBytes?: number;
  /** Bound on each request, its retries and its body transfer. @default 60_000 */
  requestTimeoutMs?: number;
}

/** The most parts one multipart upload may have. */
const MAX_PARTS = 10_000;

/** Writes files to one bucket; `close()` releases its connections. */
export class S3FileWriter {
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #partSize: number;
  readonly #timeoutMs: number;
  readonly #where: string;

  constructor(options: S3FileWriterOptions) {
    const partSize = options.partSizeBytes ?? 16 * 1024 * 1024;
    if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE_BYTES) {
      throw new RangeError(
        `Cannot create S3FileWriter as 'partSizeBytes' must be an integer >= ${MIN_PART_SIZE_BYTES}: current value is ${partSize}`,
      );
    }
    this.bucket = options.bucket;
    this.#partSize = partSize;
    this.#timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#where = `bucket '${options.bucket}' at ${options.endpoint ?? `AWS S3 ${options.region}`}`;
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestHandler: { connectionTimeout: this.#timeoutMs, requestTimeout: this.#timeoutMs },
      maxAttempts: 3,
    });
  }

  /**
   * Uploads the file at `path` (of `size` bytes) as object `key`; resolves once the object
   * is visible, whole. On failure, or when `signal` aborts, no object is made (an upload in
   * parts is aborted) and the error is thrown.
   */
  async putFile(key: string, path: string, size: number, signal: AbortSignal): Promise<void> {
    // The fewest parts of at least the configured size (S3 takes at most 10,000).
    const partSize = Math.max(this.#partSize, Math.ceil(size / MAX_PARTS));
    if (partSize > 5 * 1024 ** 3) {
      throw new LimitExceededError(
        `Cannot upload ${key} as an S3 object must have at most ${MAX_PARTS} parts of 5 GiB: current value is ${size} bytes`,
      );
    }
    const file = await Deno.open(path, { read: true });
    try {
      if (size <= partSize) {
        const Body = await readPart(file, size);
        await this.#send("write", key, signal, (abortSignal) =>
          this.#client.send(
            new PutObjectCommand({ Bucket: this.bucket, Key: key, Body }),
            { abortSignal },
          ));
        return;
      }
      await this.#multipart(key, file, size, partSize, signal);
    } finally {
      file.close();
    }
  }

  async #multipart(
    key: string,
    file: Deno.FsFile,
    size: number,
    partSize: number,
    signal: AbortSignal,
  ): Promise<void> {
    const target = { Bucket: this.bucket, Key: key };
    const { UploadId } = await this.#send(
      "start the upload of",
      key,
      signal,
      (abortSignal) => this.#client.send(new CreateMultipartUploadCommand(target), { abortSignal }),
    );
    if (!UploadId) throw new InternalError(`S3 gave no upload id for ${key} in ${this.#where}`);
    const parts: CompletedPart[] = [];
    try {
      for (let offset = 0, PartNumber = 1; offset < size; offset += partSize, PartNumber++) {
        const Body = await readPart(file, Math.min(partSize, size - offset));
        const out = await this.#send(
          `upload part ${PartNumber} of`,
          key,
          signal,
          (abortSignal) =>
            this.#client.send(
              new UploadPartCommand({
                ...target,
                UploadId,
                PartNumber,
                Body,
                ContentLength: Body.byteLength,
              }),
              { abortSignal },
            ),
        );
        parts.push({ PartNumber, ETag: out.ETag });
      }
      const complete = { ...target, UploadId, MultipartUpload: { Parts: parts } };
      await this.#send(
        "finish the upload of",
        key,
        signal,
        (abortSignal) =>
          this.#client.send(new CompleteMultipartUploadCommand(complete), { abortSignal }),
      );
    } catch (error) {
      // Not under the caller's signal: an aborted call must still abort its upload.
      const abort = new AbortMultipartUploadCommand({ ...target, UploadId });
      await this.#send(
        "abort the upload of",
        key,
        AbortSignal.timeout(this.#timeoutMs),
        (s) => this.#client.send(abort, { abortSignal: s }),
      ).catch(() => {});
      throw error;
    }
  }

  /** One request under the caller's signal and the request timeout; errors as PolaroidErrors. */
  async #send<T>(
    what: string,
    key: string,
    signal: AbortSignal,
    run: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    signal.throwIfAborted();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      return await run(AbortSignal.any([signal, timeout]));
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof PolaroidError) throw error;
      throw describeS3Error(error, `${what} ${key}`, this.#where, {
        bucket: this.bucket,
        timedOutAfterMs: timeout.aborted ? this.#timeoutMs : undefined,
      });
    }
  }

  close(): void {
    this.#client.destroy();
  }
}

/** The next `length` bytes of `file`. */
async function readPart(file: Deno.FsFile, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(out.subarray(filled));
    if (n === null) throw new InternalError(`Cannot upload as the file ended early`);
    filled += n;
  }
  return out;
}
