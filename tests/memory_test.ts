/**
 * Releasing a handle gives the worker's memory back (nodejs-polars frees native memory only
 * when V8 collects the wrapper; the worker drops its reference and asks for a collection).
 */

import assert from "node:assert/strict";
import { makeVector, Table } from "apache-arrow";
import { connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();

async function computeRss(): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("polaroid_process_resident_memory_bytes"));
  assert.ok(line, "compute /metrics has polaroid_process_resident_memory_bytes");
  return Number(line.split(" ").at(-1));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

Deno.test({
  name: "release() of a 320 MB frame returns most of it to the OS",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute, timeoutMs: 120_000 });
    const values = new Float64Array(40_000_000);
    for (let i = 0; i < values.length; i++) values[i] = i * 0.5;
    const frameBytes = values.byteLength;
    const before = await computeRss();
    const df = await client.fromArrow(new Table({ x: makeVector(values) }));
    assert.equal(df.height, 40_000_000);
    const held = await computeRss();
    assert.ok(
      held - before > frameBytes * 0.8,
      `RSS grew by ${held - before} for ${frameBytes} bytes`,
    );
    await df.release();
    const freed = await waitUntil(
      async () => held - (await computeRss()) > frameBytes * 0.7,
      15_000,
    );
    const after = await computeRss();
    assert.ok(
      freed,
      `RSS ${before} → ${held} → ${after}: less than 70% of ${frameBytes} came back`,
    );
  },
});
