/**
 * Results out: a Parquet read → filter → Parquet write round trip, through Polaroid
 * (`client.scanParquet(glob).filter(...).sinkParquet(path).collect()`: the plan travels over
 * gRPC, the worker runs it on Polars' streaming engine into its output root) and the same
 * query in-process with nodejs-polars (`pl.scanParquet(glob).filter(...).sinkParquet(path)
 * .collect()`), alternately, on the same files. Reports the ratio Polaroid / in-process
 * (target ≤ 1.10), writes bench/results/sink-<stamp>.json and prints a markdown table.
 *
 * Options: --size-mb N, Parquet input on disk (default 256; 1024 for the 1 GB run),
 * --reps N (default 5).
 *
 * `deno task bench:sink` or `deno task bench:sink --size-mb 1024`. The task runs with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1, as the cluster runs compute workers, so that both
 * engines allocate alike.
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";
import sdk, { connect } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { intOption } from "./args.ts";
import { median } from "./stats.ts";

/** Rows per input file (about 100 MB of Parquet each): generation stays in bounded memory. */
const ROWS_PER_FILE = 4_000_000;
/** Bytes per row of the input on disk (zstd), measured: a random float, an int, a symbol, a time. */
const ESTIMATED_BYTES_PER_ROW = 10;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, 0));
}

/** Writes Parquet files of about `bytes` together under `dir`; their rows and size. */
async function writeInput(dir: string, bytes: number): Promise<{ rows: number; bytes: number }> {
  await Deno.mkdir(dir, { recursive: true });
  const rows = Math.max(1, Math.round(bytes / ESTIMATED_BYTES_PER_ROW));
  const symbols = ["AAPL", "MSFT", "GOOG", "AMZN", "EURUSD", "USDJPY", "BTCUSD", "ES", "NQ", "CL"];
  let written = 0;
  for (let file = 0, start = 0; start < rows; file++, start += ROWS_PER_FILE) {
    const n = Math.min(ROWS_PER_FILE, rows - start);
    const ts = BigInt64Array.from({ length: n }, (_, i) => BigInt(1_700_000_000_000 + start + i));
    const df = pl.DataFrame([
      pl.Series("ts", ts, pl.Int64).cast(pl.Datetime("ms")),
      pl.Series("sym", Array.from({ length: n }, (_, i) => symbols[(start + i) % symbols.length]!)),
      pl.Series("px", Float64Array.from({ length: n }, () => Math.random())),
      pl.Series("qty", Int32Array.from({ length: n }, () => Math.floor(Math.random() * 1000))),
    ]);
    const path = join(dir, `part-${String(file).padStart(4, "0")}.parquet`);
    df.writeParquet(path, { compression: "zstd" });
    written += (await Deno.stat(path)).size;
    await settle();
  }
  return { rows, bytes: written };
}

async function main() {
  const sizeMb = intOption(Deno.args, "size-mb", 256);
  const reps = intOption(Deno.args, "reps", 5);
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-sink-" });
  const outputRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-sink-out-" });
  const local = await Deno.makeTempDir({ prefix: "polaroid-bench-sink-local-" });
  try {
    console.log(`sink: writing about ${sizeMb} MB of Parquet input`);
    const input = await writeInput(join(dataRoot, "ticks"), sizeMb * 1024 * 1024);
    await using cluster = await startCluster({
      quiet: true,
      restart: false,
      dataRoot,
      env: { POLAROID_OUTPUT_ROOT: outputRoot },
    });
    await using client = await connect({
      endpoint: cluster.endpoints.compute,
      timeoutMs: 3_600_000,
    });
    const glob = "ticks/*.parquet";
    const polaroid = async () => {
      const result = await client.scanParquet(glob)
        .filter(sdk.col("px").gt(0.5).and(sdk.col("qty").lt(500)))
        .sinkParquet("out.parquet")
        .collect();
      return { rows: result.rows!, bytes: result.bytes };
    };
    const inProcess = async () => {
      const path = join(local, "out.parquet");
      await pl.scanParquet(join(dataRoot, glob))
        .filter(pl.col("px").gt(0.5).and(pl.col("qty").lt(500)))
        .sinkParquet(path)
        .collect();
      const counted = await pl.scanParquet(path).select(pl.len()).collect();
      return { rows: Number(counted.getColumn("len").get(0)), bytes: (await Deno.stat(path)).size };
    };
    // Untimed: both sides write the same rows.
    const [a, b] = [await polaroid(), await inProcess()];
    if (a.rows !== b.rows) throw new Error(`Polaroid wrote ${a.rows} rows, in-process ${b.rows}`);
    const samples = { polaroid: [] as number[], inProcess: [] as number[] };
    for (let rep = 0; rep < reps; rep++) {
      const sides: [keyof typeof samples, () => Promise<unknown>][] = [
        ["polaroid", polaroid],
        ["inProcess", inProcess],
      ];
      // Alternate the order, so warm-up and noise fall on both sides.
      for (const [name, run] of rep % 2 === 0 ? sides : sides.reverse()) {
        await settle();
        const started = performance.now();
        await run();
        samples[name].push(performance.now() - started);
      }
    }
    const ms = { polaroid: median(samples.polaroid), inProcess: median(samples.inProcess) };
    // Each rep's two runs ran back to back: the median of per-rep ratios drifts less.
    const ratio = median(samples.polaroid.map((p, i) => p / samples.inProcess[i]!));
    const result = {
      at: new Date().toISOString(),
      machine: { cores: navigator.hardwareConcurrency, deno: Deno.version.deno, os: Deno.build.os },
      input: { files: Math.ceil(input.rows / ROWS_PER_FILE), rows: input.rows, bytes: input.bytes },
      output: { rows: a.rows, polaroidBytes: a.bytes, inProcessBytes: b.bytes },
      query: "scanParquet(glob).filter(px > 0.5 and qty < 500).sinkParquet(zstd)",
      reps,
      medianMs: ms,
      ratio,
      samples,
    };
    const stamp = result.at.replaceAll(":", "-").replaceAll(".", "-");
    const file = new URL(`./results/sink-${stamp}.json`, import.meta.url);
    await Deno.writeTextFile(file, JSON.stringify(result, null, 2) + "\n");
    const f = (n: number) => Math.round(n).toLocaleString("en-US");
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(
      [
        "",
        "| input | output rows | in-process ms | Polaroid ms | ratio (paired) | target |",
        "|---|---:|---:|---:|---:|---|",
        `| ${mb(input.bytes)} MiB Parquet, ${f(input.rows)} rows | ${f(a.rows)} | ${
          f(ms.inProcess)
        } | ${f(ms.polaroid)} | ${ratio.toFixed(3)} | ${ratio <= 1.1 ? "met" : "not met"} |`,
        "",
        `Median of ${reps}; output ${mb(a.bytes)} MiB (in-process ${mb(b.bytes)} MiB).`,
        `Raw figures: ${file.pathname}`,
      ].join("\n"),
    );
  } finally {
    for (const dir of [dataRoot, outputRoot, local]) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}

if (import.meta.main) await main();
