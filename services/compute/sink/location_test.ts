import assert from "node:assert/strict";
import { join } from "node:path";
import { FailedPreconditionError, InvalidArgumentError } from "../../../shared/errors.ts";
import { FileFormat } from "../../../shared/gen/polaroid/v1/plan.ts";
import { OutputStore, type SinkTarget } from "../../../shared/gen/polaroid/v1/sink.ts";
import { S3FileWriter } from "../../../shared/state_store/s3_file.ts";
import { tempDir } from "../engine/_testing.ts";
import { locate, type OutputTargets } from "./location.ts";

const target = (path: string, store = OutputStore.OUTPUT_STORE_FILES, bucket = ""): SinkTarget => ({
  format: FileFormat.FILE_FORMAT_PARQUET,
  path,
  store,
  bucket,
});

function s3(prefix: string): NonNullable<OutputTargets["s3"]> {
  const writer = new S3FileWriter({
    endpoint: "http://127.0.0.1:9",
    bucket: "out",
    region: "us-east-1",
    accessKeyId: "k",
    secretAccessKey: "s",
    forcePathStyle: true,
  });
  return { writer, prefix };
}

Deno.test("locate() writes a tenant's files under its own root when each tenant has one", async () => {
  await using dir = await tempDir();
  const outputs: OutputTargets = { root: dir.path, engines: { running: 0 } };
  const staging = join(dir.path, "staging");
  const opts = { tenant: "acme", stagingDir: staging, mkdir: false };
  const shared = await locate(outputs, target("x.parquet"), { ...opts, perTenant: false });
  assert.equal(join(shared.temp, ".."), dir.path);
  const own = await locate(outputs, target("x.parquet"), { ...opts, perTenant: true });
  assert.equal(join(own.temp, ".."), join(dir.path, "acme"));
  assert.equal(own.shown, "x.parquet");
  // The target becomes the file only at commit: nothing is there before.
  await Deno.writeTextFile(own.temp, "data");
  await own.commit(4, new AbortController().signal);
  assert.equal(await Deno.readTextFile(join(dir.path, "acme", "x.parquet")), "data");
  // A call that ended leaves the target as it was, and no temporary file.
  const late = await locate(outputs, target("x.parquet"), { ...opts, perTenant: true });
  await Deno.writeTextFile(late.temp, "newer");
  const ended = new AbortController();
  ended.abort(new Error("ended"));
  await assert.rejects(late.commit(5, ended.signal), /ended/);
  assert.equal(await Deno.readTextFile(join(dir.path, "acme", "x.parquet")), "data");
  await assert.rejects(Deno.stat(late.temp), Deno.errors.NotFound);
});

Deno.test("locate() names S3 objects under the prefix and the tenant's, in the server's bucket", async () => {
  await using dir = await tempDir();
  const outputs: OutputTargets = { s3: s3("exports/"), engines: { running: 0 } };
  const opts = { tenant: "acme", stagingDir: join(dir.path, "staging"), mkdir: false };
  try {
    const S3 = OutputStore.OUTPUT_STORE_S3;
    const own = await locate(outputs, target("d/./x.parquet", S3), { ...opts, perTenant: true });
    assert.equal(own.shown, "s3://out/exports/acme/d/x.parquet");
    assert.equal(join(own.temp, ".."), join(dir.path, "staging"));
    const named = await locate(outputs, target("x.parquet", S3, "out"), {
      ...opts,
      perTenant: false,
    });
    assert.equal(named.shown, "s3://out/exports/x.parquet");
    await assert.rejects(
      locate(outputs, target("x.parquet", S3, "elsewhere"), { ...opts, perTenant: true }),
      (e: unknown) =>
        e instanceof InvalidArgumentError && /server's output bucket "out"/.test(e.message),
    );
    await assert.rejects(
      locate(outputs, target("../other/x.parquet", S3), { ...opts, perTenant: true }),
      (e: unknown) => e instanceof InvalidArgumentError && /'\.\.'/.test(e.message),
    );
    // No output root: files are refused, naming the variable.
    await assert.rejects(
      locate(outputs, target("x.parquet"), { ...opts, perTenant: true }),
      (e: unknown) =>
        e instanceof FailedPreconditionError && /POLAROID_OUTPUT_ROOT/.test(e.message),
    );
    await assert.rejects(
      locate(outputs, target("x.parquet", OutputStore.OUTPUT_STORE_FILES, "out"), {
        ...opts,
        perTenant: true,
      }),
      (e: unknown) =>
        e instanceof InvalidArgumentError && /'bucket' applies to S3 only/.test(e.message),
    );
    await assert.rejects(
      locate(outputs, target("x.parquet", 7 as OutputStore), { ...opts, perTenant: true }),
      (e: unknown) => e instanceof InvalidArgumentError && /'store'/.test(e.message),
    );
  } finally {
    outputs.s3?.writer.close();
  }
  await assert.rejects(
    locate({ engines: { running: 0 } }, target("x", OutputStore.OUTPUT_STORE_S3), {
      ...opts,
      perTenant: false,
    }),
    (e: unknown) =>
      e instanceof FailedPreconditionError && /POLAROID_OUTPUT_S3_BUCKET/.test(e.message),
  );
});
