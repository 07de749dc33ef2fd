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

/** The ports among `ports` that something already listens on, with their names. */
export function busyPorts(ports: Readonly<Required<ClusterPorts>>): string[] {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports)) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
    } catch {
      busy.push(`${port} (${name})`);
    }
  }
  return busy;
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
