/**
 * The Python client as a user gets it: `pip install ./clients/python` into a fresh virtual
 * environment (grpcio, protobuf and polars from PyPI, no pyarrow), a wheel that builds, and
 * examples/python/quickstart.py run with that environment's Python against a cluster: an
 * upload, a filter → group_by → agg → sort and 1-minute OHLCV bars, each equal to Python
 * Polars' rows in-process (the program checks and says so).
 *
 * Needs `python3` with the venv module and PyPI (or pip's cache) reachable.
 *
 * @module
 */

import assert from "node:assert/strict";
import { INTEGRATION, testCluster } from "./_harness.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 600_000),
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test(
  "pip install ./clients/python, then a program using only polaroid equals Python Polars",
  INTEGRATION,
  async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "polaroid-pip-" });
    try {
      const venv = `${dir}/venv`;
      const python = `${venv}/bin/python`;
      await t.step("a fresh virtual environment and pip install ./clients/python", async () => {
        const made = await run("python3", ["-m", "venv", venv]);
        assert.equal(made.code, 0, made.stderr);
        const installed = await run(python, [
          "-m",
          "pip",
          "install",
          "--quiet",
          "--disable-pip-version-check",
          `${ROOT}clients/python`,
        ]);
        assert.equal(installed.code, 0, `${installed.stdout}\n${installed.stderr}`);
        // Installed, not read from the checkout: imported from a directory with no checkout.
        const where = await run(python, [
          "-c",
          "import polaroid, importlib.util; print(polaroid.__file__); print(importlib.util.find_spec('pyarrow') is None)",
        ], { cwd: dir });
        assert.equal(where.code, 0, where.stderr);
        const [file, noPyarrow] = where.stdout.trim().split("\n");
        assert.ok(file!.startsWith(`${venv}/`), file);
        assert.equal(noPyarrow, "True", "pyarrow is optional: the base install must not pull it");
      });
      await t.step("a wheel builds", async () => {
        const built = await run(python, [
          "-m",
          "pip",
          "wheel",
          "--quiet",
          "--no-deps",
          "--disable-pip-version-check",
          "-w",
          `${dir}/wheels`,
          `${ROOT}clients/python`,
        ]);
        assert.equal(built.code, 0, `${built.stdout}\n${built.stderr}`);
        const wheels = [...Deno.readDirSync(`${dir}/wheels`)].map((e) => e.name);
        assert.ok(wheels.some((n) => /^polaroid-.*-py3-none-any\.whl$/.test(n)), wheels.join(","));
      });
      await t.step("examples/python/quickstart.py equals Python Polars", async () => {
        await using cluster = await testCluster();
        try {
          const r = await run(python, [`${ROOT}examples/python/quickstart.py`], {
            cwd: dir,
            env: { POLAROID_ENDPOINT: cluster.endpoints.compute },
            timeoutMs: 300_000,
          });
          assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
          assert.match(r.stdout, /identical to Python Polars/);
          assert.match(r.stdout, /AAPL +┆ 962400/);
        } finally {
          await Deno.remove(cluster.dataRoot, { recursive: true }).catch(() => {});
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
