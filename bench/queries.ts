/**
 * The queries part of `deno task bench`: the five standard queries (bench/query_set.ts) on
 * Polaroid (Execute into a handle, on the worker's default streaming engine and with
 * `engine: "in-memory"` per plan), on nodejs-polars in this process (async collect, in-memory
 * and streaming), and on Python Polars (both engines) and DuckDB in one Python process
 * (bench/peers.py) reading the same data from Parquet. Every engine must give the same row
 * count and checksum; each is reported as a ratio to the best in-process peer.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { RemoteDataFrame } from "../sdk/mod.ts";
import { ensurePython } from "../scripts/_python.ts";
import { median } from "./stats.ts";
import { best, ratiosToBest } from "./targets.ts";
import {
  type Checksum,
  checksumsAgree,
  localChecksum,
  QUERIES,
  remoteChecksum,
} from "./query_set.ts";

/** The engines compared, Polaroid's first; the others are the in-process peers. */
export const ENGINES = [
  "polaroid",
  "polaroid-in-memory",
  "node",
  "node-streaming",
  "polars-in-memory",
  "polars-streaming",
  "duckdb",
] as const;

/** One engine of the queries part. */
export type Engine = typeof ENGINES[number];

/** The engines a Polaroid run is compared with. */
export const PEERS: readonly Engine[] = ENGINES.filter((e) => !e.startsWith("polaroid"));

/** What bench/peers.py prints. */
export interface PeerResult {
  versions: { python: string; polars: string; duckdb: string };
  polarsThreads: number;
  duckdbThreads: number;
  engines: Record<
    "polars-in-memory" | "polars-streaming" | "duckdb",
    Record<string, { ms: number[]; rows: number; checksum: number }>
  >;
}

/** The figures of one query. */
export interface QueryRow {
  id: string;
  query: string;
  rows: number;
  checksum: number;
  /** Median ms of each engine. */
  ms: Record<Engine, number>;
  /** Each engine's median over the best peer's. */
  ratios: Record<Engine, number>;
  bestPeer: Engine;
  samples: Record<Engine, number[]>;
}

/** Writes the fact and dimension tables as Parquet for the Python peers. */
export async function writePeerData(dir: string, fact: pl.DataFrame, dim: pl.DataFrame) {
  await Deno.mkdir(dir, { recursive: true });
  fact.writeParquet(`${dir}/fact.parquet`);
  dim.writeParquet(`${dir}/dim.parquet`);
}

