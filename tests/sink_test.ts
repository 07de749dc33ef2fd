/**
 * Sinks and writes on a real cluster (POLAROID_OUTPUT_ROOT): every case of
 * tests/compat/sink.ts gives the file nodejs-polars writes in-process; an existing file is
 * replaced whole (a reader never sees a partial one); bad paths and options are refused
 * before anything runs; a cancelled or timed-out write, and one past
 * POLAROID_MAX_OUTPUT_BYTES, leave neither the file nor a temporary one.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import sdk, {
  CancelledError,
  connect,
  DeadlineExceededError,
  InvalidArgumentError,
  LimitExceededError,
  NotFoundError,
  type RemoteDataFrame,
  type RemoteLazyFrame,
} from "../sdk/mod.ts";
import { DataFrameServiceService } from "../shared/gen/polaroid/v1/dataframe.ts";
import { FileFormat } from "../shared/gen/polaroid/v1/plan.ts";
import { OutputStore } from "../shared/gen/polaroid/v1/sink.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { scanHandlePlan } from "../sdk/plan/plan.ts";
import { waitFor } from "../scripts/_wait.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { SINK_CASES, type SinkCase, sinkFrame, WRITE_CASES } from "./compat/sink.ts";
import { readBack, tempFiles } from "./_sink_files.ts";

const MAX_OUTPUT = 32 * 1024 * 1024;
const output = await Deno.makeTempDir({ prefix: "polaroid-output-" });
const local = await Deno.makeTempDir({ prefix: "polaroid-local-output-" });
const cluster = await testCluster({
  env: { POLAROID_OUTPUT_ROOT: output, POLAROID_MAX_OUTPUT_BYTES: String(MAX_OUTPUT) },
});
const client = await connect({ endpoint: cluster.endpoints.compute });
const frame = sinkFrame();
const scalar = frame.drop("l");
const stored: RemoteDataFrame = await client.fromArrow(frameToTable(frame));

/** A large input under the data root: its CSV is far past MAX_OUTPUT. */
const BIG_ROWS = 3_000_000;
const big = pl.DataFrame({
  k: pl.Series("k", Int32Array.from({ length: BIG_ROWS }, (_, i) => i)),
  x: pl.Series("x", Float64Array.from({ length: BIG_ROWS }, (_, i) => Math.sin(i) * 1000)),
}).withColumns(pl.col("k").cast(pl.Utf8).alias("label"));
big.writeParquet(`${cluster.dataRoot}/big.parquet`, { compression: "lz4" });

/** The case's frame on one engine: nested columns only for the formats that take them. */
function input<T extends RemoteLazyFrame | pl.LazyDataFrame>(c: SinkCase, lf: T): T {
  return (c.nested ? lf : lf.drop("l")) as T;
}

async function writeLocal(c: SinkCase, path: string): Promise<void> {
  const options = { ...c.options };
  if (c.method.startsWith("sink")) {
    const lf = input(c, frame.lazy()) as unknown as Record<
      string,
      (p: string, o: unknown) => pl.LazyDataFrame
    >;
    await lf[c.method]!(path, options).collect();
    return;
  }
  // No options at all: nodejs-polars' eager writes take their defaults only then.
  const df = (c.nested ? frame : scalar) as unknown as Record<
    string,
    (p: string, o: unknown) => void
  >;
  const write = df[c.method]!.bind(df);
  if (Object.keys(options).length === 0) (write as (p: string) => void)(path);
  else write(path, options);
}

async function writeRemote(c: SinkCase): Promise<unknown> {
  if (c.method.startsWith("sink")) {
    const lf = input(c, stored.lazy()) as unknown as Record<
      string,
      (p: string, o: unknown) => { collect(): Promise<unknown> }
    >;
    return await lf[c.method]!(c.path, { ...c.options }).collect();
  }
  const source = c.nested ? stored : await stored.lazy().drop("l").collect();
  try {
    const df = source as unknown as Record<string, (p: string, o: unknown) => Promise<unknown>>;
    const write = df[c.method]!.bind(df);
    if (Object.keys(c.options).length === 0) return await (write as (p: string) => unknown)(c.path);
    return await write(c.path, { ...c.options });
  } finally {
    if (source !== stored) await source.release();
  }
}

