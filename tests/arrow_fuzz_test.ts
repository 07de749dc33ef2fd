/**
 * Fuzzed Arrow uploads through a real compute worker's Upload RPC (issue 10): 10,000 inputs —
 * valid streams and files mutated where a reader believes them, and fast-check's frames and
 * bytes — each answered OK or INVALID_ARGUMENT, the worker never dying and its memory bounded.
 *
 * The seed is printed; `ARROW_FUZZ_SEED=<seed>` replays a run. `deno task fuzz:arrow` runs
 * longer (scripts/fuzz_arrow.ts).
 */

import assert from "node:assert/strict";
import { fuzzInputs } from "./_arrow_fuzz_inputs.ts";
import { type FuzzReport, runFuzz } from "./_arrow_fuzz_run.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const INPUTS = 10_000;
/** The worker's resident memory may not grow by more than this over the run. */
const RSS_GROWTH_BOUND = 512 * 1024 * 1024;
const MIB = 1024 * 1024;

// A worker death is what the test looks for: report it here rather than as a warning.
const cluster = await testCluster({ notice: () => {} });

function describe(report: FuzzReport): string {
  const rss = report.rss;
  return `${report.inputs} inputs in ${(report.elapsedMs / 1000).toFixed(1)} s: ${
    JSON.stringify(report.outcomes)
  }; worker RSS ${(rss.first / MIB).toFixed(0)} MiB at start, ${(rss.min / MIB).toFixed(0)}–${
    (rss.max / MIB).toFixed(0)
  } MiB`;
}

Deno.test({
  name:
    "10,000 fuzzed Arrow uploads are OK or INVALID_ARGUMENT, the worker lives and its RSS stays bounded",
  ...INTEGRATION,
  async fn() {
    const replay = Deno.env.get("ARROW_FUZZ_SEED");
    const seed = replay === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(replay);
    console.log(`arrow fuzz seed ${seed} (replay: ARROW_FUZZ_SEED=${seed})`);
    try {
      const report = await runFuzz(
        { endpoint: cluster.endpoints.compute, pid: () => cluster.pids().compute },
        fuzzInputs(seed, INPUTS),
      );
      console.log(describe(report));
      assert.equal(report.died, undefined, `the worker died (seed ${seed}): ${report.died}`);
      assert.equal(report.inputs, INPUTS);
      assert.deepEqual(
        report.failures.slice(0, 10),
        [],
        `inputs answered other than OK/INVALID_ARGUMENT (seed ${seed})`,
      );
      const counted = (report.outcomes.OK ?? 0) + (report.outcomes.INVALID_ARGUMENT ?? 0);
      assert.equal(counted, INPUTS);
      assert.ok(report.outcomes.OK! > 0 && report.outcomes.INVALID_ARGUMENT! > 0);
      assert.ok(
        report.rss.max - report.rss.first <= RSS_GROWTH_BOUND,
        `RSS grew by ${((report.rss.max - report.rss.first) / MIB).toFixed(0)} MiB`,
      );
    } finally {
      await cluster.stop();
    }
  },
});
