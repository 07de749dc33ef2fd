/**
 * The pieces of `deno task up` that are not process plumbing: flags, ports, banner.
 *
 * @module
 */

import type { Cluster, ClusterPorts } from "./cluster.ts";
import type { SecureCluster } from "./_secure_cluster.ts";
import { portIsFree } from "./_ports.ts";

/** The ports `deno task up` uses unless `--free-ports` is given (the services' defaults). */
export const WELL_KNOWN_PORTS: Readonly<Required<ClusterPorts>> = {
  nats: 4222,
  natsMonitor: 8222,
  compute: 50051,
  computeHttp: 9091,
  handles: 50052,
  handlesHttp: 9092,
  ingest: 50053,
  ingestHttp: 9093,
  balancer: 50050,
  balancerHttp: 9094,
};

/** Parsed command line of `deno task up`. */
export interface UpFlags {
  demo: boolean;
  exitAfterDemo: boolean;
  freePorts: boolean;
  /**
   * `--tls`: a local CA and certificates, TLS on every gRPC port (the balancer's too, with
   * `--workers`), token authentication (an admin key for tenant "default" is printed) and a
   * locked-down NATS.
   */
  tls: boolean;
  /**
   * `--mtls`: as `--tls`, with mTLS authentication instead of tokens: every caller presents a
   * client certificate of the local CA (an admin certificate for tenant "default" is made and
   * printed). Not with `--workers`: client certificates do not pass through the balancer.
   */
  mtls: boolean;
  /** `--workers N`: N compute workers behind nginx; undefined: one worker, no balancer. */
  workers?: number;
  /**
   * `--observability`: every service traced (exported to the project's trace sink) and a
   * Prometheus scraping them with the alert rules (scripts/_observability_stack.ts).
   */
  observability: boolean;
  /** `--bulk`: every compute worker gets a bulk port (docs/adr/0016). */
  bulk: boolean;
}

const USAGE =
  "usage: deno task up [--no-demo] [--exit-after-demo] [--free-ports] [--workers N] [--tls | --mtls] [--observability] [--bulk]";

/** Most workers `--workers` starts on one machine. */
export const MAX_UP_WORKERS = 64;

/** Parses the flags; throws a TypeError naming an unknown or malformed one. */
export function parseUpFlags(args: readonly string[]): UpFlags {
  const flags: UpFlags = {
    demo: true,
    exitAfterDemo: false,
    freePorts: false,
    tls: false,
    mtls: false,
    observability: false,
    bulk: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--no-demo") flags.demo = false;
    else if (arg === "--exit-after-demo") flags.exitAfterDemo = true;
    else if (arg === "--free-ports") flags.freePorts = true;
    else if (arg === "--tls") flags.tls = true;
    else if (arg === "--mtls") flags.tls = flags.mtls = true;
    else if (arg === "--observability") flags.observability = true;
    else if (arg === "--bulk") flags.bulk = true;
    else if (arg === "--workers") flags.workers = workerCount(args[++i]);
    else if (arg.startsWith("--workers=")) flags.workers = workerCount(arg.slice(10));
    else throw new TypeError(`Cannot start as '${arg}' is not a flag of deno task up\n${USAGE}`);
  }
  if (flags.mtls && flags.workers !== undefined) {
    throw new TypeError(
      `Cannot start as '--mtls' does not go with '--workers' (client certificates do not pass through the balancer; '--tls --workers N' uses tokens)\n${USAGE}`,
    );
  }
  return flags;
}

function workerCount(raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || n < 1 || n > MAX_UP_WORKERS) {
    throw new TypeError(
      `Cannot start as '--workers' must be an integer in [1, ${MAX_UP_WORKERS}]: current value is ${
        raw === undefined ? "missing" : JSON.stringify(raw)
      }\n${USAGE}`,
    );
  }
  return n;
}

/** How `deno task up` keeps handles when it runs several workers. */
export interface HandleStorePlan {
  /** Environment to add for every service (empty when nothing changes). */
  env: Record<string, string>;
  /** A line to print about it, if any. */
  message?: string;
}

/**
 * Live tables need a state store: a directory made by `stateDir()`, unless POLAROID_STATE_DIR
 * or POLAROID_S3_BUCKET is set already. With more than one worker, handles must also be
 * readable through any of them: the external store there, unless POLAROID_HANDLE_STORE is set
 * already (then it is kept).
 */
export function planHandleStore(
  env: Readonly<Record<string, string | undefined>>,
  options: { workers: number; stateDir: () => string },
): HandleStorePlan {
  const storeSet = Boolean(env.POLAROID_STATE_DIR?.trim() || env.POLAROID_S3_BUCKET?.trim());
  if (options.workers <= 1) {
    if (storeSet) return { env: {} };
    const stateDir = options.stateDir();
    return {
      env: { POLAROID_STATE_DIR: stateDir },
      message: `live tables are kept in ${stateDir} (POLAROID_STATE_DIR, removed on stop)`,
    };
  }
  const configured = env.POLAROID_HANDLE_STORE?.trim();
  if (configured) {
    return {
      env: {},
      message: configured === "external"
        ? `${options.workers} workers share the external handle store configured in the environment`
        : `warning: POLAROID_HANDLE_STORE=${configured}: a handle is readable only through the worker that made it`,
    };
  }
  const stateDir = options.stateDir();
  return {
    env: { POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: stateDir },
    message:
      `${options.workers} workers share the external handle store in ${stateDir} (POLAROID_HANDLE_STORE=external, removed on stop)`,
  };
}

