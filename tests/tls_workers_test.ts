/**
 * `deno task up --tls --workers 2` as a test: two compute workers behind nginx, TLS from the
 * client to nginx and from nginx to the workers (each end checks the other's certificate
 * against the local CA), token authentication passing through. Calls spread over both
 * workers and every one of them reached a worker over TLS (nginx's access log); a plaintext
 * client gets nothing. A cluster with mTLS behind a balancer is refused at start: client
 * certificates do not pass through nginx.
 */

import assert from "node:assert/strict";
import { connect } from "../sdk/mod.ts";
import { secureCluster } from "../scripts/_secure_cluster.ts";
import { startCluster } from "../scripts/cluster.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-secure-workers-" });
const secure = await secureCluster(dir);
const cluster = await testCluster({
  env: { ...secure.env, POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: `${dir}/state` },
  workers: 2,
  balancer: true,
});
const ca = await Deno.readTextFile(secure.ca);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const front = cluster.endpoints.balancer!;

Deno.test({
  name: "TLS through nginx to two workers: calls spread, each over TLS, tokens pass through",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: front, tls: { ca }, token: secure.adminKey! });
    const rows = Array.from({ length: 500 }, (_, i) => ({ i, x: i / 8 }));
    await using df = await client.fromRecords(rows);
    for (let i = 0; i < 6; i++) assert.deepEqual(await df.toRecords(), rows);
    const log = await Deno.readTextFile(`${cluster.logDir}/balancer.access.log`);
    const lines = log.split("\n").filter((l) => l.includes("DataFrameService"));
    const upstreams = new Set(lines.map((l) => /upstream=(\S+)/.exec(l)?.[1]));
    assert.deepEqual(
      [...upstreams].sort(),
      [...cluster.endpoints.computeWorkers].sort(),
      "both workers took calls",
    );
    assert.ok(lines.every((l) => /grpc_status=0/.test(l)), lines.join("\n"));
    // nginx called the workers over TLS: a plaintext call to a worker fails.
    await assert.rejects(
      connect({
        endpoint: cluster.endpoints.computeWorkers[0]!,
        token: secure.adminKey!,
        connectTimeoutMs: 2000,
      }),
    );
    await assert.rejects(
      connect({ endpoint: front, token: secure.adminKey!, connectTimeoutMs: 2000 }),
      "a plaintext client of the balancer",
    );
  },
});

Deno.test({
  name: "mTLS behind a balancer is refused at start, naming why",
  ...INTEGRATION,
  async fn() {
    await assert.rejects(
      startCluster({
        quiet: true,
        balancer: true,
        workers: 2,
        env: { POLAROID_AUTH: "mtls" },
        exitOnSignal: false,
      }),
      /'balancer' does not go with POLAROID_AUTH=mtls: client certificates do not pass through nginx/,
    );
  },
});

Deno.test({
  name: "secure cluster with workers stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
  },
});
