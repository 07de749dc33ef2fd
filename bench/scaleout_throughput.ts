/**
 * Scale-out, part 3: throughput of many concurrent SDK clients (default 64, in this process)
 * against 1, 2 and 3 workers on the external store (a directory), first through the SDK's
 * own balancing (the endpoints list, round robin), then through nginx in front of the
 * workers. Each client runs small queries (a filter and two aggregates over one of a few
 * shared handles, a different literal each time) in a loop for a fixed time. The CPU time of
 * every process over the timed window comes from /proc (utime + stime of its tree).
 *
 * @module
 */

import type { Table } from "apache-arrow";
import { type Client, col, connect, lit, type RemoteDataFrame } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { cpuDelta, processCpuSeconds, sampleCpu } from "./scaleout_cpu.ts";
import { quantile } from "./stats.ts";

/** How the clients reach the workers. */
export type Route = "sdk" | "nginx";

/** Options of the throughput run. */
export interface ThroughputOptions {
  /** Worker counts, one cluster each. @default [1, 2, 3] */
  workerCounts?: readonly number[];
  clients: number;
  /** The shared handles' frame, uploaded `handles` times. */
  table: Table;
  /** @default 4 */
  handles?: number;
  seconds: number;
  /** Untimed running before the window. @default 2 */
  warmUpSeconds?: number;
  ticksPerSecond: number;
  env: Record<string, string>;
  log: (line: string) => void;
}

/** The figures of one window. */
export interface ThroughputResult {
  workers: number;
  route: Route;
  clients: number;
  seconds: number;
  queries: number;
  errors: number;
  queriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds over the window per process ("client" is this process). */
  cpuSeconds: Record<string, number>;
  /** CPU milliseconds per query per process. */
  cpuMsPerQuery: Record<string, number>;
  /** Every process's CPU seconds over wall seconds × cores: at most 1. */
  machineBusy: number;
  /** Wall time between the two CPU samples. */
  windowSeconds: number;
}

/** Runs every worker count × route. */
export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const workers of options.workerCounts ?? [1, 2, 3]) {
    results.push(...await runCluster(workers, options));
  }
  return results;
}

async function runCluster(workers: number, options: ThroughputOptions) {
  const stateDir = await Deno.makeTempDir({ prefix: "polaroid-bench-state-" });
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-data-" });
  options.log(`throughput: starting ${workers} worker(s) behind nginx`);
  const cluster = await startCluster({
    quiet: true,
    restart: false,
    exitOnSignal: false,
    workers,
    balancer: true,
    dataRoot,
    env: { ...options.env, POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: stateDir },
  });
  try {
    const endpoints = cluster.endpoints.computeWorkers;
    await using setup = await connect({ endpoints, timeoutMs: 120_000 });
    const ids: string[] = [];
    for (let i = 0; i < (options.handles ?? 4); i++) {
      ids.push((await setup.fromArrow(options.table)).id);
    }
    const out: ThroughputResult[] = [];
    for (const route of ["sdk", "nginx"] as const) {
      const connectOptions = route === "sdk"
        ? { endpoints, balance: "round_robin" as const }
        : { endpoint: cluster.endpoints.balancer! };
      const clients = await Promise.all(
        Array.from(
          { length: options.clients },
          () => connect({ ...connectOptions, timeoutMs: 30_000, connectTimeoutMs: 10_000 }),
        ),
      );
      try {
        // One client at a time: 64 × handles calls at once would pass a worker's call limit.
        const frames: RemoteDataFrame[][] = [];
        for (const c of clients) frames.push(await Promise.all(ids.map((id) => c.handle(id))));
        const result = await window(workers, route, clients, frames, cluster.pids(), options);
        options.log(
          `throughput: ${workers} worker(s) via ${route}: ${
            result.queriesPerSecond.toFixed(0)
          } queries/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ` +
            `${result.errors} errors, machine busy ${(100 * result.machineBusy).toFixed(0)}%`,
        );
        out.push(result);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    }
    return out;
  } finally {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    await Deno.remove(dataRoot, { recursive: true }).catch(() => {});
  }
}

/** Every client loops until the deadline; latencies are kept only inside the window. */
async function window(
  workers: number,
  route: Route,
  clients: Client[],
  frames: RemoteDataFrame[][],
  pids: Record<string, number>,
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  const warmUpMs = (options.warmUpSeconds ?? 2) * 1000;
  const begin = performance.now();
  const windowStart = begin + warmUpMs;
  const windowEnd = windowStart + options.seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  // The cluster's processes are children of this one: the client counts alone, not as a tree.
  // CPU samples at the window's ends (timers, so a slow last query does not stretch it).
  let before: { at: number; cpu: Record<string, number> } | undefined;
  let after: { at: number; cpu: Record<string, number> } | undefined;
  const sample = () => ({
    at: performance.now(),
    cpu: {
      ...sampleCpu(pids, options.ticksPerSecond),
      client: processCpuSeconds(Deno.pid, options.ticksPerSecond),
    },
  });
  const timers = [
    setTimeout(() => before = sample(), warmUpMs),
    setTimeout(() => after = sample(), warmUpMs + options.seconds * 1000),
  ];
  const loop = async (c: number) => {
    const own = frames[c]!;
    let i = c;
    while (performance.now() < windowEnd) {
      const frame = own[i % own.length]!;
      const threshold = (i * 37 + c) % 1000;
      i++;
      const started = performance.now();
      try {
        const rows = await frame.lazy()
          .filter(col("key").lt(lit(threshold)))
          .select(col("value").sum().alias("s"), col("qty").max().alias("m"))
          .toRecords();
        if (rows.length !== 1) throw new Error(`a query returned ${rows.length} rows`);
        if (started >= windowStart && performance.now() <= windowEnd) {
          latencies.push(performance.now() - started);
        }
      } catch {
        if (started >= windowStart) errors++;
      }
    }
  };
  try {
    await Promise.all(clients.map((_, c) => loop(c)));
  } finally {
    timers.forEach(clearTimeout);
  }
  after ??= sample();
  before ??= { at: windowStart, cpu: {} };
  const wall = (after.at - before.at) / 1000;
  const cpuSeconds = cpuDelta(before.cpu, after.cpu);
  const queries = latencies.length;
  const total = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
  return {
    workers,
    route,
    clients: clients.length,
    seconds: options.seconds,
    queries,
    errors,
    queriesPerSecond: queries / options.seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuSeconds,
    cpuMsPerQuery: Object.fromEntries(
      Object.entries(cpuSeconds).map(([k, s]) => [k, (1000 * s) / Math.max(1, queries)]),
    ),
    machineBusy: total / (wall * navigator.hardwareConcurrency),
    windowSeconds: wall,
  };
}