/** The variable that configures each port (the services' own, plus nats-server's). */
export const PORT_VARIABLES: Readonly<Record<keyof ClusterPorts, string>> = {
  nats: "POLAROID_NATS_PORT",
  natsMonitor: "POLAROID_NATS_MONITOR_PORT",
  compute: "POLAROID_COMPUTE_PORT",
  computeHttp: "POLAROID_COMPUTE_HTTP_PORT",
  handles: "POLAROID_HANDLES_PORT",
  handlesHttp: "POLAROID_HANDLES_HTTP_PORT",
  ingest: "POLAROID_INGEST_PORT",
  ingestHttp: "POLAROID_INGEST_HTTP_PORT",
  balancer: "POLAROID_BALANCER_PORT",
  balancerHttp: "POLAROID_BALANCER_HTTP_PORT",
};

/** Options of planPorts(). */
export interface PlanPortsOptions {
  /** Pick every port free (configured ones still win). @default false */
  freePorts?: boolean;
  /** Plan the balancer's ports too. @default false */
  balancer?: boolean;
  /** Whether a port is free now. @default a listen probe on 127.0.0.1 */
  isFree?: (port: number) => boolean;
}

/** Where `deno task up` listens: configured ports, else the well-known ones when free. */
export interface PortPlan {
  /** Ports to use as given; those left out are picked free. */
  ports: ClusterPorts;
  /** Configured ports that are busy: starting must fail, naming them. */
  busyConfigured: string[];
  /** Well-known ports that are busy and will be replaced by free ones. */
  replaced: string[];
}

/**
 * Decides the ports: a variable from PORT_VARIABLES wins and must be free; otherwise the
 * well-known port when free, else a free one (every port is free with `freePorts`).
 */
export function planPorts(
  env: Readonly<Record<string, string | undefined>>,
  options: PlanPortsOptions = {},
): PortPlan {
  const { freePorts = false, balancer = false, isFree = portIsFree } = options;
  const plan: PortPlan = { ports: {}, busyConfigured: [], replaced: [] };
  for (const [name, variable] of Object.entries(PORT_VARIABLES) as [keyof ClusterPorts, string][]) {
    if (!balancer && (name === "balancer" || name === "balancerHttp")) continue;
    const raw = env[variable]?.trim();
    if (raw) {
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new TypeError(
          `Cannot start as '${variable}' must be a port in [1, 65535]: current value is ${
            JSON.stringify(raw)
          }`,
        );
      }
      if (isFree(port)) plan.ports[name] = port;
      else plan.busyConfigured.push(`${port} (${variable})`);
    } else if (!freePorts) {
      const port = WELL_KNOWN_PORTS[name];
      if (isFree(port)) plan.ports[name] = port;
      else plan.replaced.push(`${port} (${name})`);
    }
  }
  return plan;
}

/** The banner printed once everything is up. */
export function banner(
  cluster: Cluster,
  logDir: string,
  secure?: SecureCluster,
): string {
  const e = cluster.endpoints;
  const row = (name: string, grpc: string, http: string) =>
    `  ${name.padEnd(8)} gRPC ${grpc.padEnd(22)} ${http}/healthz  ${http}/metrics`;
  const front = e.balancer ?? e.compute;
  return [
    "",
    "Polaroid is up",
    ...(e.balancer && e.balancerHttp
      ? [
        `  ${"nginx".padEnd(8)} gRPC ${
          e.balancer.padEnd(22)
        } ${e.balancerHttp}/healthz  ${e.balancerHttp}/status`,
        `  compute  ${e.computeWorkers.length} worker(s): ${e.computeWorkers.join(" ")}`,
      ]
      : [row("compute", e.compute, e.computeHttp)]),
    ...(e.computeWorkersBulk
      ? [`  bulk     ${e.computeWorkersBulk.join(" ")} (large results and uploads of the SDK)`]
      : []),
    row("handles", e.handles, e.handlesHttp),
    row("ingest", e.ingest, e.ingestHttp),
    `  ${"nats".padEnd(8)} ${e.nats.padEnd(27)} ${e.natsMonitor}/healthz`,
    `  logs     ${logDir}/<service>.log`,
    `  console  ${e.handlesHttp}/console/${
      secure?.adminCertificate ? " (needs POLAROID_AUTH=token: closed with mTLS)" : ""
    }`,
    ...(secure
      ? [
        `  TLS      every gRPC port; the CA is ${secure.ca}`,
        ...(secure.adminCertificate
          ? [
            `  auth     POLAROID_AUTH=mtls; admin certificate of tenant "default": ${secure.adminCertificate.cert} (key ${secure.adminCertificate.key})`,
            "  SDK      const read = Deno.readTextFile; await connect({ endpoint: " +
            JSON.stringify(front) + ", tls: { ca: await read(" + JSON.stringify(secure.ca) +
            "), cert: await read(" + JSON.stringify(secure.adminCertificate.cert) +
            "), key: await read(" + JSON.stringify(secure.adminCertificate.key) + ") } })",
          ]
          : [
            `  auth     POLAROID_AUTH=token; admin key of tenant "default": ${secure.adminKey}`,
            "  SDK      await connect({ endpoint: " + JSON.stringify(front) +
            ", tls: { ca: await Deno.readTextFile(" + JSON.stringify(secure.ca) + ") }, token })",
          ]),
      ]
      : ["  SDK      await connect({ endpoint: " + JSON.stringify(front) + " })"]),
    "Ctrl-C stops the cluster.",
    "",
  ].join("\n");
}
