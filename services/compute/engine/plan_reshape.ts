/**
 * Plan nodes that reshape a frame: explode, unpivot, unnest, concat, row indexes and null
 * drops. Each maps to the nodejs-polars LazyDataFrame method of the same name.
 *
 * @module
 */

import pl from "nodejs-polars";
import type {
  Concat,
  DropNulls,
  Explode,
  Unnest,
  Unpivot,
  WithRowIndex,
} from "../../../shared/gen/polaroid/v1/plan.ts";
import { buildExpr } from "./expr.ts";
import { CONCAT_HOW, lookup } from "./plan_enums.ts";

/** Each listed list column becomes one row per element; no column means every column. */
export function explode(lf: pl.LazyDataFrame, node: Explode): pl.LazyDataFrame {
  const columns = node.columns.length > 0 ? node.columns.map(buildExpr) : [pl.col("*")];
  return lf.explode(columns);
}

/** Wide to long: `on` columns (every column not in `index` when empty) become rows. */
export function unpivot(lf: pl.LazyDataFrame, node: Unpivot): pl.LazyDataFrame {
  return lf.unpivot(node.index, node.on, {
    variableName: node.variableName ?? null,
    valueName: node.valueName ?? null,
  });
}

/** Struct columns become one column per field. */
export function unnest(lf: pl.LazyDataFrame, node: Unnest): pl.LazyDataFrame {
  return lf.unnest(node.columns, node.separator);
}

/** A UInt32 row index as the first column. */
export function withRowIndex(lf: pl.LazyDataFrame, node: WithRowIndex): pl.LazyDataFrame {
  return lf.withRowIndex(node.name === "" ? "index" : node.name, Number(node.offset));
}

/** Drops the rows with a null in any of `subset` (any column when empty). */
export function dropNulls(lf: pl.LazyDataFrame, node: DropNulls): pl.LazyDataFrame {
  return node.subset.length > 0 ? lf.dropNulls(node.subset) : lf.dropNulls();
}

/**
 * nodejs-polars' lazy concat: "vertical" and "diagonal" also cast columns to their common
 * supertype, as nodejs-polars does (it always asks Polars for supertypes).
 */
export function concat(inputs: pl.LazyDataFrame[], node: Concat): pl.LazyDataFrame {
  const how = lookup(CONCAT_HOW, node.how, "concat.how");
  if (inputs.length === 1) return inputs[0]!;
  return pl.concat(inputs, { how, rechunk: node.rechunk, parallel: node.parallel });
}
