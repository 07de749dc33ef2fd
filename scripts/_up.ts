/**
 * The pieces of `deno task up` that are not process plumbing: flags, ports, banner.
 *
 * @module
 */

import type { Cluster, ClusterPorts } from "./cluster.ts";

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
};

/** Parsed command line of `deno task up`. */
export interface UpFlags {
  demo: boolean;
  exitAfterDemo: boolean;
  freePorts: boolean;
}

const USAGE = "usage: deno task up [--no-demo] [--exit-after-demo] [--free-ports]";

/** Parses the flags; throws a TypeError naming an unknown one. */
export function parseUpFlags(args: readonly string[]): UpFlags {
  const flags: UpFlags = { demo: true, exitAfterDemo: false, freePorts: false };
  for (const arg of args) {
    if (arg === "--no-demo") flags.demo = false;
    else if (arg === "--exit-after-demo") flags.exitAfterDemo = true;
    else if (arg === "--free-ports") flags.freePorts = true;
    else throw new TypeError(`Cannot start as '${arg}' is not a flag of deno task up\n${USAGE}`);
  }
  return flags;
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
};

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
  freePorts: boolean,
  isFree: (port: number) => boolean = portIsFree,
): PortPlan {
  const plan: PortPlan = { ports: {}, busyConfigured: [], replaced: [] };
  for (const [name, variable] of Object.entries(PORT_VARIABLES) as [keyof ClusterPorts, string][]) {
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

function portIsFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

/** The banner printed once everything is up. */
export function banner(cluster: Cluster, logDir: string): string {
  const e = cluster.endpoints;
  const row = (name: string, grpc: string, http: string) =>
    `  ${name.padEnd(8)} gRPC ${grpc.padEnd(22)} ${http}/healthz  ${http}/metrics`;
  return [
    "",
    "Polaroid is up",
    row("compute", e.compute, e.computeHttp),
    row("handles", e.handles, e.handlesHttp),
    row("ingest", e.ingest, e.ingestHttp),
    `  ${"nats".padEnd(8)} ${e.nats.padEnd(27)} ${e.natsMonitor}/healthz`,
    `  logs     ${logDir}/<service>.log`,
    "  SDK      await connect({ endpoint: " + JSON.stringify(e.compute) + " })",
    "Ctrl-C stops the cluster.",
    "",
  ].join("\n");
}
