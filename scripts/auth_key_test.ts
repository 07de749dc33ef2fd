import assert from "node:assert/strict";
import { initSecrets, parseKeyFlags } from "./auth_key.ts";
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

Deno.test("auth:key --init writes keys that verify and files only their owner reads", async () => {
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
    assert.ok(conf.includes(`publish: { allow: ["polaroid.ingest.acme.>"] }`));
    const files = ["api-keys.json", "service-token", "nats.conf", "nats-publisher-acme-password"];
    for (const file of files) {
      assert.equal((await Deno.stat(`${dir}/s/${file}`)).mode! & 0o077, 0, `${file} is private`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
