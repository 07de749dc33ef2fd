/**
 * The external handle store's cluster tests, run on each backend (tests/external_store_*
 * _test.ts): two real compute worker processes share one store; a handle made through one
 * is read and computed on through the other, every handle survives a restart of every
 * worker, a released handle's object is deleted, and each object is committed (metadata
 * beside it) before its handle exists.
 *
 * @module
 */

import assert from "node:assert/strict";
import { col, connect, type RemoteDataFrame } from "../sdk/mod.ts";
import type { StateStore } from "../shared/state_store/store.ts";
import { type Cluster, INTEGRATION } from "./_harness.ts";

async function objects(store: StateStore): Promise<{ key: string; committed: boolean }[]> {
  return (await Array.fromAsync(store.list("handles/"))).map(({ key, committed }) => ({
    key,
    committed,
  }));
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function metric(http: string, name: string): Promise<string> {
  const text = await (await fetch(`${http}/metrics`)).text();
  return text.split("\n").filter((line) => line.startsWith(name)).join("\n");
}

/** Registers the cases for a cluster of two workers on `store` (`kind` names the tests). */
export function externalStoreCases(kind: string, cluster: Cluster, store: StateStore): void {
  const [workerA, workerB] = cluster.endpoints.computeWorkers as [string, string];

  Deno.test({
    name: `${kind}: a handle made through worker A is read and computed on through worker B`,
    ...INTEGRATION,
    async fn() {
      await using a = await connect({ endpoint: workerA });
      await using b = await connect({ endpoint: workerB });
      const rows = Array.from({ length: 1000 }, (_, i) => ({ k: i % 7, v: i * 0.5 }));
      await using up = await a.fromRecords(rows);
      const key = up.info.objectKey;
      assert.match(key, /^handles\/default\/[0-9a-f-]{36}\.arrow$/);
      const meta = await store.head(key);
      assert.ok(meta, "the object is committed before the handle is returned");
      assert.equal(meta.rows, 1000);

      const there = await b.handle(up.id);
      assert.deepEqual(await there.toRecords(), rows);
      // A plan run on B over A's handle; its result is itself in the store and readable on A.
      await using sums = await there.lazy().groupBy("k").agg(col("v").sum().alias("s"))
        .sort("k").collect();
      assert.equal(sums.info.worker, "compute-2");
      assert.ok(await store.head(sums.info.objectKey));
      const back = await (await a.handle(sums.id)).toRecords();
      assert.deepEqual(back.map((r) => r.k), [0, 1, 2, 3, 4, 5, 6]);
      assert.equal(
        back.reduce((n, r) => n + (r.s as number), 0),
        rows.reduce((n, r) => n + r.v, 0),
      );
      assert.match(
        await metric(cluster.endpoints.computeHttp, "polaroid_frame_cache_lookups"),
        /result="miss",service="compute"\} [1-9]/,
      );
    },
  });

  Deno.test({
    name: `${kind}: handles survive a restart of every worker; a released handle's object goes`,
    ...INTEGRATION,
    async fn() {
      let kept: RemoteDataFrame;
      {
        await using a = await connect({ endpoint: workerA });
        kept = await a.fromRecords([{ x: 1 }, { x: 2 }, { x: 3 }]);
        await using gone = await a.fromRecords([{ y: 1 }]);
        const goneKey = gone.info.objectKey;
        assert.ok(await store.head(goneKey));
        await gone.release();
        // The metadata goes first, then the body: wait for both.
        await waitFor(
          "the object's deletion",
          async () =>
            (await store.head(goneKey)) === undefined &&
            !(await objects(store)).some((o) => o.key === goneKey),
        );
      }
      await cluster.restart("compute");
      await cluster.restart("compute-2");
      for (const endpoint of [workerA, workerB]) {
        await using client = await connect({ endpoint });
        const again = await client.handle(kept.id);
        assert.deepEqual(await again.toRecords(), [{ x: 1 }, { x: 2 }, { x: 3 }]);
      }
      // Every object in the store is committed (no partial writes were left).
      assert.ok((await objects(store)).every((o) => o.committed));
    },
  });
}
