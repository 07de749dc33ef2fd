/**
 * `deno task bench`: Polaroid over gRPC against nodejs-polars in-process, side by side in one
 * run on the same data, reported as ratios; and head(10) latency on an existing handle with 1
 * and 64 concurrent clients. Writes bench/results/<stamp>.json and docs/benchmarks.md.
 *
 * Options: --rows N (default 10_000_000), --reps N (default 5), --latency-requests N (default
 * 2000: what the single client sends; each of the 64 clients sends max(20, N/16)).
 *
 * @module
 */

import pl from "nodejs-polars";
import { tableFromIPC } from "apache-arrow";
import { col, connect, type RemoteLazyFrame } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { dimFrame, factFrame } from "./data.ts";
import { intOption } from "./args.ts";
import { median, quantile } from "./stats.ts";
import { writeReport } from "./report.ts";

interface Args {
  rows: number;
  reps: number;
  latencyRequests: number;
}

function parseArgs(args: string[]): Args {
  const get = (name: string, fallback: number) => intOption(args, name, fallback);
  return {
    rows: get("rows", 10_000_000),
    reps: get("reps", 5),
    latencyRequests: get("latency-requests", 2000),
  };
}

/** One query, written once for both sides. */
interface Query {
  name: string;
  local: (fact: pl.LazyDataFrame, dim: pl.LazyDataFrame) => pl.LazyDataFrame;
  remote: (fact: RemoteLazyFrame, dim: RemoteLazyFrame) => RemoteLazyFrame;
}

const QUERIES: Query[] = [
  {
    name: "group_by(key).agg(mean, sum)",
    local: (f) =>
      f.groupBy("key").agg(pl.col("value").mean().alias("m"), pl.col("qty").sum().alias("s")),
    remote: (f) =>
      f.groupBy("key").agg(col("value").mean().alias("m"), col("qty").sum().alias("s")),
  },
  {
    name: "filter(value > 0.5 and qty < 100)",
    local: (f) =>
      f.filter(pl.col("value").gt(0.5).and(pl.col("qty").lt(pl.lit(100).cast(pl.Int64)))),
    remote: (f) => f.filter(col("value").gt(0.5).and(col("qty").lt(100n))),
  },
  {
    name: "sort(value)",
    local: (f) => f.sort("value"),
    remote: (f) => f.sort("value"),
  },
  {
    name: "join(dim, on key)",
    local: (f, d) => f.join(d, { on: "key", how: "inner" }),
    remote: (f, d) => f.join(d, { on: "key", how: "inner" }),
  },
];

async function main() {
  const args = parseArgs(Deno.args);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  console.log(`bench: generating ${args.rows.toLocaleString("en-US")} rows`);
  const fact = factFrame(args.rows);
  const dim = dimFrame();
  await using cluster = await startCluster({ quiet: true, restart: false });
  await using client = await connect({ endpoint: cluster.endpoints.compute, timeoutMs: 600_000 });
  console.log("bench: uploading to the cluster");
  const t0 = performance.now();
  await using remoteFact = await client.fromArrow(tableFromIPC(fact.writeIPCStream()));
  const uploadMs = performance.now() - t0;
  await using remoteDim = await client.fromArrow(tableFromIPC(dim.writeIPCStream()));
  console.log(`bench: uploaded in ${uploadMs.toFixed(0)} ms`);

  const queries = [];
  for (const q of QUERIES) {
    const local: number[] = [];
    const remote: number[] = [];
    let rowsLocal = 0;
    let rowsRemote = 0;
    for (let rep = 0; rep < args.reps; rep++) {
      // Alternate which side goes first, so warm-up and noise fall on both.
      const order = rep % 2 === 0 ? ["local", "remote"] : ["remote", "local"];
      for (const side of order) {
        gc();
        await new Promise((r) => setTimeout(r, 0));
        if (side === "local") {
          const s = performance.now();
          const out = await q.local(fact.lazy(), dim.lazy()).collect();
          local.push(performance.now() - s);
          rowsLocal = out.height;
        } else {
          const s = performance.now();
          const out = await q.remote(remoteFact.lazy(), remoteDim.lazy()).collect();
          remote.push(performance.now() - s);
          rowsRemote = out.height;
          await out.release();
          // The worker frees the result after the release; let it finish, as the in-process
          // side collects its garbage before each run, so neither pays for the other's frees.
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
    if (rowsLocal !== rowsRemote) {
      throw new Error(`${q.name}: ${rowsLocal} rows in-process, ${rowsRemote} remote`);
    }
    const row = {
      query: q.name,
      rows: rowsLocal,
      inProcessMs: median(local),
      polaroidMs: median(remote),
      ratio: median(remote) / median(local),
      samples: { inProcess: local, polaroid: remote },
    };
    console.log(
      `bench: ${q.name.padEnd(36)} in-process ${row.inProcessMs.toFixed(1)} ms, polaroid ${
        row.polaroidMs.toFixed(1)
      } ms, ratio ${row.ratio.toFixed(3)}`,
    );
    queries.push(row);
  }

  const latency = [];
  for (const clients of [1, 64]) {
    const perClient = clients === 1
      ? args.latencyRequests
      : Math.max(20, Math.ceil(args.latencyRequests / 16));
    const conns = await Promise.all(
      Array.from({ length: clients }, () => connect({ endpoint: cluster.endpoints.compute })),
    );
    const samples: number[] = [];
    const head = async (i: number) => {
      const c = conns[i]!;
      const df = await c.handle(remoteFact.id);
      for (let k = 0; k < 20; k++) await df.lazy().head(10).toArrow(); // warm-up
      for (let k = 0; k < perClient; k++) {
        const s = performance.now();
        const t = await df.lazy().head(10).toArrow();
        samples.push(performance.now() - s);
        if (t.numRows !== 10) throw new Error(`head(10) gave ${t.numRows} rows`);
      }
    };
    const s = performance.now();
    await Promise.all(conns.map((_, i) => head(i)));
    const wallMs = performance.now() - s;
    for (const c of conns) await c.close();
    const row = {
      clients,
      requests: samples.length,
      p50Ms: quantile(samples, 0.5),
      p99Ms: quantile(samples, 0.99),
      throughputPerSec: samples.length / (wallMs / 1000),
    };
    console.log(
      `bench: head(10) with ${String(clients).padStart(2)} client(s): p50 ${
        row.p50Ms.toFixed(3)
      } ms, p99 ${row.p99Ms.toFixed(3)} ms, ${row.throughputPerSec.toFixed(0)} req/s`,
    );
    latency.push(row);
  }

  await writeReport({
    at: new Date().toISOString(),
    machine: { cores: navigator.hardwareConcurrency, deno: Deno.version.deno, os: Deno.build.os },
    rows: args.rows,
    reps: args.reps,
    uploadMs,
    queries,
    latency,
  });
}

if (import.meta.main) await main();
