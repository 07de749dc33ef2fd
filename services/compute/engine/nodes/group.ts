/**
 * Group-by nodes: by keys (aggregations, or the head, tail or length of each group), by
 * dynamic time windows and by rolling windows. Groups never outnumber the input's rows,
 * except dynamic windows, which are counted over the data before they are allocated (a
 * short `every` over a long span fails to allocate and aborts the process).
 *
 * @module
 */

import { GroupByOutput, type Plan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { CLOSED, GROUP_OUTPUT, LABEL, START_BY } from "../plan_enums.ts";
import { parseDuration } from "../plan_duration.ts";
import { groupBy, groupByDynamic, groupByRolling } from "../plan_group.ts";
import { guardWindows } from "../plan_windows.ts";
import { fail, isColumn, known, name, notEmpty, positive, required } from "./_checks.ts";
import { inputAt } from "./_inputs.ts";
import { sizedRows } from "./_sized.ts";
import { type NodeTable, present, single } from "./spec.ts";

/** The plan without the sort nodes at its top (the same rows in another order). */
export function unsorted(plan: Plan): Plan {
  let top = plan;
  while (top.node?.$case === "sort" && top.node.value.input) top = top.node.value.input;
  return top;
}

/** Group-by nodes. */
export const GROUP_NODES: NodeTable = {
  groupBy: {
    inputs: single,
    exprs: (node) => [...node.keys, ...node.aggs],
    check(node) {
      required(node.input, "groupBy.input");
      notEmpty(node.keys, "group_by.keys");
      known(GROUP_OUTPUT, node.output, "group_by.output");
      const output = node.output;
      if (output === GroupByOutput.GROUP_BY_OUTPUT_UNSPECIFIED) return;
      if (output === GroupByOutput.GROUP_BY_OUTPUT_AGG) return;
      if (node.aggs.length > 0) {
        fail("group_by.aggs", `be empty for output ${GROUP_OUTPUT.get(output)}`, node.aggs.length);
      }
    },
    guards: (_node, facts) => facts.sized ? "rows" : undefined,
    // Aggregations, heads, tails and lengths: at most one row per input row.
    rows: (node, [input = NaN], ctx) =>
      sizedRows(
        "group_by",
        {
          exprs: node.keys,
          aggs: node.aggs,
          outRows: (rows) => rows,
        },
        input,
        ctx,
      ),
    build: (node, inputs) => groupBy(inputAt(inputs, 0, "group_by.input"), node),
  },
  groupByDynamic: {
    inputs: single,
    exprs: (node) => [...node.by, ...node.aggs],
    check(node) {
      required(node.input, "groupByDynamic.input");
      name(node.indexColumn, "group_by_dynamic.index_column");
      positive(node.every, "group_by_dynamic.every");
      if (node.period !== undefined) positive(node.period, "group_by_dynamic.period");
      if (node.offset !== undefined) parseDuration(node.offset, "group_by_dynamic.offset");
      known(LABEL, node.label, "group_by_dynamic.label");
      known(CLOSED, node.closed, "group_by_dynamic.closed");
      known(START_BY, node.startBy, "group_by_dynamic.start_by");
    },
    guards: (_node, facts) => facts.sized ? "rows" : "data",
    async rows(node, [input = NaN], ctx) {
      // The span of the index does not depend on row order: the sorts on top of the input
      // are left out (sorting 100M ticks again took seconds).
      const started = performance.now();
      const source = node.input ? ctx.build(unsorted(node.input)) : ctx.input(0);
      const windows = await guardWindows(source, node, ctx.limits.maxDynamicWindows);
      ctx.note("windowCheckMs", performance.now() - started);
      if (!ctx.facts.sized) return windows;
      const groups = Number.isNaN(input) ? windows : Math.max(input, windows);
      return await sizedRows(
        "group_by_dynamic",
        {
          exprs: node.by,
          aggs: node.aggs,
          outRows: () => windows,
        },
        groups,
        ctx,
      );
    },
    build: (node, inputs) => groupByDynamic(inputAt(inputs, 0, "group_by_dynamic.input"), node),
  },
  groupByRolling: {
    inputs: single,
    exprs: (node) => present([node.indexColumn, ...node.by, ...node.aggs]),
    check(node) {
      required(node.input, "groupByRolling.input");
      required(node.indexColumn, "group_by_rolling.index_column");
      if (!isColumn(node.indexColumn)) {
        fail("group_by_rolling.index_column", "be a column", node.indexColumn?.kind?.$case);
      }
      positive(node.period, "group_by_rolling.period");
      if (node.offset !== undefined) parseDuration(node.offset, "group_by_rolling.offset");
      known(CLOSED, node.closed, "group_by_rolling.closed");
    },
    guards: (_node, facts) => facts.sized ? "rows" : undefined,
    // One window per input row.
    rows: (node, [input = NaN], ctx) =>
      sizedRows(
        "group_by_rolling",
        {
          exprs: node.by,
          aggs: node.aggs,
          outRows: (rows) => rows,
        },
        input,
        ctx,
      ),
    build: (node, inputs) => groupByRolling(inputAt(inputs, 0, "group_by_rolling.input"), node),
  },
};
