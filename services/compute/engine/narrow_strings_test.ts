import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { tableFromIPC } from "apache-arrow";
import { copyIpcChunks, frameToIpcChunks, type IpcChunks } from "./ipc.ts";
import { narrowStrings } from "./narrow_strings.ts";

function joined(ipc: IpcChunks): Uint8Array {
  const out = new Uint8Array(ipc.byteLength);
  copyIpcChunks(ipc, out);
  return out;
}

const frame = pl.DataFrame({
  id: [1, 2, 3, 4],
  s: ["a", null, "", "日本語 ✓"],
  lists: [["x", "yy"], [], null, ["z"]],
}).withColumns(
  pl.col("s").cast(pl.Categorical).alias("cat"),
  pl.struct([pl.col("s"), pl.col("id")]).alias("st"),
);

Deno.test("narrowStrings() turns LargeUtf8 into Utf8, nested too, and leaves categoricals", () => {
  const wide = frameToIpcChunks(frame);
  const narrow = narrowStrings(wide);
  assert.ok(narrow.byteLength < wide.byteLength, `${narrow.byteLength} < ${wide.byteLength}`);
  const table = tableFromIPC(joined(narrow));
  assert.deepEqual(
    table.schema.fields.map((f) => `${f.name}:${f.type}`),
    [
      "id:Float64",
      "s:Utf8",
      "lists:LargeList<Utf8>",
      "cat:Dictionary<Uint32, LargeUtf8>",
      "st:Struct<{s:Utf8, id:Float64}>",
    ],
  );
  const before = tableFromIPC(joined(wide));
  for (const name of ["id", "s", "lists", "cat", "st"]) {
    assert.deepEqual(
      JSON.stringify(table.getChild(name)!.toJSON()),
      JSON.stringify(before.getChild(name)!.toJSON()),
      name,
    );
  }
});

Deno.test("narrowStrings() output reads back in Polars as the same frame, dtype String", () => {
  const back = pl.readIPCStream(Buffer.from(joined(narrowStrings(frameToIpcChunks(frame)))));
  assert.equal(String(back.getColumn("s").dtype), String(pl.String));
  assert.ok(back.frameEqual(frame, true));
});

Deno.test("narrowStrings() keeps streams without strings, slices and empty frames right", () => {
  const numbers = frameToIpcChunks(pl.DataFrame({ a: [1, 2] }));
  assert.equal(narrowStrings(numbers), numbers, "nothing to narrow: the same object");
  const slice = frame.slice(1, 2);
  const read = pl.readIPCStream(Buffer.from(joined(narrowStrings(frameToIpcChunks(slice)))));
  assert.ok(read.frameEqual(slice, true));
  const empty = frame.head(0);
  const none = pl.readIPCStream(Buffer.from(joined(narrowStrings(frameToIpcChunks(empty)))));
  assert.equal(none.height, 0);
  assert.deepEqual(none.columns, frame.columns);
});

Deno.test("narrowStrings() leaves a stream it cannot read unchanged", () => {
  const garbage: IpcChunks = { chunks: [new Uint8Array([1, 2, 3])], byteLength: 3 };
  assert.equal(narrowStrings(garbage), garbage);
});
