/**
 * Writes a run of `deno task bench` to bench/results/<stamp>.json and renders the main
 * section of docs/benchmarks.md: one table per part that ran, each with its target and
 * whether it was met. The other benchmarks' sections (bench/sections.ts) are kept.
 *
 * @module
 */

import { BENCHMARKS_MD, sections } from "./sections.ts";
import type { PeerResult, QueryRow } from "./queries.ts";
import type { TransferRow } from "./transfer.ts";
import type { LatencyRow } from "./latency.ts";
import type { StoreReport } from "./store_steps.ts";
import {
  latencyTable,
  queriesTable,
  QUERY_TARGET,
  storeTable,
  TRANSFER_HEADER,
  transferRow,
} from "./report_tables.ts";
import { targetText } from "./targets.ts";

/** One run; a part that did not run (`--only`) is absent. */
export interface BenchRun {
  at: string;
  command: string;
  machine: { cores: number; deno: string; os: string; nodejsPolars: string };
  rows: number;
  reps: number;
  /** The first upload of the fact table, ms. */
  uploadMs?: number;
  peers?: Omit<PeerResult, "engines">;
  queries?: QueryRow[];
  results?: TransferRow;
  /** The same over gRPC alone (a client with `bulk: false`). */
  resultsGrpc?: TransferRow;
  latency?: LatencyRow[];
  upload?: TransferRow;
  /** The same over gRPC alone. */
  uploadGrpc?: TransferRow;
  store?: StoreReport;
}

const ROOT = new URL("../", import.meta.url);

/** What the figures mean; written with every run. */
const NOTES = [
  "## Reading these figures",
  "",
  "- Each Execute pays a fixed cost on top of the engine: plan validation, the result's schema",
  "  and size, and the registration of the handle with the handles service, a message on the",
  "  worker's RegisterHandles stream (docs/adr/0020; about 0.9 ms of an Execute on loopback, 1.3",
  "  ms with a unary call each). Registering before returning the handle is deliberate: a client",
  "  never holds a handle the catalog does not know.",
  '- Polaroid\'s in-memory runs ask for `engine: "in-memory"` per plan (docs/adr/0015, 0019):',
  "  the worker's engine gate waits for collects under way and runs the plan alone; here no",
  "  other collect runs meanwhile, so it waits for none.",
  "- Timings on a 2-core machine vary by up to ±30% between runs; a ratio below 1 against",
  "  nodejs-polars on the same engine is noise, not a faster engine: both run the same build.",
  "- With 64 concurrent clients, requests share the cores with the client, so the p50 is",
  "  queueing time; the throughput is the figure to compare.",
  "- The baselines are deliberately bare: raw TCP carries the result's bytes with no framing",
  "  and no decoding; the echo answers from a pre-made buffer; the raw upload sends pre-encoded",
  "  chunks (the SDK's time includes encoding the table to Arrow IPC).",
];

/** Saves the run as JSON and rewrites docs/benchmarks.md from it. */
export async function writeReport(run: BenchRun): Promise<string> {
  const stamp = run.at.replace(/[:.]/g, "-");
  const source = `bench/results/${stamp}.json`;
  await Deno.writeTextFile(new URL(source, ROOT), JSON.stringify(run, null, 2) + "\n");
  // Sections written by the other benchmarks survive a rerun of this one.
  const kept = sections(await Deno.readTextFile(BENCHMARKS_MD).catch(() => ""));
  await Deno.writeTextFile(BENCHMARKS_MD, [renderMarkdown(run, source), ...kept].join("\n"));
  return source;
}

