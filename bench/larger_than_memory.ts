/**
 * Larger than memory: a group-by over a generated Parquet dataset whose in-memory size is at
 * least 10× the compute worker's memory cap, run on the streaming engine through the SDK
 * (`toArrow({ streaming: true })`). The cap is enforced on the worker process with a cgroup
 * v1 memory controller (bench/larger_than_memory_cgroup.ts); the worker's peak RSS (VmHWM)
 * and the cgroup's peak charge are reported against it, and the result is checked against a
 * chunked reference computed in this process (per-file partial aggregates, combined).
 * Writes bench/results/larger_than_memory-<stamp>.json and prints a summary.
 *
 * Options: --cap SIZE (default 384M), --ratio N (dataset in-memory ≥ N × cap, default 10),
 * --rows-per-file N (default 4_000_000), --files N (at least this many), --keep (keep the
 * dataset), --control (afterwards, run the same query on the in-memory engine under the cap;
 * expect the worker to be killed).
 *
 * `deno run -A --v8-flags=--expose-gc bench/larger_than_memory.ts` (as root, for the cgroup)
 *
 * @module
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import type { Table } from "apache-arrow";
import { col, connect } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { createMemoryCap, processMemory, sampleMemory } from "./larger_than_memory_cgroup.ts";
import { writeDataset } from "./streaming_data.ts";
import { intOption, optionText } from "./args.ts";

interface Args {
  cap: number;
  ratio: number;
  rowsPerFile: number;
  files: number;
  keep: boolean;
  control: boolean;
}

const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

function parseArgs(args: string[]): Args {
  const value = (name: string) => optionText(args, name);
  const int = (name: string, fallback: number) => intOption(args, name, fallback);
  const capText = value("cap") ?? "384M";
  const match = /^(\d+)\s*([kmg]?)i?b?$/i.exec(capText);
  if (!match) {
    throw new RangeError(`--cap must be a size such as 256M: current value is ${capText}`);
  }
  return {
    cap: Number(match[1]) * UNITS[match[2]!.toLowerCase()]!,
    ratio: int("ratio", 10),
    rowsPerFile: int("rows-per-file", 4_000_000),
    files: int("files", 1),
    keep: args.includes("--keep"),
    control: args.includes("--control"),
  };
}

/** The benchmark's aggregation, as the SDK sends it. */
function remoteAggs() {
  return [
    col("qty").sum().alias("qty_sum"),
    col("qty").count().alias("n"),
    col("value").mean().alias("value_mean"),
    col("price").min().alias("price_min"),
    col("price").max().alias("price_max"),
  ];
}

/** The same aggregation, chunked: partial aggregates per file, combined at the end. */
function reference(files: readonly string[]): pl.DataFrame {
  const partials = files.map((file) =>
    pl.readParquet(file).groupBy("key").agg(
      pl.col("qty").sum().alias("qty_sum"),
      pl.col("qty").count().cast(pl.Int64).alias("n"),
      pl.col("value").sum().alias("value_sum"),
      pl.col("price").min().alias("price_min"),
      pl.col("price").max().alias("price_max"),
    )
  );
  return pl.concat(partials).groupBy("key").agg(
    pl.col("qty_sum").sum(),
    pl.col("n").sum(),
    pl.col("value_sum").sum(),
    pl.col("price_min").min(),
    pl.col("price_max").max(),
  ).sort("key");
}

