import assert from "node:assert/strict";
import { codeOf, exampleText } from "./examples_extract.ts";
import { prepareExample } from "./examples_prepare.ts";

const OPTIONS = {
  lazyMethods: new Set(["select", "filter", "groupBy", "collect", "collectSync"]),
  scope: ["pl", "col", "DataFrame"],
};

Deno.test("exampleText() takes fenced blocks, or the @example text when there is no fence", () => {
  const fenced =
    "/**\n * Doc.\n * @example\n * ```\n * > df.select(x)\n * ```\n * @category A\n */";
  assert.equal(exampleText(fenced), " > df.select(x)");
  const bare = "/**\n * @example\n * df.select(x)\n * @category List\n */";
  assert.equal(exampleText(bare), "\n df.select(x)");
  assert.equal(exampleText("/** No example. */"), undefined);
});

Deno.test("codeOf() keeps prompted and bare code, drops printed frames, series and prose", () => {
  const text = [
    ">>> const df = pl.DataFrame({",
    "...   a: [1, 2],",
    "... })",
    "shape: (2, 1)",
    "┌─────┐",
    "│ a   │",
    "└─────┘",
    "Keep the original column name:",
    "df.select(pl.col('a'))",
    "Series: 'a' [f64]",
    "[",
    "   1.0",
    "]",
    '  "a string",',
  ].join("\n");
  assert.deepEqual(codeOf(text).split("\n").map((l) => l.trim()), [
    "const df = pl.DataFrame({",
    "a: [1, 2],",
    "})",
    "df.select(pl.col('a'))",
    '"a string",',
  ]);
});

Deno.test("prepareExample() translates a lazy query on a pl.DataFrame for both engines", () => {
  const p = prepareExample(
    "const df = pl.DataFrame({a: [1]})\ndf.groupBy('a').collectSync()",
    OPTIONS,
  );
  assert.equal(p.kind, "lazy");
  if (p.kind !== "lazy") return;
  assert.equal(p.unordered, true);
  assert.deepEqual(p.statements, ["df = pl.DataFrame({a: [1]})", "df.groupBy('a').collectSync()"]);
  assert.match(p.body, /^let df;/);
  assert.match(p.body, /__out\(df = __frame\(\(pl, col, DataFrame\) => \(pl\.DataFrame/);
  assert.match(p.body, /__out\(df\.groupBy\('a'\)\.collect\(\)\)/);
});

Deno.test("prepareExample() skips Series examples, eager-only ones and fragments, saying why", () => {
  const series = prepareExample("const s = pl.Series([1])\ns.select()", OPTIONS);
  assert.deepEqual(series, {
    kind: "not lazy",
    reason: "builds no DataFrame (a Series or an expression alone)",
  });
  const eager = prepareExample(
    "const df = pl.DataFrame({a: [1]})\ndf\npl.col('a').filter(1)",
    OPTIONS,
  );
  assert.deepEqual(eager, {
    kind: "not lazy",
    reason: "calls no lazy frame method: eager DataFrame use only",
  });
  const fragment = prepareExample("df.select(pl.col('a')", OPTIONS);
  assert.equal(fragment.kind, "not runnable");
  assert.match(fragment.kind === "not runnable" ? fragment.reason : "", /does not parse/);
  assert.equal(prepareExample("  ", OPTIONS).kind, "not runnable");
});
