/**
 * The scans, remote against in-process: every case of tests/compat/scan.ts writes its file
 * under the cluster's data root and scans it with the same options through the SDK and with
 * nodejs-polars. Options the server must refuse are refused before any file is read.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import sdk, { connect, InvalidPlanError } from "../sdk/mod.ts";
import type { Expr as SdkExpr } from "../sdk/mod.ts";
import { FileFormat } from "../shared/gen/polaroid/v1/plan.ts";
import { scanOptions } from "../services/compute/engine/scan_options.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { SCAN_CASES, type ScanCase } from "./compat/scan.ts";

const cluster = await testCluster();

const SDK_SCANS = {
  scanCSV: "scanCsv",
  scanParquet: "scanParquet",
  scanIPC: "scanIpc",
  scanJson: "scanJson",
} as const;

async function write(c: ScanCase, path: string): Promise<void> {
  if (typeof c.content === "string") return await Deno.writeTextFile(path, c.content);
  const df = c.content();
  if (c.scan === "scanParquet") df.writeParquet(path);
  else df.writeIPC(path);
}

Deno.test({
  name: "scans with nodejs-polars' options give nodejs-polars' results through the SDK",
  ...INTEGRATION,
  async fn(t) {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    for (const c of SCAN_CASES) {
      await t.step(`${c.file}: ${c.covers.join(", ")}`, async () => {
        const path = `${cluster.dataRoot}/${c.file}`;
        await write(c, path);
        const scan = pl[c.scan] as (path: string, options: unknown) => pl.LazyDataFrame;
        const expected = scan(path, c.options(pl)).collectSync();
        const actual = await client[SDK_SCANS[c.scan]](c.file, c.options(sdk)).toArrow();
        assertSameTable(actual, frameToTable(expected), c.covers.join(", "));
      });
    }
  },
});

Deno.test("the server refuses a scan option its format does not take, or a bad value, by name", () => {
  const refused = (format: FileFormat, options: Record<string, unknown>, field: RegExp) =>
    assert.throws(
      () => scanOptions(format, { schema: [], ...options }),
      (e: unknown) => e instanceof InvalidPlanError && field.test(e.message),
    );
  refused(FileFormat.FILE_FORMAT_IPC, { skipRows: 1n }, /'options\.skipRows'/);
  refused(FileFormat.FILE_FORMAT_PARQUET, { commentPrefix: "#" }, /'options\.commentPrefix'/);
  refused(FileFormat.FILE_FORMAT_CSV, { nRows: 2n ** 60n }, /'options\.nRows' must be at most/);
  refused(FileFormat.FILE_FORMAT_CSV, { eolChar: "ab" }, /'options\.eolChar' must be one/);
  refused(FileFormat.FILE_FORMAT_CSV, { encoding: "latin1" }, /'options\.encoding' must be one/);
  refused(FileFormat.FILE_FORMAT_CSV, { commentPrefix: "" }, /'options\.commentPrefix'/);
  refused(FileFormat.FILE_FORMAT_PARQUET, { parallel: "all" }, /'options\.parallel'/);
  refused(
    FileFormat.FILE_FORMAT_CSV,
    { inferSchemaLength: 5n, inferSchemaAll: true },
    /'options\.inferSchemaAll' must not be set with/,
  );
  refused(
    FileFormat.FILE_FORMAT_CSV,
    { schema: [{ name: "a", dtype: undefined }] },
    /schema\[0\]\.dtype/,
  );
  // Unset options ask for nothing; "" is nodejs-polars' null quote character.
  assert.deepEqual(scanOptions(FileFormat.FILE_FORMAT_CSV, undefined), {});
  assert.deepEqual(scanOptions(FileFormat.FILE_FORMAT_CSV, { schema: [], quoteChar: "" }), {
    quoteChar: null,
  });
});

Deno.test({
  name: "the SDK refuses a scan option it does not send, and a bad value, naming it",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    assert.throws(() => client.scanCsv("a.csv", { nThreads: 4 }), /'nThreads'/);
    assert.throws(() => client.scanParquet("a.parquet", { hiveSchema: {} }), /'hiveSchema'/);
    assert.throws(() => client.scanCsv("a.csv", { nRows: -1 }), /'nRows' must be an integer/);
    assert.throws(() => client.scanJson("a.ndjson", { schema: { a: "Int64" } }), /'schema'/);
    // glob: true is nodejs-polars' default for CSV: it asks for nothing.
    assert.ok(client.scanCsv("a.csv", { glob: true }));
  },
});

Deno.test({
  name: "client.select() evaluates expressions with no frame, as nodejs-polars' pl.select()",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const cases: Array<(p: typeof sdk | typeof pl) => unknown[]> = [
      (p) => [p.lit(1).alias("one"), p.lit("x").alias("s")],
      (p) => [p.intRange(0, 3).alias("r"), p.lit(2).alias("two")],
      (p) => [p.len()],
    ];
    for (const exprs of cases) {
      const expected = pl.select(...(exprs(pl) as [pl.Expr]));
      const actual = await client.select(...(exprs(sdk) as [SdkExpr])).toArrow();
      assertSameTable(actual, frameToTable(expected), String(exprs));
    }
  },
});

Deno.test({
  name: "scan compat cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(cluster.dataRoot, { recursive: true });
  },
});
