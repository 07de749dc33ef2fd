/**
 * Streaming collect: rows/s of a large handle read through the SDK (`df.stream()`, Arrow
 * record batches decoded), side by side in one run with the same bytes in the same message
 * sizes through a raw grpc-js server-stream (bench/streaming_raw.ts, its own process like
 * the compute worker). Also times a Collect read without Arrow decoding, and measures the
 * client's and the worker's memory growth while streaming. Writes
 * bench/results/streaming-<stamp>.json and prints a markdown table.
 *
 * Options: --rows N (default 20_000_000), --batch-size N (default 65536), --reps N
 * (default 3).
 *
 * `deno run -A --v8-flags=--expose-gc bench/streaming.ts`
 *
 * @module
 */

import { RpcClient } from "../shared/grpc/client.ts";
import { DATAFRAME_SERVICE } from "../sdk/transport/arrow.ts";
import { connect, type RemoteDataFrame } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { intOption } from "./args.ts";
import { median } from "./stats.ts";
import { rawClient, readRaw } from "./streaming_raw.ts";
import { writeDataset } from "./streaming_data.ts";
import { type ServerProcess, spawnServer } from "./spawn.ts";

interface Args {
  rows: number;
  batchSize: number;
  reps: number;
}

function parseArgs(args: string[]): Args {
  const get = (name: string, fallback: number) => intOption(args, name, fallback);
  return {
    rows: get("rows", 20_000_000),
    batchSize: get("batch-size", 65536),
    reps: get("reps", 3),
  };
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, 0));
}

/** Starts the raw server as its own process. */
function spawnRawServer(filtered: boolean): Promise<ServerProcess> {
  return spawnServer(
    new URL("./streaming_raw.ts", import.meta.url),
    filtered ? ["--filtered"] : [],
  );
}

/** The median over reps of baseline time / measured time (≤ 1: slower than the baseline). */
function pairedRatio(baseline: readonly number[], measured: readonly number[]): number {
  return median(baseline.map((b, i) => b / measured[i]!));
}

/** Per second of each side's median, for `amount` per run. */
function perSecond<K extends string>(ms: Record<K, number>, amount: number): Record<K, number> {
  return Object.fromEntries(
    Object.entries<number>(ms).map(([k, v]) => [k, amount / (v / 1000)]),
  ) as Record<K, number>;
}

/** The worker's resident memory, from its /metrics. */
async function workerRss(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split("\n").find((l) => l.startsWith("polaroid_process_resident_memory_bytes"));
  return Number(line?.split(" ").at(-1));
}