/** Runs bench/peers.py on the Parquet files in `dir`. */
export async function runPeers(
  dir: string,
  reps: number,
  log: (line: string) => void,
): Promise<PeerResult> {
  const bin = await ensurePython({ log });
  const script = new URL("./peers.py", import.meta.url).pathname;
  const checksums = Object.fromEntries(QUERIES.map((q) => [q.id, q.checksum]));
  const out = await new Deno.Command(`${bin}/python3`, {
    args: [script, "--dir", dir, "--reps", String(reps), "--checksums", JSON.stringify(checksums)],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${script} failed (exit ${out.code}); see its output above`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Options of runQueries(). */
export interface QueriesOptions {
  fact: pl.DataFrame;
  dim: pl.DataFrame;
  remoteFact: RemoteDataFrame;
  remoteDim: RemoteDataFrame;
  reps: number;
  peers: PeerResult;
  /** The worker's pid: after a release, the next run waits until its memory stops falling. */
  workerPid?: number;
  log: (line: string) => void;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function settle(ms = 0): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, ms));
}

/** The resident bytes of a process (Linux), or undefined when it cannot be read. */
async function residentBytes(pid: number): Promise<number | undefined> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => undefined);
  const kb = status?.match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/**
 * Waits (at most 5 s) until the worker has given back a released result's memory: its
 * resident bytes are back within 5% of what they were before the run. A 10M-row result
 * freed within a fixed pause was still being freed during the next run (docs/benchmarks.md,
 * "Where a small call's time goes").
 */
async function workerSettled(pid: number, before: number): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const now = await residentBytes(pid);
    if (now === undefined || now <= before * 1.05) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** nodejs-polars' async collect on the streaming engine, read from the environment. */
async function collectStreaming(lf: pl.LazyDataFrame): Promise<pl.DataFrame> {
  Deno.env.set("POLARS_FORCE_STREAMING", "1");
  try {
    return await lf.collect();
  } finally {
    Deno.env.delete("POLARS_FORCE_STREAMING");
  }
}

/** A result: its rows, its checksum when asked, and what to do after the timing. */
type Outcome = { rows: number; checksum?: number; after?: () => Promise<void> };
type Side = [Engine, (check: boolean) => Promise<Outcome>];

/** Runs every query on Polaroid and nodejs-polars, and merges the Python peers' figures. */
export async function runQueries(options: QueriesOptions): Promise<QueryRow[]> {
  const { fact, dim, remoteFact, remoteDim, reps, peers, log } = options;
  const rows: QueryRow[] = [];
  for (const q of QUERIES) {
    const local =
      (collect: (lf: pl.LazyDataFrame) => Promise<pl.DataFrame>) =>
      async (check: boolean): Promise<Outcome> => {
        const out = await collect(q.local(fact.lazy(), dim.lazy()));
        return { rows: out.height, ...(check ? { checksum: localChecksum(out, q.checksum) } : {}) };
      };
    const remote = (engine: "auto" | "in-memory") => async (check: boolean): Promise<Outcome> => {
      const pid = options.workerPid;
      const before = pid === undefined ? undefined : await residentBytes(pid);
      const out = await q.remote(remoteFact.lazy(), remoteDim.lazy()).collect({ engine });
      return {
        rows: out.height,
        ...(check ? { checksum: await remoteChecksum(out.lazy(), q.checksum) } : {}),
        // The worker frees the result after the release; let it finish, as the in-process
        // side collects its garbage before each run, so neither pays for the other's frees.
        after: async () => {
          await out.release();
          await settle(250);
          if (pid !== undefined && before !== undefined) await workerSettled(pid, before);
        },
      };
    };
    const sides: Side[] = [
      ["polaroid", remote("auto")],
      ["polaroid-in-memory", remote("in-memory")],
      ["node", local((lf) => lf.collect())],
      ["node-streaming", local(collectStreaming)],
    ];
    const samples = Object.fromEntries(ENGINES.map((e) => [e, [] as number[]])) as Record<
      Engine,
      number[]
    >;
    const outcomes = new Map<Engine, Outcome>();
    // Rep -1 is an untimed warm-up that also gives each side's checksum.
    for (let rep = -1; rep < reps; rep++) {
      // Alternate the order, so warm-up and noise fall on every side.
      for (const [engine, run] of rep % 2 === 0 ? sides : [...sides].reverse()) {
        await settle();
        const started = performance.now();
        const outcome = await run(rep < 0);
        const ms = performance.now() - started;
        await outcome.after?.();
        if (rep < 0) outcomes.set(engine, outcome);
        else samples[engine].push(ms);
      }
    }
    for (const engine of ["polars-in-memory", "polars-streaming", "duckdb"] as const) {
      const peer = peers.engines[engine][q.id];
      if (peer === undefined) throw new Error(`${q.name}: bench/peers.py gave no ${engine} run`);
      samples[engine] = peer.ms;
      outcomes.set(engine, { rows: peer.rows, checksum: peer.checksum });
    }
    const reference = outcomes.get("node")!;
    checkAgreement(q.name, q.checksum, reference, outcomes);
    const ms = Object.fromEntries(ENGINES.map((e) => [e, median(samples[e])])) as Record<
      Engine,
      number
    >;
    const row: QueryRow = {
      id: q.id,
      query: q.name,
      rows: reference.rows,
      checksum: reference.checksum!,
      ms,
      ratios: ratiosToBest(ms, PEERS) as Record<Engine, number>,
      bestPeer: best(ms, PEERS).engine as Engine,
      samples,
    };
    log(
      `${q.name}: ${
        ENGINES.map((e) => `${e} ${ms[e].toFixed(1)} ms (${row.ratios[e].toFixed(2)}×)`).join(
          ", ",
        )
      }`,
    );
    rows.push(row);
  }
  return rows;
}

/** Throws naming every engine whose row count or checksum differs from nodejs-polars'. */
function checkAgreement(
  name: string,
  checksum: Checksum,
  reference: Outcome,
  outcomes: ReadonlyMap<Engine, Outcome>,
): void {
  const problems = [...outcomes].flatMap(([engine, got]) => {
    if (got.rows !== reference.rows) return [`${engine}: ${got.rows} rows, not ${reference.rows}`];
    if (!checksumsAgree(got.checksum ?? NaN, reference.checksum ?? NaN)) {
      return [
        `${engine}: ${checksum.kind} of ${checksum.column} ${got.checksum}, not ${reference.checksum}`,
      ];
    }
    return [];
  });
  if (problems.length > 0) {
    throw new Error(`${name}: the engines disagree with nodejs-polars:\n${problems.join("\n")}`);
  }
}
