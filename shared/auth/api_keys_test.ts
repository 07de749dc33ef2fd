import assert from "node:assert/strict";
import { ApiKeyStore, hashApiKey, newApiKey } from "./api_keys.ts";

Deno.test("a new key verifies against its stored record; others do not", () => {
  const { key, record } = newApiKey("acme", ["read", "write"]);
  assert.match(key, /^pk_[a-z2-7]{12}_[a-z2-7]{32}$/);
  assert.equal(record.sha256, hashApiKey(key));
  assert.ok(!JSON.stringify(record).includes(key.slice(16)), "the record keeps no secret");
  const store = ApiKeyStore.parse(JSON.stringify([record]), "keys.json");
  assert.equal(store.verify(key)?.tenant, "acme");
  assert.deepEqual(store.verify(key)?.roles, new Set(["read", "write"]));
  // Same id, another secret; another id; malformed; empty.
  const forged = key.slice(0, 16) + (key[16] === "a" ? "b" : "a") + key.slice(17);
  assert.equal(store.verify(forged), undefined);
  assert.equal(store.verify(newApiKey("acme", ["read"]).key), undefined);
  assert.equal(store.verify(key + "x"), undefined);
  assert.equal(store.verify(""), undefined);
});

Deno.test("a keys file with a bad record is refused with the record named", () => {
  const good = newApiKey("acme", ["read"]).record;
  const cases: Array<[unknown, RegExp]> = [
    [{}, /JSON array/],
    [[{ ...good, id: "short" }], /keys\.json\[0\]\.id/],
    [[{ ...good, sha256: "xyz" }], /\[0\]\.sha256/],
    [[{ ...good, tenant: "Bad Tenant" }], /\[0\]\.tenant/],
    [[{ ...good, roles: ["root"] }], /\[0\]\.roles names an unknown role/],
    [[good, good], /\[1\]\.id is listed twice/],
  ];
  for (const [records, message] of cases) {
    assert.throws(() => ApiKeyStore.parse(JSON.stringify(records), "keys.json"), message);
  }
  assert.throws(() => ApiKeyStore.parse("{", "keys.json"), /keys\.json is not JSON/);
});
