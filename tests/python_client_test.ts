/**
 * The Python client (clients/python): its committed stubs match proto/, its TS-parity
 * fixture matches what the TS SDK sends, and its pytest suite passes against a cluster
 * (unit tests, integration tests and file scans).
 *
 * Needs `python3` with clients/python/tools/requirements-dev.txt installed first on PATH
 * (`deno task test` puts tools/python/.venv/bin there).
 *
 * @module
 */

import assert from "node:assert/strict";
import { INTEGRATION, testCluster } from "./_harness.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    env,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("clients/python/polaroid/_gen is what proto/ generates", async () => {
  const r = await run("python3", ["clients/python/tools/generate.py", "--check"]);
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
});

Deno.test("clients/python type-checks under mypy --strict (pyproject.toml's [tool.mypy])", async () => {
  const r = await run("python3", ["-m", "mypy", "polaroid"], {}, `${ROOT}clients/python`);
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /Success: no issues found/);
});

Deno.test("clients/python's TS-parity fixture is what the TS SDK sends", async () => {
  const r = await run(Deno.execPath(), [
    "run",
    "--no-check",
    "-A",
    "clients/python/tests/fixtures/ts_encodings.ts",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const committed = await Deno.readTextFile(
    `${ROOT}clients/python/tests/fixtures/ts_encodings.json`,
  );
  assert.deepEqual(
    JSON.parse(r.stdout),
    JSON.parse(committed),
    "regenerate: deno run --no-check -A clients/python/tests/fixtures/ts_encodings.ts > clients/python/tests/fixtures/ts_encodings.json",
  );
});

Deno.test("the Python client's tests pass against a cluster", INTEGRATION, async () => {
  // Sinks write under the output root; the tests read their files back through scans.
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-data-" });
  await using cluster = await testCluster({ dataRoot, env: { POLAROID_OUTPUT_ROOT: dataRoot } });
  try {
    const r = await run("python3", [
      "-m",
      "pytest",
      "-q",
      "-p",
      "no:cacheprovider",
      "clients/python/tests",
    ], {
      POLAROID_ENDPOINT: cluster.endpoints.compute,
      POLAROID_DATA_ROOT: cluster.dataRoot,
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout, /skipped/, `integration tests were skipped:\n${r.stdout}`);
  } finally {
    await Deno.remove(cluster.dataRoot, { recursive: true }).catch(() => {});
  }
});
