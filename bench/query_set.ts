/**
 * The five standard queries of `deno task bench`, each written for Polaroid's SDK and for
 * nodejs-polars (bench/peers.py has the same queries for Python Polars and DuckDB, under the
 * same ids), with a cheap checksum of its result that every engine must agree on.
 *
 * @module
 */

import pl from "nodejs-polars";
import { col, type RemoteLazyFrame } from "../sdk/mod.ts";

/**
 * A checksum of a result: the sum of a column, or ("ends") its first plus its last value,
 * which checks a sort's order where a sum would not.
 */
export interface Checksum {
  kind: "sum" | "ends";
  column: string;
}

/** One query, written once for each API. */
export interface Query {
  /** The id bench/peers.py knows it by. */
  id: string;
  name: string;
  checksum: Checksum;
  local: (fact: pl.LazyDataFrame, dim: pl.LazyDataFrame) => pl.LazyDataFrame;
  remote: (fact: RemoteLazyFrame, dim: RemoteLazyFrame) => RemoteLazyFrame;
}

/** The queries, in the order they run; the fact frame needs factFrame's `subKeys`. */
export const QUERIES: readonly Query[] = [
  {
    id: "group_by",
    name: "group_by(key).agg(mean, sum)",
    checksum: { kind: "sum", column: "s" },
    local: (f) =>
      f.groupBy("key").agg(pl.col("value").mean().alias("m"), pl.col("qty").sum().alias("s")),
    remote: (f) =>
      f.groupBy("key").agg(col("value").mean().alias("m"), col("qty").sum().alias("s")),
  },
  {
    id: "filter",
    name: "filter(value > 0.5 and qty < 100)",
    checksum: { kind: "sum", column: "qty" },
    local: (f) =>
      f.filter(pl.col("value").gt(0.5).and(pl.col("qty").lt(pl.lit(100).cast(pl.Int64)))),
    remote: (f) => f.filter(col("value").gt(0.5).and(col("qty").lt(100n))),
  },
  {
    id: "sort",
    name: "sort(value)",
    checksum: { kind: "ends", column: "value" },
    local: (f) => f.sort("value"),
    remote: (f) => f.sort("value"),
  },
  {
    id: "join",
    name: "join(dim, on key)",
    checksum: { kind: "sum", column: "weight" },
    local: (f, d) => f.join(d, { on: "key", how: "inner" }),
    remote: (f, d) => f.join(d, { on: "key", how: "inner" }),
  },
  {
    id: "group_by3",
    name: "group_by(key, k2, k3).agg(sum, count)",
    checksum: { kind: "sum", column: "s" },
    local: (f) =>
      f.groupBy(["key", "k2", "k3"]).agg(
        pl.col("qty").sum().alias("s"),
        pl.col("value").count().alias("n"),
      ),
    remote: (f) =>
      f.groupBy(["key", "k2", "k3"]).agg(
        col("qty").sum().alias("s"),
        col("value").count().alias("n"),
      ),
  },
];

/** The checksum of a nodejs-polars result. */
export function localChecksum(df: pl.DataFrame, checksum: Checksum): number {
  const c = df.getColumn(checksum.column);
  if (checksum.kind === "sum") return Number(c.sum());
  return df.height === 0 ? 0 : Number(c.get(0)) + Number(c.get(df.height - 1));
}

/** The checksum of a Polaroid result, computed on the worker. */
export async function remoteChecksum(lf: RemoteLazyFrame, checksum: Checksum): Promise<number> {
  const c = col(checksum.column);
  const exprs = checksum.kind === "sum"
    ? [c.sum().alias("a")]
    : [c.first().alias("a"), c.last().alias("b")];
  const [row] = await lf.select(...exprs).toRecords();
  return Object.values(row ?? {}).reduce<number>((a, v) => a + Number(v ?? 0), 0);
}

/** Whether two checksums agree: within 1e-9 of each other, relatively (sums of floats). */
export function checksumsAgree(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}
