import assert from "node:assert/strict";
import { cycles, importGraph, importsOf, pathAround } from "./import_cycles.ts";
import { REPO_ROOT } from "./_repo.ts";

Deno.test("importsOf() resolves relative imports, type-only and re-exports included", () => {
  const text = [
    'import a from "./a.ts";',
    'import type { B } from "../lib/b.ts";',
    'export { c } from "./sub/c.ts";',
    'import pl from "nodejs-polars";',
    '// import "./commented.ts";',
    'const d = await import("./d.ts");',
  ].join("\n");
  assert.deepEqual(importsOf("pkg/x/mod.ts", text).sort(), [
    "pkg/lib/b.ts",
    "pkg/x/a.ts",
    "pkg/x/d.ts",
    "pkg/x/sub/c.ts",
  ]);
});

Deno.test("cycles() finds every strongly connected component and self-import", () => {
  const graph = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a", "d"]],
    ["d", ["e"]],
    ["e", []],
    ["f", ["f"]],
    ["g", ["h", "outside"]],
    ["h", ["g"]],
  ]);
  assert.deepEqual(cycles(graph), [["a", "b", "c"], ["g", "h"], ["f"]]);
  assert.deepEqual(pathAround(graph, ["a", "b", "c"]), ["a", "b", "c", "a"]);
  assert.deepEqual(cycles(new Map([["a", ["b"]], ["b", []]])), []);
});

Deno.test("cycles() walks a long chain without exhausting the stack", () => {
  const n = 50_000;
  const graph = new Map(Array.from({ length: n }, (_, i) => [`m${i}`, [`m${(i + 1) % n}`]]));
  const found = cycles(graph);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.length, n);
});

Deno.test("the repository's import graph has no cycles (deno task cycles)", async () => {
  const graph = await importGraph(REPO_ROOT);
  assert.ok(graph.size > 500, `read ${graph.size} files`);
  const found = cycles(graph).map((component) => pathAround(graph, component).join(" → "));
  assert.deepEqual(found, [], "import cycles (break each by the direction of its rooms)");
});
