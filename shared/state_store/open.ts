/**
 * Opens the configured state store backend.
 *
 * @module
 */

import type { StateStoreConfig } from "../config.ts";
import { FsStateStore } from "./fs.ts";
import type { StateStore } from "./store.ts";

/** The backend of `config`. */
export async function openStateStore(config: StateStoreConfig): Promise<StateStore> {
  switch (config.kind) {
    case "fs":
      return await FsStateStore.open({ root: config.dir });
    case "s3": {
      const { S3StateStore } = await import("./s3.ts");
      return await S3StateStore.open({
        ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
        bucket: config.bucket,
        prefix: config.prefix,
        region: config.region,
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        forcePathStyle: config.forcePathStyle,
      });
    }
  }
}
