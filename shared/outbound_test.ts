import assert from "node:assert/strict";
import { ConfigError } from "./config_env.ts";
import { PermissionDeniedError } from "./errors.ts";
import { checkOutbound, isNonPublic, parseAllowHosts, type Resolver } from "./outbound.ts";
import { loadIngestConfig } from "./config.ts";

/** A resolver that answers from a table (no DNS in a test). */
const table = (entries: Record<string, string[]>): Resolver => (host) =>
  entries[host]
    ? Promise.resolve(entries[host]!)
    : Promise.reject(new Error(`no such host ${host}`));

const dns = table({
  "feed.example.com": ["93.184.216.34"],
  "inside.example.com": ["10.0.0.7"],
  "rebound.example.com": ["93.184.216.35", "127.0.0.1"],
  "v6.example.com": ["2606:2800:220:1::1"],
  "metadata.example.com": ["169.254.169.254"],
});

async function refused(url: string, policy: string | undefined, pattern: RegExp) {
  await assert.rejects(
    checkOutbound(new URL(url), parseAllowHosts(policy), dns),
    (e: unknown) => e instanceof PermissionDeniedError && pattern.test(e.message),
  );
}

Deno.test("non-public ranges are known, v4-mapped v6 addresses included", () => {
  for (const a of ["10.1.2.3", "127.0.0.1", "169.254.169.254", "172.31.0.1", "192.168.1.1"]) {
    assert.ok(isNonPublic(a), a);
  }
  for (const a of ["100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd12::1", "::ffff:127.0.0.1"]) {
    assert.ok(isNonPublic(a), a);
  }
  for (const a of ["93.184.216.34", "8.8.8.8", "2606:2800:220:1::1", "::ffff:8.8.8.8"]) {
    assert.ok(!isNonPublic(a), a);
  }
});

Deno.test("without an allow-list, public hosts pass and private, loopback, link-local are refused", async () => {
  assert.deepEqual(
    await checkOutbound(new URL("wss://feed.example.com/ws"), parseAllowHosts(undefined), dns),
    ["93.184.216.34"],
  );
  assert.deepEqual(
    await checkOutbound(new URL("https://v6.example.com"), parseAllowHosts(""), dns),
    ["2606:2800:220:1::1"],
  );
  await refused("ws://inside.example.com", undefined, /10\.0\.0\.7 is a private, loopback/);
  await refused("http://metadata.example.com/latest", undefined, /169\.254\.169\.254/);
  await refused("ws://127.0.0.1:8080", undefined, /POLAROID_INGEST_ALLOW_HOSTS/);
  await refused("ws://[::1]:8080", undefined, /::1 is a private/);
  // Every address counts: one private answer among public ones is enough to refuse.
  await refused("ws://rebound.example.com", undefined, /127\.0\.0\.1/);
  await refused("ws://nowhere.example.com", undefined, /must resolve to an address/);
});

Deno.test("with an allow-list, only its hosts pass, and listing a private one allows it", async () => {
  const list = "feed.example.com, *.corp.example.com, 10.0.0.0/24, ::1";
  await refused("wss://v6.example.com", list, /not in POLAROID_INGEST_ALLOW_HOSTS/);
  assert.deepEqual(
    await checkOutbound(new URL("wss://feed.example.com"), parseAllowHosts(list), dns),
    ["93.184.216.34"],
  );
  // A listed range covers a private address; a listed name allows whatever it resolves to.
  assert.deepEqual(
    await checkOutbound(new URL("ws://inside.example.com"), parseAllowHosts(list), dns),
    ["10.0.0.7"],
  );
  assert.deepEqual(
    await checkOutbound(new URL("ws://[::1]:9"), parseAllowHosts(list), dns),
    ["::1"],
  );
  const suffix = table({ "a.corp.example.com": ["192.168.5.5"] });
  assert.deepEqual(
    await checkOutbound(new URL("ws://a.corp.example.com"), parseAllowHosts(list), suffix),
    ["192.168.5.5"],
  );
  await refused("ws://10.0.1.1", list, /not in POLAROID_INGEST_ALLOW_HOSTS/);
  // The system resolver: localhost is loopback, refused unless listed.
  await assert.rejects(
    checkOutbound(new URL("ws://localhost:1"), parseAllowHosts(undefined)),
    PermissionDeniedError,
  );
  assert.ok(
    (await checkOutbound(new URL("ws://localhost:1"), parseAllowHosts("localhost"))).length > 0,
  );
});

Deno.test("POLAROID_INGEST_ALLOW_HOSTS refuses a bad entry, naming it", () => {
  for (const bad of ["exa mple.com", "*.", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "http://a"]) {
    assert.throws(
      () => parseAllowHosts(`good.example.com, ${bad}`),
      (e: unknown) => e instanceof ConfigError && e.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
  assert.equal(parseAllowHosts(" , ").rules.length, 0);
});

Deno.test("the ingest service's configuration reads POLAROID_INGEST_ALLOW_HOSTS once, at start", () => {
  assert.deepEqual(loadIngestConfig({}).outbound.rules, []);
  assert.equal(
    loadIngestConfig({ POLAROID_INGEST_ALLOW_HOSTS: "a.example.com,10.0.0.0/8" }).outbound.rules
      .length,
    2,
  );
  assert.throws(() => loadIngestConfig({ POLAROID_INGEST_ALLOW_HOSTS: "not a host" }), ConfigError);
});
