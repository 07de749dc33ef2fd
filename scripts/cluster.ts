/**
 * A local Polaroid cluster: nats-server (JetStream on), then the handles, compute and ingest
 * services as child processes on free ports, each waited for until its `/healthz` answers
 * 200; with `balancer: true`, nginx in front of the compute workers (scripts/nginx.ts). Used by
 * `deno task up`, integration tests and benchmarks.
 *
 * ```ts
 * await using cluster = await startCluster({ env: { POLAROID_MAX_RESULT_ROWS: "1000" } });
 * const client = new RpcClient(cluster.endpoints.compute, DataFrameService);
 * ```
 *
 * @module
 */

import { ensureCommand, findCommand } from "./_debian.ts";
import { describe, ManagedChild } from "./_child.ts";
import { type ClusterPorts, pickClusterPorts } from "./_cluster_ports.ts";
import { httpOk } from "./_wait.ts";
import { freePortsBesides } from "./_ports.ts";
import { REPO_ROOT } from "./_repo.ts";
import {
  type NatsPublisher,
  natsServerConfig,
  type NatsUsers,
  newNatsPublisher,
  newNatsUsers,
} from "./nats_config.ts";
import { prepareBalancer } from "./nginx.ts";

export type { ClusterPorts };

/** The Polaroid services a cluster runs. */
export type ServiceKind = "handles" | "compute" | "ingest";

/** Where each service's entry point lives, relative to the repository root. */
export const SERVICE_ENTRY_POINTS: Readonly<Record<ServiceKind, string>> = {
  handles: "services/handles/main.ts",
  compute: "services/compute/main.ts",
  ingest: "services/ingest/main.ts",
};

/** The repository root. */
export { REPO_ROOT };

/** Options of startCluster(). */
export interface ClusterOptions {
  /** Compute workers; the first is named "compute", the others "compute-2", ... @default 1 */
  workers?: number;
  /**
   * Runs nginx (grpc_pass over every worker) in front of the compute workers, as the process
   * "balancer"; ingest then sends its uploads through it. Its configuration is in the run dir,
   * its access log is `<logDir>/balancer.access.log`. @default false
   */
  balancer?: boolean;
  /**
   * Give every compute worker a bulk port (POLAROID_BULK_PORT, picked free; docs/adr/0016), for
   * large results and uploads off the grpc-js path. @default false
   */
  bulk?: boolean;
  /** Fixed ports (those of the first compute worker). @default all picked free */
  ports?: ClusterPorts;
  /** Interface every server binds. @default "127.0.0.1" */
  host?: string;
  /** POLAROID_DATA_ROOT of compute; created if missing. @default "<repo>/data" */
  dataRoot?: string;
  /** Extra environment for every service (e.g. limits for tests); wins over the defaults. */
  env?: Record<string, string>;
  /** Extra environment for one kind of service; wins over `env`. */
  serviceEnv?: Partial<Record<ServiceKind, Record<string, string>>>;
  /** Entry points relative to the repository root. @default SERVICE_ENTRY_POINTS */
  entryPoints?: Partial<Record<ServiceKind, string>>;
  /** Print nothing but warnings: no progress lines, no service output. @default true */
  quiet?: boolean;
  /** Directory for the `<name>.log` files, kept after stop. @default a temp dir removed on stop */
  logDir?: string;
  /**
   * Lock NATS down: one user per service with only the subjects it uses, no anonymous
   * access (scripts/nats_config.ts). @default false
   */
  natsAuth?: boolean;
  /**
   * With `natsAuth`: tenants that get a NATS publisher for their ingest sources
   * (`publisher-<tenant>`, publishing in `polaroid.ingest.<tenant>.>` only). @default none
   */
  natsPublishers?: readonly string[];
  /** Restart a process that exits unexpectedly, with backoff. @default false */
  restart?: boolean;
  /** Bound on each process becoming ready. @default 30000 */
  readyTimeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL on stop. @default 5000 */
  stopTimeoutMs?: number;
  /** On SIGINT/SIGTERM, stop the cluster and exit 130/143. @default true */
  exitOnSignal?: boolean;
  /** Warnings: unexpected exits, restarts, forced kills; printed even when quiet. @default console.error */
  notice?: (line: string) => void;
  /** Progress lines (when not quiet). @default console.log */
  log?: (line: string) => void;
}