Deno.test({
  name: "every sink and write gives the file nodejs-polars writes with the same options",
  ...INTEGRATION,
  async fn(t) {
    for (const c of [...SINK_CASES, ...WRITE_CASES]) {
      await t.step(`${c.path}: ${c.covers.join(", ")}`, async () => {
        const mine = join(local, c.path);
        await Deno.mkdir(join(mine, ".."), { recursive: true });
        await writeLocal(c, mine);
        const result = await writeRemote(c) as { path: string; bytes: number; rows?: number };
        const theirs = join(output, c.path);
        assert.equal(result.path, c.path);
        assert.equal(result.bytes, (await Deno.stat(theirs)).size);
        const [expected, actual] = [readBack(c, mine), readBack(c, theirs)];
        if (expected instanceof Uint8Array) {
          assert.ok(actual instanceof Uint8Array);
          assert.ok(Buffer.from(actual).equals(expected), `${c.path}: the bytes differ`);
          assert.equal(result.rows, undefined);
        } else {
          assert.ok(!(actual instanceof Uint8Array));
          const sort = (df: pl.DataFrame) => c.unordered ? df.sort("i") : df;
          assertSameTable(frameToTable(sort(actual)), frameToTable(sort(expected)), c.path);
          assert.equal(result.rows, expected.height);
        }
        assert.deepEqual(await tempFiles(output), []);
      });
    }
  },
});

Deno.test({
  name: "a sink replaces an existing file whole: a reader sees the old file or the new one",
  ...INTEGRATION,
  async fn() {
    // nodejs-polars' sinks overwrite an existing file: so do Polaroid's, by a rename.
    const target = join(output, "replaced.parquet");
    frame.head(2).writeParquet(target, { compression: "uncompressed" });
    const writing = client.scanParquet("big.parquet").select("k", "label")
      .sinkParquet("replaced.parquet").collect();
    let done = false;
    void writing.finally(() => (done = true)).catch(() => {});
    const seen = new Set<number>();
    while (!done) {
      // Each read must find a whole file (its footer tells its rows).
      const rows = await pl.scanParquet(target).select(pl.len()).collect();
      seen.add(Number(rows.getColumn("len").get(0)));
    }
    const result = await writing;
    assert.equal(result.rows, BIG_ROWS);
    assert.ok([...seen].every((n) => n === 2 || n === BIG_ROWS), `rows seen: ${[...seen]}`);
    assert.ok(seen.has(2), "the old file was read while the new one was written");
    assert.equal(pl.readParquet(target).height, BIG_ROWS);
    // The replaced file's second name goes after the reply.
    await settled();
  },
});

