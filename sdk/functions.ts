/**
 * The top-level functions of nodejs-polars: the expression constructors (`col`, `cols`,
 * `lit`, `len`) and the functions over columns (`concatList`, `cov`, `intRange`, ...).
 *
 * @module
 */

import type { Expr as ProtoExpr } from "../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "./datatypes.ts";
import { plainArg, valueListOptions } from "./expr/_core_args.ts";
import { Series } from "./series.ts";
import type { ArgValue } from "./expr/call.ts";
import { callFunction, Expr, exprList, toExprOrColumn } from "./expr/expr.ts";
import { literalProto, type LiteralValue } from "./literal.ts";

/** A value or a nested array of values (as nodejs-polars' `ValueOrArray`). */
export type ValueOrArray<T> = T | ValueOrArray<T>[];

/** Column names or expressions, possibly nested in arrays. */
export type ColumnsOrExpr = ValueOrArray<string | Expr | Series>;

function columnProto(name: string): ProtoExpr {
  if (typeof name !== "string") {
    throw new TypeError(
      `Cannot select column as 'name' must be a string: current value is ${String(name)}`,
    );
  }
  return { kind: { $case: "column", value: { name } } };
}

/**
 * A column by name; `"*"` is every column and `"^...$"` a regex. An array of names stands
 * for those columns in that order (`col(["a", "b"]).sum()` sums each). A data type, or a list
 * of them, selects the columns of those types in frame order (`col(pl.Float64)`).
 */
export function col(
  name: string | readonly string[] | DataType | readonly DataType[] | Series,
): Expr {
  if (name instanceof Series) {
    const names = name.values.filter((v): v is string => typeof v === "string");
    if (names.length !== name.length || names.length === 0) {
      throw new TypeError(
        `Cannot select columns as a Series of names must hold strings only: current value is ${
          JSON.stringify(name.values.slice(0, 5))
        }`,
      );
    }
    return col(names);
  }
  if (name instanceof DataType) return callFunction("pl.dtypeCols", [name]);
  if (Array.isArray(name) && name.length > 0 && name.every((n) => n instanceof DataType)) {
    return callFunction("pl.dtypeCols", [name as DataType[]]);
  }
  return Array.isArray(name)
    ? new Expr((name as string[]).map(columnProto))
    : new Expr(columnProto(name as string));
}

/** Several columns by name: `cols("a", "b")` is `col(["a", "b"])`. */
export function cols(name: string | readonly string[], ...names: string[]): Expr {
  return col([name, ...names].flat());
}

/**
 * A literal. A number is a Float64 (as in nodejs-polars), a bigint an Int64, a Date a
 * Datetime("ms"); an explicit `dtype` wins (`lit(5, DataType.Int64)`).
 */
export function lit(value: LiteralValue, dtype?: DataType): Expr {
  return new Expr(literalProto(value, dtype));
}

/** The number of rows (in a group, in an aggregation). */
export function len(): Expr {
  return new Expr({ kind: { $case: "len", value: {} } });
}

/**
 * The protobuf expressions of a selection: strings are column names, arrays are flattened
 * and a multi-column Expr gives one expression per column.
 */
export function selectionProtos(selection: ColumnsOrExpr | readonly ColumnsOrExpr[]): ProtoExpr[] {
  const out: ProtoExpr[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item instanceof Expr) out.push(...item.toProtos());
    else if (item instanceof Series) out.push(seriesExpr(item).toProto());
    else if (typeof item === "string") out.push(columnProto(item));
    else {
      throw new TypeError(
        `Cannot select as each item must be a column name or an Expr: current value is ${
          String(item)
        }`,
      );
    }
  };
  visit(selection);
  return out;
}

/** One expression from a column name or an Expr (a filter predicate, a join key...). */
export function singleProto(value: string | Expr): ProtoExpr {
  if (typeof value === "string") return columnProto(value);
  if (value instanceof Expr) return value.toProto();
  throw new TypeError(
    `Cannot use value as it must be a column name or an Expr: current value is ${String(value)}`,
  );
}

// ---- Top-level functions of nodejs-polars beyond the constructors -----------------------

/** Column names or Exprs: one, or a list of them. */
export type ExprOrString = Expr | string;

function many(exprs: ExprOrString | readonly ExprOrString[]): Expr[] {
  return exprList(exprs);
}

