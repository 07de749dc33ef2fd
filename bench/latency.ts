/**
 * The latency part of `deno task bench`: head(10) of a stored frame through the SDK, with 1
 * client (p50, p99) and 64 concurrent clients (throughput), against a raw grpc-js unary call
 * answered with as many bytes (bench/echo_raw.ts, its own process like the worker). Targets:
 * p50 ≤ 1.2× the echo's, throughput ≥ 0.8× the echo's.
 *
 * @module
 */

import { tableToIPC } from "apache-arrow";
import type * as grpc from "@grpc/grpc-js";
import { connect } from "../sdk/mod.ts";
import { echo, echoClient } from "./echo_raw.ts";
import { spawnServer } from "./spawn.ts";
import { quantile } from "./stats.ts";
import { atLeast, atMost, type Target } from "./targets.ts";

/** Figures of one side at one concurrency. */
export interface LatencySide {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  throughputPerSec: number;
}

/** One concurrency: Polaroid's head(10) and the echo, with the ratio the target is on. */
export interface LatencyRow {
  clients: number;
  polaroid: LatencySide;
  echo: LatencySide;
  /** 1 client: Polaroid's p50 over the echo's; 64: Polaroid's throughput over the echo's. */
  ratio: number;
  /**
   * 1 client: head(10) kept under a new handle (Execute, plan cache off), which registers it
   * with the handles service; its release is not timed. No target.
   */
  execute?: LatencySide;
  target: Target;
}

/** p50 with one client: ≤ 1.2× the echo's. */
export const P50_TARGET = atMost(1.2);
/** Throughput of 64 clients: ≥ 0.8× the echo's. */
export const THROUGHPUT_TARGET = atLeast(0.8);

/** Options of runLatency(). */
export interface LatencyOptions {
  endpoint: string;
  /** The stored frame to peek at. */
  handleId: string;
  /** Requests of the single client; each of 64 sends max(20, N/16). */
  requests: number;
  log: (line: string) => void;
}

/** Runs `perClient` timed calls on each of `clients` (after 20 untimed), all at once. */
async function load<C>(
  clients: C[],
  perClient: number,
  call: (c: C) => Promise<void>,
): Promise<LatencySide> {
  const samples: number[] = [];
  const run = async (c: C) => {
    for (let k = 0; k < 20; k++) await call(c);
  };
  await Promise.all(clients.map(run));
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    for (let k = 0; k < perClient; k++) {
      const s = performance.now();
      await call(c);
      samples.push(performance.now() - s);
    }
  }));
  const wallMs = performance.now() - started;
  return {
    requests: samples.length,
    p50Ms: quantile(samples, 0.5),
    p99Ms: quantile(samples, 0.99),
    throughputPerSec: samples.length / (wallMs / 1000),
  };
}

/** head(10) through the SDK against the echo, with 1 and 64 clients. */
export async function runLatency(options: LatencyOptions): Promise<LatencyRow[]> {
  const { endpoint, handleId, log } = options;
  // The size of head(10)'s answer: its Arrow IPC stream.
  const probe = await connect({ endpoint });
  const size = tableToIPC(await (await probe.handle(handleId)).lazy().head(10).toArrow(), "stream")
    .byteLength;
  await probe.close();
  log(`latency: head(10) answers ${size} bytes of Arrow IPC; the echo answers as many`);
  const server = await spawnServer(new URL("./echo_raw.ts", import.meta.url));
  const rows: LatencyRow[] = [];
  try {
    for (const clients of [1, 64]) {
      const perClient = clients === 1
        ? options.requests
        : Math.max(20, Math.ceil(options.requests / 16));
      const conns = await Promise.all(
        Array.from({ length: clients }, () => connect({ endpoint })),
      );
      const frames = await Promise.all(conns.map((c) => c.handle(handleId)));
      const polaroid = await load(frames, perClient, async (df) => {
        const t = await df.lazy().head(10).toArrow();
        if (t.numRows !== 10) throw new Error(`head(10) gave ${t.numRows} rows`);
      });
      const execute = clients === 1
        ? await load(frames, perClient, async (df) => {
          const kept = await df.lazy().head(10).collect({ cache: false });
          if (kept.height !== 10) throw new Error(`head(10) kept ${kept.height} rows`);
          // Released after the timing: the call measured is the Execute alone.
          queueMicrotask(() => void kept.release().catch(() => {}));
        })
        : undefined;
      for (const c of conns) await c.close();
      // As many grpc-js clients; with the same target and options they share one connection,
      // as the SDK's clients do.
      const echoes: grpc.Client[] = Array.from(
        { length: clients },
        () => echoClient(server.endpoint),
      );
      const raw = await load(echoes, perClient, async (c) => {
        const got = await echo(c, size);
        if (got !== size) throw new Error(`the echo answered ${got} of ${size} bytes`);
      });
      for (const c of echoes) c.close();
      const row: LatencyRow = clients === 1
        ? {
          clients,
          polaroid,
          echo: raw,
          ratio: polaroid.p50Ms / raw.p50Ms,
          target: P50_TARGET,
          ...(execute ? { execute } : {}),
        }
        : {
          clients,
          polaroid,
          echo: raw,
          ratio: polaroid.throughputPerSec / raw.throughputPerSec,
          target: THROUGHPUT_TARGET,
        };
      const text = (s: LatencySide) =>
        `p50 ${s.p50Ms.toFixed(3)} ms, p99 ${s.p99Ms.toFixed(3)} ms, ${
          s.throughputPerSec.toFixed(0)
        } req/s`;
      log(`latency: ${clients} client(s): head(10) ${text(polaroid)}; echo ${text(raw)}`);
      if (execute) log(`latency: Execute head(10), kept: ${text(execute)}`);
      rows.push(row);
    }
  } finally {
    await server.stop();
  }
  return rows;
}
