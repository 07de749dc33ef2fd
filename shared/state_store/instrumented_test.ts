import assert from "node:assert/strict";
import { join } from "node:path";
import { NotFoundError } from "../errors.ts";
import { createRegistry } from "../telemetry/metrics.ts";
import { storeConformance } from "./conformance.ts";
import { FsStateStore } from "./fs.ts";
import { instrumentStore } from "./instrumented.ts";
import { MemoryStateStore } from "./memory.ts";

// Counting changes nothing the store does.
storeConformance("instrumented FsStateStore", async () => {
  const root = await Deno.makeTempDir({ prefix: "polaroid-state-" });
  const store = instrumentStore(await FsStateStore.open({ root }), createRegistry("test"));
  return {
    store,
    async putUncommitted(key, body) {
      const path = join(root, "objects", ...key.split("/"));
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeFile(path, body);
    },
    cleanup: () => Deno.remove(root, { recursive: true }),
  };
});

const meta = { tenant: "t", rows: 1, createdAtMs: 0, schemaHash: "", planHash: "" } as const;

Deno.test("an instrumented store counts operations, outcomes, latency and bytes", async () => {
  const registry = createRegistry("test");
  const store = instrumentStore(new MemoryStateStore(), registry);
  await store.put("handles/t/a.arrows", new Uint8Array(100), { ...meta, format: "arrow-ipc" });
  assert.equal((await store.get("handles/t/a.arrows")).byteLength, 100);
  await assert.rejects(store.get("handles/t/missing.arrows"), NotFoundError);
  assert.equal((await store.head("handles/t/a.arrows"))?.bytes, 100);
  for await (const _ of store.list("handles/")) break;
  await store.delete("handles/t/a.arrows");
  const metrics = await registry.getMetricsAsJSON();
  /** The value of a series: the metric's (or histogram part's) name and its labels. */
  const value = (name: string, labels: Record<string, string>) => {
    const found = metrics
      .flatMap((m) => m.values.map((v) => ({ ...v, metric: m.name })))
      .find((v) =>
        ((v as { metricName?: string }).metricName ?? v.metric) === name &&
        Object.entries(labels).every(([k, x]) => v.labels[k] === x)
      );
    assert.ok(found, `${name} ${JSON.stringify(labels)}`);
    return found.value;
  };
  const ops = (op: string, outcome: string) =>
    value("polaroid_store_operations_total", { op, outcome, backend: "memory" });
  assert.equal(ops("put", "ok"), 1);
  assert.equal(ops("get", "ok"), 1);
  assert.equal(ops("get", "not_found"), 1);
  // Error series exist from the start, at 0.
  assert.equal(ops("get", "error"), 0);
  assert.equal(ops("head", "ok"), 1);
  // A listing left early is not an error.
  assert.equal(ops("list", "ok"), 1);
  assert.equal(ops("delete", "ok"), 1);
  const bytes = (direction: string) =>
    value("polaroid_store_bytes_total", { direction, backend: "memory" });
  assert.equal(bytes("written"), 100);
  assert.equal(bytes("read"), 100);
  assert.equal(
    value("polaroid_store_operation_seconds_count", { op: "get", backend: "memory" }),
    2,
  );
});
