/**
 * `deno task bench:timeseries`: OHLCV resample and as-of join, side by side in one run on the
 * same Parquet files: Polaroid (server-side into a handle, and end to end to the client),
 * nodejs-polars in this process, and Python Polars and DuckDB in one Python process
 * (bench/timeseries_peers.py). Fails when an engine's result differs from Polaroid's. Prints
 * a markdown table, writes bench/results/timeseries-<stamp>.json and the "timeseries"
 * section of docs/benchmarks.md.
 *
 * Options: --ticks N (default 100_000_000), --asof-rows N (default 10_000_000: trades, and
 * as many quotes), --reps N (default 3). Each side runs once untimed (its result is checked),
 * then --reps times; the table shows medians.
 *
 * Memory: one copy of a dataset per engine at a time. The Python peers run first, alone;
 * then the cluster and this process each hold the ticks, then the trades and quotes.
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";
import { type Client, connect } from "../sdk/mod.ts";
import { type Cluster, startCluster } from "../scripts/cluster.ts";
import { ensurePython } from "../scripts/_python.ts";
import { intOption } from "./args.ts";
import { writeSection } from "./sections.ts";
import { median } from "./stats.ts";
import {
  ASOF,
  type BarsSummary,
  disagreements,
  E2E_ASOF,
  E2E_BARS,
  NODE,
  NODE_OHLCV,
  POLAROID,
  RESAMPLE,
  type Summary,
  type Workload,
  writeTimeseriesData,
} from "./timeseries_data.ts";

/** Command-line options. */
export interface Args {
  ticks: number;
  asofRows: number;
  reps: number;
}

/** The options; values may group digits with "_" (`--ticks 2_000_000`). */
export function parseArgs(argv: readonly string[]): Args {
  const args = argv.map((a) => /^[\d_]+$/.test(a) ? a.replaceAll("_", "") : a);
  return {
    ticks: intOption(args, "ticks", 100_000_000),
    asofRows: intOption(args, "asof-rows", 10_000_000),
    reps: intOption(args, "reps", 3),
  };
}

/** One measured side of a phase: timed runs in milliseconds. */
export interface Side {
  engine: string;
  ms: number[];
}

/** A phase's sides, for `rows` input rows. */
export interface Phase {
  title: string;
  rows: number;
  sides: Side[];
}

/** Markdown rows of a phase: median seconds, rows/s, ratios to two baseline engines. */
export function phaseTable(phase: Phase, baselines: readonly [string, string]): string[] {
  const medians = new Map(phase.sides.map((s) => [s.engine, median(s.ms)]));
  const ratio = (engine: string, base: string) => {
    const b = medians.get(base);
    return b === undefined ? "" : `${(medians.get(engine)! / b).toFixed(2)}×`;
  };
  return phase.sides.map((s) => {
    const ms = medians.get(s.engine)!;
    const rate = Math.round(phase.rows / (ms / 1000)).toLocaleString("en-US");
    return `| ${phase.title} | ${s.engine} | ${(ms / 1000).toFixed(3)} | ${rate} | ${
      ratio(s.engine, baselines[0])
    } | ${ratio(s.engine, baselines[1])} |`;
  });
}

/** A side: one untimed run (`check`: return its result's summary), then timed runs. */
interface Runner {
  engine: string;
  run(check: boolean): Promise<Summary | undefined>;
}

/** What the Python peers print. */
interface PeerResult {
  versions: { python: string; polars: string; duckdb: string };
  polarsThreads: number;
  polars: Record<"resample" | "asof", { ms: number[]; summary: Summary }>;
  duckdb: Record<"resample" | "asof", { ms: number[]; summary: Summary }> & { threads: number };
}

const log = (line: string) => console.error(`timeseries: ${line}`);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function settle(ms = 0): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, ms));
}

async function timedStep<T>(what: string, fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  log(`${what} in ${(ms / 1000).toFixed(1)} s`);
  return [value, ms];
}

