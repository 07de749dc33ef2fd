import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { CancelledError, LimitExceededError } from "../../../shared/errors.ts";
import { FileFormat } from "../../../shared/gen/polaroid/v1/plan.ts";
import { waitFor } from "../../../scripts/_wait.ts";
import { tempDir } from "../engine/_testing.ts";
import { type EngineCount, sinkToFile, writtenRows } from "./write.ts";

const ROWS = 2_000_000;
const big = () =>
  pl.DataFrame({
    k: pl.Series("k", Int32Array.from({ length: ROWS }, (_, i) => i)),
    x: pl.Series("x", Float64Array.from({ length: ROWS }, (_, i) => Math.cos(i))),
  }).lazy();

async function settled(engines: EngineCount, dir: string): Promise<void> {
  await waitFor(() => engines.running === 0 && [...Deno.readDirSync(dir)].length === 0, {
    timeoutMs: 30_000,
    intervalMs: 10,
    what: "the engine to end and its file to go",
  });
}

Deno.test("sinkToFile() writes the file and reports its size; writtenRows() its rows", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "x.parquet");
  const engines = { running: 0 };
  const bytes = await sinkToFile(big().head(10), FileFormat.FILE_FORMAT_PARQUET, path, {}, {
    signal: new AbortController().signal,
    maxBytes: 1 << 30,
    engines,
  });
  assert.equal(bytes, (await Deno.stat(path)).size);
  assert.equal(await writtenRows(FileFormat.FILE_FORMAT_PARQUET, path), 10);
  assert.equal(await writtenRows(FileFormat.FILE_FORMAT_CSV, path), undefined);
  await waitFor(() => engines.running === 0, { timeoutMs: 5_000, intervalMs: 5 });
});

Deno.test("sinkToFile() stops at the size bound and leaves no file once the engine ends", async () => {
  await using dir = await tempDir();
  const engines = { running: 0 };
  await assert.rejects(
    sinkToFile(big(), FileFormat.FILE_FORMAT_CSV, join(dir.path, "x.csv"), {}, {
      signal: new AbortController().signal,
      maxBytes: 1 << 20,
      watchIntervalMs: 5,
      engines,
    }),
    (e: unknown) => e instanceof LimitExceededError && /POLAROID_MAX_OUTPUT_BYTES/.test(e.message),
  );
  await settled(engines, dir.path);
});

Deno.test("sinkToFile() ends with its signal and leaves no file once the engine ends", async () => {
  await using dir = await tempDir();
  const engines = { running: 0 };
  const controller = new AbortController();
  const path = join(dir.path, "x.csv");
  const writing = sinkToFile(big().sort("x"), FileFormat.FILE_FORMAT_CSV, path, {}, {
    signal: controller.signal,
    maxBytes: 1 << 30,
    watchIntervalMs: 5,
    engines,
  });
  assert.equal(engines.running, 1);
  controller.abort(new CancelledError("stop"));
  await assert.rejects(writing, CancelledError);
  await settled(engines, dir.path);
  // Already aborted: the engine does not start.
  await assert.rejects(
    sinkToFile(big(), FileFormat.FILE_FORMAT_CSV, path, {}, {
      signal: controller.signal,
      maxBytes: 1,
      engines,
    }),
    CancelledError,
  );
  assert.equal(engines.running, 0);
});

Deno.test("sinkToFile() removes the file of an engine error", async () => {
  await using dir = await tempDir();
  const engines = { running: 0 };
  const nested = pl.DataFrame({ l: [[1], [2]] }).lazy();
  await assert.rejects(
    sinkToFile(nested, FileFormat.FILE_FORMAT_CSV, join(dir.path, "x.csv"), {}, {
      signal: new AbortController().signal,
      maxBytes: 1 << 20,
      engines,
    }),
    /nested/,
  );
  await settled(engines, dir.path);
});
