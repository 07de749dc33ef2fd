import assert from "node:assert/strict";
import { tableFromIPC } from "apache-arrow";
import pl from "nodejs-polars";
import { tableDifference } from "./examples_compare.ts";

function table(data: Record<string, unknown[]>) {
  return tableFromIPC(pl.DataFrame(data).writeIPCStream());
}

Deno.test("tableDifference() accepts floats within 1e-9 relative and NaN against NaN", () => {
  const a = table({ x: [1.0, Number.NaN], s: ["a", "b"] });
  const b = table({ x: [1.0 + 1e-12, Number.NaN], s: ["a", "b"] });
  assert.equal(tableDifference(a, b), undefined);
});

Deno.test("tableDifference() names the first differing cell, column name and type", () => {
  assert.equal(
    tableDifference(table({ x: [1.0, 2.0] }), table({ x: [1.0, 2.001] })),
    'row 1, column "x": expected 2, got 2.001',
  );
  assert.match(tableDifference(table({ x: [1] }), table({ y: [1] }))!, /^schema differs/);
  assert.match(tableDifference(table({ x: [1] }), table({ x: ["1"] }))!, /^schema differs/);
  assert.match(tableDifference(table({ x: [1] }), table({ x: [1, 2] }))!, /^row count differs/);
});

Deno.test("tableDifference() compares struct and list cells by value", () => {
  const a = table({ s: [{ k: [1, 2] }] });
  assert.equal(tableDifference(a, table({ s: [{ k: [1, 2] }] })), undefined);
  assert.match(tableDifference(a, table({ s: [{ k: [1, 3] }] }))!, /row 0, column "s"/);
});

Deno.test("tableDifference() ignores row order only when asked", () => {
  const a = table({ x: [1, 2] });
  const b = table({ x: [2, 1] });
  assert.match(tableDifference(a, b)!, /row 0/);
  assert.equal(tableDifference(a, b, true), undefined);
});

Deno.test("tableDifference() takes the string types as one, nested ones too", () => {
  const nested = (type: string) => ({ schema: { fields: [{ name: "a", type }] }, numRows: 0 });
  const same = tableDifference(
    nested("LargeList<LargeUtf8>") as never,
    nested("LargeList<Utf8>") as never,
  );
  assert.equal(same, undefined);
  assert.match(
    tableDifference(nested("List<Utf8>") as never, nested("List<Int64>") as never)!,
    /^schema differs/,
  );
});
