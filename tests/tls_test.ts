/**
 * A local cluster secured as `deno task up --tls` secures it: TLS on every gRPC port from a
 * local CA, token authentication, the services calling each other over TLS with their own
 * key. A client with the CA and a key uploads and reads back (compute registered the handle
 * with the handles service over TLS); a plaintext client, a client trusting another CA and a
 * client without a key all fail, and the services keep serving.
 */

import assert from "node:assert/strict";
import { connect, UnauthenticatedError } from "../sdk/mod.ts";
import { makeCertificates } from "../scripts/_certs.ts";
import { secureCluster } from "../scripts/_secure_cluster.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-secure-" });
const secure = await secureCluster(dir);
const cluster = await testCluster({ env: secure.env });
const ca = await Deno.readTextFile(secure.ca);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

Deno.test({
  name: "over TLS with a key: upload, read back, list; services talk to each other over TLS",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({
      endpoint: `localhost:${cluster.endpoints.compute.split(":").at(-1)}`,
      tls: { ca },
      token: secure.adminKey!,
    });
    const rows = Array.from({ length: 1000 }, (_, i) => ({ i, x: i / 4 }));
    await using df = await client.fromRecords(rows);
    assert.deepEqual(await df.toRecords(), rows);
    assert.ok((await client.listHandles()).some((h) => h.id === df.id));
  },
});

Deno.test({
  name: "plaintext, a foreign CA or no key do not get through",
  ...INTEGRATION,
  async fn() {
    const endpoint = cluster.endpoints.compute;
    await assert.rejects(
      connect({ endpoint, token: secure.adminKey!, connectTimeoutMs: 2000 }),
      "a plaintext client",
    );
    const other = await makeCertificates(`${dir}/other`, []);
    await assert.rejects(
      connect({
        endpoint,
        tls: { ca: await Deno.readTextFile(other.ca) },
        token: secure.adminKey!,
        connectTimeoutMs: 2000,
      }),
      "a client trusting another CA",
    );
    await using keyless = await connect({ endpoint, tls: { ca }, connectTimeoutMs: 5000 });
    await assert.rejects(keyless.listHandles(), UnauthenticatedError);
    // The services are still up and serving.
    await using client = await connect({ endpoint, tls: { ca }, token: secure.adminKey! });
    await client.listHandles();
  },
});

Deno.test({
  name: "secure cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
  },
});
