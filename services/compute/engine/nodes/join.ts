/**
 * Join nodes: equi-joins (inner, left, full, semi, anti, cross) and as-of joins. A cross
 * join is refused when its inputs' row bounds multiply past `maxCrossJoinRows`; an inner,
 * left or full join whose bounds allow more than `maxJoinRows` rows is bounded from its
 * keys' multiplicities, up to its exact output (join_rows.ts), and refused above the limit
 * (keys that repeat on both sides multiply).
 *
 * @module
 */

import { LimitExceededError } from "../../../../shared/errors.ts";
import { type Join, type JoinAsof, JoinType } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { parseDuration } from "../plan_duration.ts";
import { ASOF_STRATEGY, JOIN_HOW, JOIN_ORDER } from "../plan_enums.ts";
import { join, joinAsof } from "../plan_join.ts";
import { joinOutputRows, keyRowsBound, maxKeyRows } from "../join_rows.ts";
import { fail, known, names, notEmpty, required } from "./_checks.ts";
import { inputAt } from "./_inputs.ts";
import { type NodeTable, present, type RowContext, times } from "./spec.ts";

function checkJoin(join: Join): void {
  required(join.left, "join.left");
  required(join.right, "join.right");
  known(JOIN_HOW, join.how, "join.how");
  known(JOIN_ORDER, join.maintainOrder, "join.maintain_order");
  if (join.how === JoinType.JOIN_TYPE_CROSS) {
    if (join.leftOn.length + join.rightOn.length > 0) {
      fail("join.left_on", "be empty for a cross join", join.leftOn.length);
    }
    return;
  }
  notEmpty(join.leftOn, "join.left_on");
  if (join.leftOn.length !== join.rightOn.length) {
    fail(
      "join.right_on",
      `have as many keys as left_on (${join.leftOn.length})`,
      join.rightOn.length,
    );
  }
}

function checkJoinAsof(node: JoinAsof): void {
  required(node.left, "join_asof.left");
  required(node.right, "join_asof.right");
  if (node.leftOn === "") fail("join_asof.left_on", "not be empty", "");
  if (node.rightOn === "") fail("join_asof.right_on", "not be empty", "");
  names(node.byLeft, "join_asof.by_left");
  names(node.byRight, "join_asof.by_right");
  if (node.byLeft.length !== node.byRight.length) {
    fail(
      "join_asof.by_right",
      `have as many columns as by_left (${node.byLeft.length})`,
      node.byRight.length,
    );
  }
  known(ASOF_STRATEGY, node.strategy, "join_asof.strategy");
  const tolerance = node.tolerance;
  if (tolerance?.$case === "toleranceNumber") {
    if (!(Number.isFinite(tolerance.value) && tolerance.value >= 0)) {
      fail("join_asof.tolerance_number", "be a finite number >= 0", tolerance.value);
    }
  } else if (tolerance?.$case === "toleranceDuration") {
    const d = parseDuration(tolerance.value, "join_asof.tolerance_duration");
    if (d.negative) fail("join_asof.tolerance_duration", "not be negative", tolerance.value);
  }
}

function crossRows(left: number, right: number, limit: number): number {
  if (times(left, right) > limit) {
    throw new LimitExceededError(
      `Cannot cross join ${left} × ${right} rows as the result must have at most ${limit} rows: current value is ${
        times(left, right)
      }`,
      { metadata: { limit: String(limit) } },
    );
  }
  return times(left, right);
}

/** Inner, left and full joins: the bound, or the exact count when the bound is over the limit. */
async function equiRows(node: Join, left: number, right: number, ctx: RowContext) {
  // Every pair may match, plus the unmatched rows of both sides (full join).
  const bound = times(left, right) + left + right;
  const limit = ctx.limits.maxJoinRows;
  if (bound <= limit) return bound;
  const started = performance.now();
  // The rows of the larger side times the largest key multiplicity of the smaller side bound
  // the pairs: first from its distinct keys (one hash set), then from its key counts (a
  // group-by), then the exact output from both sides' key counts.
  const small = left <= right ? 0 : 1;
  const [keys, others] = small === 0 ? [node.leftOn, right] : [node.rightOn, left];
  let rows = times(others, await keyRowsBound(ctx.input(small), keys)) + left + right;
  if (rows > limit) rows = times(others, await maxKeyRows(ctx.input(small), keys)) + left + right;
  if (rows > limit) rows = await joinOutputRows(ctx.input(0), ctx.input(1), node);
  ctx.note("joinCheckMs", performance.now() - started);
  if (rows > limit) {
    throw new LimitExceededError(
      `Cannot join ${left} × ${right} rows as the result must have at most ${limit} rows (POLAROID_MAX_JOIN_ROWS): current value is ${rows} (keys that repeat on both sides multiply)`,
      { metadata: { limit: String(limit) } },
    );
  }
  return rows;
}

/** Join nodes. */
export const JOIN_NODES: NodeTable = {
  join: {
    inputs: (node) => present([node.left, node.right]),
    exprs: (node) => [...node.leftOn, ...node.rightOn],
    check: checkJoin,
    guards: (node) =>
      node.how === JoinType.JOIN_TYPE_SEMI || node.how === JoinType.JOIN_TYPE_ANTI
        ? undefined
        : "rows",
    rows(node, [left = NaN, right = NaN], ctx) {
      switch (node.how) {
        case JoinType.JOIN_TYPE_SEMI:
        case JoinType.JOIN_TYPE_ANTI:
          return left;
        case JoinType.JOIN_TYPE_CROSS:
          return crossRows(left, right, ctx.limits.maxCrossJoinRows);
        default:
          return equiRows(node, left, right, ctx);
      }
    },
    build: (node, inputs) =>
      join(inputAt(inputs, 0, "join.left"), inputAt(inputs, 1, "join.right"), node),
  },
  joinAsof: {
    inputs: (node) => present([node.left, node.right]),
    exprs: () => [],
    check: checkJoinAsof,
    // One output row per left row.
    rows: (_node, [left = NaN]) => left,
    build: (node, inputs) =>
      joinAsof(inputAt(inputs, 0, "join_asof.left"), inputAt(inputs, 1, "join_asof.right"), node),
  },
};