async function main() {
  const args = parseArgs(Deno.args);
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-stream-" });
  const rowsPerFile = Math.min(args.rows, 4_000_000);
  const files = Math.ceil(args.rows / rowsPerFile);
  console.log(
    `streaming: writing ${files} Parquet files (${args.rows.toLocaleString("en-US")} rows)`,
  );
  const dataset = await writeDataset(`${dataRoot}/s`, files, { rowsPerFile });
  await using cluster = await startCluster({ quiet: true, restart: false, dataRoot });
  const raw = await spawnRawServer(false);
  const rawFiltered = await spawnRawServer(true);
  await using client = await connect({ endpoint: cluster.endpoints.compute, timeoutMs: 3_600_000 });
  const rpc = new RpcClient(cluster.endpoints.compute, DATAFRAME_SERVICE, {
    timeoutMs: 3_600_000,
  });
  const baseline = rawClient(raw.endpoint);
  const filteredBaseline = rawClient(rawFiltered.endpoint);
  try {
    await using df: RemoteDataFrame = await client.scanParquet("s/*.parquet").collect();
    const rows = df.height;
    console.log(`streaming: a handle of ${rows.toLocaleString("en-US")} rows × 5 columns`);

    // The message sizes Polaroid sends (and a Collect read without Arrow decoding).
    const collectRaw = async () => {
      const sizes: number[] = [];
      const request = {
        source: { $case: "handle" as const, value: df.id },
        batchSize: args.batchSize,
        startBatch: 0n,
        streaming: false,
        engine: 0,
        bulk: false,
      };
      for await (const m of rpc.serverStream("collect", request)) sizes.push(m.arrowIpc.byteLength);
      return sizes;
    };
    const sizes = await collectRaw();
    const bytes = sizes.reduce((a, b) => a + b, 0);
    const sdk = async () => {
      let n = 0;
      for await (const batch of df.stream({ batchSize: args.batchSize })) n += batch.numRows;
      if (n !== rows) throw new Error(`the SDK read ${n} of ${rows} rows`);
    };
    const rawRead = (c: typeof baseline) => async () => {
      const got = await readRaw(c, sizes);
      if (got !== bytes) throw new Error(`the raw stream carried ${got} of ${bytes} bytes`);
    };

    const samples = {
      sdk: [] as number[],
      collect: [] as number[],
      raw: [] as number[],
      rawFiltered: [] as number[],
    };
    const sides: [keyof typeof samples, () => Promise<unknown>][] = [
      ["sdk", sdk],
      ["collect", collectRaw],
      ["raw", rawRead(baseline)],
      ["rawFiltered", rawRead(filteredBaseline)],
    ];
    // Warm-up of the raw channels (Polaroid's ran above).
    await rawRead(baseline)();
    await rawRead(filteredBaseline)();
    for (let rep = 0; rep < args.reps; rep++) {
      // Alternate the order, so warm-up and noise fall on every side.
      const order = rep % 2 === 0 ? sides : [...sides].reverse();
      for (const [name, run] of order) {
        await settle();
        const started = performance.now();
        await run();
        samples[name].push(performance.now() - started);
      }
    }

    // Memory while streaming (untimed): client heap + external after a GC, worker RSS.
    const metricsUrl = `${cluster.endpoints.computeHttp}/metrics`;
    await settle();
    const clientBase = Deno.memoryUsage().heapUsed + Deno.memoryUsage().external;
    const workerBase = await workerRss(metricsUrl);
    let clientPeak = 0;
    let workerPeak = 0;
    let batches = 0;
    for await (const _ of df.stream({ batchSize: args.batchSize })) {
      if (++batches % 20 === 0) {
        await settle();
        const m = Deno.memoryUsage();
        clientPeak = Math.max(clientPeak, m.heapUsed + m.external - clientBase);
        workerPeak = Math.max(workerPeak, (await workerRss(metricsUrl)) - workerBase);
      }
    }

    const ms = {
      sdk: median(samples.sdk),
      collect: median(samples.collect),
      raw: median(samples.raw),
      rawFiltered: median(samples.rawFiltered),
    };
    const result = {
      at: new Date().toISOString(),
      machine: { cores: navigator.hardwareConcurrency, deno: Deno.version.deno, os: Deno.build.os },
      rows,
      columns: 5,
      batchSize: args.batchSize,
      messages: sizes.length,
      bytes,
      dataset: { files: dataset.files.length, inMemoryBytes: dataset.inMemoryBytes },
      reps: args.reps,
      medianMs: ms,
      rowsPerSecond: perSecond(ms, rows),
      megabytesPerSecond: perSecond(ms, bytes / 1e6),
      // Each rep's sides ran back to back: the median of per-rep ratios is less exposed to
      // the machine's drift than the ratio of medians.
      ratio: {
        sdkToRaw: pairedRatio(samples.raw, samples.sdk),
        collectToRaw: pairedRatio(samples.raw, samples.collect),
        sdkToRawFiltered: pairedRatio(samples.rawFiltered, samples.sdk),
        collectToRawFiltered: pairedRatio(samples.rawFiltered, samples.collect),
      },
      memory: { clientPeakGrowthBytes: clientPeak, workerPeakRssGrowthBytes: workerPeak },
      samples,
    };
    const stamp = result.at.replaceAll(":", "-").replaceAll(".", "-");
    const file = new URL(`./results/streaming-${stamp}.json`, import.meta.url);
    await Deno.writeTextFile(file, JSON.stringify(result, null, 2) + "\n");
    const f = (n: number) => Math.round(n).toLocaleString("en-US");
    const row = (label: string, key: keyof typeof ms) =>
      `| ${label} | ${f(ms[key])} | ${f(result.rowsPerSecond[key])} | ${
        f(result.megabytesPerSecond[key])
      } | ${pairedRatio(samples.raw, samples[key]).toFixed(3)} | ${
        pairedRatio(samples.rawFiltered, samples[key]).toFixed(3)
      } |`;
    console.log(
      [
        "",
        "| read | median ms | rows/s | MB/s | vs raw grpc-js (paired) | vs raw + GOAWAY filter (paired) |",
        "|---|---:|---:|---:|---:|---:|",
        row("SDK df.stream() (Arrow decoded)", "sdk"),
        row("Collect, no Arrow decoding", "collect"),
        row("raw grpc-js byte stream", "raw"),
        row("raw grpc-js through the GOAWAY filter", "rawFiltered"),
        "",
        `${f(rows)} rows, ${f(bytes)} bytes in ${sizes.length} messages of ${args.batchSize} ` +
        `rows; client memory growth ${f(clientPeak / 1e6)} MB, worker RSS growth ${
          f(workerPeak / 1e6)
        } MB.`,
        `Raw figures: ${file.pathname}`,
      ].join("\n"),
    );
  } finally {
    // The raw servers first: the plain one would trip over its client's GOAWAY on close
    // (the Deno bug the GOAWAY filter works around, docs/adr/0005), so they are killed.
    await raw.stop();
    await rawFiltered.stop();
    baseline.close();
    filteredBaseline.close();
    rpc.close();
    await Deno.remove(dataRoot, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
