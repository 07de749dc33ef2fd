/**
 * Nodes that reshape frames: explode (one row per list item), unpivot (wide to long) and
 * concat (several inputs, stacked or side by side).
 *
 * @module
 */

import { ConcatHow } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { sizeExprs } from "../expr_size.ts";
import { CONCAT_HOW } from "../plan_enums.ts";
import { concat, explode, unpivot } from "../plan_reshape.ts";
import { known, name, names, notEmpty, required } from "./_checks.ts";
import { inputAt } from "./_inputs.ts";
import { type NodeTable, single, times } from "./spec.ts";

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
    rows: (node, inputs) =>
      node.how === ConcatHow.CONCAT_HOW_HORIZONTAL
        ? Math.max(0, ...inputs)
        : inputs.reduce((a, b) => a + b, 0),
    build: (node, inputs) =>
      concat(inputs.map((_, i) => inputAt(inputs, i, `concat.inputs[${i}]`)), node),
  },
};
