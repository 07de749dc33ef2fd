/**
 * nodejs-polars' own examples, run in-process and through the SDK against a real cluster:
 * no wrong result beyond the known ones, and docs/compat.md's "Examples of real code" is what
 * this run measures.
 */

import assert from "node:assert/strict";
import { connect } from "../sdk/mod.ts";
import { COMPAT_MD, storedExamples } from "../scripts/compat.ts";
import { type ExamplesReport, measureExamples } from "../scripts/compat/examples.ts";
import { KNOWN_WRONG_RESULTS } from "../scripts/compat/examples_known.ts";
import { EXAMPLES_HEADING, renderExamples } from "../scripts/compat/render.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

function describeWrong(report: ExamplesReport): string {
  return report.results.filter((r) => r.outcome === "wrong").map((r) =>
    `${r.id}: ${r.reason}\nin-process:\n${r.inProcess}\nthrough the SDK:\n${r.sdk}`
  ).join("\n\n");
}

/** The "Examples of real code" section of docs/compat.md, up to the next "## " heading. */
function examplesSection(md: string): string {
  const start = md.indexOf(`${EXAMPLES_HEADING}\n`);
  assert.ok(start >= 0, `docs/compat.md has no "${EXAMPLES_HEADING}" section: deno task compat`);
  const end = md.indexOf("\n## ", start + EXAMPLES_HEADING.length);
  return md.slice(start, end < 0 ? undefined : end);
}

/** Runs every example on a cluster of its own. */
async function measure(): Promise<ExamplesReport> {
  const cluster = await testCluster();
  try {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    return await measureExamples(client);
  } finally {
    await cluster.stop();
    await Deno.remove(cluster.dataRoot, { recursive: true });
  }
}

Deno.test({
  name: "nodejs-polars' examples give no wrong result through the SDK, and docs/compat.md is fresh",
  ...INTEGRATION,
  async fn(t) {
    const report = await measure();

    await t.step("every wrong result is a known one, and every known one still happens", () => {
      const wrong = report.results.filter((r) => r.outcome === "wrong").map((r) => r.id).sort();
      const known = Object.keys(KNOWN_WRONG_RESULTS).sort();
      const gone = known.filter((id) => !wrong.includes(id));
      assert.deepEqual(
        wrong,
        known,
        gone.length > 0
          ? `known wrong results that no longer happen (remove them from scripts/compat/examples_known.ts): ${
            gone.join(", ")
          }`
          : describeWrong(report),
      );
    });

    await t.step("most lazy examples pass, each non-pass with its reason", () => {
      const lazy = report.results.filter((r) =>
        !["not lazy", "not runnable", "broken"].includes(r.outcome)
      );
      const passed = lazy.filter((r) => r.outcome === "pass").length;
      assert.ok(passed > lazy.length / 2, `${passed} of ${lazy.length} lazy examples pass`);
      const silent = report.results.filter((r) => r.outcome !== "pass" && !r.reason);
      assert.deepEqual(silent.map((r) => r.id), [], "outcomes without a reason");
    });

    await t.step("docs/compat.json and docs/compat.md hold this measure", () => {
      assert.deepEqual(storedExamples(), report, "docs/compat.json is stale: deno task compat");
      assert.equal(
        examplesSection(Deno.readTextFileSync(COMPAT_MD)),
        renderExamples(report),
        "docs/compat.md is stale: deno task compat",
      );
    });
  },
});
