/**
 * Sinks to the S3 output bucket (POLAROID_OUTPUT_S3_BUCKET) on a real cluster and a real
 * S3-protocol server (s3rver, in this process): a path `s3://<bucket>/<key>` is written under
 * the bucket's prefix as nodejs-polars writes it in-process (one PUT, or parts completed at
 * the end for more than 16 MiB); another bucket, a key that leaves the prefix and files
 * (no output root here) are refused; a sink stopped while it uploads leaves no object and no
 * staging file.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CancelledError,
  connect,
  FailedPreconditionError,
  InvalidArgumentError,
} from "../sdk/mod.ts";
import { startS3rver } from "../shared/state_store/_s3_server.ts";
import { waitFor } from "../scripts/_wait.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { sinkFrame } from "./compat/sink.ts";
import { tempFiles } from "./_sink_files.ts";

const s3 = await startS3rver();
const spill = await Deno.makeTempDir({ prefix: "polaroid-spill-" });
const local = await Deno.makeTempDir({ prefix: "polaroid-local-output-" });
const cluster = await testCluster({
  env: {
    POLAROID_OUTPUT_S3_BUCKET: s3.bucket,
    POLAROID_OUTPUT_S3_PREFIX: "exports/",
    POLAROID_S3_ENDPOINT: s3.endpoint,
    POLAROID_S3_ACCESS_KEY_ID: s3.accessKeyId,
    POLAROID_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    POLAROID_SPILL_DIR: spill,
  },
});
const client = await connect({ endpoint: cluster.endpoints.compute });
const raw = new S3Client({
  endpoint: s3.endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
});
const frame = sinkFrame();
const stored = await client.fromArrow(frameToTable(frame));

/** About 40 MB of CSV: more than two parts of 16 MiB. */
const ROWS = 1_500_000;
pl.DataFrame({
  k: pl.Series("k", Int32Array.from({ length: ROWS }, (_, i) => i)),
  x: pl.Series("x", Float64Array.from({ length: ROWS }, (_, i) => Math.sin(i))),
}).writeParquet(`${cluster.dataRoot}/many.parquet`, { compression: "lz4" });

async function object(key: string): Promise<Uint8Array> {
  const out = await raw.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return await out.Body!.transformToByteArray();
}

/** Paths of the part files s3rver keeps while a multipart upload is in progress. */
function partFiles(): string[] {
  const found: string[] = [];
  const pending = [s3.directory!];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) pending.push(join(dir, entry.name));
      else if (/^\d+\.md5$/.test(entry.name)) found.push(join(dir, entry.name));
    }
  }
  return found;
}

Deno.test({
  name: "a sink to s3://<bucket>/<key> writes the object nodejs-polars writes in-process",
  ...INTEGRATION,
  async fn() {
    const result = await stored.lazy().sinkParquet(`s3://${s3.bucket}/a/x.parquet`).collect();
    assert.equal(result.path, `s3://${s3.bucket}/exports/a/x.parquet`);
    const written = await object("exports/a/x.parquet");
    assert.equal(result.bytes, written.byteLength);
    assert.equal(result.rows, frame.height);
    assertSameTable(
      frameToTable(pl.readParquet(Buffer.from(written))),
      frameToTable(frame),
    );
    // Larger than a part: uploaded in parts, completed once all are in. The same bytes.
    const many = await client.scanParquet("many.parquet").sinkCsv(`s3://${s3.bucket}/many.csv`)
      .collect();
    await pl.scanParquet(`${cluster.dataRoot}/many.parquet`).sinkCSV(join(local, "many.csv"))
      .collect();
    const expected = await Deno.readFile(join(local, "many.csv"));
    assert.ok(expected.byteLength > 2 * 16 * 1024 * 1024, `${expected.byteLength} bytes`);
    assert.equal(many.bytes, expected.byteLength);
    assert.ok(Buffer.from(await object("exports/many.csv")).equals(expected));
    // A second sink replaces the object, as a file is replaced.
    await stored.lazy().head(2).sinkParquet(`s3://${s3.bucket}/a/x.parquet`).collect();
    assert.equal(pl.readParquet(Buffer.from(await object("exports/a/x.parquet"))).height, 2);
    assert.deepEqual(await tempFiles(spill), [], "no staging file is left");
  },
});

Deno.test({
  name: "another bucket, a key out of the prefix, and files without an output root are refused",
  ...INTEGRATION,
  async fn() {
    await assert.rejects(
      stored.lazy().sinkParquet("s3://someone-else/x.parquet").collect(),
      (e: unknown) =>
        e instanceof InvalidArgumentError && /server's output bucket/.test((e as Error).message),
    );
    await assert.rejects(
      stored.lazy().sinkParquet(`s3://${s3.bucket}/../x.parquet`).collect(),
      (e: unknown) => e instanceof InvalidArgumentError && /'\.\.'/.test((e as Error).message),
    );
    await assert.rejects(
      stored.lazy().sinkParquet("x.parquet").collect(),
      (e: unknown) =>
        e instanceof FailedPreconditionError && /POLAROID_OUTPUT_ROOT/.test((e as Error).message),
    );
    await assert.rejects(object("x.parquet"), /NoSuchKey/);
  },
});

Deno.test({
  name: "a sink stopped while it uploads leaves no object and no staging file",
  ...INTEGRATION,
  async fn() {
    const controller = new AbortController();
    const writing = client.scanParquet("many.parquet").sinkCsv(`s3://${s3.bucket}/stopped.csv`)
      .collect({ signal: controller.signal });
    await waitFor(() => partFiles().length > 0, {
      timeoutMs: 60_000,
      intervalMs: 5,
      what: "the first uploaded part",
    });
    controller.abort();
    await assert.rejects(writing, CancelledError);
    await waitFor(async () => (await tempFiles(spill)).length === 0, {
      timeoutMs: 30_000,
      what: "the staging file to be removed",
    });
    await assert.rejects(object("exports/stopped.csv"), /NoSuchKey/);
  },
});

Deno.test({
  name: "s3 sink cluster stops",
  ...INTEGRATION,
  async fn() {
    await client.close();
    raw.destroy();
    await cluster.stop();
    await s3.close();
    for (const dir of [spill, local, cluster.dataRoot]) await Deno.remove(dir, { recursive: true });
  },
});
