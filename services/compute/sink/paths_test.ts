import assert from "node:assert/strict";
import { join } from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../../shared/errors.ts";
import { tempDir } from "../engine/_testing.ts";
import { outputSegments, resolveOutputFile, TEMP_PREFIX, tempName } from "./paths.ts";

Deno.test("outputSegments() keeps a relative path's segments, as scans read them", () => {
  assert.deepEqual(outputSegments("a/b/x.parquet"), ["a", "b", "x.parquet"]);
  assert.deepEqual(outputSegments("./a//b/./x.csv"), ["a", "b", "x.csv"]);
  assert.deepEqual(outputSegments("a\\x.csv"), ["a", "x.csv"]);
  assert.deepEqual(outputSegments("ünï cøde.csv"), ["ünï cøde.csv"]);
});

Deno.test("outputSegments() refuses what is not a relative file path, naming the rule", () => {
  const refused: Array<[unknown, RegExp]> = [
    ["", /non-empty/],
    [42, /non-empty/],
    ["/etc/x", /relative/],
    ["\\x", /relative/],
    ["C:x", /relative/],
    ["s3://bucket/key", /not a URL/],
    ["../x", /'\.\.'/],
    ["a/../../x", /'\.\.'/],
    ["a\\..\\x", /'\.\.'/],
    ["a/", /name a file/],
    ["a/.", /name a file/],
    ["x\u0000", /control characters/],
    ["x\ny", /control characters/],
    [`${TEMP_PREFIX}abc-x.csv`, /temporary|starting with/],
    ["a".repeat(201), /file name of at most 200 bytes/],
    [`${"d/".repeat(513)}x`, /at most 1024 bytes/],
  ];
  for (const [path, rule] of refused) {
    assert.throws(
      () => outputSegments(path),
      (e: unknown) => e instanceof InvalidArgumentError && rule.test(e.message),
      String(path),
    );
  }
});

Deno.test("tempName() keeps the file's extensions, hidden behind the prefix", () => {
  const name = tempName("out.csv.gz");
  assert.ok(name.startsWith(TEMP_PREFIX) && name.endsWith("-out.csv.gz"), name);
  assert.notEqual(tempName("x"), tempName("x"));
});

Deno.test("resolveOutputFile() puts the temporary file beside its target", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(join(dir.path, "a"));
  const file = await resolveOutputFile(dir.path, "a/x.parquet");
  assert.equal(file.target, join(dir.path, "a", "x.parquet"));
  assert.equal(join(file.temp, ".."), join(dir.path, "a"));
  assert.ok(file.temp.endsWith("-x.parquet"));
});

Deno.test("resolveOutputFile() makes missing directories only with mkdir", async () => {
  await using dir = await tempDir();
  await assert.rejects(
    resolveOutputFile(dir.path, "b/c/x.csv"),
    (e: unknown) => e instanceof NotFoundError && /directory b does not exist/.test(e.message),
  );
  const file = await resolveOutputFile(dir.path, "b/c/x.csv", { mkdir: true });
  assert.equal(file.target, join(dir.path, "b", "c", "x.csv"));
  assert.ok((await Deno.stat(join(dir.path, "b", "c"))).isDirectory);
});

Deno.test("resolveOutputFile() follows links that stay inside the root, refuses the others", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "root");
  const outside = join(dir.path, "outside");
  await Deno.mkdir(join(root, "in"), { recursive: true });
  await Deno.mkdir(outside);
  await Deno.symlink(join(root, "in"), join(root, "alias"));
  await Deno.symlink(outside, join(root, "out"));
  await Deno.symlink(join(outside, "f"), join(root, "f.csv"));
  await Deno.symlink(join(dir.path, "nowhere"), join(root, "dangling"));
  await Deno.writeTextFile(join(root, "plain"), "");
  await Deno.mkdir(join(root, "d.csv"));
  const through = await resolveOutputFile(root, "alias/x.csv");
  assert.equal(through.target, join(root, "in", "x.csv"));
  const refused: Array<[string, RegExp]> = [
    ["out/x.csv", /a link leads out/],
    ["out/new/x.csv", /a link leads out/],
    ["dangling/x.csv", /a link leads out/],
    ["f.csv", /symbolic link/],
    ["d.csv", /directory/],
    ["plain/x.csv", /plain is not one/],
  ];
  for (const [path, rule] of refused) {
    await assert.rejects(
      resolveOutputFile(root, path, { mkdir: true }),
      (e: unknown) => e instanceof InvalidArgumentError && rule.test(e.message),
      path,
    );
  }
  assert.deepEqual([...Deno.readDirSync(outside)], []);
});
