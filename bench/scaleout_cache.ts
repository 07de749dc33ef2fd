/**
 * Scale-out, part 2: the frame cache of workers on the external store (a directory), two
 * workers, each with a bounded cache.
 *
 * - Cold against warm: a handle made on worker A is read through worker B twice (the first
 *   read loads it from the store, the second finds it in B's cache) and through A (which
 *   made it): a whole download (`toArrow`) and a one-row aggregate.
 * - Balancing: a series of reads of several handles, in a seeded random order, from a client
 *   balancing round robin and from one balancing by affinity (rendezvous hashing of the
 *   handle); the hit ratio is the change of `polaroid_frame_cache_lookups` over the series on
 *   both workers. Each worker's cache holds about three quarters of the handles: round robin
 *   sends every handle to both workers, affinity each to one.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import { col, connect, lit, type RemoteDataFrame } from "../sdk/mod.ts";
import type { BalanceMode } from "../sdk/transport/balancer.ts";
import { startCluster } from "../scripts/cluster.ts";
import { type CacheLookups, fetchCacheLookups, workerStatusUrls } from "./scaleout_cpu.ts";
import { median } from "./stats.ts";

/** Options of the cache run. */
export interface CacheOptions {
  /** The frame read cold and warm (the pipeline's base frame). */
  table: Table;
  /** A smaller frame, uploaded `handles` times for the balancing series. */
  smallTable: Table;
  /** The engine's estimate of smallTable's size in memory. */
  smallBytes: number;
  /** Handles in the balancing series. @default 12 */
  handles?: number;
  /** Reads in the balancing series. @default 5 × handles */
  reads?: number;
  reps: number;
  env: Record<string, string>;
  log: (line: string) => void;
}

/** Cold and warm read times, ms (medians over reps). */
export interface ColdWarm {
  coldMs: number;
  warmMs: number;
  /** Through the worker that made the handle. */
  creatorMs: number;
}

/** One balancing series. */
export interface SeriesResult {
  balance: BalanceMode;
  reads: number;
  hits: number;
  misses: number;
  evictions: number;
  hitRatio: number;
  medianReadMs: number;
  totalMs: number;
}

/** The figures of part 2. */
export interface CacheResult {
  cacheBytes: number;
  download: ColdWarm & { rows: number };
  aggregate: ColdWarm;
  series: SeriesResult[];
  handles: number;
  handleRows: number;
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await run();
  return [performance.now() - started, value];
}

/** Lookups summed over the workers. */
async function lookups(https: readonly string[]): Promise<CacheLookups> {
  const all = await Promise.all(https.map(fetchCacheLookups));
  return all.reduce((a, b) => ({
    hit: a.hit + b.hit,
    miss: a.miss + b.miss,
    eviction: a.eviction + b.eviction,
  }));
}

