/**
 * A cluster with `POLAROID_AUTH=mtls`: every connection must present a client certificate the
 * client CA signed; its subject names the tenant (CN) and the roles (OU). The services call
 * each other with their own certificate (CN=polaroid, OU=service). A client with a certificate
 * works as its tenant within its roles; one without a certificate, or with one from another
 * CA, does not get a connection; another tenant's handle is NOT_FOUND.
 */

import assert from "node:assert/strict";
import { connect, HandleNotFoundError, PermissionDeniedError } from "../sdk/mod.ts";
import { makeCertificates } from "../scripts/_certs.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-mtls-" });
const certs = await makeCertificates(`${dir}/ca`, [
  { name: "service", subject: "/CN=polaroid/OU=service" },
  { name: "acme", subject: "/CN=acme/OU=write" },
  { name: "reader", subject: "/CN=acme/OU=read" },
  { name: "globex", subject: "/CN=globex/OU=write" },
  { name: "nobody", subject: "/CN=Not A Tenant/OU=write" },
]);
const foreign = await makeCertificates(`${dir}/foreign`, [
  { name: "acme", subject: "/CN=acme/OU=admin" },
]);
const read = (path: string) => Deno.readTextFile(path);
const ca = await read(certs.ca);
const cluster = await testCluster({
  env: {
    POLAROID_AUTH: "mtls",
    POLAROID_TLS_CERT_FILE: certs.issued.service!.cert,
    POLAROID_TLS_KEY_FILE: certs.issued.service!.key,
    POLAROID_TLS_CA_FILE: certs.ca,
    POLAROID_TLS_CLIENT_CA_FILE: certs.ca,
  },
});
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const endpoint = cluster.endpoints.compute;

async function as(files: { cert: string; key: string }, caText = ca) {
  return await connect({
    endpoint,
    tls: { ca: caText, cert: await read(files.cert), key: await read(files.key) },
    connectTimeoutMs: 5000,
  });
}

Deno.test({
  name: "a client certificate is the identity: tenant from CN, roles from OU",
  ...INTEGRATION,
  async fn() {
    await using acme = await as(certs.issued.acme!);
    const rows = Array.from({ length: 300 }, (_, i) => ({ i }));
    await using df = await acme.fromRecords(rows);
    assert.ok(df.id.startsWith("acme."), "the handle is the certificate's tenant's");
    assert.deepEqual(await df.toRecords(), rows);
    await using reader = await as(certs.issued.reader!);
    assert.equal((await reader.handle(df.id)).id, df.id);
    await assert.rejects(reader.fromRecords([{ i: 1 }]), PermissionDeniedError);
    await using globex = await as(certs.issued.globex!);
    await assert.rejects(globex.handle(df.id), HandleNotFoundError);
    await using nobody = await as(certs.issued.nobody!);
    await assert.rejects(nobody.listHandles(), /CN is not a tenant name/);
  },
});

Deno.test({
  name: "no client certificate, or one from another CA: no connection",
  ...INTEGRATION,
  async fn() {
    await assert.rejects(connect({ endpoint, tls: { ca }, connectTimeoutMs: 3000 }));
    await assert.rejects(as(foreign.issued.acme!));
    // The server is still serving the others.
    await using acme = await as(certs.issued.acme!);
    await acme.listHandles();
  },
});

Deno.test({
  name: "mTLS cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
  },
});
