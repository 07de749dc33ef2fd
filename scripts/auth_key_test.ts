import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { DEPLOYMENT_HOSTS, initSecrets, parseKeyFlags } from "./auth_key.ts";
import { ApiKeyStore } from "../shared/auth/api_keys.ts";

Deno.test("auth:key refuses unknown flags and flags without a value", () => {
  assert.deepEqual(parseKeyFlags([]), { tenant: "default", roles: "read" });
  assert.deepEqual(parseKeyFlags(["--tenant", "acme", "--roles", "read,write"]), {
    tenant: "acme",
    roles: "read,write",
  });
  assert.equal(parseKeyFlags(["--init", "dir"]).init, "dir");
  assert.throws(() => parseKeyFlags(["--init"]), /'--init' needs a value/);
  assert.throws(() => parseKeyFlags(["--init", "--tenant", "a"]), /'--init' needs a value/);
  assert.throws(() => parseKeyFlags(["--role", "read"]), /'--role' is not a flag/);
  assert.throws(() => parseKeyFlags(["acme"]), /'acme' is not a flag/);
});

Deno.test("auth:key --init writes keys that verify, in a directory only its owner enters", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const admin = await initSecrets(`${dir}/s`, "acme");
    const store = ApiKeyStore.parse(await Deno.readTextFile(`${dir}/s/api-keys.json`), "keys");
    assert.deepEqual(store.verify(admin)?.roles, new Set(["admin"]));
    const service = (await Deno.readTextFile(`${dir}/s/service-token`)).trim();
    assert.equal(store.verify(service)?.tenant, "polaroid");
    const publisher = (await Deno.readTextFile(`${dir}/s/nats-publisher-acme-password`)).trim();
    const conf = await Deno.readTextFile(`${dir}/s/nats.conf`);
    assert.ok(conf.includes(`{ user: "publisher-acme", password: ${JSON.stringify(publisher)}`));
    assert.ok(
      conf.includes(`publish: { allow: ["polaroid.ingest.acme.>", "polaroid.durable.acme.>"] }`),
    );
    // The directory keeps other host users out; containers (another user) read the files.
    assert.equal((await Deno.stat(`${dir}/s`)).mode! & 0o777, 0o700, "the directory is private");
    const files = ["api-keys.json", "service-token", "nats.conf", "nats-publisher-acme-password"];
    for (const file of files) {
      assert.equal((await Deno.stat(`${dir}/s/${file}`)).mode! & 0o777, 0o644, file);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("auth:key --init makes the services' TLS certificate for compose's service names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await initSecrets(dir, "default", { tlsHosts: DEPLOYMENT_HOSTS, natsHost: "::" });
    const cert = new X509Certificate(await Deno.readTextFile(`${dir}/tls/service.pem`));
    for (const name of ["handles", "compute", "ingest", "balancer", "localhost"]) {
      assert.ok(cert.subjectAltName?.includes(`DNS:${name}`), `${name}: ${cert.subjectAltName}`);
    }
    const ca = new X509Certificate(await Deno.readTextFile(`${dir}/tls/ca.pem`));
    assert.ok(cert.verify(ca.publicKey), "the CA signed it");
    assert.match(await Deno.readTextFile(`${dir}/nats.conf`), /listen: "\[::\]:4222"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
