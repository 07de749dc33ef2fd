/**
 * The bound of a node whose expressions can generate values or make bytes (select,
 * with_columns, group-by aggregations): sized from its input's row bound, checked against
 * the limits, and, when that bound is unknown (an explode of data lists, SQL), from the
 * input's exact row count instead (which runs the input once more, off the event loop).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { checkNodeSize, type NodeSize, nodeSize, sizeExprs } from "../expr_size.ts";
import type { RowContext } from "./spec.ts";

/** How a node's expressions combine. */
export interface SizedNode {
  /** Plain expressions (evaluated once over the input). */
  exprs: readonly Expr[];
  /** Expressions evaluated per group. @default [] */
  aggs?: readonly Expr[];
  /** Output rows from the input's rows and the longest expression. @default the longest */
  outRows?: (input: number, longest: number) => number;
}

function measure(node: SizedNode, rows: number): NodeSize {
  const sizes = [
    ...sizeExprs(node.exprs, rows),
    ...sizeExprs(node.aggs ?? [], rows, { agg: true }),
  ];
  const longest = Math.max(0, ...sizes.map((s) => s.rows));
  return nodeSize(sizes, node.outRows?.(rows, longest) ?? longest);
}

/** Rows of a frame, counted by the engine off the event loop. */
export async function countRows(lf: pl.LazyDataFrame): Promise<number> {
  const counted = await lf.select(pl.len().alias("len")).collect();
  return Number(counted.getColumn("len").get(0));
}

/**
 * The node's row bound; when its expressions can generate values or make bytes, throws
 * LimitExceededError over `maxGeneratedValues` or `maxGeneratedBytes` (`what` names the node).
 */
export async function sizedRows(
  what: string,
  node: SizedNode,
  input: number,
  ctx: RowContext,
): Promise<number> {
  let size = measure(node, input);
  if (!ctx.facts.sized) return size.rows;
  if (!Number.isFinite(input) && !(Number.isFinite(size.made) && Number.isFinite(size.bytes))) {
    const started = performance.now();
    size = measure(node, await countRows(ctx.input(0)));
    ctx.note("rowCountMs", performance.now() - started);
  }
  checkNodeSize(what, size, ctx.limits);
  return size.rows;
}
