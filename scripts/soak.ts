/**
 * `deno task soak`: clients mixing uploads, queries, cancels, releases and slow reads against
 * a local cluster of compute workers on the external store, whose workers are restarted
 * gracefully at random, for `--minutes` (default 10). A progress line every 10 s; at the end
 * the load stops and the run is judged:
 *
 * - no client saw an error it did not cause (its own cancels aside);
 * - every worker's in-flight gauge is back to 0 and no handler runs abandoned;
 * - no handle was lost (each one a client holds is in the catalog with its rows) or leaked
 *   (each one in the catalog is held by its client), and releasing them all leaves none;
 * - the RSS of each process that ran long enough (a compute worker's less the frames it holds,
 *   a bounded cache) grew less than 1 MiB/min after warm-up
 *   (least-squares slope of its per-minute troughs; a restarted worker starts a new series),
 *   beyond what
 *   the engine itself keeps: a compute worker is allowed {@link ENGINE_GROUP_BY_GROWTH_BYTES}
 *   per group-by it ran (its share of the clients' aggregates), which nodejs-polars keeps for
 *   good (bench/engine_rss.ts measures it; docs/benchmarks.md "Soak").
 *
 * ```sh
 * deno task soak --minutes 10 [--clients 32] [--workers 3] [--restart-every 60 (0: none)] [--seed 1]
 * ```
 *
 * Figures go to bench/results/soak-<time>.json; docs/benchmarks.md keeps the measured ones.
 *
 * @module
 */

import { intOption, optionText } from "../bench/args.ts";
import { connect } from "../sdk/mod.ts";
import { type ClientReport, runClient } from "./_soak_load.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { REPO_ROOT } from "./_repo.ts";
import { uniform } from "../tests/_random.ts";

const MIB = 1024 * 1024;

/**
 * RSS that nodejs-polars 0.25.2 keeps per group-by, measured in process by
 * `deno task bench:engine-rss` (2.0 KiB lazy, 1.3 KiB eager) with a margin for the sort and
 * Arrow write around it in a compute worker. Only the engine's own growth is excused: anything
 * beyond it is Polaroid's and fails the soak.
 */
export const ENGINE_GROUP_BY_GROWTH_BYTES = 2560;

/** Options of {@link runSoak}. */
export interface SoakOptions {
  durationMs: number;
  clients: number;
  workers: number;
  /** Mean time between two graceful restarts of a random worker; 0 restarts none. */
  restartEveryMs: number;
  seed: number;
  /** Where the services' logs are kept. @default a temporary directory, removed */
  logDir?: string;
  /** Part of the run, from its start, whose RSS samples are left out of the slopes. */
  warmUpFraction?: number;
  log?: (line: string) => void;
}

/**
 * One process's RSS series (one incarnation). A compute worker's samples leave out the bytes of
 * the frames it holds (`polaroid_compute_frame_bytes`): its cache, bounded, fills as it runs.
 */
export interface RssSeries {
  name: string;
  pid: number;
  samples: Array<[ms: number, bytes: number]>;
  /** MiB per minute after warm-up; undefined when too few samples. */
  slopeMiBPerMin?: number;
  /** Of the slope, MiB per minute the engine's group-bys explain (compute workers only). */
  engineMiBPerMin?: number;
}

/** What a soak run saw. */
export interface SoakReport {
  options: SoakOptions;
  elapsedMs: number;
  restarts: number;
  ops: Record<string, number>;
  unexpected: string[];
  inFlightAtEnd: number;
  abandonedAtEnd: number;
  lost: string[];
  leaked: string[];
  handlesLeftAfterRelease: number;
  rss: RssSeries[];
}

