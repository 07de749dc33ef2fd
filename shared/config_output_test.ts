import assert from "node:assert/strict";
import { ConfigError } from "./config_env.ts";
import { outputConfig } from "./config_output.ts";

Deno.test("outputConfig() leaves writes off unless a root or a bucket is named", () => {
  assert.deepEqual(outputConfig({}), {
    root: undefined,
    s3: undefined,
    maxOutputBytes: 64 * 1024 ** 3,
  });
  const config = outputConfig({
    POLAROID_OUTPUT_ROOT: "/srv/out",
    POLAROID_MAX_OUTPUT_BYTES: "2GiB",
    POLAROID_OUTPUT_S3_BUCKET: "exports",
    POLAROID_OUTPUT_S3_PREFIX: "polaroid/out/",
    POLAROID_S3_ENDPOINT: "http://127.0.0.1:4568",
    POLAROID_S3_ACCESS_KEY_ID: "id",
    POLAROID_S3_SECRET_ACCESS_KEY: "secret",
  });
  assert.equal(config.root, "/srv/out");
  assert.equal(config.maxOutputBytes, 2 * 1024 ** 3);
  assert.deepEqual(config.s3, {
    bucket: "exports",
    prefix: "polaroid/out/",
    endpoint: "http://127.0.0.1:4568",
    region: "us-east-1",
    accessKeyId: "id",
    secretAccessKey: "secret",
    forcePathStyle: true,
  });
});

Deno.test("outputConfig() refuses a bad prefix, a bound, or outputs the state store would collect", () => {
  const refused: Array<[Record<string, string>, RegExp]> = [
    [{ POLAROID_OUTPUT_S3_PREFIX: "x/" }, /needs POLAROID_OUTPUT_S3_BUCKET/],
    [{ POLAROID_OUTPUT_S3_BUCKET: "b", POLAROID_OUTPUT_S3_PREFIX: "no-slash" }, /ending with '\/'/],
    [
      { POLAROID_OUTPUT_S3_BUCKET: "b", POLAROID_OUTPUT_S3_PREFIX: "../x/" },
      /POLAROID_OUTPUT_S3_PREFIX/,
    ],
    [{ POLAROID_MAX_OUTPUT_BYTES: "-1" }, /POLAROID_MAX_OUTPUT_BYTES/],
    [{
      POLAROID_HANDLE_STORE: "external",
      POLAROID_S3_BUCKET: "b",
      POLAROID_OUTPUT_S3_BUCKET: "b",
    }, /must not overlap the state store's/],
    [{
      POLAROID_HANDLE_STORE: "external",
      POLAROID_S3_BUCKET: "b",
      POLAROID_S3_PREFIX: "polaroid/",
      POLAROID_OUTPUT_S3_BUCKET: "b",
      POLAROID_OUTPUT_S3_PREFIX: "polaroid/out/",
    }, /must not overlap/],
  ];
  for (const [env, rule] of refused) {
    assert.throws(
      () => outputConfig(env),
      (e: unknown) => e instanceof ConfigError && rule.test(e.message),
      JSON.stringify(env),
    );
  }
  // Beside the state store's objects, not among them: allowed.
  assert.equal(
    outputConfig({
      POLAROID_HANDLE_STORE: "external",
      POLAROID_S3_BUCKET: "b",
      POLAROID_S3_PREFIX: "polaroid/",
      POLAROID_OUTPUT_S3_BUCKET: "b",
      POLAROID_OUTPUT_S3_PREFIX: "exports/",
    }).s3?.prefix,
    "exports/",
  );
});
