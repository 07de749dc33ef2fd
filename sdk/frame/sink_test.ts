import assert from "node:assert/strict";
import { FileFormat } from "../../shared/gen/polaroid/v1/plan.ts";
import { OutputStore } from "../../shared/gen/polaroid/v1/sink.ts";
import { startTestServer } from "../_test_server.ts";
import { connect } from "../client.ts";
import { sinkOptionsProto, sinkTarget } from "./sink.ts";

const PARQUET = FileFormat.FILE_FORMAT_PARQUET;

Deno.test("sinkTarget() reads s3://<bucket>/<key> as the S3 output bucket, any other path as a file", () => {
  assert.deepEqual(sinkTarget("m", PARQUET, "out/x.parquet"), {
    format: PARQUET,
    path: "out/x.parquet",
    store: OutputStore.OUTPUT_STORE_FILES,
    bucket: "",
  });
  assert.deepEqual(sinkTarget("m", PARQUET, "s3://exports/a/x.parquet"), {
    format: PARQUET,
    path: "a/x.parquet",
    store: OutputStore.OUTPUT_STORE_S3,
    bucket: "exports",
  });
  for (const path of ["gs://b/x", "file:///tmp/x", "", 3, undefined]) {
    assert.throws(
      () => sinkTarget("LazyDataFrame.sinkParquet", PARQUET, path),
      (e: unknown) => e instanceof TypeError && /'path'/.test(e.message),
      String(path),
    );
  }
});

Deno.test("sinkOptionsProto() sends nodejs-polars' options by their wire names, checked", () => {
  assert.deepEqual(sinkOptionsProto("LazyDataFrame.sinkParquet", undefined), {});
  assert.deepEqual(
    sinkOptionsProto("LazyDataFrame.sinkParquet", {
      compression: "zstd",
      compressionLevel: 5,
      rowGroupSize: 1000,
      statistics: { min: true, nullCount: true },
      mkdir: true,
      cloudOptions: undefined,
    }),
    {
      compression: "zstd",
      compressionLevel: 5,
      rowGroupSize: 1000n,
      statistics: {
        kind: {
          $case: "set",
          value: { min: true, max: false, distinctCount: false, nullCount: true },
        },
      },
      mkdir: true,
    },
  );
  assert.deepEqual(sinkOptionsProto("LazyDataFrame.sinkParquet", { statistics: "full" }), {
    statistics: { kind: { $case: "full", value: true } },
  });
  assert.deepEqual(sinkOptionsProto("LazyDataFrame.sinkCSV", { batchSize: 7, separator: "|" }), {
    batchSize: 7n,
    separator: "|",
  });
  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ["LazyDataFrame.sinkParquet", { cloudOptions: {} }, /'cloudOptions' as results go/],
    ["LazyDataFrame.sinkCSV", { separator: 1 }, /'separator' must be a string/],
    ["LazyDataFrame.sinkCSV", { includeBom: "yes" }, /'includeBom' must be true or false/],
    ["LazyDataFrame.sinkParquet", { rowGroupSize: 0 }, /'rowGroupSize' must be an integer >= 1/],
    ["LazyDataFrame.sinkParquet", { statistics: { mean: true } }, /'statistics'/],
    ["LazyDataFrame.sinkIpc", { compresion: "lz4" }, /'compresion'/],
    ["DataFrame.writeCSV", { quoteStyle: "always" }, /'quoteStyle' as nodejs-polars' DataFrame/],
    ["DataFrame.writeCSV", { compression: "gzip" }, /'compression'/],
  ];
  for (const [method, options, rule] of refused) {
    assert.throws(
      () => sinkOptionsProto(method, options),
      (e: unknown) => e instanceof TypeError && rule.test(e.message),
      `${method} ${JSON.stringify(options)}`,
    );
  }
  // nodejs-polars' own defaults ask for nothing: they pass.
  assert.deepEqual(
    sinkOptionsProto("DataFrame.writeCSV", { quoteStyle: "necessary", maintainOrder: true }),
    { quoteStyle: "necessary", maintainOrder: true },
  );
});

Deno.test("a sink runs at collect(); writes send nodejs-polars' DataFrame defaults", async () => {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint });
  const df = await client.fromRecords([{ a: 1 }, { a: 2 }]);
  const sink = df.lazy().sinkParquet("x.parquet", { compression: "lz4" });
  assert.equal(server.received.filter((r) => r.method === "sink").length, 0);
  assert.deepEqual(await sink.collect(), { path: "x.parquet", rows: 2, bytes: 0 });
  assert.throws(() => df.lazy().sinkCsv("x.csv", { cloudOptions: {} }), TypeError);
  await assert.rejects(sink.collect({ noOptimization: true } as never), /'noOptimization'/);
  await df.writeParquet("y.parquet");
  await df.writeCsv("y.csv.gz");
  await df.writeIpc("y.arrow", { compression: "zstd" });
  await df.writeJSON("y.ndjson");
  const sent = server.received.filter((r) => r.method === "sink").map((r) =>
    r.request as { target: { format: number; path: string }; options: Record<string, unknown> }
  );
  // Decoded messages name every field: the unset ones are undefined.
  const set = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  assert.deepEqual(sent.map((r) => [r.target.format, r.target.path, set(r.options)]), [
    [FileFormat.FILE_FORMAT_PARQUET, "x.parquet", { compression: "lz4" }],
    [FileFormat.FILE_FORMAT_PARQUET, "y.parquet", { compression: "uncompressed" }],
    [FileFormat.FILE_FORMAT_CSV, "y.csv.gz", { checkExtension: false }],
    [FileFormat.FILE_FORMAT_IPC, "y.arrow", { compression: "zstd" }],
    [FileFormat.FILE_FORMAT_NDJSON, "y.ndjson", {}],
  ]);
  await assert.rejects(df.writeJSON("y.json", { format: "json" }), /'format' other than "lines"/);
  await assert.rejects(df.writeParquet(undefined as never), /'path'/);
});
