/**
 * Content-addressed objects (POLAROID_CONTENT_ADDRESSED=true) on the external fs store, with
 * a real worker: equal results of a tenant share one object named by the SHA-256 of its
 * bytes, which stays while any handle names it and goes with the last one.
 */

import assert from "node:assert/strict";
import { col, connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-cas-" });
const cluster = await testCluster({
  env: {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_STATE_DIR: stateDir,
    POLAROID_CONTENT_ADDRESSED: "true",
    POLAROID_PLAN_CACHE_ENTRIES: "0",
  },
});
const store = await FsStateStore.open({ root: stateDir });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});

async function keys(): Promise<string[]> {
  return (await Array.fromAsync(store.list("handles/"))).map((o) => o.key);
}

Deno.test({
  name: "equal results share one object, kept until the last handle naming it is freed",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const rows = Array.from({ length: 500 }, (_, i) => ({ a: i, b: i % 3 }));
    const up = await client.fromRecords(rows);
    const plan = () => up.lazy().filter(col("b").eq(1)).select("a");
    const first = await plan().collect();
    const second = await plan().collect();
    assert.notEqual(first.id, second.id);
    assert.match(first.info.objectKey, /^handles\/default\/sha256-[0-9a-f]{64}\.arrow$/);
    assert.equal(first.info.objectKey, second.info.objectKey);
    const other = await up.lazy().filter(col("b").eq(2)).select("a").collect();
    assert.notEqual(other.info.objectKey, first.info.objectKey);
    assert.equal((await keys()).length, 3); // the upload, the shared result, the other one

    await first.release();
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(await store.head(second.info.objectKey), "still named by the second handle");
    assert.deepEqual((await second.toRecords()).length, rows.filter((r) => r.b === 1).length);
    await second.release();
    const deadline = Date.now() + 10_000;
    while (await store.head(second.info.objectKey)) {
      if (Date.now() > deadline) throw new Error("the shared object was not deleted");
      await new Promise((r) => setTimeout(r, 50));
    }
    await other.release();
    await up.release();
  },
});
