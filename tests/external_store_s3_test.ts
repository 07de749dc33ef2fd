/**
 * The external handle store on S3 (POLAROID_S3_*) with two real compute workers and the
 * handles service talking to a real S3-protocol server: s3rver 3.7.1, started by this test
 * in its own process (it does not enforce conditional writes; moto does, see
 * shared/state_store/s3_test.ts). Cases in tests/_external_store_cases.ts.
 */

import { testCluster } from "./_harness.ts";
import { startS3rver } from "../shared/state_store/_s3_server.ts";
import { S3StateStore } from "../shared/state_store/s3.ts";
import { externalStoreCases } from "./_external_store_cases.ts";

const s3 = await startS3rver();
const cluster = await testCluster({
  workers: 2,
  env: {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_S3_BUCKET: s3.bucket,
    POLAROID_S3_ENDPOINT: s3.endpoint,
    POLAROID_S3_ACCESS_KEY_ID: s3.accessKeyId,
    POLAROID_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  },
});
const store = await S3StateStore.open({
  endpoint: s3.endpoint,
  bucket: s3.bucket,
  region: "us-east-1",
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  forcePathStyle: true,
});
globalThis.addEventListener("unload", () => {
  void s3.close();
});

externalStoreCases("S3 store", cluster, store);
