/**
 * StatTest nodes: statistical tests per group of the input. They run before the plan
 * (plan_stat_tests.ts: the input collected off the event loop, the tests in a worker
 * thread) and the plan reads their small result: rows per group, never more groups than
 * input rows (Johansen: one row per rank, at most 12 per group).
 *
 * @module
 */

import { frameLazy } from "../frame_access.ts";
import { checkStatTest, runStatTest } from "../plan_stat_tests.ts";
import { required } from "./_checks.ts";
import { ranResult } from "./_ran.ts";
import { type NodeTable, single, times } from "./spec.ts";

/** Most result rows of one group (Johansen's ranks). */
const MAX_ROWS_PER_GROUP = 12;

/** StatTest nodes. */
export const STAT_TEST_NODES: NodeTable = {
  statTest: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "statTest.input");
      checkStatTest(node);
    },
    rows: (_node, [input = NaN]) => times(input, MAX_ROWS_PER_GROUP),
    run: (node, input, ctx) => runStatTest(input, node, ctx.limits),
    build(node, _inputs, ctx) {
      const lf = frameLazy(ranResult(node, ctx, "stat_test"));
      return ctx.empty ? lf.head(0) : lf;
    },
  },
};
