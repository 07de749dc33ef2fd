/**
 * Restarts that no client notices (issue 10), measured: a local cluster with several compute
 * workers on the external store and the shared catalog (handles survive a restart), nginx in
 * front of the workers, and several client processes under steady load through the SDK
 * (scripts/_restarts_client.ts); then each kind of service is restarted gracefully again and
 * again (SIGTERM, wait for the exit, start again on the same port): compute workers in turn,
 * the handles service, the ingest service, and nginx reloads. Counts client process deaths,
 * failed calls by call and code, retried calls, and service processes that died.
 *
 * `deno task restarts [--restarts 50] [--workers 3] [--clients 4] [--json file]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Cluster, startCluster } from "./cluster.ts";
import { type ClientCounts, type ClientDeath, ClientFleet, okCalls } from "./_restarts_clients.ts";
import { waitFor } from "./_wait.ts";

/** The kinds of restart, each done `restarts` times. */
export const RESTART_KINDS = ["compute", "handles", "ingest", "nginx"] as const;
export type RestartKind = typeof RESTART_KINDS[number];

/** Options of runRestarts(). */
export interface RestartsOptions {
  /** Restarts of each kind. @default 50 */
  restarts?: number;
  /** Compute workers (restarted in turn). @default 3 */
  workers?: number;
  /** Client processes. @default 4 */
  clients?: number;
  /** Progress lines. @default console.log */
  log?: (line: string) => void;
  /** Where the processes' logs go, kept. @default a temporary directory, removed */
  logDir?: string;
}

/** What a run measured. */
export interface RestartsReport {
  restarts: Record<RestartKind, number>;
  /** Milliseconds each restart took (stop, start, ready), by kind. */
  durationsMs: Record<RestartKind, number[]>;
  clients: number;
  workers: number;
  counts: ClientCounts;
  /** Client processes that died (exit code or signal). */
  deaths: ClientDeath[];
  /** Service processes that exited unexpectedly or had to be killed. */
  serviceNotices: string[];
  /** Restarts after which some client made no successful call within 60 s. */
  stalls: string[];
  seconds: number;
}