async function runPeers(dir: string, reps: number): Promise<PeerResult> {
  const bin = await ensurePython({ log });
  const script = new URL("./timeseries_peers.py", import.meta.url).pathname;
  const out = await new Deno.Command(`${bin}/python3`, {
    args: [script, "--dir", dir, "--reps", String(reps)],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${script} failed (exit ${out.code}); see its output above`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Runs every side, alternating the order each rep so that drift falls on all. */
async function measure(runners: Runner[], reps: number) {
  const summaries = new Map<string, Summary>();
  const ms = new Map<string, number[]>(runners.map((r) => [r.engine, []]));
  for (let rep = -1; rep < reps; rep++) {
    for (const r of rep % 2 === 0 ? runners : [...runners].reverse()) {
      // The worker frees a released result in the background: let it finish first.
      await settle(250);
      const started = performance.now();
      const summary = await r.run(rep < 0);
      const elapsed = performance.now() - started;
      if (rep >= 0) ms.get(r.engine)!.push(elapsed);
      else if (summary !== undefined) summaries.set(r.engine, summary);
      log(`${r.engine}: ${rep < 0 ? "warm-up" : `rep ${rep + 1}`} ${elapsed.toFixed(0)} ms`);
    }
  }
  return { summaries, sides: runners.map((r) => ({ engine: r.engine, ms: ms.get(r.engine)! })) };
}

/** Timings of the server's Execute that made handle `id`, from the compute worker's log. */
function executeLog(cluster: Cluster, id: string): { engineMs: number; registerMs: number } {
  const line = cluster.logs("compute").split("\n").findLast((l) =>
    l.includes(id) && l.includes("Execute")
  );
  const entry = JSON.parse(line ?? "{}") as { engineMs?: number; registerMs?: number };
  return { engineMs: entry.engineMs ?? NaN, registerMs: entry.registerMs ?? NaN };
}

/** Loads a workload's files on both sides, measures every side, releases the handles. */
async function runPhase(w: Workload, client: Client, cluster: Cluster, dir: string, reps: number) {
  const [handles, loadMs] = await timedStep(
    `${w.title}: loaded the data into handles`,
    () =>
      Promise.all(w.files.map((f) => client.scanParquet(`${f}.parquet`).collect({ cache: false }))),
  );
  const [frames, localLoadMs] = await timedStep(
    `${w.title}: loaded the data in-process`,
    () => Promise.all(w.files.map((f) => pl.scanParquet(join(dir, `${f}.parquet`)).collect())),
  );
  const server = { engineMs: [] as number[], registerMs: [] as number[] };
  const runners: Runner[] = [
    {
      engine: POLAROID,
      async run(check) {
        await using df = await w.remote(handles).collect({ cache: false });
        const timing = executeLog(cluster, df.id);
        server.engineMs.push(timing.engineMs);
        server.registerMs.push(timing.registerMs);
        if (!check) return undefined;
        return (await w.remoteSummary(df.lazy()).toRecords())[0] as unknown as Summary;
      },
    },
    { engine: w.e2e.engine, run: (check) => w.e2e.run(w.remote(handles), check) },
    ...Object.entries(w.local).map(([engine, query]) => ({
      engine,
      async run(check: boolean) {
        const df = await query(frames).collect();
        if (!check) return undefined;
        return df.select(...w.localSummary()).toRecords()[0] as unknown as Summary;
      },
    })),
  ];
  log(`${w.title}: ${frames[0]!.height.toLocaleString("en-US")} rows`);
  const measured = await measure(runners, reps);
  const [_, explainMs] = await timedStep(
    "explain",
    () => w.remote(handles).describeOptimizedPlan(),
  );
  for (const h of handles) await h.release();
  return {
    ...measured,
    rows: frames[0]!.height,
    loadMs: { polaroid: loadMs, inProcess: localLoadMs },
    // Without the warm-up run, as the timed runs.
    profile: {
      engineMs: median(server.engineMs.slice(1)),
      registerMs: median(server.registerMs.slice(1)),
      explainMs,
    },
  };
}

type PhaseResult = Awaited<ReturnType<typeof runPhase>>;

/** Throws naming every engine whose summary differs from Polaroid's end-to-end result. */
function checkAgreement(
  phase: string,
  reference: Summary | undefined,
  others: Record<string, Summary | undefined>,
): void {
  if (reference === undefined) throw new Error(`${phase}: Polaroid gave no result to compare`);
  const problems = Object.entries(others).flatMap(([name, got]) =>
    got === undefined ? [`${name}: no result`] : disagreements(name, reference, got)
  );
  if (problems.length > 0) {
    throw new Error(`${phase}: the engines disagree with Polaroid:\n${problems.join("\n")}`);
  }
  log(`${phase}: all engines agree with Polaroid (${JSON.stringify(reference)})`);
}

async function machine() {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
    .match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown";
  const imports = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)))
    .imports as Record<string, string>;
  return {
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    cpu,
    os: Deno.build.os,
    deno: Deno.version.deno,
    nodejsPolars: imports["nodejs-polars"]?.split("@").at(-1) ?? "unknown",
    glibcTunables: Deno.env.get("GLIBC_TUNABLES") ?? "",
  };
}

/** The markdown section: setup, the table, the targets and where Polaroid's time goes. */
function section(
  args: Args,
  source: string,
  env: Awaited<ReturnType<typeof machine>>,
  peers: PeerResult,
  phases: [Phase, Phase],
  resample: PhaseResult,
  asof: PhaseResult,
): string {
  const f = (n: number) => Math.round(n).toLocaleString("en-US");
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const py = `Python Polars ${peers.versions.polars}`;
  const at = (p: PhaseResult, engine: string) =>
    median(p.sides.find((x) => x.engine === engine)!.ms);
  const bars = (resample.summaries.get(E2E_BARS) as BarsSummary | undefined)?.bars ?? 0;
  const server = at(resample, POLAROID);
  const asofRate = asof.rows / (at(asof, POLAROID) / 1000) / env.cores;
  const profile = (name: string, p: PhaseResult) =>
    `- ${name}: of each server-side run, the worker's engine takes ${s(p.profile.engineMs)} s` +
    ` and storing the handle ${s(p.profile.registerMs)} s (from its log); an Explain round` +
    ` trip takes ${s(p.profile.explainMs)} s.`;
  return [
    "## Time series: OHLCV resample and as-of join",
    "",
    `Produced by \`deno task bench:timeseries\` (--ticks ${args.ticks} --asof-rows` +
    ` ${args.asofRows} --reps ${args.reps}); raw figures in \`${source}\`. Median of` +
    ` ${args.reps} timed runs after one untimed run whose result is checked: every engine gives` +
    " the same bars, total volume and tick count, and the same matched rows and bid sum.",
    "",
    `Machine: ${env.cores} cores (${env.cpu}), ${env.memoryGiB} GiB, ${env.os}; Deno` +
    ` ${env.deno}, nodejs-polars ${env.nodejsPolars}; Python ${peers.versions.python}, Polars` +
    ` ${peers.versions.polars} (${peers.polarsThreads} threads), DuckDB` +
    ` ${peers.versions.duckdb} (${peers.duckdb.threads} threads). Cluster, benchmark and` +
    " peers on the same machine, one engine at a time." +
    (env.glibcTunables === ""
      ? " GLIBC_TUNABLES unset here, while the workers run with glibc.malloc.hugetlb=1."
      : ` GLIBC_TUNABLES=${env.glibcTunables} for the benchmark and the workers alike` +
        " (transparent huge pages for glibc malloc, which Polars' native code uses)."),
    "",
    `Data: ${f(resample.rows)} ticks of 10 symbols (ts Datetime(us), symbol Categorical,` +
    " price, size), sorted by symbol then time, about 10 a second per symbol, in" +
    ` ${f(bars)} one-minute bars; ${f(asof.rows)} trades and as many quotes of 10 symbols,` +
    " interleaved, sorted by time. Each engine first reads the same Parquet files into memory" +
    ` (untimed): Polaroid into handles (${s(resample.loadMs.polaroid)} s for the ticks),` +
    " nodejs-polars and Python Polars into DataFrames, DuckDB into tables. Results stay in" +
    " memory (a handle, a DataFrame, a temp table), but end to end: Polaroid's bars are" +
    " streamed to the client as Arrow; of the join, its row count, matched count and bid sum.",
    "",
    "| phase | engine | median s | rows/s | vs nodejs-polars | vs Python Polars |",
    "|---|---|---:|---:|---:|---:|",
    ...phaseTable(phases[0], [NODE, py]),
    ...phaseTable(phases[1], [NODE, py]),
    "",
    "rows/s: input rows (ticks; left rows of the join) per second. Ratios: median time over",
    "the baseline's (above 1 is slower).",
    "",
    `Targets: resample under 3 s: ${s(server)} s server-side; within 1.1× of in-process:` +
    ` ${(server / at(resample, NODE)).toFixed(2)}×; as-of join at least 1–2M rows/s per core:` +
    ` ${f(asofRate)} rows/s per core server-side.`,
    "",
    "Where Polaroid's server-side time goes:",
    profile("resample", resample),
    `- resample, in-process: ohlcv()'s plan takes ${s(at(resample, NODE_OHLCV))} s, group by` +
    ` dynamic alone ${s(at(resample, NODE))} s (the plan also sorts the bars). The worker's` +
    ` engine takes ${s(Math.abs(resample.profile.engineMs - at(resample, NODE_OHLCV)))} s` +
    ` ${resample.profile.engineMs >= at(resample, NODE_OHLCV) ? "more" : "less"} than that` +
    " plan in-process; it also runs the window guard (services/compute/engine/bounds.ts)," +
    " which reads the group-by's input once more to measure the time span.",
    profile("as-of join", asof),
  ].join("\n");
}

async function main() {
  const args = parseArgs(Deno.args);
  const dir = await Deno.makeTempDir({ prefix: "polaroid-bench-ts-" });
  try {
    log(`generating ${args.ticks} ticks and ${args.asofRows} trades and quotes in ${dir}`);
    const data = await writeTimeseriesData(dir, { ...args, log });
    await settle();
    log("running the Python peers (Python Polars, DuckDB)");
    const peers = await runPeers(dir, args.reps);
    log("starting the cluster");
    const cluster = await startCluster({ quiet: true, restart: false, dataRoot: dir });
    let resample: PhaseResult;
    let asof: PhaseResult;
    try {
      await using client = await connect({
        endpoint: cluster.endpoints.compute,
        timeoutMs: 3_600_000,
      });
      resample = await runPhase(RESAMPLE, client, cluster, dir, args.reps);
      await settle(1000);
      asof = await runPhase(ASOF, client, cluster, dir, args.reps);
    } finally {
      await cluster.stop();
    }
    const py = `Python Polars ${peers.versions.polars}`;
    const duck = `DuckDB ${peers.versions.duckdb}`;
    const others = (p: PhaseResult, name: "resample" | "asof") => ({
      [POLAROID]: p.summaries.get(POLAROID),
      ...Object.fromEntries(
        Object.keys(name === "asof" ? ASOF.local : RESAMPLE.local)
          .map((engine) => [engine, p.summaries.get(engine)]),
      ),
      [py]: peers.polars[name].summary,
      [duck]: peers.duckdb[name].summary,
    });
    checkAgreement("resample", resample.summaries.get(E2E_BARS), others(resample, "resample"));
    checkAgreement("as-of join", asof.summaries.get(E2E_ASOF), others(asof, "asof"));
    const phase = (p: PhaseResult, w: Workload, name: "resample" | "asof"): Phase => ({
      title: w.title,
      rows: p.rows,
      sides: [
        ...p.sides,
        { engine: py, ms: peers.polars[name].ms },
        { engine: duck, ms: peers.duckdb[name].ms },
      ],
    });
    const phases: [Phase, Phase] = [
      phase(resample, RESAMPLE, "resample"),
      phase(asof, ASOF, "asof"),
    ];
    const env = await machine();
    const at = new Date().toISOString();
    const source = `bench/results/timeseries-${at.replaceAll(":", "-").replace(".", "-")}.json`;
    const summary = (p: PhaseResult, e2e: string) => ({
      rows: p.rows,
      loadMs: p.loadMs,
      profile: p.profile,
      summary: p.summaries.get(e2e),
    });
    const result = {
      at,
      machine: { ...env, python: peers.versions, polarsThreads: peers.polarsThreads },
      args,
      parquetBytes: data.bytes,
      resample: summary(resample, E2E_BARS),
      asof: summary(asof, E2E_ASOF),
      phases: phases.map((p) => ({
        ...p,
        sides: p.sides.map((s) => ({ ...s, medianMs: median(s.ms), minMs: Math.min(...s.ms) })),
      })),
    };
    await Deno.writeTextFile(
      new URL(`../${source}`, import.meta.url),
      JSON.stringify(result, null, 2) + "\n",
    );
    const body = section(args, source, env, peers, phases, resample, asof);
    console.log(body);
    await writeSection("timeseries", body);
    log(`wrote ${source} and docs/benchmarks.md`);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
