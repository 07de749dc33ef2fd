/**
 * The markdown section of the scale-out benchmark (docs/benchmarks.md, section "scaleout").
 *
 * @module
 */

import type { PipelineResult } from "./scaleout_pipeline.ts";
import type { CacheResult } from "./scaleout_cache.ts";
import type { ThroughputResult } from "./scaleout_throughput.ts";

/** What the run measured, and how. */
export interface ScaleoutReport {
  command: string;
  source: string;
  cores: number;
  rows: number;
  steps: number;
  reps: number;
  clients: number;
  seconds: number;
  throughputRows: number;
  pipeline?: PipelineResult[];
  cache?: CacheResult;
  throughput?: ThroughputResult[];
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** The section's markdown. */
export function renderScaleout(r: ScaleoutReport): string {
  const out = [
    "## Scale-out: handle stores, worker caches, concurrent clients",
    "",
    `Produced by \`${r.command}\` on a ${r.cores}-core machine; raw figures in \`${r.source}\`.`,
    "Every service runs with the plan cache off (POLAROID_PLAN_CACHE_ENTRIES=0), so equal",
    "plans are computed again.",
  ];
  if (r.pipeline) out.push("", ...pipelineTable(r, r.pipeline));
  if (r.cache) out.push("", ...cacheTables(r.cache));
  if (r.throughput) out.push("", ...throughputTables(r, r.throughput));
  return out.join("\n") + "\n";
}

function pipelineTable(r: ScaleoutReport, results: PipelineResult[]): string[] {
  return [
    "### Per-step cost of each handle store",
    "",
    `A pipeline of ${r.steps} steps over ${int(r.rows)} rows on one worker, each step a`,
    "`withColumns` + `filter` over the previous step's handle collected into a new handle",
    `(so the external store writes every step's result before its handle exists); median of`,
    `${r.reps} × ${r.steps} steps after a warm-up pipeline. S3 is s3rver (npm) on loopback,`,
    "in the benchmark's process.",
    "",
    "| handle store | upload ms | median step ms | vs memory |",
    "|---|---:|---:|---:|",
    ...results.map((p) =>
      `| ${storeName(p.store)} | ${f1(p.uploadMs)} | ${f1(p.medianStepMs)} | ${
        f2(p.ratioToMemory)
      }× |`
    ),
  ];
}

function storeName(store: string): string {
  return store === "memory"
    ? "memory (in the worker)"
    : store === "fs"
    ? "external, directory"
    : "external, S3 (s3rver)";
}

function cacheTables(c: CacheResult): string[] {
  return [
    "### Worker cache: cold and warm reads",
    "",
    "Two workers on the external store (a directory). A handle made through worker A is read",
    "through worker B twice (the first read loads it from the store, the second finds it in",
    "B's cache) and through A, which made it; medians over the reps.",
    "",
    "| read | B cold ms | B warm ms | A (maker) ms | cold / warm |",
    "|---|---:|---:|---:|---:|",
    `| \`toArrow()\` of ${int(c.download.rows)} rows | ${f1(c.download.coldMs)} | ${
      f1(c.download.warmMs)
    } | ${f1(c.download.creatorMs)} | ${f2(c.download.coldMs / c.download.warmMs)}× |`,
    `| one-row aggregate (sum) | ${f1(c.aggregate.coldMs)} | ${f1(c.aggregate.warmMs)} | ${
      f1(c.aggregate.creatorMs)
    } | ${f2(c.aggregate.coldMs / c.aggregate.warmMs)}× |`,
    "",
    `Balancing and the cache: ${c.handles} handles of ${int(c.handleRows)} rows, uploaded`,
    "alternately to both workers, then read (a one-row aggregate each) in a seeded random",
    `order; each worker's cache (POLAROID_CACHE_BYTES=${int(c.cacheBytes)}) holds about three`,
    "quarters of them. Hits and misses are the change of `polaroid_frame_cache_lookups` on",
    "both workers over the series.",
    "",
    "| SDK balance | reads | hits | misses | evictions | hit ratio | median read ms | series ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...c.series.map((s) =>
      `| ${s.balance} | ${s.reads} | ${s.hits} | ${s.misses} | ${s.evictions} | ${
        f2(s.hitRatio)
      } | ${f1(s.medianReadMs)} | ${int(s.totalMs)} |`
    ),
  ];
}

function throughputTables(r: ScaleoutReport, results: ThroughputResult[]): string[] {
  // Workers first, then nginx, the handles service and the client (nats and ingest: JSON only).
  const rank = (n: string) =>
    n.startsWith("compute") ? 0 : n === "balancer" ? 1 : n === "handles" ? 2 : 3;
  const names = [...new Set(results.flatMap((t) => Object.keys(t.cpuSeconds)))]
    .filter((n) => n !== "nats" && n !== "ingest")
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, "en", { numeric: true }));
  const cpu = (t: ThroughputResult, n: string) =>
    t.cpuSeconds[n] === undefined
      ? "–"
      : `${f1(t.cpuSeconds[n]!)} s (${f2(t.cpuMsPerQuery[n]!)} ms/q)`;
  return [
    "### Concurrent clients against 1, 2 and 3 workers",
    "",
    `${r.clients} SDK clients in one process, each running small queries (a filter and two`,
    `aggregates over one of 4 shared handles of ${int(r.throughputRows)} rows, a new literal`,
    `each time) in a loop; ${r.seconds} s timed after a 2 s warm-up. Workers on the external`,
    "store (a directory); the clients balance round robin over the workers' endpoints (sdk)",
    "or go through nginx grpc_pass in front of them (nginx). Machine busy: the CPU seconds of",
    "the client and every cluster process over the window's wall time × cores (other load on",
    "the machine is not counted).",
    "",
    "| workers | route | queries/s | p50 ms | p99 ms | errors | machine busy |",
    "|---:|---|---:|---:|---:|---:|---:|",
    ...results.map((t) =>
      `| ${t.workers} | ${t.route} | ${int(t.queriesPerSecond)} | ${f1(t.p50Ms)} | ${
        f1(t.p99Ms)
      } | ${t.errors} | ${Math.round(100 * t.machineBusy)}% |`
    ),
    "",
    "CPU time over the timed window per process (utime + stime from /proc, the process and",
    "its children), and per query:",
    "",
    `| workers | route | ${names.join(" | ")} |`,
    `|---:|---|${names.map(() => "---:").join("|")}|`,
    ...results.map((t) =>
      `| ${t.workers} | ${t.route} | ${names.map((n) => cpu(t, n)).join(" | ")} |`
    ),
    "",
    `The machine has ${r.cores} cores, shared by the client process, every worker, the handles`,
    "service, nats-server and nginx: once the processes together use all of them (machine",
    "busy near 100%), more workers add no capacity and only split the same CPU time, so",
    "throughput cannot scale with the worker count here. The client column is the cost of",
    "the SDK side (building plans, gRPC, decoding Arrow), which a real deployment spreads",
    "over client machines.",
  ];
}