/** Runs the cluster, the clients and every restart; the counts. */
export async function runRestarts(options: RestartsOptions = {}): Promise<RestartsReport> {
  const restarts = options.restarts ?? 50;
  const workers = options.workers ?? 3;
  const clients = options.clients ?? 4;
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const runDir = await Deno.makeTempDir({ prefix: "polaroid-restarts-" });
  const logDir = options.logDir ?? `${runDir}/logs`;
  await Deno.mkdir(logDir, { recursive: true });
  const serviceNotices: string[] = [];
  const stalls: string[] = [];
  log(`starting nats-server, handles, ${workers} compute workers, nginx and ingest…`);
  const cluster = await startCluster({
    workers,
    balancer: true,
    quiet: true,
    restart: false,
    exitOnSignal: false,
    logDir,
    dataRoot: `${runDir}/data`,
    stopTimeoutMs: 20_000,
    readyTimeoutMs: 60_000,
    notice: (line) => {
      const first = line.split("\n")[0]!;
      serviceNotices.push(first);
      log(`  ${first}`);
    },
    env: {
      POLAROID_HANDLE_STORE: "external",
      POLAROID_STATE_DIR: `${runDir}/state`,
      POLAROID_CATALOG: "jetstream",
      POLAROID_LOG_LEVEL: "warn",
    },
  });
  const fleet = new ClientFleet({
    logDir,
    args: (n) => [
      // Even clients balance over the workers themselves, odd ones go through nginx.
      "--endpoints",
      n % 2 === 0 ? cluster.endpoints.computeWorkers.join(",") : cluster.endpoints.balancer!,
      "--ingest",
      cluster.endpoints.ingest,
      "--nats",
      cluster.endpoints.nats,
    ],
  });
  const durationsMs = Object.fromEntries(RESTART_KINDS.map((k) => [k, [] as number[]])) as Record<
    RestartKind,
    number[]
  >;
  try {
    fleet.start(clients);
    log(`starting ${clients} clients…`);
    if (!await everyClientMoves(fleet, new Map(), 120_000)) {
      throw new Error("Cannot measure restarts as the clients made no call within 120 s");
    }
    const names = cluster.endpoints.computeWorkers.map((_, i) =>
      i === 0 ? "compute" : `compute-${i + 1}`
    );
    const total = restarts * RESTART_KINDS.length;
    let done = 0;
    for (let round = 0; round < restarts; round++) {
      for (const kind of RESTART_KINDS) {
        const before = fleet.progress();
        const t0 = performance.now();
        const name = kind === "compute" ? names[round % names.length]! : kind;
        await restart(cluster, kind, name);
        durationsMs[kind].push(Math.round(performance.now() - t0));
        const moved = await everyClientMoves(fleet, before, 60_000);
        done++;
        log(status(done, total, name, performance.now() - t0, fleet));
        if (!moved) {
          stalls.push(`${name} (restart ${done})`);
          log(`  a client made no call within 60 s of restarting ${name}`);
        }
      }
    }
  } finally {
    log("stopping the clients and the cluster…");
    await fleet.stop();
    await cluster.stop();
    if (!options.logDir) await Deno.remove(runDir, { recursive: true }).catch(() => {});
  }
  return {
    restarts: Object.fromEntries(RESTART_KINDS.map((k) => [k, durationsMs[k].length])) as Record<
      RestartKind,
      number
    >,
    durationsMs,
    clients,
    workers,
    counts: fleet.totals(),
    deaths: fleet.deaths,
    serviceNotices,
    stalls,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

/** One graceful restart; nginx is reloaded (SIGHUP: new workers, the old ones drain). */
async function restart(cluster: Cluster, kind: RestartKind, name: string): Promise<void> {
  if (kind !== "nginx") return await cluster.restart(name);
  void cluster.kill("balancer", "SIGHUP");
  await cluster.waitReady("balancer", 30_000);
}

/**
 * Waits until every live client made a successful call since `before` was taken; false when
 * one did not within `timeoutMs`.
 */
async function everyClientMoves(
  fleet: ClientFleet,
  before: Map<number, number>,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await waitFor(() => {
      const now = fleet.progress();
      return now.size > 0 && [...now].every(([n, ok]) => ok > (before.get(n) ?? 0));
    }, { timeoutMs, intervalMs: 50, what: "every client to make a call after the restart" });
    return true;
  } catch {
    return false;
  }
}

function status(done: number, total: number, name: string, ms: number, fleet: ClientFleet) {
  const t = fleet.totals();
  const failed = Object.values(t.failed).reduce((a, b) => a + b, 0);
  const width = String(total).length;
  return `[${String(done).padStart(width)}/${total}] restarted ${name.padEnd(9)} in ${
    (ms / 1000).toFixed(1)
  } s · calls ${
    okCalls(t)
  } ok, ${failed} failed, ${t.retries} retries, ${t.refused} refused · ${fleet.deaths.length} client deaths`;
}

/** The report as text. */
export function formatReport(report: RestartsReport): string {
  const { counts } = report;
  const failed = Object.values(counts.failed).reduce((a, b) => a + b, 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const lines = [
    `restarts in ${report.seconds} s (${report.workers} workers, ${report.clients} clients):`,
    ...RESTART_KINDS.map((k) =>
      `  ${k.padEnd(8)} ${report.restarts[k]} restarts, median ${
        median(report.durationsMs[k])
      } ms, max ${Math.max(0, ...report.durationsMs[k])} ms`
    ),
    `client deaths: ${report.deaths.length}${
      report.deaths.length
        ? ` (${report.deaths.map((d) => `${d.id}: ${d.signal ?? d.code}`).join(", ")})`
        : ""
    }`,
    `calls: ${
      okCalls(counts)
    } ok, ${failed} failed, ${counts.retries} SDK retries, ${counts.refused} refused by the shield (retried by grpc-js), ${counts.goaways} GOAWAYs dropped`,
    ...Object.entries(counts.ok).map(([k, v]) => `  ok     ${k}: ${v}`),
    ...Object.entries(counts.failed).map(([k, v]) => `  failed ${k}: ${v}`),
    `ingest sources lost with an ingest restart and added again by their client: ${counts.lostSources}`,
    `service processes that died or were killed: ${report.serviceNotices.length}`,
    ...report.serviceNotices.map((n) => `  ${n}`),
    `restarts after which a client stalled for 60 s: ${report.stalls.length}${
      report.stalls.length ? ` (${report.stalls.join(", ")})` : ""
    }`,
  ];
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      restarts: { type: "string", default: "50" },
      workers: { type: "string", default: "3" },
      clients: { type: "string", default: "4" },
      json: { type: "string" },
      "log-dir": { type: "string" },
    },
  });
  const report = await runRestarts({
    restarts: Number(values.restarts),
    workers: Number(values.workers),
    clients: Number(values.clients),
    ...(values["log-dir"] ? { logDir: values["log-dir"] } : {}),
  });
  console.log(formatReport(report));
  if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(report, null, 2) + "\n");
}