/** Addresses of a running cluster. */
export interface ClusterEndpoints {
  /** host:port of the (first) compute worker's gRPC server. */
  compute: string;
  /** host:port of every compute worker, in start order. */
  computeWorkers: string[];
  /** http://host:port of every compute worker's /healthz and /metrics, in start order. */
  computeWorkersHttp: string[];
  /** host:port of every compute worker's bulk port, in start order (with `bulk: true`). */
  computeWorkersBulk?: string[];
  handles: string;
  ingest: string;
  /** nats://host:port */
  nats: string;
  /** http://host:port of each service's /healthz and /metrics. */
  computeHttp: string;
  handlesHttp: string;
  ingestHttp: string;
  /** http://host:port of nats-server's monitoring (/healthz, /varz, /jsz). */
  natsMonitor: string;
  /** host:port of nginx in front of the compute workers (with `balancer: true`). */
  balancer?: string;
  /** http://host:port of the balancer's /healthz and /status (with `balancer: true`). */
  balancerHttp?: string;
}

/** A running cluster; `await using` stops it. */
export interface Cluster extends AsyncDisposable {
  readonly endpoints: ClusterEndpoints;
  /** Process names in start order: "nats", "handles", "compute", ..., "balancer", "ingest". */
  readonly names: readonly string[];
  /** Where the `<name>.log` files are. */
  readonly logDir: string;
  /** Each service's NATS user, with `natsAuth: true`. */
  readonly natsUsers?: NatsUsers;
  /** The tenants' NATS publishers, with `natsAuth: true` and `natsPublishers`. */
  readonly natsPublishers?: readonly NatsPublisher[];
  /** The whole log of one process so far. */
  logs(name: string): string;
  /** The pid of each running process. */
  pids(): Record<string, number>;
  /** How many times the supervisor restarted a process. */
  restarts(name: string): number;
  /** Sends a signal (default SIGKILL); resolves with the exit status. */
  kill(name: string, signal?: Deno.Signal): Promise<Deno.CommandStatus>;
  /** Stops a process gracefully, starts it again on the same ports, waits until ready. */
  restart(name: string): Promise<void>;
  /** Waits until a process is ready (e.g. after the supervisor restarted it). */
  waitReady(name: string, timeoutMs?: number): Promise<void>;
  /** Stops every process (services in reverse order, nats-server last); safe to call twice. */
  stop(): Promise<void>;
}

