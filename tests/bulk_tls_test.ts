/**
 * The bulk port with TLS (docs/adr/0016): it serves the gRPC port's certificate, and the SDK
 * reads large results and sends large uploads over it, trusting the same CA. With mTLS the
 * bulk port stays off (it cannot ask for client certificates) and everything goes over gRPC.
 */

import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import { connect } from "../sdk/mod.ts";
import { secureCluster } from "../scripts/_secure_cluster.ts";
import { freePort } from "../scripts/_ports.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-bulk-tls-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const BULK = { POLAROID_BULK_MIN_BYTES: "1KiB" };

/** The worker's completed bulk transfers of `kind`. */
function completed(logs: string, kind: string): number {
  return logs.split("\n").filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === "bulk" && l.kind === kind && l.outcome === "completed").length;
}

Deno.test(
  "over TLS the bulk port serves the gRPC port's certificate and carries results",
  INTEGRATION,
  async () => {
    const secure = await secureCluster(`${dir}/tls`);
    const bulkPort = freePort();
    await using cluster = await testCluster({
      env: secure.env,
      serviceEnv: {
        compute: {
          ...BULK,
          POLAROID_BULK_PORT: String(bulkPort),
          POLAROID_BULK_ADVERTISE: `localhost:${bulkPort}`,
        },
      },
    });
    const ca = await Deno.readTextFile(secure.ca);
    await using client = await connect({
      endpoint: `localhost:${cluster.endpoints.compute.split(":").at(-1)}`,
      tls: { ca },
      token: secure.adminKey!,
    });
    const n = 20_000;
    const df = await client.fromArrow(tableFromArrays({
      i: Int32Array.from({ length: n }, (_, i) => i),
      s: Array.from({ length: n }, (_, i) => `row ${i}`),
    }));
    const back = await df.toArrow();
    assert.equal(back.numRows, n);
    assert.equal(back.getChild("s")!.get(n - 1), `row ${n - 1}`);
    assert.equal(
      completed(cluster.logs("compute"), "collect"),
      1,
      "the download went over TLS bulk",
    );
    // Plaintext HTTP to the bulk port gets nowhere.
    await assert.rejects(fetch(`http://127.0.0.1:${bulkPort}/v1/bulk/collect`));
  },
);

Deno.test("with mTLS the bulk port is off and downloads go over gRPC", INTEGRATION, async () => {
  const secure = await secureCluster(`${dir}/mtls`, { mtls: true });
  const bulkPort = freePort();
  await using cluster = await testCluster({
    env: secure.env,
    serviceEnv: { compute: { ...BULK, POLAROID_BULK_PORT: String(bulkPort) } },
  });
  assert.match(cluster.logs("compute"), /bulk port off: POLAROID_TLS_CLIENT_CA_FILE/);
  const cert = secure.adminCertificate!;
  const tls = {
    ca: await Deno.readTextFile(secure.ca),
    cert: await Deno.readTextFile(cert.cert),
    key: await Deno.readTextFile(cert.key),
  };
  const endpoint = `localhost:${cluster.endpoints.compute.split(":").at(-1)}`;
  await assert.rejects(
    connect({ endpoint, tls, bulk: true }),
    /'bulk' does not go with client certificates/,
  );
  await using client = await connect({ endpoint, tls });
  const rows = Array.from({ length: 5000 }, (_, i) => ({ i, s: `v${i}` }));
  const df = await client.fromRecords(rows);
  assert.deepEqual(await df.toRecords(), rows);
  assert.equal(completed(cluster.logs("compute"), "collect"), 0);
});
