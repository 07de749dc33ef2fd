/**
 * `deno task bench`: Polaroid side by side with its peers in one run on the same data, in
 * five parts (each runnable alone with `--only`):
 *
 * - queries: the five standard queries on Polaroid (in-memory and streaming engine) against
 *   nodejs-polars in-process (both engines), Python Polars (both engines) and DuckDB
 *   (bench/queries.ts);
 * - results: `toArrow()` of the join's result against the same bytes over raw TCP;
 * - latency: head(10) with 1 and 64 clients against a raw grpc-js unary echo;
 * - upload: `fromArrow()` against a raw grpc-js client stream (bench/transfer.ts,
 *   bench/latency.ts);
 * - store: per-step cost with the directory and S3 handle stores against memory
 *   (bench/store_steps.ts).
 *
 * Writes bench/results/<stamp>.json and the main section of docs/benchmarks.md; progress
 * lines go to stderr. Options: bench/bench_args.ts (--rows N, --reps N, --latency-requests N,
 * --store-rows N, --store-steps N, --only PARTS).
 *
 * @module
 */

import { tableFromIPC } from "apache-arrow";
import { connect } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { freePort } from "../scripts/_ports.ts";
import { dimFrame, factFrame } from "./data.ts";
import { parseBenchArgs } from "./bench_args.ts";
import { type BenchRun, writeReport } from "./report.ts";
import { type PeerResult, runPeers, runQueries, writePeerData } from "./queries.ts";
import { QUERIES } from "./query_set.ts";
import { runResults, runUpload } from "./transfer.ts";
import { runLatency } from "./latency.ts";
import { runStore } from "./store_steps.ts";

const log = (line: string) => console.error(`bench: ${line}`);

async function nodejsPolarsVersion(): Promise<string> {
  const imports = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)))
    .imports as Record<string, string>;
  return imports["nodejs-polars"]?.split("@").at(-1) ?? "unknown";
}

async function main() {
  const args = parseBenchArgs(Deno.args);
  const only = args.only;
  const run: BenchRun = {
    at: new Date().toISOString(),
    command: ["deno task bench", ...Deno.args].join(" "),
    machine: {
      cores: navigator.hardwareConcurrency,
      deno: Deno.version.deno,
      os: Deno.build.os,
      nodejsPolars: await nodejsPolarsVersion(),
    },
    rows: args.rows,
    reps: args.reps,
  };
  const started = performance.now();
  const tempDir = await Deno.makeTempDir({ prefix: "polaroid-bench-" });
  try {
    if (["queries", "results", "latency", "upload"].some((p) => only.has(p as never))) {
      log(`generating ${args.rows.toLocaleString("en-US")} rows`);
      const fact = factFrame(args.rows, 7, { subKeys: true });
      const dim = dimFrame();
      let peers: PeerResult | undefined;
      if (only.has("queries")) {
        // The Python peers run first and alone, on the data written once as Parquet.
        await writePeerData(tempDir, fact, dim);
        log("running the Python peers (Python Polars, DuckDB)");
        peers = await runPeers(tempDir, args.reps, log);
        const { engines: _, ...about } = peers;
        run.peers = about;
      }
      log("starting the cluster");
      // With the bulk port (docs/adr/0016): large results and uploads go over it; a second
      // client keeps everything on gRPC for the same transfers.
      await using cluster = await startCluster({
        quiet: true,
        restart: false,
        serviceEnv: { compute: { POLAROID_BULK_PORT: String(freePort()) } },
      });
      const endpoint = cluster.endpoints.compute;
      await using client = await connect({ endpoint, timeoutMs: 3_600_000 });
      await using grpcOnly = await connect({ endpoint, timeoutMs: 3_600_000, bulk: false });
      const factTable = tableFromIPC(fact.writeIPCStream());
      const t0 = performance.now();
      await using remoteFact = await client.fromArrow(factTable);
      run.uploadMs = performance.now() - t0;
      await using remoteDim = await client.fromArrow(tableFromIPC(dim.writeIPCStream()));
      log(`uploaded in ${run.uploadMs.toFixed(0)} ms`);
      if (peers) {
        log("queries");
        run.queries = await runQueries({
          fact,
          dim,
          remoteFact,
          remoteDim,
          reps: args.reps,
          peers,
          log,
          workerPid: cluster.pids().compute,
        });
      }
      if (only.has("results")) {
        const join = QUERIES.find((q) => q.id === "join")!;
        await using joined = await join.remote(remoteFact.lazy(), remoteDim.lazy()).collect();
        log(`results: toArrow() of the join (${joined.height} rows) against raw TCP`);
        run.results = await runResults({ endpoint, frame: joined, reps: args.reps, tempDir });
        log(`results: speed ${run.results.speed.toFixed(3)} of raw TCP (bulk port)`);
        const viaGrpc = await grpcOnly.handle(joined.id);
        run.resultsGrpc = await runResults({ endpoint, frame: viaGrpc, reps: args.reps, tempDir });
        log(`results: speed ${run.resultsGrpc.speed.toFixed(3)} of raw TCP (gRPC)`);
      }
      if (only.has("latency")) {
        run.latency = await runLatency({
          endpoint,
          handleId: remoteFact.id,
          requests: args.latencyRequests,
          log,
        });
      }
      if (only.has("upload")) {
        log("upload: fromArrow() against a raw grpc-js client stream");
        run.upload = await runUpload(client, factTable, args.reps);
        log(`upload: speed ${run.upload.speed.toFixed(3)} of raw grpc-js (bulk port)`);
        run.uploadGrpc = await runUpload(grpcOnly, factTable, args.reps);
        log(`upload: speed ${run.uploadGrpc.speed.toFixed(3)} of raw grpc-js (gRPC)`);
      }
    }
    if (only.has("store")) {
      run.store = await runStore({
        rows: args.storeRows,
        steps: args.storeSteps,
        reps: args.reps,
        log,
      });
    }
  } finally {
    await Deno.remove(tempDir, { recursive: true }).catch(() => {});
  }
  const source = await writeReport(run);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  log(`wrote ${source} and docs/benchmarks.md`);
}

if (import.meta.main) await main();
