/**
 * `deno task up`: a local Polaroid cluster (nats-server, handles, compute, ingest) on the
 * well-known ports, restarted when a service dies, then the demo, then running until Ctrl-C.
 *
 * Flags:
 * - `--no-demo`: start the cluster only.
 * - `--exit-after-demo`: stop once the demo is done (exit 1 if it failed).
 * - `--free-ports`: pick free ports instead of the well-known ones.
 *
 * Ports: each POLAROID_*_PORT variable (see PORT_VARIABLES in _up.ts) fixes one port; the others
 * are the services' well-known defaults when free, else free ones.
 *
 * @module
 */

import { type Cluster, REPO_ROOT, startCluster } from "./cluster.ts";
import { runDemo } from "./demo.ts";
import { banner, parseUpFlags, planPorts, type PortPlan, type UpFlags } from "./_up.ts";

async function main(args: readonly string[]): Promise<number> {
  let flags: UpFlags;
  try {
    flags = parseUpFlags(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  let ports: PortPlan;
  try {
    ports = planPorts(Deno.env.toObject(), flags.freePorts);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (ports.busyConfigured.length > 0) {
    console.error(
      `Cannot start as configured ports ${ports.busyConfigured.join(", ")} are in use`,
    );
    return 1;
  }
  if (ports.replaced.length > 0) {
    console.log(`ports ${ports.replaced.join(", ")} are in use: picking free ones instead`);
  }
  let cluster: Cluster | undefined;
  let interrupted = false;
  const done = Promise.withResolvers<number>();
  const onSignal = () => {
    interrupted = true;
    if (cluster) done.resolve(0);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const logDir = `${REPO_ROOT}/.cluster/logs`;
  try {
    cluster = await startCluster({
      quiet: false,
      restart: true,
      exitOnSignal: false,
      logDir,
      ports: ports.ports,
    });
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  try {
    if (interrupted) return 0;
    console.log(banner(cluster, logDir));
    if (flags.demo) {
      const demo = runDemo(cluster.endpoints.compute).then(() => 0, (error) => {
        console.error(`demo failed: ${error instanceof Error ? error.stack : String(error)}`);
        return 1;
      });
      const code = await Promise.race([demo, done.promise]);
      if (flags.exitAfterDemo || interrupted) return interrupted ? 0 : code;
    } else if (flags.exitAfterDemo) {
      return 0;
    }
    return await done.promise;
  } finally {
    await cluster.stop();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    console.log("stopped");
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
