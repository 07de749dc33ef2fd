/**
 * The exact number of rows an equi-join yields, counted from the multiplicities of its keys
 * before it runs: each side grouped by its keys with a count, the two count tables joined
 * on the keys (as the join matches them: nulls match nothing), and
 *   inner = Σ left count × right count over matched keys,
 *   left  = inner + left rows whose key has no match,
 *   full  = left + right rows whose key has no match.
 * Everything runs on the engine, off the event loop; the cost is one group-by per side (the
 * hash tables of the join itself) and a join of the distinct keys. keyRowsBound() and
 * maxKeyRows() are the cheaper first steps: one side's largest key multiplicity bounds the
 * output by the other side's rows times it (a one-to-one or one-to-many join needs no more).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Join } from "../../../shared/gen/polaroid/v1/plan.ts";
import { buildExpr } from "./expr.ts";
import { JOIN_HOW, lookup } from "./plan_enums.ts";

const key = (i: number) => `__polaroid_key${i}`;

function keyCounts(lf: pl.LazyDataFrame, on: readonly Expr[], name: string): pl.LazyDataFrame {
  return lf.groupBy(on.map((e, i) => buildExpr(e).alias(key(i))))
    .agg(pl.len().cast(pl.Float64).alias(name));
}

/**
 * A cheap upper bound of the rows of `lf` that share one key: with d distinct keys among n
 * rows no key has more than n − d + 1 rows. Counted with one hash set of a single key column
 * (10M integer keys: tens of milliseconds, where a group-by takes more than a second);
 * Infinity for several keys (counting their distinct tuples costs a group-by anyway).
 */
export async function keyRowsBound(lf: pl.LazyDataFrame, on: readonly Expr[]): Promise<number> {
  if (on.length !== 1) return Infinity;
  const counted = await lf.select(
    buildExpr(on[0]!).nUnique().cast(pl.Float64).alias("d"),
    pl.len().cast(pl.Float64).alias("n"),
  ).collect();
  const n = Number(counted.getColumn("n").get(0) ?? 0);
  const d = Number(counted.getColumn("d").get(0) ?? 0);
  return n === 0 ? 0 : n - d + 1;
}

/** The most rows of `lf` that share one key (0 for no row). */
export async function maxKeyRows(lf: pl.LazyDataFrame, on: readonly Expr[]): Promise<number> {
  const counted = await keyCounts(lf, on, "n").select(pl.col("n").max().alias("n")).collect();
  return Number(counted.getColumn("n").get(0) ?? 0);
}

/** Rows the join of `left` and `right` yields (inner, left or full; others: the left rows). */
export async function joinOutputRows(
  left: pl.LazyDataFrame,
  right: pl.LazyDataFrame,
  node: Join,
): Promise<number> {
  const how = lookup(JOIN_HOW, node.how, "join.how");
  const keys = node.leftOn.map((_, i) => key(i));
  const l = keyCounts(left, node.leftOn, "l");
  const r = keyCounts(right, node.rightOn, "r");
  const matched = l.join(r, { on: keys, how: "inner" }).select(
    pl.col("l").mul(pl.col("r")).sum().alias("pairs"),
    pl.col("l").sum().alias("matched_l"),
    pl.col("r").sum().alias("matched_r"),
  );
  const totals = pl.concat([
    matched,
    l.select(pl.col("l").sum().alias("total_l")),
    r.select(pl.col("r").sum().alias("total_r")),
  ], { how: "horizontal" });
  const row = await totals.collect();
  const get = (name: string) => Number(row.getColumn(name).get(0) ?? 0);
  const pairs = get("pairs");
  const unmatchedLeft = get("total_l") - get("matched_l");
  const unmatchedRight = get("total_r") - get("matched_r");
  switch (how) {
    case "inner":
      return pairs;
    case "left":
      return pairs + unmatchedLeft;
    case "full":
      return pairs + unmatchedLeft + unmatchedRight;
    default:
      return get("total_l");
  }
}
