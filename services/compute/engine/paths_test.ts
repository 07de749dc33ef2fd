import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "./_testing.ts";
import { MAX_SCAN_ENTRIES, resolveScanPath } from "./paths.ts";

async function tree(base: string): Promise<{ root: string; outside: string }> {
  const root = join(base, "root");
  const outside = join(base, "outside");
  await Deno.mkdir(join(root, "a", "b"), { recursive: true });
  await Deno.mkdir(outside);
  await Deno.writeTextFile(join(root, "a", "x.parquet"), "");
  await Deno.writeTextFile(join(root, "a", "b", "y.parquet"), "");
  await Deno.writeTextFile(join(outside, "secret.parquet"), "");
  return { root, outside };
}

Deno.test("resolveScanPath() resolves relative paths and globs inside the data root", async () => {
  await using dir = await tempDir();
  const { root } = await tree(dir.path);
  assert.equal(resolveScanPath(root, "a/x.parquet"), join(root, "a", "x.parquet"));
  assert.equal(resolveScanPath(root, "./a/./x.parquet"), join(root, "a", "x.parquet"));
  assert.equal(resolveScanPath(root, "a"), join(root, "a"));
  assert.equal(
    resolveScanPath(root, "a/**/*.parquet", { glob: true }),
    join(root, "a", "**", "*.parquet"),
  );
  await Deno.symlink(join(root, "a", "b"), join(root, "link"));
  assert.equal(resolveScanPath(root, "link/y.parquet"), join(root, "a", "b", "y.parquet"));
  assert.equal(resolveScanPath(root, "*/*.parquet", { glob: true }), join(root, "*", "*.parquet"));
});

Deno.test("resolveScanPath() refuses absolute paths, '..', URLs and unexpected globs", async () => {
  await using dir = await tempDir();
  const { root, outside } = await tree(dir.path);
  const refused = [
    join(outside, "secret.parquet"),
    "/etc/passwd",
    "../outside/secret.parquet",
    "a/../../outside/secret.parquet",
    "a\\..\\..\\x",
    "C:/x.parquet",
    "s3://bucket/x.parquet",
    "a/x.parquet\0",
  ];
  for (const path of refused) {
    assert.throws(() => resolveScanPath(root, path, { glob: true }), {
      name: "InvalidArgumentError",
    }, path);
  }
  assert.throws(() => resolveScanPath(root, "a/*.parquet"), {
    name: "InvalidArgumentError",
    message: /glob/,
  });
});

Deno.test("resolveScanPath() refuses links that lead out of the data root", async () => {
  await using dir = await tempDir();
  const { root, outside } = await tree(dir.path);
  await Deno.symlink(join(outside, "secret.parquet"), join(root, "a", "leak.parquet"));
  assert.throws(() => resolveScanPath(root, "a/leak.parquet"), {
    name: "InvalidArgumentError",
    message: /link leads out/,
  });
  // Under a glob or a scanned directory, a link anywhere below is refused too.
  assert.throws(() => resolveScanPath(root, "a/*.parquet", { glob: true }), {
    name: "InvalidArgumentError",
  });
  assert.throws(() => resolveScanPath(root, "a"), { name: "InvalidArgumentError" });
  await Deno.remove(join(root, "a", "leak.parquet"));
  await Deno.symlink(outside, join(root, "a", "b", "out"));
  assert.throws(() => resolveScanPath(root, "a/**/*.parquet", { glob: true }), {
    name: "InvalidArgumentError",
  });
  await Deno.symlink(outside, join(root, "escape"));
  assert.throws(() => resolveScanPath(root, "escape/*.parquet", { glob: true }), {
    name: "InvalidArgumentError",
  });
});

Deno.test("resolveScanPath() survives link cycles inside the data root", async () => {
  await using dir = await tempDir();
  const { root } = await tree(dir.path);
  await Deno.symlink(join(root, "a"), join(root, "a", "b", "loop"));
  assert.equal(
    resolveScanPath(root, "a/**/*.parquet", { glob: true }),
    join(root, "a", "**", "*.parquet"),
  );
});

Deno.test("resolveScanPath() reports missing files as NotFoundError", async () => {
  await using dir = await tempDir();
  const { root } = await tree(dir.path);
  assert.throws(() => resolveScanPath(root, "a/missing.parquet"), {
    name: "NotFoundError",
    message: /a\/missing.parquet/,
  });
  assert.throws(() => resolveScanPath(root, "nope/*.parquet", { glob: true }), {
    name: "NotFoundError",
  });
  assert.ok(MAX_SCAN_ENTRIES >= 1000);
});
