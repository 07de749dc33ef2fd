/**
 * Nodes that reshape frames: explode (one row per list item), unpivot (wide to long) and
 * concat (several inputs, stacked or side by side).
 *
 * @module
 */

import { ConcatHow } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { sizeExprs } from "../expr_size.ts";
import { CONCAT_ALIGN, CONCAT_HOW } from "../plan_enums.ts";
import { maxKeyRows } from "../join_rows.ts";
import { LimitExceededError } from "../../../../shared/errors.ts";
import type { Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { concat, explode, unpivot } from "../plan_reshape.ts";
import { known, name, names, notEmpty, required } from "./_checks.ts";
import { inputAt } from "./_inputs.ts";
import { type NodeTable, type RowContext, single, times } from "./spec.ts";

/**
 * Rows of an aligning concat: a chain of joins on the columns every input has. When no key
 * repeats within any input, at most one row per key of all inputs (their row sum); otherwise
 * at most (r1 + 1)(r2 + 1)... - 1, which must fit POLAROID_MAX_JOIN_ROWS.
 */
async function alignRows(inputs: readonly number[], ctx: RowContext): Promise<number> {
  const sum = inputs.reduce((a, b) => a + b, 0);
  const product = inputs.reduce((a, b) => times(a, b + 1), 1) - 1;
  const limit = ctx.limits.maxJoinRows;
  if (product <= limit) return product;
  const frames = inputs.map((_, i) => ctx.input(i));
  const common = frames.map((lf) => new Set(lf.columns))
    .reduce((a, b) => new Set([...a].filter((c) => b.has(c))));
  // No common column: Polars refuses the concat itself.
  if (common.size === 0) return sum;
  const keys: Expr[] = [...common].map((name) => ({ kind: { $case: "column", value: { name } } }));
  const started = performance.now();
  const repeats = [];
  for (const lf of frames) repeats.push(await maxKeyRows(lf, keys));
  ctx.note("joinCheckMs", performance.now() - started);
  if (repeats.every((m) => m <= 1)) return sum;
  throw new LimitExceededError(
    `Cannot align ${
      inputs.join(" × ")
    } rows as the result must have at most ${limit} rows (POLAROID_MAX_JOIN_ROWS): keys repeat within an input (at most ${
      Math.max(...repeats)
    } rows share one), so rows may multiply`,
    { metadata: { limit: String(limit) } },
  );
}

/** Reshaping nodes. */
export const RESHAPE_NODES: NodeTable = {
  explode: {
    inputs: single,
    exprs: (node) => node.columns,
    check: (node) => required(node.input, "explode.input"),
    // One row per item of the exploded lists (and one for each empty or null list): known
    // only for lists the plan makes; lists of the data yield any number of rows.
    rows(node, [input = NaN]) {
      if (node.columns.length === 0) return Infinity;
      const sizes = sizeExprs(node.columns, input);
      return Math.max(
        ...sizes.map((s) => Number.isFinite(s.values) ? s.values + s.rows : Infinity),
      );
    },
    build: (node, inputs) => explode(inputAt(inputs, 0, "explode.input"), node),
  },
  unpivot: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "unpivot.input");
      names(node.index, "unpivot.index");
      names(node.on, "unpivot.on");
      name(node.variableName, "unpivot.variable_name");
      name(node.valueName, "unpivot.value_name");
    },
    // One row per input row and `on` column (every other column when `on` is empty: not
    // known before the plan runs).
    rows: (node, [input = NaN]) => node.on.length > 0 ? times(input, node.on.length) : Infinity,
    build: (node, inputs) => unpivot(inputAt(inputs, 0, "unpivot.input"), node),
  },
  concat: {
    inputs: (node) => node.inputs,
    exprs: () => [],
    check(node) {
      notEmpty(node.inputs, "concat.inputs");
      known(CONCAT_HOW, node.how, "concat.how");
    },
    // An aligning concat joins its inputs: its bound is checked as a join's.
    guards: (node) => CONCAT_ALIGN.has(node.how) ? "rows" : undefined,
    rows: (node, inputs, ctx) =>
      CONCAT_ALIGN.has(node.how)
        ? alignRows(inputs, ctx)
        : node.how === ConcatHow.CONCAT_HOW_HORIZONTAL
        ? Math.max(0, ...inputs)
        : inputs.reduce((a, b) => a + b, 0),
    build: (node, inputs) =>
      concat(inputs.map((_, i) => inputAt(inputs, i, `concat.inputs[${i}]`)), node),
  },
};