/** Runs part 2 on a fresh two-worker cluster. */
export async function runCache(options: CacheOptions): Promise<CacheResult> {
  const handles = options.handles ?? 12;
  const reads = options.reads ?? 5 * handles;
  const cacheBytes = Math.ceil(0.75 * handles * options.smallBytes);
  const stateDir = await Deno.makeTempDir({ prefix: "polaroid-bench-state-" });
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-bench-data-" });
  options.log(`cache: starting a two-worker cluster, cache ${cacheBytes} bytes per worker`);
  const cluster = await startCluster({
    quiet: true,
    restart: false,
    exitOnSignal: false,
    workers: 2,
    dataRoot,
    env: {
      ...options.env,
      POLAROID_HANDLE_STORE: "external",
      POLAROID_STATE_DIR: stateDir,
      POLAROID_CACHE_BYTES: String(cacheBytes),
    },
  });
  try {
    const https = workerStatusUrls(cluster.pids(), "127.0.0.1");
    const [workerA, workerB] = cluster.endpoints.computeWorkers as [string, string];
    await using a = await connect({ endpoint: workerA, timeoutMs: 600_000 });
    await using b = await connect({ endpoint: workerB, timeoutMs: 600_000 });
    await using base = await a.fromArrow(options.table);
    const samples = {
      downloadCold: [] as number[],
      downloadWarm: [] as number[],
      downloadCreator: [] as number[],
      aggCold: [] as number[],
      aggWarm: [] as number[],
      aggCreator: [] as number[],
    };
    const aggregate = (f: RemoteDataFrame) =>
      f.lazy().select(col("value").sum().alias("s")).toRecords();
    for (let rep = 0; rep <= options.reps; rep++) {
      const keep = rep > 0; // rep 0 warms up
      const make = (k: number) =>
        base.lazy().withColumns(col("value").add(lit(rep * 2 + k)).alias("value")).collect();
      const h1 = await make(0);
      const there = await b.handle(h1.id);
      const [cold, table] = await timed(() => there.toArrow());
      if (table.numRows !== options.table.numRows) {
        throw new Error(`read ${table.numRows} of ${options.table.numRows} rows`);
      }
      const [warm] = await timed(() => there.toArrow());
      const [creator] = await timed(() => h1.toArrow());
      await h1.release();
      const h2 = await make(1);
      const there2 = await b.handle(h2.id);
      const [aggCold] = await timed(() => aggregate(there2));
      const [aggWarm] = await timed(() => aggregate(there2));
      const [aggCreator] = await timed(() => aggregate(h2));
      await h2.release();
      if (keep) {
        samples.downloadCold.push(cold);
        samples.downloadWarm.push(warm);
        samples.downloadCreator.push(creator);
        samples.aggCold.push(aggCold);
        samples.aggWarm.push(aggWarm);
        samples.aggCreator.push(aggCreator);
        options.log(
          `cache: rep ${rep}: toArrow cold ${cold.toFixed(1)} / warm ${warm.toFixed(1)} ms, ` +
            `aggregate cold ${aggCold.toFixed(1)} / warm ${aggWarm.toFixed(1)} ms`,
        );
      }
    }

    const series: SeriesResult[] = [];
    for (const balance of ["round_robin", "affinity"] as const) {
      series.push(await runSeries(balance, { cluster, https, handles, reads, options }));
    }
    return {
      cacheBytes,
      download: {
        rows: options.table.numRows,
        coldMs: median(samples.downloadCold),
        warmMs: median(samples.downloadWarm),
        creatorMs: median(samples.downloadCreator),
      },
      aggregate: {
        coldMs: median(samples.aggCold),
        warmMs: median(samples.aggWarm),
        creatorMs: median(samples.aggCreator),
      },
      series,
      handles,
      handleRows: options.smallTable.numRows,
    };
  } finally {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    await Deno.remove(dataRoot, { recursive: true }).catch(() => {});
  }
}

interface SeriesContext {
  cluster: { endpoints: { computeWorkers: string[] } };
  https: string[];
  handles: number;
  reads: number;
  options: CacheOptions;
}

async function runSeries(balance: BalanceMode, ctx: SeriesContext): Promise<SeriesResult> {
  const endpoints = ctx.cluster.endpoints.computeWorkers;
  // Uploads alternate between the workers, as a round-robin client's would.
  await using uploader = await connect({ endpoints, timeoutMs: 600_000 });
  await using reader = await connect({ endpoints, balance, timeoutMs: 600_000 });
  const made: RemoteDataFrame[] = [];
  try {
    for (let i = 0; i < ctx.handles; i++) {
      made.push(await uploader.fromArrow(ctx.options.smallTable));
    }
    const frames = await Promise.all(made.map((f) => reader.handle(f.id)));
    // The same seeded order for both modes.
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const before = await lookups(ctx.https);
    const readMs: number[] = [];
    const started = performance.now();
    for (let i = 0; i < ctx.reads; i++) {
      const frame = frames[Math.floor(next() * frames.length)]!;
      const [ms, rows] = await timed(() =>
        frame.lazy().select(col("value").sum().alias("s")).toRecords()
      );
      if (rows.length !== 1) throw new Error(`an aggregate returned ${rows.length} rows`);
      readMs.push(ms);
    }
    const totalMs = performance.now() - started;
    const after = await lookups(ctx.https);
    const hits = after.hit - before.hit;
    const misses = after.miss - before.miss;
    const result = {
      balance,
      reads: ctx.reads,
      hits,
      misses,
      evictions: after.eviction - before.eviction,
      hitRatio: hits / Math.max(1, hits + misses),
      medianReadMs: median(readMs),
      totalMs,
    };
    ctx.options.log(
      `cache: ${balance}: ${hits} hits, ${misses} misses (hit ratio ${
        result.hitRatio.toFixed(2)
      }), median read ${result.medianReadMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    for (const f of made) await f.release().catch(() => {});
  }
}