/** Every column (`col("*")`). */
export function all(): Expr {
  return col("*");
}

/** Whether every value of each row is true, across columns. */
export function allHorizontal(exprs: ExprOrString | readonly ExprOrString[]): Expr {
  return callFunction("pl.allHorizontal", [many(exprs)]);
}

/** Whether any value of each row is true, across columns. */
export function anyHorizontal(exprs: ExprOrString | readonly ExprOrString[]): Expr {
  return callFunction("pl.anyHorizontal", [many(exprs)]);
}

/** The largest value of each row, across columns. */
export function maxHorizontal(exprs: ExprOrString | readonly ExprOrString[]): Expr {
  return callFunction("pl.maxHorizontal", [many(exprs)]);
}

/** The smallest value of each row, across columns. */
export function minHorizontal(exprs: ExprOrString | readonly ExprOrString[]): Expr {
  return callFunction("pl.minHorizontal", [many(exprs)]);
}

/** The sum of each row, across columns (nulls count as 0). */
export function sumHorizontal(exprs: ExprOrString | readonly ExprOrString[]): Expr {
  return callFunction("pl.sumHorizontal", [many(exprs)]);
}

/** Indexes that sort the rows by `exprs`. @param descending one flag or one per key @default false */
export function argSortBy(
  exprs: ExprOrString | readonly ExprOrString[],
  descending: boolean | readonly boolean[] = false,
): Expr {
  const flags = Array.isArray(descending) ? descending : [descending as boolean];
  return callFunction("pl.argSortBy", [many(exprs)], { descending: flags });
}

/** Alias of `mean()`. */
export function avg(column: ExprOrString): Expr {
  return mean(column);
}

/** The values of several columns as one list per row. */
export function concatList(
  exprs: ExprOrString | readonly ExprOrString[],
  ...more: ExprOrString[]
): Expr {
  return callFunction("pl.concatList", [many([exprs, ...more].flat())]);
}

/**
 * The values of several columns joined into one string per row.
 * @param sep @default "," @param ignoreNulls skip nulls (else the row is null) @default true
 */
export function concatString(
  exprs:
    | readonly ExprOrString[]
    | { exprs: readonly ExprOrString[]; sep?: string; ignoreNulls?: boolean },
  sep?: string,
  ignoreNulls?: boolean,
): Expr {
  const o = Array.isArray(exprs) ? { exprs, sep, ignoreNulls } : exprs as {
    exprs: readonly ExprOrString[];
    sep?: string;
    ignoreNulls?: boolean;
  };
  return callFunction("pl.concatString", [many(o.exprs)], {
    sep: o.sep ?? sep,
    ignoreNulls: o.ignoreNulls ?? ignoreNulls,
  });
}

/** The number of non-null values of a column. */
export function count(column: string): Expr {
  return col(column).count();
}

/** Covariance of two columns. @param ddof @default 1 */
export function cov(a: ExprOrString, b: ExprOrString, ddof?: number): Expr {
  return callFunction("pl.cov", [toExprOrColumn(a), toExprOrColumn(b)], { ddof });
}

/** Pearson correlation of two columns. */
export function pearsonCorr(a: ExprOrString, b: ExprOrString): Expr {
  return callFunction("pl.pearsonCorr", [toExprOrColumn(a), toExprOrColumn(b)]);
}

/** Spearman rank correlation of two columns. */
export function spearmanRankCorr(a: ExprOrString, b: ExprOrString): Expr {
  return callFunction("pl.spearmanRankCorr", [toExprOrColumn(a), toExprOrColumn(b)]);
}

/** The element of a list, inside `lst.eval()`. */
export function element(): Expr {
  return callFunction("pl.element");
}

/** Every column but these. */
export function exclude(columns: string | readonly string[], ...more: string[]): Expr {
  return col("*").exclude([columns, ...more].flat());
}

/** Without argument, the first column; with one, the first value of that column. */
export function first(column?: ExprOrString): Expr {
  return column === undefined ? callFunction("pl.first") : toExprOrColumn(column).first();
}

/** The last value of a column. */
export function last(column: ExprOrString): Expr {
  return toExprOrColumn(column).last();
}

/** The column at index `n` (negative: from the end). */
export function nth(n: number): Expr {
  return callFunction("pl.nth", [n]);
}

/** The first `n` values of a column. @default 10 */
export function head(column: ExprOrString, n?: number): Expr {
  return toExprOrColumn(column).head(n);
}