Deno.test({
  name: "paths that leave the output root, or name no file, are refused before anything runs",
  ...INTEGRATION,
  async fn() {
    const outside = await Deno.makeTempDir({ prefix: "polaroid-outside-" });
    await Deno.symlink(outside, join(output, "escape"));
    await Deno.mkdir(join(output, "inside"));
    await Deno.symlink(join(output, "inside"), join(output, "alias"));
    await Deno.symlink(join(outside, "f.parquet"), join(output, "linked.parquet"));
    await Deno.mkdir(join(output, "a-dir.parquet"));
    try {
      const refused: Array<[string, RegExp]> = [
        ["../x.parquet", /must not contain '\.\.'/],
        ["a/../../x.parquet", /must not contain '\.\.'/],
        ["/tmp/x.parquet", /must be relative to the output root/],
        ["\\\\server\\x.parquet", /must be relative/],
        ["C:/x.parquet", /must be relative/],
        ["file:///tmp/x.parquet", /must be relative to the server's output root/],
        ["dir/", /name a file/],
        ["dir/.", /name a file/],
        ["x\u0000.parquet", /control characters/],
        ["escape/x.parquet", /a link leads out/],
        ["linked.parquet", /must not name a symbolic link/],
        ["a-dir.parquet", /must not name a directory/],
        [".polaroid-tmp-0-x.parquet", /must not name a file starting with/],
        [`${"d/".repeat(600)}x.parquet`, /at most 1024 bytes/],
      ];
      for (const [path, message] of refused) {
        await assert.rejects(
          async () => await stored.lazy().sinkParquet(path).collect(),
          (e: unknown) =>
            (e instanceof InvalidArgumentError || e instanceof TypeError) &&
            message.test(e.message),
          path,
        );
      }
      // A missing directory is created only on request (nodejs-polars' `mkdir`).
      await assert.rejects(
        stored.lazy().drop("l").sinkCsv("missing/x.csv").collect(),
        (e: unknown) => e instanceof NotFoundError && /option 'mkdir'/.test((e as Error).message),
      );
      // A link to a directory inside the root is followed.
      const through = await stored.lazy().drop("l").sinkCsv("alias/x.csv").collect();
      assert.ok(through.bytes > 0);
      assert.ok((await Deno.stat(join(output, "inside", "x.csv"))).isFile);
      assert.deepEqual([...Deno.readDirSync(outside)], [], "nothing was written outside");
      assert.deepEqual(await tempFiles(output), []);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  },
});

Deno.test({
  name: "options a sink does not take, and bad values, are refused naming them",
  ...INTEGRATION,
  async fn() {
    // In the SDK: options nodejs-polars has that Polaroid refuses, and unknown ones.
    assert.throws(
      () => stored.lazy().sinkParquet("x.parquet", { cloudOptions: { region: "x" } }),
      (e: unknown) => e instanceof TypeError && /'cloudOptions'/.test(e.message),
    );
    assert.throws(
      () => stored.lazy().sinkCsv("x.csv", { nope: 1 } as never),
      (e: unknown) => e instanceof TypeError && /'nope'/.test(e.message),
    );
    await assert.rejects(
      stored.writeCSV("x.csv", { quoteStyle: "always" }),
      (e: unknown) => e instanceof TypeError && /'quoteStyle'/.test((e as Error).message),
    );
    await assert.rejects(
      stored.writeJSON("x.json", { format: "json" }),
      (e: unknown) => e instanceof TypeError && /'format'/.test((e as Error).message),
    );
    // On the server: values out of bounds, and (sent raw) options of another format.
    const bad: Array<[() => Promise<unknown>, RegExp]> = [
      [
        () => stored.lazy().sinkIpc("x.arrow", { compression: "gzip" as never }).collect(),
        /'options\.compression'/,
      ],
      [() => stored.lazy().sinkCsv("x.csv", { separator: ";;" }).collect(), /'options\.separator'/],
      [() => stored.lazy().sinkCsv("x.csv", { quoteChar: "" }).collect(), /'options\.quoteChar'/],
      [
        () => stored.lazy().sinkCsv("x.csv", { floatPrecision: 1000 }).collect(),
        /'options\.floatPrecision'/,
      ],
      [
        () => stored.lazy().sinkCsv("x.csv", { batchSize: 2 ** 40 }).collect(),
        /'options\.batchSize'/,
      ],
      [
        () => stored.lazy().sinkParquet("x.parquet", { syncOnClose: "always" as never }).collect(),
        /'options\.syncOnClose'/,
      ],
    ];
    for (const [run, message] of bad) {
      await assert.rejects(
        run,
        (e: unknown) => e instanceof InvalidArgumentError && message.test((e as Error).message),
      );
    }
    const raw = new RpcClient(cluster.endpoints.compute, DataFrameServiceService, {
      timeoutMs: 30_000,
    });
    try {
      await assert.rejects(
        raw.unary("sink", {
          plan: scanHandlePlan(stored.id),
          target: {
            format: FileFormat.FILE_FORMAT_CSV,
            path: "x.csv",
            store: OutputStore.OUTPUT_STORE_FILES,
            bucket: "",
          },
          options: { rowGroupSize: 10n },
        }),
        (e: unknown) =>
          e instanceof InvalidArgumentError &&
          /'options\.rowGroupSize' must not be set for this format/.test(e.message),
      );
      await assert.rejects(
        raw.unary("sink", {
          plan: scanHandlePlan(stored.id),
          target: {
            format: FileFormat.FILE_FORMAT_UNSPECIFIED,
            path: "x",
            store: OutputStore.OUTPUT_STORE_FILES,
            bucket: "",
          },
        }),
        (e: unknown) => e instanceof InvalidArgumentError && /'target\.format'/.test(e.message),
      );
    } finally {
      raw.close();
    }
    for (const name of ["x.csv", "x.arrow", "x.parquet"]) {
      await assert.rejects(Deno.stat(join(output, name)), Deno.errors.NotFound, name);
    }
  },
});

/** A sink of the big input as CSV: about 80 MB, past MAX_OUTPUT. */
function bigCsv(path: string) {
  return client.scanParquet("big.parquet").sinkCsv(path);
}

/** Sinks whose engine still runs on the worker (its metric). */
async function enginesRunning(): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) => /^polaroid_sink_engines_running[{ ]/.test(l));
  if (line === undefined) throw new Error("no polaroid_sink_engines_running metric");
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** Waits until no sink's engine runs and no temporary file is left. */
async function settled(): Promise<void> {
  await waitFor(
    async () => await enginesRunning() === 0 && (await tempFiles(output)).length === 0,
    {
      timeoutMs: 60_000,
      what: "the sinks' engines to end and their temporary files to go",
    },
  );
}

Deno.test({
  name: "a cancelled sink leaves neither the file nor a temporary one",
  ...INTEGRATION,
  async fn() {
    const controller = new AbortController();
    const writing = bigCsv("cancelled.csv").collect({ signal: controller.signal });
    // Cancel once the engine is writing.
    await waitFor(async () => (await tempFiles(output)).length > 0, {
      timeoutMs: 30_000,
      intervalMs: 5,
      what: "the sink's temporary file",
    });
    controller.abort();
    await assert.rejects(writing, CancelledError);
    await settled();
    await assert.rejects(Deno.stat(join(output, "cancelled.csv")), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "a sink past its deadline leaves neither the file nor a temporary one",
  ...INTEGRATION,
  async fn() {
    // Sorted first: the engine runs past the deadline, then creates and writes its file.
    const sorted = client.scanParquet("big.parquet").sort("x").sinkCsv("late.csv");
    await assert.rejects(sorted.collect({ timeoutMs: 300 }), DeadlineExceededError);
    await settled();
    await assert.rejects(Deno.stat(join(output, "late.csv")), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "a write past POLAROID_MAX_OUTPUT_BYTES is stopped and leaves nothing",
  ...INTEGRATION,
  async fn() {
    await assert.rejects(
      bigCsv("huge.csv").collect(),
      (e: unknown) =>
        e instanceof LimitExceededError && /POLAROID_MAX_OUTPUT_BYTES/.test((e as Error).message),
    );
    await settled();
    await assert.rejects(Deno.stat(join(output, "huge.csv")), Deno.errors.NotFound);
    // A filtered one under the bound goes through.
    const small = await client.scanParquet("big.parquet").filter(sdk.col("k").lt(1000))
      .sinkCsv("small.csv").collect();
    assert.equal(pl.readCSV(join(output, "small.csv")).height, 1000);
    assert.ok(small.bytes < MAX_OUTPUT);
  },
});

Deno.test({
  name: "sink cluster stops",
  ...INTEGRATION,
  async fn() {
    await client.close();
    await cluster.stop();
    // Nothing the engine went on writing after a refusal came back under a temporary name.
    assert.deepEqual(await tempFiles(output), []);
    for (const dir of [output, local, cluster.dataRoot]) {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
