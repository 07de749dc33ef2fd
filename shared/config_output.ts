/**
 * Where a compute worker writes the results of sinks and writes (`lf.sinkParquet()`,
 * `df.writeCsv()`, ...): a directory (POLAROID_OUTPUT_ROOT), an S3 bucket
 * (POLAROID_OUTPUT_S3_BUCKET, reached with the POLAROID_S3_* connection settings the state
 * store uses), or both; and the bound on what one write may produce.
 *
 * @module
 */

import { bytes, ConfigError, type Env, GIB, raw, str } from "./config_env.ts";
import { s3Connection } from "./config_s3.ts";

/** The S3 bucket sinks may write to. */
export interface OutputS3Config {
  /** POLAROID_OUTPUT_S3_BUCKET */
  bucket: string;
  /** Prepended to every key, e.g. "exports/" (POLAROID_OUTPUT_S3_PREFIX). @default "" */
  prefix: string;
  /** POLAROID_S3_ENDPOINT (e.g. http://127.0.0.1:4568); absent means AWS. */
  endpoint: string | undefined;
  /** POLAROID_S3_REGION. @default "us-east-1" */
  region: string;
  /** POLAROID_S3_ACCESS_KEY_ID / POLAROID_S3_SECRET_ACCESS_KEY */
  accessKeyId: string;
  secretAccessKey: string;
  /** POLAROID_S3_PATH_STYLE. @default true with an endpoint */
  forcePathStyle: boolean;
}

/** Where sinks write, and how much. */
export interface OutputConfig {
  /**
   * Directory under which sinks write files (POLAROID_OUTPUT_ROOT), `<root>/<tenant>/` when
   * authentication is on; unset refuses writes to files. @default undefined
   */
  root: string | undefined;
  /** The S3 bucket sinks may write to; unset refuses writes to S3. @default undefined */
  s3: OutputS3Config | undefined;
  /**
   * Bytes one written file or object may have (POLAROID_MAX_OUTPUT_BYTES); a write that grows
   * past it is stopped and leaves nothing. @default 64GiB
   */
  maxOutputBytes: number;
}

const PREFIX = /^([A-Za-z0-9_-][A-Za-z0-9._/-]*\/)?$/;

/** Parses POLAROID_OUTPUT_ROOT, POLAROID_OUTPUT_S3_* and POLAROID_MAX_OUTPUT_BYTES. */
export function outputConfig(env: Env): OutputConfig {
  return {
    root: raw(env, "POLAROID_OUTPUT_ROOT"),
    s3: outputS3(env),
    maxOutputBytes: bytes(env, "POLAROID_MAX_OUTPUT_BYTES", 64 * GIB),
  };
}

function outputS3(env: Env): OutputS3Config | undefined {
  const bucket = raw(env, "POLAROID_OUTPUT_S3_BUCKET");
  const prefix = str(env, "POLAROID_OUTPUT_S3_PREFIX", "");
  if (bucket === undefined) {
    if (prefix !== "") {
      throw new ConfigError(
        "Cannot start as 'POLAROID_OUTPUT_S3_PREFIX' needs POLAROID_OUTPUT_S3_BUCKET: current value is unset",
      );
    }
    return undefined;
  }
  if (!PREFIX.test(prefix) || prefix.split("/").includes("..")) {
    throw new ConfigError(
      `Cannot start as 'POLAROID_OUTPUT_S3_PREFIX' must be key segments ending with '/' (or empty): current value is ${
        JSON.stringify(prefix)
      }`,
    );
  }
  // The state store's garbage collection deletes any object under its prefix it did not
  // commit: outputs must live elsewhere.
  if (
    raw(env, "POLAROID_HANDLE_STORE") === "external" &&
    raw(env, "POLAROID_S3_BUCKET") === bucket
  ) {
    const storePrefix = str(env, "POLAROID_S3_PREFIX", "");
    if (prefix.startsWith(storePrefix) || storePrefix.startsWith(prefix)) {
      throw new ConfigError(
        `Cannot start as 'POLAROID_OUTPUT_S3_PREFIX' must not overlap the state store's POLAROID_S3_PREFIX in bucket ${bucket} (its garbage collection would delete outputs): current value is ${
          JSON.stringify(prefix)
        }`,
      );
    }
  }
  return {
    bucket,
    prefix,
    ...s3Connection(env),
  };
}