/** Runs a soak and returns its report (it does not judge it: see {@link failures}). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const stateDir = await Deno.makeTempDir({ prefix: "polaroid-soak-" });
  try {
    await using cluster = await startCluster({
      workers: options.workers,
      quiet: true,
      ...(options.logDir ? { logDir: options.logDir } : {}),
      restart: true,
      exitOnSignal: false,
      notice: (line) => log(`notice: ${line}`),
      env: {
        POLAROID_HANDLE_STORE: "external",
        POLAROID_STATE_DIR: stateDir,
        POLAROID_CACHE_BYTES: "256MiB",
        POLAROID_STREAM_IDLE_TIMEOUT_MS: "20000",
      },
    });
    return await soakOn(cluster, options, log);
  } finally {
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
}

async function soakOn(
  cluster: Cluster,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakReport> {
  const endpoints = cluster.endpoints.computeWorkers;
  const workerNames = cluster.names.filter((n) => n.startsWith("compute"));
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const stop = new AbortController();
  const u = uniform(options.seed);
  const rss = new Map<number, RssSeries>();
  const sample = async () => {
    for (const [name, pid] of Object.entries(cluster.pids())) {
      if (name === "nats") continue;
      let bytes = await readRss(pid);
      if (bytes === undefined) continue;
      if (name.startsWith("compute")) {
        // The frames a worker holds are its cache, bounded (POLAROID_CACHE_BYTES) and filling
        // up as the run goes: not a leak, so they are left out of what is judged.
        const held = await metricsOf(cluster, name).then(
          (text) => sum(text, "polaroid_compute_frame_bytes"),
          () => undefined,
        );
        if (held === undefined) continue;
        bytes -= held;
      }
      let series = rss.get(pid);
      if (!series) rss.set(pid, series = { name, pid, samples: [] });
      series.samples.push([elapsed(), bytes]);
    }
  };
  const clients = Array.from({ length: options.clients }, (_, i) =>
    runClient({
      endpoints,
      tenant: `soak${i}`,
      seed: options.seed * 1000 + i,
      stop: stop.signal,
    }));
  let restarts = 0;
  const restarter = (async () => {
    while (options.restartEveryMs > 0 && !stop.signal.aborted) {
      await sleep(options.restartEveryMs * (0.5 + u()), stop.signal);
      if (stop.signal.aborted) break;
      const name = workerNames[Math.floor(u() * workerNames.length)]!;
      await cluster.restart(name);
      restarts++;
      log(`restarted ${name} at ${(elapsed() / 1000).toFixed(0)} s`);
    }
  })();
  let lastLine = 0;
  while (elapsed() < options.durationMs) {
    await sleep(Math.min(5000, options.durationMs - elapsed()));
    await sample();
    if (elapsed() - lastLine >= 10_000) {
      lastLine = elapsed();
      log(await progressLine(cluster, rss, elapsed(), restarts));
    }
  }
  stop.abort();
  await restarter;
  const reports = await Promise.all(clients);
  log(`load stopped at ${(elapsed() / 1000).toFixed(0)} s; checking`);
  return await judge(cluster, options, reports, { elapsedMs: elapsed(), restarts, rss });
}

async function judge(
  cluster: Cluster,
  options: SoakOptions,
  reports: ClientReport[],
  run: { elapsedMs: number; restarts: number; rss: Map<number, RssSeries> },
): Promise<SoakReport> {
  const endpoints = cluster.endpoints.computeWorkers;
  const ops: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.ops)) ops[k] = (ops[k] ?? 0) + v;
  const gauges = async () => {
    let inFlight = 0;
    let abandoned = 0;
    for (const name of cluster.names.filter((n) => n.startsWith("compute"))) {
      const text = await metricsOf(cluster, name);
      inFlight += sum(text, "polaroid_grpc_in_flight");
      abandoned += sum(text, "polaroid_grpc_abandoned_calls");
    }
    return { inFlight, abandoned };
  };
  const deadline = Date.now() + 60_000;
  let end = await gauges();
  while ((end.inFlight > 0 || end.abandoned > 0) && Date.now() < deadline) {
    await sleep(500);
    end = await gauges();
  }
  const lost: string[] = [];
  const leaked: string[] = [];
  let left = 0;
  for (const report of reports) {
    await using client = await connect({ endpoints, tenant: report.tenant });
    const listed = new Map((await client.listHandles()).map((h) => [h.id, Number(h.rows)]));
    for (const [id, { rows }] of report.held) {
      if (listed.get(id) !== rows) lost.push(`${report.tenant}: ${id}`);
    }
    for (const id of listed.keys()) {
      if (!report.held.has(id)) leaked.push(`${report.tenant}: ${id}`);
    }
    // Every reference the client holds is released (one frame object releases once).
    for (const [id, { refs }] of report.held) {
      for (let i = 0; i < refs; i++) await (await client.handle(id)).release();
    }
    left += (await client.listHandles()).length;
  }
  const warmUp = run.elapsedMs * (options.warmUpFraction ?? 0.3);
  // A compute worker's share of the aggregates, per minute of the run, each one group-by.
  const workers = cluster.names.filter((n) => n.startsWith("compute")).length;
  const groupBysPerMinute = (ops.aggregate ?? 0) / workers / (run.elapsedMs / 60_000);
  const rss = [...run.rss.values()].map((s) => ({
    ...s,
    slopeMiBPerMin: slope(s, warmUp),
    ...(s.name.startsWith("compute")
      ? { engineMiBPerMin: groupBysPerMinute * ENGINE_GROUP_BY_GROWTH_BYTES / MIB }
      : {}),
  }));
  return {
    options,
    elapsedMs: run.elapsedMs,
    restarts: run.restarts,
    ops,
    unexpected: reports.flatMap((r) => r.unexpected.map((e) => `${r.tenant}: ${e}`)),
    inFlightAtEnd: end.inFlight,
    abandonedAtEnd: end.abandoned,
    lost,
    leaked,
    handlesLeftAfterRelease: left,
    rss,
  };
}

/** What a report fails on; `minMinutes` is how long a series must run to judge its slope. */
export function failures(report: SoakReport, minMinutes = 3): string[] {
  const out: string[] = [];
  if (report.unexpected.length > 0) {
    out.push(`${report.unexpected.length} unexpected errors, first: ${report.unexpected[0]}`);
  }
  if (report.inFlightAtEnd !== 0) out.push(`in-flight gauge ${report.inFlightAtEnd} at the end`);
  if (report.abandonedAtEnd !== 0) out.push(`${report.abandonedAtEnd} handlers still running`);
  if (report.lost.length > 0) out.push(`${report.lost.length} handles lost: ${report.lost[0]}`);
  if (report.leaked.length > 0) out.push(`${report.leaked.length} leaked: ${report.leaked[0]}`);
  if (report.handlesLeftAfterRelease !== 0) {
    out.push(`${report.handlesLeftAfterRelease} handles left after releasing all`);
  }
  for (const s of report.rss) {
    const span = s.samples.length > 1 ? (s.samples.at(-1)![0] - s.samples[0]![0]) / 60_000 : 0;
    const beyondEngine = (s.slopeMiBPerMin ?? 0) - (s.engineMiBPerMin ?? 0);
    if (span >= minMinutes && beyondEngine >= 1) {
      out.push(
        `${s.name} (pid ${s.pid}) RSS grew ${s.slopeMiBPerMin!.toFixed(2)} MiB/min, ` +
          `${beyondEngine.toFixed(2)} beyond the engine's group-bys`,
      );
    }
  }
  return out;
}

