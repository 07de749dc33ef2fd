/**
 * The output targets of a worker, from its configuration: the output root as a real path
 * (created if missing) and a writer of the S3 output bucket.
 *
 * @module
 */

import type { OutputConfig } from "../../../shared/config_output.ts";
import { S3FileWriter } from "../../../shared/state_store/s3_file.ts";
import type { OutputTargets } from "./location.ts";

/** Opens what `config` names; an unset target stays undefined (its writes are refused). */
export async function openOutputs(config: OutputConfig): Promise<OutputTargets> {
  const out: OutputTargets = { engines: { running: 0 } };
  if (config.root !== undefined) {
    await Deno.mkdir(config.root, { recursive: true });
    out.root = await Deno.realPath(config.root);
  }
  if (config.s3 !== undefined) {
    const { prefix, endpoint, ...s3 } = config.s3;
    out.s3 = {
      writer: new S3FileWriter({ ...s3, ...(endpoint === undefined ? {} : { endpoint }) }),
      prefix,
    };
  }
  return out;
}
