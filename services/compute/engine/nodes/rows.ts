/**
 * Nodes that keep, drop or order rows of their one input: filter, sort, slice, tail, unique,
 * drop_nulls, with_row_index and cache. None yields more rows than it reads.
 *
 * @module
 */

import { buildExpr } from "../expr.ts";
import { KEEP, lookup } from "../plan_enums.ts";
import { dropNulls, withRowIndex } from "../plan_reshape.ts";
import { applyRange, MAX_ROWS, rangeBound, sliceRange, tailRange } from "../slice.ts";
import { fail, known, names, notEmpty, required } from "./_checks.ts";
import { inputAt } from "./_inputs.ts";
import { type NodeTable, present, sameRows, single } from "./spec.ts";

/** Row-level nodes. */
export const ROWS_NODES: NodeTable = {
  filter: {
    inputs: single,
    exprs: (node) => present([node.predicate]),
    check(node) {
      required(node.input, "filter.input");
      required(node.predicate, "filter.predicate");
    },
    rows: sameRows,
    build(node, inputs) {
      required(node.predicate, "filter.predicate");
      return inputAt(inputs, 0, "filter.input").filter(buildExpr(node.predicate!));
    },
  },
  sort: {
    inputs: single,
    exprs: (node) => node.by,
    check(node) {
      required(node.input, "sort.input");
      notEmpty(node.by, "sort.by");
      const { by, descending } = node;
      if (descending.length > 1 && descending.length !== by.length) {
        fail("sort.descending", `hold 0, 1 or ${by.length} flags`, descending.length);
      }
    },
    rows: sameRows,
    build(node, inputs) {
      const { by, descending, nullsLast, maintainOrder } = node;
      const desc = descending.length === 0
        ? false
        : descending.length === 1
        ? descending[0]!
        : descending;
      return inputAt(inputs, 0, "sort.input").sort(
        by.map(buildExpr),
        desc,
        nullsLast,
        maintainOrder,
      );
    },
  },
  slice: {
    inputs: single,
    exprs: () => [],
    check: (node) => required(node.input, "slice.input"),
    rows: (node, [rows]) => rangeBound(sliceRange(node.offset, node.length), rows ?? NaN),
    build: (node, inputs) =>
      applyRange(inputAt(inputs, 0, "slice.input"), sliceRange(node.offset, node.length)),
  },
  tail: {
    inputs: single,
    exprs: () => [],
    check: (node) => required(node.input, "tail.input"),
    rows: (node, [rows]) => rangeBound(tailRange(node.n), rows ?? NaN),
    build: (node, inputs) => applyRange(inputAt(inputs, 0, "tail.input"), tailRange(node.n)),
  },
  unique: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "unique.input");
      known(KEEP, node.keep, "unique.keep");
      names(node.subset, "unique.subset");
    },
    rows: sameRows,
    build(node, inputs) {
      const subset = node.subset.length > 0 ? node.subset : undefined;
      return inputAt(inputs, 0, "unique.input").unique({
        ...(subset ? { subset } : {}),
        keep: lookup(KEEP, node.keep, "unique.keep"),
        maintainOrder: node.maintainOrder,
      });
    },
  },
  dropNulls: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "dropNulls.input");
      names(node.subset, "drop_nulls.subset");
    },
    rows: sameRows,
    build: (node, inputs) => dropNulls(inputAt(inputs, 0, "drop_nulls.input"), node),
  },
  withRowIndex: {
    inputs: single,
    exprs: () => [],
    check(node) {
      required(node.input, "withRowIndex.input");
      if (node.offset > BigInt(MAX_ROWS)) {
        fail("with_row_index.offset", `be at most ${MAX_ROWS}`, node.offset);
      }
    },
    rows: sameRows,
    build: (node, inputs) => withRowIndex(inputAt(inputs, 0, "with_row_index.input"), node),
  },
  cache: {
    inputs: single,
    exprs: () => [],
    check: (node) => required(node.input, "cache.input"),
    rows: sameRows,
    build: (_node, inputs) => inputAt(inputs, 0, "cache.input").cache(),
  },
};
