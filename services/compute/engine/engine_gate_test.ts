import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { EngineGate } from "./engine_gate.ts";

const VARIABLE = "POLARS_FORCE_STREAMING";

Deno.test("EngineGate runs the other engine alone, with the variable switched, then switches back", async () => {
  const before = Deno.env.get(VARIABLE);
  try {
    const gate = new EngineGate("streaming");
    assert.equal(Deno.env.get(VARIABLE), "1");
    const order: string[] = [];
    const first = Promise.withResolvers<void>();
    const shared = gate.run(undefined, async () => {
      order.push("shared start");
      await first.promise;
      order.push("shared end");
    });
    const other = gate.run("in-memory", () => {
      order.push(`other sees ${Deno.env.get(VARIABLE) ?? "unset"}`);
      return Promise.resolve();
    });
    const later = gate.run("streaming", () => {
      order.push(`later sees ${Deno.env.get(VARIABLE)}`);
      return Promise.resolve();
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ["shared start"], "the other engine waits for the collect under way");
    first.resolve();
    await Promise.all([shared, other, later]);
    assert.deepEqual(order, ["shared start", "shared end", "other sees unset", "later sees 1"]);
    assert.equal(Deno.env.get(VARIABLE), "1");
    await assert.rejects(gate.run("in-memory", () => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(Deno.env.get(VARIABLE), "1", "switched back after a failure too");
  } finally {
    if (before === undefined) Deno.env.delete(VARIABLE);
    else Deno.env.set(VARIABLE, before);
  }
});

Deno.test("EngineGate: a collect on either engine gives the same frame", async () => {
  const before = Deno.env.get(VARIABLE);
  try {
    const gate = new EngineGate("streaming");
    const df = pl.DataFrame({
      k: Array.from({ length: 1000 }, (_, i) => i % 7),
      v: [...Array(1000).keys()],
    });
    const lf = () => df.lazy().groupBy("k").agg(pl.col("v").sum()).sort("k");
    const streamed = await gate.run(undefined, () => lf().collect());
    const inMemory = await gate.run("in-memory", () => lf().collect());
    assert.ok(streamed.frameEqual(inMemory));
  } finally {
    if (before === undefined) Deno.env.delete(VARIABLE);
    else Deno.env.set(VARIABLE, before);
  }
});

Deno.test("EngineGate.peek() runs on the in-memory engine and puts the variable back", () => {
  const before = Deno.env.get(VARIABLE);
  try {
    const gate = new EngineGate("streaming");
    assert.equal(gate.peek(() => Deno.env.get(VARIABLE)), undefined);
    assert.equal(Deno.env.get(VARIABLE), "1");
    assert.throws(() =>
      gate.peek(() => {
        throw new Error("boom");
      }), /boom/);
    assert.equal(Deno.env.get(VARIABLE), "1");
  } finally {
    if (before === undefined) Deno.env.delete(VARIABLE);
    else Deno.env.set(VARIABLE, before);
  }
});
