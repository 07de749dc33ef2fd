/**
 * The plan cache through a live cluster: an equal plan over the same handles returns the
 * earlier result's handle (retained once more), a different plan or an opt-out recomputes,
 * and freeing the result forgets the entry. Hits are visible in /metrics.
 */

import assert from "node:assert/strict";
import { DataFrameServiceService } from "../shared/gen/polaroid/v1/dataframe.ts";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { col, connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();
const raw = new RpcClient(cluster.endpoints.compute, DataFrameServiceService, {
  timeoutMs: 30_000,
});
Deno.test.afterAll(() => raw.close());

function execute(plan: Plan, skipCache = false) {
  return raw.unary("execute", {
    plan,
    ttlSeconds: 0n,
    streaming: false,
    engine: 0,
    name: "",
    skipCache,
    durable: false,
    metadata: {},
  });
}

async function metric(name: string): Promise<string> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  return text.split("\n").filter((line) => line.startsWith(name)).join("\n");
}

Deno.test({
  name: "an equal plan over the same handle returns the cached result without recomputing",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using input = await client.fromRecords([{ a: 1n }, { a: 2n }, { a: 3n }]);
    const plan = input.lazy().filter(col("a").gt(1n)).plan;

    const first = await execute(plan);
    assert.equal(first.cached, false);
    const second = await execute(plan);
    assert.equal(second.cached, true);
    assert.equal(second.handle?.id, first.handle?.id);
    assert.equal(second.handle?.refcount, 2, "each caller holds one reference");

    const other = await execute(input.lazy().filter(col("a").gt(2n)).plan);
    assert.equal(other.cached, false);
    assert.notEqual(other.handle?.id, first.handle?.id);
    const optOut = await execute(plan, true);
    assert.equal(optOut.cached, false);
    assert.notEqual(optOut.handle?.id, first.handle?.id);

    const result = await client.handle(first.handle!.id);
    const rows = await result.toRecords();
    assert.deepEqual(rows, [{ a: 2n }, { a: 3n }]);
    assert.match(
      await metric("polaroid_plan_cache_lookups"),
      /result="hit",service="compute"} 1\n/,
    );
    assert.match(
      await metric("polaroid_plan_cache_hit_ratio"),
      /polaroid_plan_cache_hit_ratio\{[^}]*\} 0\.33/,
    );

    // Both references released: the result is freed, and the entry with it.
    await result.release();
    await (await client.handle(first.handle!.id)).release();
    let again = await execute(plan);
    for (let i = 0; i < 50 && again.cached; i++) {
      // The freed event reaches the worker over NATS; until then the entry is stale but
      // its frame is gone, which the worker also treats as a miss.
      await new Promise((r) => setTimeout(r, 20));
      again = await execute(plan);
    }
    assert.equal(again.cached, false);
    assert.notEqual(again.handle?.id, first.handle?.id);
  },
});

Deno.test({
  name: "the SDK's collect() reuses a cached result, and collect({ cache: false }) recomputes",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using input = await client.fromRecords([{ a: 1n }, { a: 2n }]);
    const lf = input.lazy().filter(col("a").gt(0n));
    await using first = await lf.collect();
    await using second = await lf.collect();
    await using fresh = await lf.collect({ cache: false });
    assert.equal(second.id, first.id);
    assert.notEqual(fresh.id, first.id);
    assert.deepEqual(await fresh.toRecords(), await first.toRecords());
  },
});
