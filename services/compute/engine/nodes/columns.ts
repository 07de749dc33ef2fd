/**
 * Nodes that compute, pick, rename or retype columns of their one input: select,
 * with_columns, drop, rename, cast and unnest. Select and with_columns are sized from their
 * expressions (ranges and list fan-out can yield more rows or values than the input has;
 * literals and padding can make bytes), see expr_size.ts.
 *
 * @module
 */

import pl from "nodejs-polars";
import { toPolarsType } from "../dtypes.ts";
import { buildExpr } from "../expr.ts";
import { checkDataType } from "../checks.ts";
import { unnest } from "../plan_reshape.ts";
import { fail, names, notEmpty, required } from "./_checks.ts";
import { inputAt } from "./_inputs.ts";
import { sizedRows } from "./_sized.ts";
import { type NodeTable, sameRows, single } from "./spec.ts";

/** Column nodes. */
export const COLUMN_NODES: NodeTable = {
  select: {
    inputs: single,
    exprs: (node) => node.exprs,
    check: (node) => required(node.input, "select.input"),
    guards: (_node, facts) => facts.sized ? "rows" : undefined,
    // The longest expression: aggregates and literals yield one row even from no row.
    rows: (node, [input], ctx) => sizedRows("select", { exprs: node.exprs }, input ?? NaN, ctx),
    build: (node, inputs) => inputAt(inputs, 0, "select.input").select(node.exprs.map(buildExpr)),
  },
  withColumns: {
    inputs: single,
    exprs: (node) => node.exprs,
    check: (node) => required(node.input, "withColumns.input"),
    guards: (_node, facts) => facts.sized ? "rows" : undefined,
    rows: (node, [input], ctx) =>
      sizedRows(
        "with_columns",
        {
          exprs: node.exprs,
          outRows: (rows, longest) => Math.max(rows, longest),
        },
        input ?? NaN,
        ctx,
      ),
    build: (node, inputs) =>
      inputAt(inputs, 0, "with_columns.input").withColumns(...node.exprs.map(buildExpr)),
  },
  drop: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "drop.input");
      names(node.columns, "drop.columns");
    },
    rows: sameRows,
    build: (node, inputs) => inputAt(inputs, 0, "drop.input").drop(node.columns),
  },
  rename: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "rename.input");
      names(Object.keys(node.mapping), "rename.mapping");
      names(Object.values(node.mapping), "rename.mapping");
    },
    rows: sameRows,
    build: (node, inputs) => inputAt(inputs, 0, "rename.input").rename(node.mapping),
  },
  cast: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "cast.input");
      for (const [column, dtype] of Object.entries(node.dtypes)) {
        if (column === "") fail("cast.dtypes", "hold non-empty names", '""');
        checkDataType(dtype, `cast.dtypes[${JSON.stringify(column)}]`);
      }
    },
    rows: sameRows,
    build(node, inputs) {
      const lf = inputAt(inputs, 0, "cast.input");
      const casts = Object.entries(node.dtypes).map(([column, dtype]) =>
        pl.col(column).cast(toPolarsType(dtype), node.strict)
      );
      return casts.length === 0 ? lf : lf.withColumns(...casts);
    },
  },
  unnest: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "unnest.input");
      notEmpty(node.columns, "unnest.columns");
      names(node.columns, "unnest.columns");
    },
    rows: sameRows,
    build: (node, inputs) => unnest(inputAt(inputs, 0, "unnest.input"), node),
  },
};