/** Checks the remote result against the reference (means to 1e-9 relative). */
function check(remote: Table, expected: pl.DataFrame): void {
  assert.equal(remote.numRows, expected.height, "groups");
  const column = (name: string) => [...remote.getChild(name)!].map((v) => Number(v));
  const want = (name: string) => expected.getColumn(name).toArray().map((v) => Number(v));
  for (const name of ["key", "qty_sum", "n", "price_min", "price_max"]) {
    assert.deepEqual(column(name), want(name), name);
  }
  const sums = want("value_sum");
  const counts = want("n");
  column("value_mean").forEach((mean, i) => {
    const ref = sums[i]! / counts[i]!;
    assert.ok(Math.abs(mean - ref) <= 1e-9 * Math.abs(ref), `value_mean[${i}]: ${mean} ≠ ${ref}`);
  });
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const args = parseArgs(Deno.args);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-ltm-" });
  const bytesPerFile = args.rowsPerFile * 36;
  const files = Math.max(args.files, Math.ceil((args.ratio * args.cap) / bytesPerFile));
  console.log(
    `larger-than-memory: writing ${files} Parquet files of ${args.rowsPerFile} rows ` +
      `(~${mib(files * bytesPerFile)} in memory, ${args.ratio}× a ${mib(args.cap)} cap)`,
  );
  let started = performance.now();
  const dataset = await writeDataset(`${dataRoot}/ltm`, files, { rowsPerFile: args.rowsPerFile });
  const generateMs = performance.now() - started;
  gc();
  console.log(
    `larger-than-memory: ${dataset.rows.toLocaleString("en-US")} rows, ${
      mib(dataset.inMemoryBytes)
    } in memory, ${mib(dataset.onDiskBytes)} on disk, in ${(generateMs / 1000).toFixed(1)} s`,
  );
  if (dataset.inMemoryBytes < args.ratio * args.cap) {
    throw new Error(`the dataset is smaller than ${args.ratio}× the cap`);
  }

  const cap = await createMemoryCap(args.cap);
  if (!cap) {
    console.warn("larger-than-memory: no cgroup v1 memory controller: the cap is NOT enforced");
  }
  const cluster = await startCluster({
    quiet: true,
    restart: false,
    dataRoot,
    entryPoints: { compute: "bench/larger_than_memory_worker.ts" },
    serviceEnv: { compute: cap ? { BENCH_CGROUP: cap.path } : {} },
  });
  const pid = cluster.pids().compute!;
  try {
    if (cap && !(await cap.pids()).includes(pid)) {
      throw new Error(`the worker (pid ${pid}) is not in ${cap.path}`);
    }
    await using client = await connect({
      endpoint: cluster.endpoints.compute,
      timeoutMs: 3_600_000,
    });
    const before = await processMemory(pid);
    await cap?.resetPeak(pid);
    const sampler = sampleMemory(pid);
    started = performance.now();
    const remote = await client.scanParquet("ltm/*.parquet")
      .groupBy("key").agg(...remoteAggs()).sort("key")
      .toArrow({ streaming: true });
    const queryMs = performance.now() - started;
    const sampled = await sampler.stop();
    const after = await processMemory(pid);
    const usage = await cap?.usage();
    console.log(`larger-than-memory: the query took ${(queryMs / 1000).toFixed(1)} s`);

    started = performance.now();
    const expected = reference(dataset.files);
    const referenceMs = performance.now() - started;
    check(remote, expected);
    console.log(
      `larger-than-memory: the result matches the chunked reference (${expected.height} groups)`,
    );

    let control: string | undefined;
    if (args.control && cap) {
      control = await client.scanParquet("ltm/*.parquet")
        .groupBy("key").agg(...remoteAggs()).sort("key").toArrow()
        .then((t) => `the in-memory engine finished (${t.numRows} rows)`)
        .catch((e) => `the in-memory engine failed: ${(e as Error).name}: ${(e as Error).message}`);
      control += `; OOM kills in the cgroup: ${(await cap.usage()).oomKills}`;
      console.log(`larger-than-memory: control: ${control}`);
    }

    const result = {
      at: new Date().toISOString(),
      machine: { cores: navigator.hardwareConcurrency, deno: Deno.version.deno, os: Deno.build.os },
      capBytes: args.cap,
      capEnforced: cap !== undefined,
      dataset: {
        files: dataset.files.length,
        rows: dataset.rows,
        inMemoryBytes: dataset.inMemoryBytes,
        onDiskBytes: dataset.onDiskBytes,
        inMemoryToCap: dataset.inMemoryBytes / args.cap,
        generateMs,
      },
      query: "groupBy(key).agg(sum, count, mean, min, max).sort(key), streaming: true",
      queryMs,
      rowsPerSecond: dataset.rows / (queryMs / 1000),
      worker: {
        rssBeforeBytes: before.rssBytes,
        peakRssBytes: after.hwmBytes,
        peakRssToCap: after.hwmBytes / args.cap,
        sampledPeakAnonBytes: sampled.peakAnonBytes,
        sampledPeakFileBytes: sampled.peakFileBytes,
        peakAnonToCap: sampled.peakAnonBytes / args.cap,
        cgroup: usage,
      },
      referenceMs,
      resultMatches: true,
      control,
    };
    const stamp = result.at.replaceAll(":", "-").replaceAll(".", "-");
    const file = new URL(`./results/larger_than_memory-${stamp}.json`, import.meta.url);
    await Deno.writeTextFile(file, JSON.stringify(result, null, 2) + "\n");
    console.log(
      [
        "",
        "| dataset in memory | on disk | rows | worker cap | cgroup peak | peak RSS (VmHWM) | of which anonymous | query s | rows/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        `| ${mib(dataset.inMemoryBytes)} | ${mib(dataset.onDiskBytes)} | ${
          dataset.rows.toLocaleString("en-US")
        } | ${mib(args.cap)}${cap ? "" : " (not enforced)"} | ${
          usage ? mib(usage.maxUsageBytes) : "n/a"
        } | ${mib(after.hwmBytes)} | ${mib(sampled.peakAnonBytes)} | ${
          (queryMs / 1000).toFixed(1)
        } | ${Math.round(result.rowsPerSecond).toLocaleString("en-US")} |`,
        "",
        `Worker RSS before the query: ${mib(before.rssBytes)}; peak mapped file pages (Parquet ` +
        `through mmap, page cache the kernel can drop): ${mib(sampled.peakFileBytes)}; cap hits ` +
        `(the kernel reclaimed): ${usage?.failCount ?? "n/a"}; OOM kills: ${
          usage?.oomKills ?? "n/a"
        }.`,
        `Raw figures: ${file.pathname}`,
      ].join("\n"),
    );
  } finally {
    await cluster.stop();
    await cap?.remove();
    if (!args.keep) await Deno.remove(dataRoot, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
