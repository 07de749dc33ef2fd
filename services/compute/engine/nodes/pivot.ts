/**
 * Pivot nodes (long to wide): their output columns depend on the data, so they run before
 * the plan (plan_pivot.ts, off the event loop, bounded before anything is kept) and the
 * plan reads their result. A pivot has at most one row per input row.
 *
 * @module
 */

import type { Pivot } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { frameLazy } from "../frame_access.ts";
import { PIVOT_AGG } from "../plan_enums.ts";
import { runPivot } from "../plan_pivot.ts";
import { fail, known, names, notEmpty, required } from "./_checks.ts";
import { ranResult } from "./_ran.ts";
import { type NodeTable, sameRows, single } from "./spec.ts";

function checkPivot(node: Pivot): void {
  required(node.input, "pivot.input");
  names(node.values, "pivot.values");
  names(node.index, "pivot.index");
  names(node.on, "pivot.on");
  notEmpty(node.on, "pivot.on");
  if (node.values.length === 0 && node.index.length === 0) {
    fail("pivot.index", "not be empty when 'values' is empty", "[]");
  }
  known(PIVOT_AGG, node.aggregate, "pivot.aggregate");
}

/** Pivot nodes. */
export const PIVOT_NODES: NodeTable = {
  pivot: {
    inputs: single,
    exprs: () => [],
    check: checkPivot,
    rows: sameRows,
    run: (node, input, ctx) => runPivot(input, node, ctx.limits),
    build(node, _inputs, ctx) {
      const lf = frameLazy(ranResult(node, ctx, "pivot"));
      return ctx.empty ? lf.head(0) : lf;
    },
  },
};
