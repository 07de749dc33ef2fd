/**
 * The soak's one-minute version (the long one is `deno task soak`, docs/benchmarks.md): 32
 * clients upload, query, cancel, release and read slowly against two compute workers on the
 * external store, restarted gracefully at random; afterwards no unexpected error, no call
 * or handler left, no handle lost or leaked. A minute is too short to judge RSS growth.
 */

import assert from "node:assert/strict";
import { failures, runSoak } from "../scripts/soak.ts";
import { INTEGRATION } from "./_harness.ts";

Deno.test({
  name: "one minute of 32 mixed clients against restarting workers: no error, leak or loss",
  ...INTEGRATION,
  async fn() {
    const lines: string[] = [];
    const report = await runSoak({
      durationMs: 60_000,
      clients: 32,
      workers: 2,
      restartEveryMs: 20_000,
      seed: 20261207,
      log: (line) => lines.push(line),
    });
    console.log(
      `soak: ${(report.elapsedMs / 1000).toFixed(0)} s, ${report.restarts} restarts, ops ${
        JSON.stringify(report.ops)
      }`,
    );
    assert.deepEqual(failures(report, Infinity), [], lines.join("\n"));
    assert.ok(report.restarts >= 1, "a worker was restarted during the run");
    assert.ok((report.ops.query ?? 0) > 100 && (report.ops.cancel ?? 0) > 50, "the load ran");
  },
});