/** Starts nats-server and the three services; throws with a log tail if one fails to start. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const quiet = options.quiet ?? true;
  const host = options.host ?? "127.0.0.1";
  const dial = host === "0.0.0.0" ? "127.0.0.1" : host;
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new RangeError(
      `Cannot start a cluster as 'workers' must be a positive integer: current value is ${workers}`,
    );
  }
  const progress = quiet ? () => {} : (options.log ?? ((line: string) => console.log(line)));
  const notice = options.notice ?? ((line: string) => console.error(line));
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5000;

  const balancer = options.balancer ?? false;
  const env = options.env ?? {};
  if (balancer && env.POLAROID_AUTH === "mtls") {
    throw new TypeError(
      "Cannot start the cluster as 'balancer' does not go with POLAROID_AUTH=mtls: client certificates do not pass through nginx (use token authentication behind a balancer)",
    );
  }
  // With TLS on the services, the balancer takes TLS from clients with the services'
  // certificate and calls the workers over TLS, trusting their CA.
  const balancerTls = env.POLAROID_TLS_CERT_FILE && env.POLAROID_TLS_KEY_FILE &&
      env.POLAROID_TLS_CA_FILE
    ? {
      cert: env.POLAROID_TLS_CERT_FILE,
      key: env.POLAROID_TLS_KEY_FILE,
      ca: env.POLAROID_TLS_CA_FILE,
    }
    : undefined;

  const natsServer = await ensureCommand("nats-server", { log: notice });
  const setpriv = await findCommand("setpriv");
  const runDir = await Deno.makeTempDir({ prefix: "polaroid-cluster-" });
  const logDir = options.logDir ?? `${runDir}/logs`;
  await Deno.mkdir(logDir, { recursive: true });
  const dataRoot = options.dataRoot ?? `${REPO_ROOT}/data`;
  await Deno.mkdir(dataRoot, { recursive: true });

  const { ports, workers: workerPorts } = pickClusterPorts(options.ports ?? {}, {
    workers,
    balancer,
  });
  const bulkPorts = options.bulk
    ? freePortsBesides(workerPorts.length, [
      ...Object.values(ports),
      ...workerPorts.flatMap((p) => [p.grpc, p.http]),
    ])
    : [];
  const endpoints: ClusterEndpoints = {
    compute: `${dial}:${ports.compute}`,
    computeWorkers: workerPorts.map((p) => `${dial}:${p.grpc}`),
    computeWorkersHttp: workerPorts.map((p) => `http://${dial}:${p.http}`),
    ...(options.bulk ? { computeWorkersBulk: bulkPorts.map((p) => `${dial}:${p}`) } : {}),
    handles: `${dial}:${ports.handles}`,
    ingest: `${dial}:${ports.ingest}`,
    nats: `nats://${dial}:${ports.nats}`,
    computeHttp: `http://${dial}:${ports.computeHttp}`,
    handlesHttp: `http://${dial}:${ports.handlesHttp}`,
    ingestHttp: `http://${dial}:${ports.ingestHttp}`,
    natsMonitor: `http://${dial}:${ports.natsMonitor}`,
    ...(balancer
      ? {
        balancer: `${dial}:${ports.balancer}`,
        balancerHttp: `http://${dial}:${ports.balancerHttp}`,
      }
      : {}),
  };

  const childOptions = { restart: options.restart ?? false, echo: !quiet, notice };
  const children: ManagedChild[] = [];
  const add = (
    name: string,
    command: string,
    args: string[],
    env: Record<string, string>,
    ready: string,
    echoFilter?: (line: string) => boolean,
  ) => {
    const logFile = `${logDir}/${name}.log`;
    Deno.writeTextFileSync(logFile, "");
    children.push(
      new ManagedChild({
        name,
        command,
        args,
        env,
        cwd: REPO_ROOT,
        logFile,
        setpriv,
        ready: () => httpOk(ready),
        echoFilter,
      }, childOptions),
    );
  };

  const natsUsers = options.natsAuth ? newNatsUsers() : undefined;
  const natsPublishers = natsUsers ? (options.natsPublishers ?? []).map(newNatsPublisher) : [];
  if (natsUsers) {
    await Deno.writeTextFile(
      `${runDir}/nats.conf`,
      natsServerConfig({
        host,
        port: ports.nats,
        monitorPort: ports.natsMonitor,
        storeDir: `${runDir}/jetstream`,
        users: natsUsers,
        publishers: natsPublishers,
      }),
      { mode: 0o600 },
    );
  }
  add(
    "nats",
    natsServer,
    natsUsers ? ["-c", `${runDir}/nats.conf`] : [
      "-a",
      host,
      "-p",
      String(ports.nats),
      "-m",
      String(ports.natsMonitor),
      "-js",
      "-sd",
      `${runDir}/jetstream`,
      "-n",
      "polaroid",
    ],
    {},
    `${endpoints.natsMonitor}/healthz`,
    // nats-server's start-up banner is long: echo only its warnings and errors.
    (line) => !line.includes("[INF]"),
  );
  const base: Record<string, string> = {
    POLAROID_HOST: host,
    POLAROID_NATS_URL: endpoints.nats,
    POLAROID_HANDLES_ENDPOINT: endpoints.handles,
    POLAROID_COMPUTE_ENDPOINT: endpoints.balancer ?? endpoints.compute,
    POLAROID_DATA_ROOT: dataRoot,
    POLAROID_LOG_LEVEL: "info",
    NO_COLOR: "1",
  };
  const service = (
    kind: ServiceKind,
    name: string,
    grpc: number,
    http: number,
    own: Record<string, string>,
  ) => {
    const prefix = `POLAROID_${kind.toUpperCase()}`;
    const nats = natsUsers?.[kind];
    const env = {
      ...base,
      ...(nats ? { POLAROID_NATS_USER: nats.user, POLAROID_NATS_PASSWORD: nats.pass } : {}),
      [`${prefix}_PORT`]: String(grpc),
      [`${prefix}_HTTP_PORT`]: String(http),
      ...own,
      ...options.env,
      ...options.serviceEnv?.[kind],
    };
    const args = [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      options.entryPoints?.[kind] ?? SERVICE_ENTRY_POINTS[kind],
    ];
    add(name, Deno.execPath(), args, env, `http://${dial}:${http}/healthz`);
  };
  service("handles", "handles", ports.handles, ports.handlesHttp, {});
  workerPorts.forEach((p, i) => {
    const name = i === 0 ? "compute" : `compute-${i + 1}`;
    // Transparent huge pages for the engine's allocations: Polars' native code uses glibc
    // malloc, and on 100M-row frames page faults took more time than the work (sorts ran
    // about twice as fast with it; docs/benchmarks.md, time series).
    service("compute", name, p.grpc, p.http, {
      POLAROID_WORKER_ID: name,
      GLIBC_TUNABLES: "glibc.malloc.hugetlb=1",
      ...(options.bulk ? { POLAROID_BULK_PORT: String(bulkPorts[i]) } : {}),
    });
  });
  if (balancer) {
    const nginx = await prepareBalancer({
      dir: `${runDir}/nginx`,
      upstreams: endpoints.computeWorkers,
      host,
      port: ports.balancer,
      statusPort: ports.balancerHttp,
      accessLog: `${logDir}/balancer.access.log`,
      log: notice,
      ...(balancerTls ? { tls: balancerTls } : {}),
    });
    add("balancer", nginx.command, nginx.args, {}, nginx.healthUrl);
  }
  service("ingest", "ingest", ports.ingest, ports.ingestHttp, {});

  const byName = new Map(children.map((c) => [c.spec.name, c]));
  const get = (name: string): ManagedChild => {
    const child = byName.get(name);
    if (!child) {
      throw new RangeError(
        `Cannot find process as 'name' must be one of ${
          [...byName.keys()].join(", ")
        }: current value is ${name}`,
      );
    }
    return child;
  };

  const killAllNow = () => {
    for (const child of children) child.killNow();
    if (!options.logDir) {
      try {
        Deno.removeSync(runDir, { recursive: true });
      } catch {
        // already removed
      }
    }
  };
  const onUnload = () => killAllNow();
  const onError = (event: Event) => {
    if (!event.defaultPrevented) killAllNow();
  };
  const exitOnSignal = options.exitOnSignal ?? true;
  const onSigint = () => void stop().finally(() => Deno.exit(130));
  const onSigterm = () => void stop().finally(() => Deno.exit(143));
  globalThis.addEventListener("unload", onUnload);
  globalThis.addEventListener("error", onError);
  globalThis.addEventListener("unhandledrejection", onError);
  if (exitOnSignal) {
    Deno.addSignalListener("SIGINT", onSigint);
    Deno.addSignalListener("SIGTERM", onSigterm);
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      for (const child of children) child.beginStop();
      for (const child of [...children].reverse()) await child.stop(stopTimeoutMs);
      globalThis.removeEventListener("unload", onUnload);
      globalThis.removeEventListener("error", onError);
      globalThis.removeEventListener("unhandledrejection", onError);
      if (exitOnSignal) {
        Deno.removeSignalListener("SIGINT", onSigint);
        Deno.removeSignalListener("SIGTERM", onSigterm);
      }
      await Deno.remove(runDir, { recursive: true }).catch(() => {});
    })();

  for (const child of children) {
    progress(`starting ${child.spec.name === "nats" ? "nats-server" : child.spec.name}…`);
    child.start();
    try {
      await child.waitReady(readyTimeoutMs);
    } catch (error) {
      const tail = child.tail();
      await stop();
      throw new Error(
        `Cannot start the cluster as ${child.spec.name} did not become ready: ${
          error instanceof Error ? error.message : String(error)
        }\n--- last lines of ${child.spec.name}.log ---\n${tail}`,
      );
    }
  }

  return {
    ...(natsUsers ? { natsUsers, natsPublishers } : {}),
    endpoints,
    names: children.map((c) => c.spec.name),
    logDir,
    logs: (name) => {
      get(name);
      try {
        return Deno.readTextFileSync(`${logDir}/${name}.log`);
      } catch {
        return "";
      }
    },
    pids: () =>
      Object.fromEntries(
        children.filter((c) => c.pid !== undefined).map((c) => [c.spec.name, c.pid!]),
      ),
    restarts: (name) => get(name).restarts,
    kill: (name, signal = "SIGKILL") => get(name).kill(signal),
    restart: async (name) => {
      const child = get(name);
      const status = await child.stop(stopTimeoutMs);
      progress(`restarting ${name} (stopped with ${describe(status)})…`);
      child.start();
      await child.waitReady(readyTimeoutMs);
    },
    waitReady: (name, timeoutMs = readyTimeoutMs) => get(name).waitReady(timeoutMs),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
