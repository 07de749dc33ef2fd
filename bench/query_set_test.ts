import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { checksumsAgree, localChecksum, QUERIES } from "./query_set.ts";
import { dimFrame, factFrame } from "./data.ts";

Deno.test("QUERIES run in-process on a small fact table, each with its checksum column", async () => {
  const fact = factFrame(2000, 7, { subKeys: true }).lazy();
  const dim = dimFrame().lazy();
  assert.deepEqual(QUERIES.map((q) => q.id), ["group_by", "filter", "sort", "join", "group_by3"]);
  for (const q of QUERIES) {
    const out = await q.local(fact, dim).collect();
    assert.ok(out.height > 0, q.name);
    assert.ok(Number.isFinite(localChecksum(out, q.checksum)), q.name);
  }
});

Deno.test("localChecksum() sums a column or adds its first and last values", () => {
  const df = pl.DataFrame({ v: [3, 1, 2] });
  assert.equal(localChecksum(df, { kind: "sum", column: "v" }), 6);
  assert.equal(localChecksum(df, { kind: "ends", column: "v" }), 5);
});

Deno.test("checksumsAgree() allows a relative 1e-9 for sums of floats, no more", () => {
  assert.ok(checksumsAgree(1e6, 1e6 + 1e-4));
  assert.ok(!checksumsAgree(1e6, 1e6 + 1e-2));
  assert.ok(checksumsAgree(0, 0));
});
