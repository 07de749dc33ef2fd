import assert from "node:assert/strict";
import { tableFromIPC } from "apache-arrow";
import pl from "nodejs-polars";
import { InvalidArgumentError } from "../../shared/errors.ts";
import { prom } from "../../shared/telemetry/metrics.ts";
import { checkStartBatch, collectStream, rowsPerBatch } from "./collect_stream.ts";
import { createStreamMetrics } from "./metrics.ts";

function frame(rows: number): pl.DataFrame {
  return pl.DataFrame({ n: Array.from({ length: rows }, (_, i) => i) });
}

async function value(metric: { get(): Promise<{ values: { value: number }[] }> }) {
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

Deno.test("collectStream() sends batches from a start batch with their absolute indices", async () => {
  const log: Record<string, unknown> = {};
  const messages = [];
  for await (const m of collectStream(frame(10), { batchSize: 3, startBatch: 1n, log })) {
    messages.push(m);
  }
  assert.deepEqual(messages.map((m) => m.batchIndex), [1n, 2n, 3n]);
  assert.deepEqual(messages.map((m) => m.rows), [3n, 3n, 1n]);
  assert.deepEqual(
    messages.flatMap((m) => [...tableFromIPC(m.arrowIpc).getChild("n")!.toArray()]),
    [3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(log, { rows: 10, startBatch: 1, batches: 3, stream: "completed" });
});

Deno.test("collectStream() stopped after one batch encodes no more and releases its frame", async () => {
  const registry = new prom.Registry();
  const metrics = createStreamMetrics(registry);
  const released: number[] = [];
  const log: Record<string, unknown> = {};
  const stream = collectStream(frame(1000), {
    batchSize: 10,
    log,
    metrics,
    ownedBytes: 8000,
    onRelease: (bytes) => released.push(bytes),
  });
  const first = await stream.next();
  assert.equal(first.value?.batchIndex, 0n);
  assert.equal(await value(metrics.streams), 1);
  assert.equal(await value(metrics.heldBytes), 8000);
  await stream.return(undefined);
  assert.deepEqual(released, [8000]);
  assert.equal(await value(metrics.streams), 0);
  assert.equal(await value(metrics.heldBytes), 0);
  assert.equal(await value(metrics.batches), 1);
  const ended = (await metrics.ended.get()).values.find((v) => v.labels.outcome === "cancelled");
  assert.equal(ended?.value, 1);
  assert.equal(log.batches, 1);
  assert.equal(log.stream, "cancelled");
});

Deno.test("checkStartBatch() allows up to the batch count and refuses beyond", () => {
  assert.equal(checkStartBatch(10, 3, 4n), 4);
  assert.equal(checkStartBatch(0, 3, 1n), 1);
  assert.throws(
    () => checkStartBatch(10, 3, 5n),
    (e: unknown) =>
      e instanceof InvalidArgumentError &&
      e.message ===
        "Cannot collect as 'start_batch' must be at most 4 (the result has 4 batches of 3 rows): current value is 5",
  );
});

Deno.test("collectStream() sends no batch read after the call was cancelled", async () => {
  const log: Record<string, unknown> = {};
  const controller = new AbortController();
  const stream = collectStream(frame(100), { batchSize: 10, log, signal: controller.signal });
  assert.equal((await stream.next()).done, false);
  // Cancelled while the next batch is read: the stream ends instead of sending it.
  controller.abort();
  assert.deepEqual(await stream.next(), { done: true, value: undefined });
  assert.deepEqual(log, { rows: 100, batches: 1, stream: "cancelled" });
});

Deno.test("rowsPerBatch() sizes batches by bytes, at least a row; 0 without a target or rows", () => {
  assert.equal(rowsPerBatch(1000, 8000, 4000), 500);
  assert.equal(rowsPerBatch(10, 10_000_000, 4), 1, "a row larger than the target");
  assert.equal(rowsPerBatch(1000, 8000, undefined), 0);
  assert.equal(rowsPerBatch(0, 0, 4000), 0);
});
