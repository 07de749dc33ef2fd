/**
 * `deno task up`: a local Polaroid cluster (nats-server, handles, compute, ingest) on the
 * well-known ports, restarted when a service dies, then the demo, then running until Ctrl-C.
 *
 * Flags:
 * - `--no-demo`: start the cluster only.
 * - `--exit-after-demo`: stop once the demo is done (exit 1 if it failed).
 * - `--free-ports`: pick free ports instead of the well-known ones.
 * - `--workers N`: N compute workers with nginx in front (gRPC on 50050, see scripts/nginx.ts);
 *   with N > 1 every service uses the external handle store on a temporary state directory
 *   (removed on stop), so that any worker serves any handle, unless POLAROID_HANDLE_STORE is
 *   set already.
 * - `--tls`: TLS on every gRPC port, from a local CA made in `.cluster/tls` (openssl), token
 *   authentication with keys made in `.cluster/secrets`, and a locked-down NATS (a user per
 *   service); the banner prints the CA and an admin key for tenant "default"
 *   (docs/security.md). With `--workers`, nginx takes TLS from clients and calls the workers
 *   over TLS.
 * - `--mtls`: as `--tls`, but callers authenticate with client certificates of the local CA;
 *   the banner prints an admin certificate for tenant "default". Not with `--workers`.
 * - `--observability`: every service traced to the project's trace sink (127.0.0.1:4318, or a
 *   free port) and a Prometheus (127.0.0.1:9090, or a free port) scraping them with the alert
 *   rules; the banner says where to look (docs/observability.md).
 * - `--bulk`: every compute worker also serves a bulk port (docs/adr/0016): the SDK's large
 *   results and uploads go over it instead of grpc-js.
 *
 * Ports: each POLAROID_*_PORT variable (see PORT_VARIABLES in _up.ts) fixes one port; the others
 * are the services' well-known defaults when free, else free ones.
 *
 * @module
 */

import { type Cluster, REPO_ROOT, startCluster } from "./cluster.ts";
import { runDemo } from "./demo.ts";
import { runLiveDemo } from "./demo_live.ts";
import { startTickFeed, type TickFeed } from "../examples/ws_feed.ts";
import { type SecureCluster, secureCluster } from "./_secure_cluster.ts";
import { startObservabilityStack } from "./_observability_stack.ts";
import {
  banner,
  parseUpFlags,
  planHandleStore,
  planPorts,
  type PortPlan,
  type UpFlags,
} from "./_up.ts";

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
    ports = planPorts(Deno.env.toObject(), {
      freePorts: flags.freePorts,
      balancer: flags.workers !== undefined,
    });
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
  const workers = flags.workers ?? 1;
  const store = planHandleStore(Deno.env.toObject(), {
    workers,
    stateDir: () => Deno.makeTempDirSync({ prefix: "polaroid-state-" }),
  });
  const stateDir = store.env.POLAROID_STATE_DIR;
  if (store.message) console.log(store.message);
  let secure: SecureCluster | undefined;
  if (flags.tls) {
    try {
      secure = await secureCluster(`${REPO_ROOT}/.cluster`, { mtls: flags.mtls });
    } catch (error) {
      console.error(
        `Cannot start with ${flags.mtls ? "--mtls" : "--tls"}: ${(error as Error).message}`,
      );
      return 1;
    }
  }
  const removeStateDir = () =>
    stateDir ? Deno.remove(stateDir, { recursive: true }).catch(() => {}) : Promise.resolve();
  // The demo's market-data feed, on loopback: the ingest service may connect there.
  let feed: TickFeed | undefined;
  if (flags.demo) feed = await startTickFeed({ ratePerSecond: 500 });
  const allowHosts = [Deno.env.get("POLAROID_INGEST_ALLOW_HOSTS"), feed && "127.0.0.1"]
    .filter(Boolean).join(",");
  const observability = flags.observability
    ? await startObservabilityStack(`${REPO_ROOT}/.cluster/observability`)
    : undefined;
  try {
    cluster = await startCluster({
      quiet: false,
      restart: true,
      exitOnSignal: false,
      logDir,
      ports: ports.ports,
      workers,
      balancer: flags.workers !== undefined,
      bulk: flags.bulk,
      env: {
        ...store.env,
        ...secure?.env,
        ...observability?.env,
        ...(allowHosts ? { POLAROID_INGEST_ALLOW_HOSTS: allowHosts } : {}),
      },
      natsAuth: secure !== undefined,
    });
  } catch (error) {
    console.error((error as Error).message);
    await feed?.stop();
    await observability?.stop();
    await removeStateDir();
    return 1;
  }
  try {
    if (interrupted) return 0;
    console.log(banner(cluster, logDir, secure));
    if (observability) console.log((await observability.watch(cluster)).join("\n"));
    if (flags.demo) {
      const front = cluster.endpoints.balancer ?? cluster.endpoints.compute;
      const credentials = secure ? await demoCredentials(secure) : {};
      const demo = runDemo(front, credentials).then(() =>
        runLiveDemo({ compute: front, ingest: cluster!.endpoints.ingest }, feed!.url, credentials)
      ).then(
        () => 0,
        (error) => {
          console.error(`demo failed: ${error instanceof Error ? error.stack : String(error)}`);
          return 1;
        },
      );
      const code = await Promise.race([demo, done.promise]);
      if (flags.exitAfterDemo || interrupted) return interrupted ? 0 : code;
    } else if (flags.exitAfterDemo) {
      return 0;
    }
    return await done.promise;
  } finally {
    await cluster.stop();
    await feed?.stop();
    await observability?.stop();
    await removeStateDir();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    console.log("stopped");
  }
}

/** How the demo signs in to a secured cluster: the admin key, or the admin certificate. */
async function demoCredentials(secure: SecureCluster) {
  const ca = await Deno.readTextFile(secure.ca);
  const certificate = secure.adminCertificate;
  if (certificate) {
    const [cert, key] = await Promise.all(
      [certificate.cert, certificate.key].map((path) => Deno.readTextFile(path)),
    );
    return { tls: { ca, cert: cert!, key: key! } };
  }
  return { token: secure.adminKey!, tls: { ca } };
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
