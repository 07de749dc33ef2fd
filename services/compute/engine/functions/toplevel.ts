/**
 * Top-level functions (`pl.concatList`, `pl.cov`, ...): entries named "pl.<function>".
 * Those the SDK composes from Expr methods (`pl.mean(col)`, `pl.head(col, n)`, ...) need
 * no entry here.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import native from "nodejs-polars/bin/internals/polars_internal.js";
import type { Call } from "./call.ts";
import { descendingFlags, valuesSeries } from "./core_args.ts";
import { TOPLEVEL_RANGE_FUNCTIONS } from "./toplevel_range.ts";
import type { FunctionSpec, FunctionTable } from "./spec.ts";

/** Polars takes ddof as an 8-bit unsigned integer. */
const MAX_DDOF = 255;

type Horizontal =
  | "allHorizontal"
  | "anyHorizontal"
  | "maxHorizontal"
  | "minHorizontal"
  | "sumHorizontal";

/** At least one expression (a list or a single one). */
function nonEmpty(call: Call, key: number): pl.Expr[] {
  const exprs = call.exprs(key);
  if (exprs.length === 0) call.fail(key, "hold at least one expression", "[]");
  return exprs;
}

function horizontal(name: Horizontal): FunctionSpec {
  return { args: [1, 1], build: (call) => pl[name](nonEmpty(call, 0)) };
}

function argSortBy(call: Call): pl.Expr {
  const by = nonEmpty(call, 0);
  const descending = descendingFlags(call, by.length);
  return pl.argSortBy(by, descending.length === 1 ? descending[0] : descending);
}

type NativeExprs = {
  dtypeCols(dtypes: pl.DataType[]): unknown;
  litSeries(series: unknown): unknown;
};

/** nodejs-polars' native module (its typings lack these two functions). */
function nativeExprs(): NativeExprs {
  const module = native as unknown as Partial<NativeExprs> & { default?: NativeExprs };
  return module.dtypeCols ? module as NativeExprs : module.default!;
}

/** nodejs-polars' native dtype selection (what its `pl.col(dtype)` calls, with one type). */
function dtypeCols(dtypes: pl.DataType[]): pl.Expr {
  return _Expr(nativeExprs().dtypeCols(dtypes) as never);
}

/**
 * A Series as a column of its values, named after it: what nodejs-polars' select and
 * withColumns make of a Series argument (`pl.lit(series)` would make one list value).
 */
function litSeries(series: pl.Series): pl.Expr {
  return _Expr(nativeExprs().litSeries((series as unknown as { _s: unknown })._s) as never);
}

/** Top-level functions. */
export const TOPLEVEL_FUNCTIONS: FunctionTable = {
  ...TOPLEVEL_RANGE_FUNCTIONS,
  "pl.allHorizontal": horizontal("allHorizontal"),
  "pl.anyHorizontal": horizontal("anyHorizontal"),
  "pl.maxHorizontal": horizontal("maxHorizontal"),
  "pl.minHorizontal": horizontal("minHorizontal"),
  "pl.sumHorizontal": horizontal("sumHorizontal"),
  "pl.argSortBy": { args: [1, 1], options: ["descending"], build: argSortBy },
  "pl.concatList": { args: [1, 1], build: (call) => pl.concatList(nonEmpty(call, 0)) },
  "pl.concatString": {
    args: [1, 1],
    options: ["sep", "ignoreNulls"],
    build: (call) =>
      pl.concatString(
        nonEmpty(call, 0),
        call.string("sep", undefined, ","),
        call.bool("ignoreNulls", true),
      ),
  },
  "pl.struct": { args: [1, 1], build: (call) => pl.struct(nonEmpty(call, 0)) },
  "pl.cov": {
    args: [2, 2],
    options: ["ddof"],
    build: (call) =>
      pl.cov(call.expr(0), call.expr(1), call.int("ddof", { min: 0, max: MAX_DDOF }, 1)),
  },
  "pl.pearsonCorr": {
    args: [2, 2],
    build: (call) => pl.pearsonCorr(call.expr(0), call.expr(1)),
  },
  "pl.spearmanRankCorr": {
    args: [2, 2],
    build: (call) => pl.spearmanRankCorr(call.expr(0), call.expr(1)),
  },
  "pl.first": { args: [0, 0], build: () => pl.first() },
  "pl.nth": {
    args: [1, 1],
    build: (call) =>
      pl.nth(call.int(0, { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })),
  },
  "pl.element": { args: [0, 0], build: () => pl.element() },
  // A small Series sent inline (`select(pl.Series("b", [1, 2]))`): a column of its values
  // named after it, as nodejs-polars' select and withColumns take a Series; without a dtype
  // its values are typed as nodejs-polars types JS values (numbers are Float64).
  "pl.litSeries": {
    args: [1, 1],
    options: ["name", "dtype"],
    build: (call) =>
      litSeries(
        valuesSeries(call.values(0), call.has("dtype") ? call.dtype("dtype") : undefined)
          .rename(call.string("name", undefined, "")),
      ),
  },
  // `pl.col(pl.Float64)`: the columns of these types, in frame order (nodejs-polars' own
  // dtype selection; several types select as Python Polars' `pl.col([pl.Int64, pl.Utf8])`).
  "pl.dtypeCols": { args: [1, 1], build: (call) => dtypeCols(call.dtypes(0)) },
};