/** The main section of docs/benchmarks.md. */
export function renderMarkdown(run: BenchRun, source: string): string {
  const rows = run.rows.toLocaleString("en-US");
  const lines = [
    "# Benchmarks",
    "",
    `Produced by \`${run.command}\` (bench/main.ts); raw figures in \`${source}\`.`,
    `Run at ${run.at} on ${run.machine.cores} cores, Deno ${run.machine.deno}, nodejs-polars` +
    ` ${run.machine.nodejsPolars}, ${run.machine.os}.`,
    "Five parts, each runnable alone (`deno task bench --only queries,results,latency,upload,store`,",
    "`--rows N`, `--reps N`): the standard queries on Polaroid and its in-process peers, a large",
    "result to the client, head(10) latency, upload, and the external handle stores. Each side",
    "runs once untimed, then alternately with the others; timings are medians. Benchmarks never",
    "fail CI: these are measurements, not tests.",
  ];
  if (run.queries) {
    const py = run.peers;
    lines.push(
      "",
      `## ${rows}-row queries: Polaroid against in-process engines`,
      "",
      "Polaroid is end to end as a client sees it: the plan sent over gRPC, run on the worker,",
      "the result kept under a new handle (Execute), on the worker's default streaming engine",
      'and with `engine: "in-memory"`. nodejs-polars runs in the benchmark\'s process (async',
      "`collect()`; streaming through `POLARS_FORCE_STREAMING`, which it reads at each collect);",
      'Python Polars (`collect()` and `collect(engine="streaming")`) and DuckDB (`CREATE TEMP' +
        " TABLE … AS`)",
      "run in one Python process (bench/peers.py), first and alone, on the same data written",
      "once as Parquet and loaded into memory untimed; the 3-key group-by's `k2` and `k3` have",
      "10 values each (about 100,000 groups with `key`)" +
        (py
          ? ` (Python ${py.versions.python}, ${py.polarsThreads} Polars threads, ${py.duckdbThreads}` +
            " DuckDB threads)."
          : "."),
      "Every engine gave the same row count and checksum (a column's sum; for the sort, its",
      "first plus last value). Cells: median ms (ratio to the best in-process peer, in bold).",
      `Median of ${run.reps} runs. Target: Polaroid ${
        targetText(QUERY_TARGET)
      } nodejs-polars on the same engine.`,
      "",
      ...queriesTable(run.queries, run.peers),
    );
  }
  if (run.uploadMs !== undefined) {
    lines.push("", `First upload of the ${rows}-row table: ${run.uploadMs.toFixed(0)} ms.`);
  }
  if (run.results || run.upload) {
    lines.push(
      "",
      "## Results to the client and uploads",
      "",
      "Results: `toArrow()` of the stored join result (decoded into an Arrow table) against the",
      "same Arrow IPC bytes over a loopback TCP connection from a server in its own process,",
      "read fully. Upload: `fromArrow()` of the fact table against a raw grpc-js client stream",
      "of the same bytes in the same 1 MiB chunks, to a server in its own process (accepting",
      "connections through the GOAWAY filter, as Polaroid's servers and the echo below do). Speed:",
      "baseline time over Polaroid's, the median of paired runs (1: as fast). The worker has",
      'its bulk port on (docs/adr/0016): the SDK moves these over it; "gRPC only" is a client',
      "with `bulk: false`.",
      "",
      ...TRANSFER_HEADER,
      ...(run.results ? [transferRow("toArrow(), bulk port", run.results, "raw TCP")] : []),
      ...(run.resultsGrpc ? [transferRow("toArrow(), gRPC only", run.resultsGrpc, "raw TCP")] : []),
      ...(run.upload ? [transferRow("fromArrow(), bulk port", run.upload, "raw grpc-js")] : []),
      ...(run.uploadGrpc
        ? [transferRow("fromArrow(), gRPC only", run.uploadGrpc, "raw grpc-js")]
        : []),
    );
  }
  if (run.latency) {
    lines.push(
      "",
      "## head(10) on an existing handle, loopback",
      "",
      "Each request is a Collect of `handle → slice(0, 10)` decoded into an Arrow table by the",
      "SDK; the baseline is a grpc-js unary call answered with as many bytes as head(10)'s",
      "Arrow IPC, from a minimal server in its own process. With 1 client the target is on",
      "the p50, with 64 on the throughput (all clients of a side share one connection).",
      "Execute head(10), kept: the same slice kept under a new handle (Execute, plan cache off),",
      "which registers it with the handles service; no target.",
      "",
      ...latencyTable(run.latency),
    );
  }
  if (run.store) {
    const s = run.store;
    lines.push(
      "",
      "## External handle stores against memory",
      "",
      `Per-step cost of a ${s.steps}-step pipeline (\`withColumns\` + \`filter\` into a new`,
      `handle) on ${s.rows.toLocaleString("en-US")} rows, one fresh worker per store, plan` +
        ` cache off, median over ${s.reps} reps`,
      "(bench/scaleout_pipeline.ts); with an external store each step also writes its result",
      "to the store: before the handle is returned (through, the default) or after it",
      "(`POLAROID_STORE_WRITE=behind`, docs/adr/0017).",
      "",
      ...storeTable(s),
    );
  }
  lines.push("", ...NOTES, "");
  return lines.join("\n");
}
