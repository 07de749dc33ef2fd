import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { E } from "../_testing.ts";
import { A, col, m, named, refused, select, typeOf, values } from "./string_testing.ts";

function frame(): pl.DataFrame {
  return pl.DataFrame({ a: [1, 2], b: ["x", null] }).select(
    pl.struct([pl.col("a"), pl.col("b")]).alias("st"),
    pl.col("a").alias("n"),
  );
}

const st = col("st");

Deno.test("struct functions refuse arguments of the wrong kind", async () => {
  const df = frame();
  await refused(df, m("struct.field", st, [A.int(0)]), /argument 1 must be a string/);
  await refused(df, m("struct.nth", st, [A.str("a")]), /argument 1 must be an integer/);
  await refused(df, m("struct.renameFields", st, [A.list(A.int(1))]), /'1\[0\]' must be a string/);
  await refused(df, m("struct.withFields", st, [A.list(A.str("n"))]), /must be an expression/);
  await refused(df, m("struct.jsonEncode", st, [A.str("x")]), /must hold 1 arguments/);
});

Deno.test("struct functions read, rename, extend and encode fields", async () => {
  const out = await select(
    frame(),
    named(m("struct.field", st, [A.str("b")]), "b"),
    named(m("struct.nth", st, [A.int(0)]), "first"),
    named(m("struct.renameFields", st, [A.list(A.str("x"), A.str("y"))]), "renamed"),
    named(m("struct.withFields", st, [A.list(A.e(E.alias(col("n"), "c")))]), "more"),
    named(m("struct.jsonEncode", st), "json"),
  );
  assert.deepEqual(values(out, "b"), ["x", null]);
  assert.deepEqual(values(out, "first"), [1, 2]);
  assert.match(typeOf(out, "renamed"), /^Struct<\{x: ?Float64, y: ?(Large)?Utf8(View)?\}>$/);
  assert.match(typeOf(out, "more"), /, c: ?Float64\}>$/);
  assert.deepEqual(values(out, "json"), ['{"a":1.0,"b":"x"}', '{"a":2.0,"b":null}']);
});
