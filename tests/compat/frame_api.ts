/**
 * Compatibility checks of LazyDataFrame members that return no frame (names, plans, the
 * serialized query, a stored result): each compares the SDK's answer with nodejs-polars'
 * where both answer the same question, else checks the SDK's documented form.
 *
 * @module
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import sdk from "../../sdk/mod.ts";
import { assertSameTable, frameToTable } from "../_harness.ts";
import type { CompatContext } from "./_harness.ts";

/** One check of a member that does not build a frame. */
export interface FrameApiCase {
  covers: readonly string[];
  check: (ctx: CompatContext) => Promise<void>;
}

export const FRAME_API_CASES: readonly FrameApiCase[] = [
  {
    covers: ["LazyDataFrame.columns"],
    async check({ remote, local }) {
      assert.deepEqual(await remote.mixed.columns(), local.mixed.lazy().columns);
      const query = remote.mixed.select("g", sdk.col("x").alias("y")).withRowIndex();
      const expected = local.mixed.lazy().select("g", pl.col("x").alias("y")).withRowIndex();
      assert.deepEqual(await query.columns(), expected.columns);
    },
  },
  {
    covers: ["LazyDataFrame.collect"],
    async check({ remote, local }) {
      await using df = await remote.left.filter(sdk.col("k").gt(2)).collect();
      const expected = await local.left.lazy().filter(pl.col("k").gt(2)).collect();
      assert.equal(df.height, expected.height);
      assertSameTable(await df.toArrow(), frameToTable(expected));
    },
  },
  {
    covers: ["LazyDataFrame.describePlan", "LazyDataFrame.describeOptimizedPlan"],
    async check({ remote, local }) {
      const query = remote.left.filter(sdk.col("v").gt(20)).select("k", "v");
      const expected = local.left.lazy().filter(pl.col("v").gt(20)).select("k", "v");
      assert.equal(await query.describePlan(), expected.describePlan());
      assert.equal(await query.describeOptimizedPlan(), expected.describeOptimizedPlan());
    },
  },
  {
    // nodejs-polars serializes its native plan; the SDK its protobuf plan (the wire form).
    covers: ["LazyDataFrame.toJSON", "LazyDataFrame.serialize", "LazyDataFrame.inner"],
    async check({ remote, local }) {
      const query = remote.left.filter(sdk.col("k").gt(2)).head(2);
      const plan = query.inner();
      assert.equal(plan, query.plan);
      const wire = Plan.encode(plan).finish();
      const text = query.toJSON();
      assert.equal(typeof text, typeof local.left.lazy().toJSON());
      const same = (other: Plan) => assert.deepEqual(Plan.encode(other).finish(), wire);
      same(Plan.fromJSON(JSON.parse(text)));
      // As nodejs-polars: `JSON.stringify(lf)` embeds the JSON, a nested frame its text.
      assert.deepEqual(JSON.parse(JSON.stringify(query)), JSON.parse(text));
      assert.equal(JSON.parse(JSON.stringify({ q: query })).q, text);
      assert.equal(typeof JSON.parse(JSON.stringify({ q: local.left.lazy() })).q, "string");
      same(Plan.fromJSON(JSON.parse(query.serialize("json").toString())));
      same(Plan.decode(query.serialize("bincode")));
      assert.ok(local.left.lazy().serialize("json").length > 0);
      // A pending plan (waiting for the schema of its input) serializes once resolved.
      const pending = remote.left.select("k", "v").max();
      assert.throws(() => pending.toJSON(), /pending/);
      const resolved = await pending.resolvePlan();
      assert.equal(resolved.node?.$case, "select");
    },
  },
];
