/**
 * Where a sink's result goes, and how it gets there: a file under the tenant's output root
 * (written beside its target, then renamed over it: a rename in one directory is atomic) or
 * an object of the S3 output bucket (written to the worker's staging directory, then
 * uploaded whole; S3 shows an object only once it is complete).
 *
 * @module
 */

import { basename as name, join } from "node:path";
import { FailedPreconditionError, InvalidArgumentError } from "../../../shared/errors.ts";
import { OutputStore, type SinkTarget } from "../../../shared/gen/polaroid/v1/sink.ts";
import type { S3FileWriter } from "../../../shared/state_store/s3_file.ts";
import { outputSegments, resolveOutputFile, tempName } from "./paths.ts";
import type { EngineCount } from "./write.ts";

/** What a worker may write to. */
export interface OutputTargets {
  /** Absolute real path of POLAROID_OUTPUT_ROOT; undefined when unset. */
  root?: string;
  /** The S3 output bucket and the key prefix of every object. */
  s3?: { writer: S3FileWriter; prefix: string };
  /** Sinks whose engine runs, those of ended calls included. */
  engines: EngineCount;
}

/** Where one sink writes. */
export interface Location {
  /** The temporary file the engine writes. */
  temp: string;
  /** The path the reply names: as given (files), or `s3://<bucket>/<key>`. */
  shown: string;
  /** Makes the written temporary file the result (it is gone afterwards either way). */
  commit(bytes: number, signal: AbortSignal): Promise<void>;
}

/** Options of {@link locate}. */
export interface LocateOptions {
  /** The calling tenant; its own root or prefix when `perTenant`. */
  tenant: string;
  /** Whether each tenant has its own root (authentication on). */
  perTenant: boolean;
  /** Where S3 results are staged (the worker's spill directory). */
  stagingDir: string;
  /** Create the path's missing directories (files only). */
  mkdir: boolean;
}

/** The location of `target`, its path checked; nothing is written yet. */
export async function locate(
  outputs: OutputTargets,
  target: SinkTarget,
  options: LocateOptions,
): Promise<Location> {
  const { tenant, perTenant } = options;
  if (target.store === OutputStore.OUTPUT_STORE_S3) {
    const segments = outputSegments(target.path);
    const s3 = outputs.s3;
    if (s3 === undefined) {
      throw new FailedPreconditionError(
        "Cannot write to S3 as the server has no S3 output bucket (POLAROID_OUTPUT_S3_BUCKET)",
      );
    }
    if (target.bucket !== "" && target.bucket !== s3.writer.bucket) {
      throw new InvalidArgumentError(
        `Cannot write to S3 as 'bucket' must be the server's output bucket ${
          JSON.stringify(s3.writer.bucket)
        }: current value is ${JSON.stringify(target.bucket.slice(0, 100))}`,
      );
    }
    const key = `${s3.prefix}${perTenant ? `${tenant}/` : ""}${segments.join("/")}`;
    await Deno.mkdir(options.stagingDir, { recursive: true });
    const temp = join(options.stagingDir, tempName(segments[segments.length - 1]!));
    return {
      temp,
      shown: `s3://${s3.writer.bucket}/${key}`,
      async commit(bytes, signal) {
        try {
          await s3.writer.putFile(key, temp, bytes, signal);
        } finally {
          await Deno.remove(temp).catch(() => {});
        }
      },
    };
  }
  if (
    target.store !== OutputStore.OUTPUT_STORE_FILES &&
    target.store !== OutputStore.OUTPUT_STORE_UNSPECIFIED
  ) {
    throw new InvalidArgumentError(
      `Cannot write the file as 'store' must be files or S3: current value is ${target.store}`,
    );
  }
  if (target.bucket !== "") {
    throw new InvalidArgumentError(
      `Cannot write the file as 'bucket' applies to S3 only: current value is ${
        JSON.stringify(target.bucket.slice(0, 100))
      }`,
    );
  }
  outputSegments(target.path);
  if (outputs.root === undefined) {
    throw new FailedPreconditionError(
      "Cannot write files as the server has no output root (POLAROID_OUTPUT_ROOT)",
    );
  }
  const root = perTenant ? join(outputs.root, tenant) : outputs.root;
  if (perTenant) await Deno.mkdir(root, { recursive: true });
  const file = await resolveOutputFile(root, target.path, { mkdir: options.mkdir });
  return {
    temp: file.temp,
    shown: target.path,
    async commit(_bytes, signal) {
      // A second name keeps a replaced file's blocks until after the reply: freeing them
      // inside the rename costs tens of milliseconds per 50 MB.
      const old = join(file.temp, "..", tempName(name(file.target)));
      let kept = false;
      try {
        // A call that ended leaves the target as it was.
        signal.throwIfAborted();
        kept = await Deno.link(file.target, old).then(() => true, () => false);
        await Deno.rename(file.temp, file.target);
      } catch (error) {
        await Deno.remove(file.temp).catch(() => {});
        throw error;
      } finally {
        if (kept) void Deno.remove(old).catch(() => {});
      }
    },
  };
}
