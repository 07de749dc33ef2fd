/**
 * The results and upload parts of `deno task bench`: moving a large frame between client
 * and worker through the SDK against the same bytes over a bare transport.
 *
 * - results: `toArrow()` of a stored frame (the join, 10M rows at full scale) against the
 *   same Arrow IPC bytes over a loopback TCP connection (bench/raw_tcp.ts, its own process),
 *   read fully by the client. Target: ≥ 0.8× raw TCP.
 * - upload: `fromArrow()` against a raw grpc-js client stream of the same bytes in the same
 *   chunks (bench/streaming_raw.ts through the GOAWAY filter, its own process). Target:
 *   ≥ 0.9× raw grpc-js.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import { RpcClient } from "../shared/grpc/client.ts";
import { DATAFRAME_SERVICE, uploadRequests } from "../sdk/transport/arrow.ts";
import type { Client, RemoteDataFrame } from "../sdk/mod.ts";
import { readTcp } from "./raw_tcp.ts";
import { spawnServer } from "./spawn.ts";
import { rawClient, uploadRaw } from "./streaming_raw.ts";
import { median } from "./stats.ts";
import { atLeast, pairedSpeed, type Target } from "./targets.ts";

/** The figures of one transfer. */
export interface TransferRow {
  rows: number;
  bytes: number;
  /** Median ms through the SDK and over the bare transport. */
  sdkMs: number;
  rawMs: number;
  /** Raw time over SDK time, median of paired runs (1: as fast as the baseline). */
  speed: number;
  target: Target;
  samples: { sdk: number[]; raw: number[] };
}

/** Results to the client: ≥ 0.8× raw TCP. */
export const RESULTS_TARGET = atLeast(0.8);
/** Upload: ≥ 0.9× raw grpc-js. */
export const UPLOAD_TARGET = atLeast(0.9);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function settle(ms = 0): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, ms));
}

/** One warm-up of each side, then `reps` paired runs in alternating order. */
async function paired(
  reps: number,
  sdk: () => Promise<void>,
  raw: () => Promise<void>,
  pauseMs: number,
): Promise<{ sdk: number[]; raw: number[] }> {
  const samples = { sdk: [] as number[], raw: [] as number[] };
  const sides = [["sdk", sdk], ["raw", raw]] as const;
  for (let rep = -1; rep < reps; rep++) {
    for (const [name, run] of rep % 2 === 0 ? sides : [...sides].reverse()) {
      await settle(pauseMs);
      const started = performance.now();
      await run();
      if (rep >= 0) samples[name].push(performance.now() - started);
    }
  }
  return samples;
}

function row(rows: number, bytes: number, samples: TransferRow["samples"], target: Target) {
  return {
    rows,
    bytes,
    sdkMs: median(samples.sdk),
    rawMs: median(samples.raw),
    speed: pairedSpeed(samples.raw, samples.sdk),
    target,
    samples,
  };
}

/** Options of runResults(). */
export interface ResultsOptions {
  endpoint: string;
  /** The stored result to read. */
  frame: RemoteDataFrame;
  reps: number;
  /** Where the IPC bytes go for the TCP server. */
  tempDir: string;
}

/** `frame.toArrow()` against its IPC bytes over loopback TCP. */
export async function runResults(options: ResultsOptions): Promise<TransferRow> {
  const { frame, reps } = options;
  // The IPC bytes of the result, as the worker sends them, into a file for the TCP server.
  const file = `${options.tempDir}/result.arrows`;
  const rpc = new RpcClient(options.endpoint, DATAFRAME_SERVICE, { timeoutMs: 3_600_000 });
  let bytes = 0;
  try {
    using out = await Deno.open(file, { write: true, create: true, truncate: true });
    const request = {
      source: { $case: "handle" as const, value: frame.id },
      batchSize: 0,
      startBatch: 0n,
      streaming: false,
      engine: 0,
      bulk: false,
    };
    for await (const m of rpc.serverStream("collect", request)) {
      for (let at = 0; at < m.arrowIpc.byteLength;) {
        at += await out.write(m.arrowIpc.subarray(at));
      }
      bytes += m.arrowIpc.byteLength;
    }
  } finally {
    rpc.close();
  }
  const server = await spawnServer(new URL("./raw_tcp.ts", import.meta.url), ["--file", file]);
  try {
    const samples = await paired(reps, async () => {
      const table = await frame.toArrow();
      if (table.numRows !== frame.height) {
        throw new Error(`toArrow() gave ${table.numRows} of ${frame.height} rows`);
      }
    }, async () => {
      const got = await readTcp(server.port);
      if (got !== bytes) throw new Error(`the TCP stream carried ${got} of ${bytes} bytes`);
    }, 0);
    return row(frame.height, bytes, samples, RESULTS_TARGET);
  } finally {
    await server.stop();
    await Deno.remove(file).catch(() => {});
  }
}

/** `client.fromArrow(table)` against a raw grpc-js client stream of the same chunks. */
export async function runUpload(client: Client, table: Table, reps: number): Promise<TransferRow> {
  const chunks = [...uploadRequests(table)].map((m) => m.arrowIpc);
  const bytes = chunks.reduce((n, c) => n + c.byteLength, 0);
  // Through the GOAWAY filter, as Polaroid's servers accept connections.
  const server = await spawnServer(new URL("./streaming_raw.ts", import.meta.url), [
    "--filtered",
  ]);
  const raw = rawClient(server.endpoint);
  try {
    const samples = await paired(reps, async () => {
      const df = await client.fromArrow(table);
      if (df.height !== table.numRows) {
        throw new Error(`fromArrow() stored ${df.height} of ${table.numRows} rows`);
      }
      await df.release();
    }, async () => {
      const got = await uploadRaw(raw, chunks);
      if (got !== bytes) throw new Error(`the raw server counted ${got} of ${bytes} bytes`);
    }, 250); // the worker frees each uploaded copy after its release: let it finish

    return row(table.numRows, bytes, samples, UPLOAD_TARGET);
  } finally {
    await server.stop();
    raw.close();
  }
}
