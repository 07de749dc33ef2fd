/**
 * Per-tenant quotas through a cluster with authentication on (docs/security.md, "Quotas"): the
 * bytes a tenant's handles hold, counted by the handles service for the whole cluster, and the
 * rate at which it may start calls, which the SDK waits out with the `retryAfterMs` the server
 * suggests. The services' own calls (a worker registering a result) are not counted again.
 */

import assert from "node:assert/strict";
import { col, connect, LimitExceededError } from "../sdk/mod.ts";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-quotas-" });
const service = newApiKey("polaroid", ["service"]);
const acme = newApiKey("acme", ["admin"]);
const globex = newApiKey("globex", ["write"]);
await Deno.writeTextFile(
  `${dir}/api-keys.json`,
  JSON.stringify([service, acme, globex].map((k) => k.record)),
);
await Deno.writeTextFile(`${dir}/service-token`, service.key);
const MAX_BYTES = 1024 * 1024;
const RATE = 5;
const BURST = 2;
const cluster = await testCluster({
  env: {
    POLAROID_AUTH: "token",
    POLAROID_AUTH_API_KEYS_FILE: `${dir}/api-keys.json`,
    POLAROID_SERVICE_TOKEN_FILE: `${dir}/service-token`,
    POLAROID_MAX_BYTES_PER_TENANT: "1MiB",
    POLAROID_TENANT_RATE: String(RATE),
    POLAROID_TENANT_BURST: String(BURST),
  },
});
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const endpoint = cluster.endpoints.compute;

/** 50,000 float64 values: 400,000 bytes of data, so two fit in 1 MiB and three do not. */
const ROWS = Array.from({ length: 50_000 }, (_, i) => ({ v: i * 0.25 }));

Deno.test({
  name: "a tenant past the bytes it may hold is refused, others are not, a release makes room",
  ...INTEGRATION,
  async fn() {
    await using asAcme = await connect({ endpoint, token: acme.key });
    await using asGlobex = await connect({ endpoint, token: globex.key });
    const first = await asAcme.fromRecords(ROWS);
    const second = await asAcme.fromRecords(ROWS);
    assert.ok(
      Number(first.info.bytes) * 2 <= MAX_BYTES && Number(first.info.bytes) * 3 > MAX_BYTES,
    );
    await assert.rejects(
      asAcme.fromRecords(ROWS),
      (e: unknown) =>
        e instanceof LimitExceededError && e.metadata.limit === "max_bytes_per_tenant" &&
        /POLAROID_MAX_BYTES_PER_TENANT/.test(e.message) && e.metadata.retryable === undefined,
    );
    // A derived result counts too: the first frame filtered (all of it) does not fit either.
    await assert.rejects(
      first.lazy().filter(col("v").gtEq(0)).collect(),
      (e: unknown) =>
        e instanceof LimitExceededError && e.metadata.limit === "max_bytes_per_tenant",
    );
    assert.equal((await asAcme.listHandles()).length, 2, "the refused results left no handle");
    // Another tenant's room is its own.
    await using theirs = await asGlobex.fromRecords(ROWS);
    assert.equal(theirs.info.rows, 50_000n);
    await first.release();
    await using third = await asAcme.fromRecords(ROWS);
    assert.equal(third.info.rows, 50_000n);
    await second.release();
  },
});

Deno.test({
  name: "the SDK waits out a tenant's call rate with the server's retryAfterMs, all calls succeed",
  ...INTEGRATION,
  async fn() {
    await using asAcme = await connect({ endpoint, token: acme.key });
    await using small = await asAcme.fromRecords([{ v: 1 }, { v: 2 }]);
    const CALLS = 12;
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const table = await small.lazy().toArrow();
      assert.equal(table.numRows, 2);
    }
    const seconds = (performance.now() - started) / 1000;
    // At most BURST calls start at once and RATE per second after that: the calls cannot have
    // finished sooner, so the SDK did wait (a refusal would have failed the call instead).
    assert.ok(seconds >= (CALLS - BURST - 1) / RATE, `${CALLS} calls took ${seconds} s`);
  },
});
