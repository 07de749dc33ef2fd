/**
 * Writing behind to the external handle store (POLAROID_STORE_WRITE=behind, docs/adr/0017)
 * with two real compute workers on a shared directory: a result answers before its object
 * is written; the other worker waits for the object and reads the same rows; the object is
 * named in the catalog once written; `durable` and named results are written through; a
 * worker that stops gracefully finishes its writes before it ends its lease.
 */

import assert from "node:assert/strict";
import { col, connect, lit } from "../sdk/mod.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-state-" });
const cluster = await testCluster({
  workers: 2,
  env: {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_STATE_DIR: stateDir,
    POLAROID_STORE_WRITE: "behind",
    POLAROID_PLAN_CACHE_ENTRIES: "0",
  },
});
const store = await FsStateStore.open({ root: stateDir });
globalThis.addEventListener("unload", () => Deno.removeSync(stateDir, { recursive: true }));
const [workerA, workerB] = cluster.endpoints.computeWorkers as [string, string];
const ROWS = Array.from({ length: 200_000 }, (_, i) => ({ k: i % 13, v: i * 0.25 }));

/** The handle's object key once its write behind has ended (bounded wait). */
async function writtenKey(endpoint: string, id: string): Promise<string> {
  await using client = await connect({ endpoint });
  let key = "";
  await waitFor(async () => {
    const info = (await client.handle(id)).info;
    key = info.objectKey;
    return !info.objectPending && key !== "";
  }, { timeoutMs: 20_000, intervalMs: 20, what: `the object of ${id} to be written` });
  return key;
}

Deno.test({
  name: "write behind: a result answers first; another worker waits for its object and reads it",
  ...INTEGRATION,
  async fn() {
    await using a = await connect({ endpoint: workerA });
    await using b = await connect({ endpoint: workerB });
    await using up = await a.fromRecords(ROWS);
    await using step = await up.lazy().filter(col("k").lt(lit(7))).withColumns(
      col("v").mul(lit(2)).alias("w"),
    ).collect();
    // Registered before its object exists: pending, no key yet.
    assert.equal(step.info.objectPending, true);
    assert.equal(step.info.objectKey, "");
    // Worker B has no copy: it reads the object once A has written it.
    const there = await (await b.handle(step.id)).toRecords();
    const expected = ROWS.filter((r) => r.k < 7).map((r) => ({ ...r, w: r.v * 2 }));
    assert.equal(there.length, expected.length);
    assert.deepEqual(there.slice(0, 3), expected.slice(0, 3));
    assert.deepEqual(there.at(-1), expected.at(-1));
    const key = await writtenKey(workerA, step.id);
    const meta = await store.head(key);
    assert.ok(meta, "the named object is committed");
    assert.equal(meta.rows, expected.length);
    // The worker records the write's end once the catalog has answered: wait for it.
    const written =
      /polaroid_compute_write_behind_seconds_count\{[^}]*outcome="written"[^}]*\} [1-9]/;
    const idle = /polaroid_compute_write_behind_pending\{[^}]*\} 0\n/;
    await waitFor(async () => {
      const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
      return written.test(text) && idle.test(text);
    }, { timeoutMs: 10_000, intervalMs: 50, what: "the write behind's metrics" });
  },
});

Deno.test({
  name: "write behind: durable and named results are written before they are returned",
  ...INTEGRATION,
  async fn() {
    await using a = await connect({ endpoint: workerA });
    await using up = await a.fromRecords(ROWS.slice(0, 1000));
    assert.equal(up.info.objectPending, true, "an upload writes behind too");
    await using durable = await up.lazy().select(col("v").sum()).collect({ durable: true });
    assert.equal(durable.info.objectPending, false);
    assert.ok(await store.head(durable.info.objectKey));
    await using named = await up.lazy().select(col("k").max()).collect({ name: "shared_max" });
    assert.equal(named.info.objectPending, false);
    assert.ok(await store.head(named.info.objectKey));
  },
});

Deno.test({
  name: "write behind: a worker that stops finishes its writes, and its results outlive it",
  ...INTEGRATION,
  async fn() {
    let id: string;
    {
      await using a = await connect({ endpoint: workerA });
      await using up = await a.fromRecords(ROWS);
      const step = await up.lazy().sort("v", true).collect();
      assert.equal(step.info.objectPending, true);
      id = step.id;
      // At once: the write may still be under way when the stop begins.
      await cluster.restart("compute");
    }
    await using b = await connect({ endpoint: workerB });
    const rows = await (await b.handle(id)).toRecords();
    assert.equal(rows.length, ROWS.length);
    assert.deepEqual(rows[0], ROWS.at(-1));
    assert.ok(await store.head(await writtenKey(workerB, id)));
  },
});
