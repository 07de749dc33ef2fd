import assert from "node:assert/strict";
import { MAX_ACTIVITY_BYTES, parseActivity } from "./activity.ts";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const call = { method: "/m", tenant: "acme", startedAtMs: 1, ms: 2 };

Deno.test("parseActivity() keeps well-formed calls and sources and drops the rest", () => {
  const parsed = parseActivity(encode({
    service: "compute",
    instance: "w1",
    atMs: 5,
    running: [call, { ...call, ms: "slow" }, null],
    recent: [{ ...call, plan: "x".repeat(2000), rows: 4, code: 7 }],
    sources: [{ tenant: "acme" }],
  }));
  assert.ok(parsed);
  assert.equal(parsed.running.length, 1);
  assert.equal(parsed.recent[0]!.plan!.length, 512);
  assert.equal(parsed.recent[0]!.code, undefined);
  assert.deepEqual(parsed.sources, []);
});

Deno.test("parseActivity() refuses what is not a snapshot", () => {
  for (
    const bytes of [
      new TextEncoder().encode("{"),
      encode([]),
      encode({ service: "compute", instance: "w1", atMs: 1, running: [], recent: [] }),
      new Uint8Array(MAX_ACTIVITY_BYTES + 1),
    ]
  ) {
    assert.equal(parseActivity(bytes), undefined);
  }
});