/** The last `n` values of a column. @default 10 */
export function tail(column: ExprOrString, n?: number): Expr {
  return toExprOrColumn(column).tail(n);
}

/** The mean of a column. */
export function mean(column: ExprOrString): Expr {
  return toExprOrColumn(column).mean();
}

/** The median of a column. */
export function median(column: ExprOrString): Expr {
  return toExprOrColumn(column).median();
}

/** The number of distinct values of a column. */
export function nUnique(column: ExprOrString): Expr {
  return toExprOrColumn(column).nUnique();
}

/** The `q` quantile (in [0, 1]) of a column. */
export function quantile(column: ExprOrString, q: number): Expr {
  return toExprOrColumn(column).quantile(q);
}

/** The values of a column as one list. */
export function list(column: ExprOrString): Expr {
  return toExprOrColumn(column).implode();
}

/** Columns as one struct column. */
export function struct(exprs: ExprOrString | readonly ExprOrString[]): Expr {
  return callFunction("pl.struct", [many(exprs)]);
}

/**
 * Text with `{}` placeholders filled by expressions: `format("{} is {}", "a", col("b"))`,
 * or as a template tag.
 */
export function format(
  strings: string | TemplateStringsArray,
  ...exprs: ExprOrString[]
): Expr {
  if (typeof strings === "string") {
    const parts = strings.split("{}");
    if (parts.length - 1 !== exprs.length) {
      throw new RangeError(
        `Cannot format as the placeholders must match the arguments: current value is ${
          parts.length - 1
        } placeholders for ${exprs.length} arguments`,
      );
    }
    return format(parts as unknown as TemplateStringsArray, ...exprs);
  }
  const items: Expr[] = [];
  for (let i = 0; i < Math.max(strings.length, exprs.length); i++) {
    // As nodejs-polars: empty text pieces are left out.
    if (strings[i]) items.push(lit(strings[i]!));
    const e = exprs[i];
    if (e !== undefined && e !== "") items.push(toExprOrColumn(e));
  }
  return concatString(items, "");
}

/** Options form of `intRange()`. */
export interface IntRangeOptions {
  start: number | Expr | string;
  end: number | Expr | string;
  /** @default 1 */
  step?: number;
  /** An integer type. @default Int64 */
  dtype?: DataType;
  /** Only `false`: a remote range is an expression. */
  eager?: false;
}

function rangeEnd(value: number | Expr | string): ArgValue {
  return typeof value === "number" ? value : toExprOrColumn(value);
}

function lazyOnly(eager: boolean | undefined): void {
  if (eager) {
    throw new TypeError(
      "Cannot build an eager range as 'eager' must be false for a remote query: current value is true",
    );
  }
}

/**
 * Integers from `start` (default 0 when only one end is given) up to `end` (exclusive) by
 * `step`: at most 10,000,000 values (checked before running for literal ends, while running
 * for computed ones). @param step @default 1 @param dtype @default Int64
 */
export function intRange(
  start: number | Expr | string | IntRangeOptions,
  end?: number | Expr | string,
  step?: number,
  dtype?: DataType,
  eager?: false,
): Expr {
  if (typeof start === "object" && !(start instanceof Expr)) {
    return intRange(start.start, start.end, start.step, start.dtype, start.eager);
  }
  lazyOnly(eager);
  const [from, to] = end === undefined || end === null ? [0, start] : [start, end];
  return callFunction("pl.intRange", [rangeEnd(from), rangeEnd(to)], { step, dtype });
}

/**
 * One integer range per row, from `start` to `end` (exclusive) by `step`: at most
 * 10,000,000 values in all. @param step @default 1 @param dtype @default Int64
 */
export function intRanges(
  start: number | Expr | string,
  end: number | Expr | string,
  step?: number,
  dtype?: DataType,
  eager?: false,
): Expr {
  lazyOnly(eager);
  return callFunction("pl.intRanges", [rangeEnd(start), rangeEnd(end)], { step, dtype });
}

/** A Series as a column of its values (`select(series)`, `withColumns(series)`). */
export function seriesExpr(series: Series): Expr {
  const dtype = series.dtype ? { dtype: series.dtype } : valueListOptions(series.values);
  return callFunction("pl.litSeries", [series.values.map(plainArg)], {
    name: series.name,
    ...dtype,
  });
}