/**
 * How fast a process's retained memory grew after `fromMs`, in MiB per minute: the
 * least-squares slope of its RSS troughs, the lowest sample of each minute. A garbage-collected
 * heap saws up and down by tens of MiB between collections; the troughs are what it keeps.
 */
export function slope(series: RssSeries, fromMs: number): number | undefined {
  const troughs = new Map<number, [number, number]>();
  for (const [t, b] of series.samples) {
    if (t < fromMs) continue;
    const minute = Math.floor((t - fromMs) / 60_000);
    const low = troughs.get(minute);
    if (!low || b < low[1]) troughs.set(minute, [t, b]);
  }
  const points = [...troughs.values()];
  if (points.length < 3) return undefined;
  const n = points.length;
  const mx = points.reduce((a, [t]) => a + t, 0) / n;
  const my = points.reduce((a, [, b]) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, b] of points) {
    num += (t - mx) * (b - my);
    den += (t - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000 / MIB;
}

async function progressLine(
  cluster: Cluster,
  rss: Map<number, RssSeries>,
  ms: number,
  restarts: number,
): Promise<string> {
  let requests = 0;
  let errors = 0;
  let inFlight = 0;
  for (const name of cluster.names.filter((n) => n.startsWith("compute"))) {
    const text = await metricsOf(cluster, name).catch(() => "");
    requests += sum(text, "polaroid_grpc_requests_total");
    errors += sum(text, "polaroid_grpc_errors_total");
    inFlight += sum(text, "polaroid_grpc_in_flight");
  }
  const pids = new Set(Object.values(cluster.pids()));
  const now = [...rss.values()].filter((s) => pids.has(s.pid))
    .map((s) => `${s.name} ${(s.samples.at(-1)![1] / MIB).toFixed(0)}`).join(", ");
  return `${
    (ms / 1000).toFixed(0)
  } s: ${requests} calls served by the live workers (${errors} errors, ${inFlight} in flight), ${restarts} restarts; RSS MiB: ${now}`;
}

async function metricsOf(cluster: Cluster, name: string): Promise<string> {
  const i = name === "compute" ? 0 : Number(name.split("-")[1]) - 1;
  const response = await fetch(`${cluster.endpoints.computeWorkersHttp[i]}/metrics`, {
    signal: AbortSignal.timeout(5000),
  });
  return await response.text();
}

function sum(text: string, name: string): number {
  return text.split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((a, l) => a + Number(l.split(" ").at(-1)), 0);
}

async function readRss(pid: number): Promise<number | undefined> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

async function main(args: readonly string[]): Promise<number> {
  const options: SoakOptions = {
    durationMs: intOption(args, "minutes", 10) * 60_000,
    clients: intOption(args, "clients", 32),
    workers: intOption(args, "workers", 3),
    restartEveryMs:
      (optionText(args, "restart-every") === "0" ? 0 : intOption(args, "restart-every", 60)) * 1000,
    seed: intOption(args, "seed", 1),
    log: (line) => console.log(line),
  };
  console.log(
    `soak: ${options.clients} clients, ${options.workers} workers restarted every ~${
      options.restartEveryMs / 1000
    } s, for ${options.durationMs / 60_000} min (seed ${options.seed})`,
  );
  const report = await runSoak(options);
  const file = `${REPO_ROOT}/bench/results/soak-${
    new Date().toISOString().replaceAll(":", "-")
  }.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({ ...report, options: { ...options, log: undefined } }, null, 2),
  );
  const bad = failures(report);
  console.log(`ops: ${JSON.stringify(report.ops)}`);
  console.log(`restarts: ${report.restarts}; figures in ${file}`);
  for (const s of report.rss) {
    if (s.slopeMiBPerMin !== undefined) {
      console.log(
        `RSS ${s.name} (pid ${s.pid}): ${s.slopeMiBPerMin.toFixed(2)} MiB/min after warm-up` +
          (s.engineMiBPerMin === undefined
            ? ""
            : ` (the engine's group-bys: ${s.engineMiBPerMin.toFixed(2)})`),
      );
    }
  }
  console.log(bad.length === 0 ? "soak passed" : `soak FAILED:\n- ${bad.join("\n- ")}`);
  return bad.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
