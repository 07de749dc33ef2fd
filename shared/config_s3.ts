/**
 * The connection to an S3-compatible service (POLAROID_S3_*), shared by the state store and the
 * output bucket of sinks: one endpoint and one set of credentials per process.
 *
 * @module
 */

import { ConfigError, type Env, raw, str } from "./config_env.ts";

/** Where and as whom S3 calls go. */
export interface S3Connection {
  /** POLAROID_S3_ENDPOINT: an S3-compatible server; AWS when unset. */
  endpoint: string | undefined;
  /** POLAROID_S3_REGION. @default "us-east-1" */
  region: string;
  /** POLAROID_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY; the SDK's default chain when empty. */
  accessKeyId: string;
  secretAccessKey: string;
  /** POLAROID_S3_PATH_STYLE. @default true with an endpoint, false for AWS */
  forcePathStyle: boolean;
}

/** Parses POLAROID_S3_*; ConfigError naming a bad POLAROID_S3_PATH_STYLE. */
export function s3Connection(env: Env): S3Connection {
  const endpoint = raw(env, "POLAROID_S3_ENDPOINT");
  const pathStyle = raw(env, "POLAROID_S3_PATH_STYLE");
  if (pathStyle !== undefined && pathStyle !== "true" && pathStyle !== "false") {
    throw new ConfigError(
      `Cannot configure POLAROID_S3_PATH_STYLE as it must be true or false: current value is ${pathStyle}`,
    );
  }
  return {
    endpoint,
    region: str(env, "POLAROID_S3_REGION", "us-east-1"),
    accessKeyId: str(env, "POLAROID_S3_ACCESS_KEY_ID", ""),
    secretAccessKey: str(env, "POLAROID_S3_SECRET_ACCESS_KEY", ""),
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === "true",
  };
}
