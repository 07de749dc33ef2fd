import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { FileFormat, JoinType, P, tempDir, testLimits } from "./_testing.ts";
import { analyzePlan } from "./analyze.ts";
import { chooseEngine, estimateInputBytes, globPattern, scanBytes } from "./streaming_estimate.ts";

const analyzed = (plan: Plan) => analyzePlan(plan, testLimits());

async function write(path: string, bytes: number): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(path, new Uint8Array(bytes));
}

const parquet = (path: string) => ({ format: FileFormat.FILE_FORMAT_PARQUET, path });

Deno.test("globPattern() follows Polars' glob syntax", () => {
  assert.ok(globPattern("*.parquet").test("a.parquet"));
  assert.ok(!globPattern("*.parquet").test("x/a.parquet"), "* stays within a directory");
  assert.ok(globPattern("**/*.parquet").test("x/y/a.parquet"));
  assert.ok(globPattern("**/*.parquet").test("a.parquet"));
  assert.ok(globPattern("part-?.ipc").test("part-7.ipc"));
  assert.ok(globPattern("part-[0-4].ipc").test("part-3.ipc"));
  assert.ok(!globPattern("part-[0-4].ipc").test("part-5.ipc"));
  assert.ok(!globPattern("a.b").test("axb"), "dots are literal");
});

Deno.test("scanBytes() sums the sizes of a file, a glob's matches and a directory", async () => {
  await using root = await tempDir();
  await write(`${root.path}/one.parquet`, 1000);
  await write(`${root.path}/ds/a.parquet`, 300);
  await write(`${root.path}/ds/b.parquet`, 200);
  await write(`${root.path}/ds/notes.txt`, 5000);
  await write(`${root.path}/ds/sub/c.parquet`, 70);
  assert.equal(scanBytes(parquet("one.parquet"), root.path), 1000);
  assert.equal(scanBytes(parquet("ds/*.parquet"), root.path), 500);
  assert.equal(scanBytes(parquet("ds/**/*.parquet"), root.path), 570);
  assert.equal(scanBytes(parquet("ds"), root.path), 5570);
  assert.throws(() => scanBytes(parquet("../etc/passwd"), root.path), InvalidArgumentError);
});

Deno.test("estimateInputBytes() adds files and each handle's frame once", async () => {
  await using root = await tempDir();
  await write(`${root.path}/f.parquet`, 4096);
  const df = pl.DataFrame({ x: new Float64Array(1000) });
  const frameBytes = Number(df._df.estimatedSize());
  const cross = { how: JoinType.JOIN_TYPE_CROSS };
  const plan = analyzed(P.join(
    P.join(P.handle("t.a"), P.file(FileFormat.FILE_FORMAT_PARQUET, "f.parquet"), cross),
    P.handle("t.a"),
    cross,
  ));
  const sources = { frames: new Map([["t.a", df]]), dataRoot: root.path };
  assert.equal(frameBytes, 8000);
  assert.equal(estimateInputBytes(plan, sources), 4096 + 8000);
});

Deno.test("chooseEngine() streams when asked or when the estimate passes the memory limit", async () => {
  await using root = await tempDir();
  await write(`${root.path}/f.parquet`, 4096);
  const plan = analyzed(P.file(FileFormat.FILE_FORMAT_PARQUET, "f.parquet"));
  const sources = { frames: new Map(), dataRoot: root.path };
  assert.deepEqual(chooseEngine(plan, sources, { requested: true, memoryLimit: undefined }), {
    streaming: true,
    reason: "requested",
  });
  assert.deepEqual(chooseEngine(plan, sources, { requested: false, memoryLimit: undefined }), {
    streaming: false,
  });
  assert.deepEqual(chooseEngine(plan, sources, { requested: false, memoryLimit: 4096 }), {
    streaming: false,
    estimatedBytes: 4096,
  });
  assert.deepEqual(chooseEngine(plan, sources, { requested: false, memoryLimit: 4095 }), {
    streaming: true,
    reason: "memory_limit",
    estimatedBytes: 4096,
  });
  // A scan that cannot be sized runs in memory, and fails there with its own error.
  const missing = analyzed(P.file(FileFormat.FILE_FORMAT_PARQUET, "missing.parquet"));
  assert.deepEqual(chooseEngine(missing, sources, { requested: false, memoryLimit: 1 }), {
    streaming: false,
  });
});
