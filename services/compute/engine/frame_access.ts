/**
 * Reading a nodejs-polars DataFrame without its column names getting in the way.
 *
 * nodejs-polars wraps every DataFrame in a Proxy whose property reads return the column of
 * that name when one exists: in a frame with a column "height", `df.height` is that column,
 * and `df.slice(...)`, `df.lazy()` or `df.pivot(...)` fail the same way for columns named
 * "slice", "lazy" or "pivot". The engine therefore reads frames only through their native
 * object (`df._df`) and the lazy frame built from it, which has no such Proxy; `_df` is the
 * one column name it has to reserve (refused with InvalidArgumentError).
 *
 * @module
 */

import pl, { _DataFrame, _LazyDataFrame } from "nodejs-polars";
import { InvalidArgumentError } from "../../../shared/errors.ts";

/** The name nodejs-polars' DataFrame keeps its native object under. */
export const RESERVED_COLUMN = "_df";

/** The members of the native frame the engine uses. */
interface NativeFrame {
  readonly height: number;
  readonly width: number;
  columns: string[];
  lazy(): unknown;
  slice(offset: number, length: number): unknown;
  clone(): NativeFrame;
  estimatedSize(): number;
  pivot(
    values: string[],
    on: string[],
    index: string[],
    aggregate: pl.Expr,
    maintainOrder: boolean,
    sortColumns: boolean,
    separator: string,
  ): unknown;
}

function isNative(value: unknown): value is NativeFrame {
  return typeof value === "object" && value !== null && !pl.Series.isSeries(value) &&
    typeof (value as { lazy?: unknown }).lazy === "function";
}

/** The native object of a frame; InvalidArgumentError when a column named `_df` hides it. */
export function nativeFrame(df: pl.DataFrame): NativeFrame {
  const native: unknown = df._df;
  if (!isNative(native)) {
    throw new InvalidArgumentError(
      `Cannot use the frame as no column may be named '${RESERVED_COLUMN}' (the engine reserves it): rename the column`,
      { metadata: { column: RESERVED_COLUMN } },
    );
  }
  return native;
}

/** Throws InvalidArgumentError for a frame the engine cannot read (see nativeFrame). */
export function checkFrame(df: pl.DataFrame): void {
  nativeFrame(df);
}

/** Rows of a frame. */
export function frameHeight(df: pl.DataFrame): number {
  return nativeFrame(df).height;
}

/** Column names of a frame, in order. */
export function frameColumns(df: pl.DataFrame): string[] {
  return nativeFrame(df).columns;
}

/** The frame as a lazy frame (no copy). */
export function frameLazy(df: pl.DataFrame): pl.LazyDataFrame {
  return _LazyDataFrame(nativeFrame(df).lazy());
}

/** Rows [offset, offset + length) of a frame (no copy). */
export function frameSlice(df: pl.DataFrame, offset: number, length: number): pl.DataFrame {
  return _DataFrame(nativeFrame(df).slice(offset, length));
}

/** Column name → type of a frame. */
export function frameTypes(df: pl.DataFrame): Record<string, pl.DataType> {
  const native = nativeFrame(df);
  const names = native.columns;
  // A copy (sharing the data) with names no member can clash with reads the types.
  const copy = native.clone();
  copy.columns = names.map((_, i) => `c${i}`);
  const types = _DataFrame(copy).schema;
  const out: Record<string, pl.DataType> = {};
  names.forEach((name, i) => {
    Object.defineProperty(out, name, { value: types[`c${i}`], enumerable: true, writable: true });
  });
  return out;
}

/** How a pivot aggregates the values of one cell. */
export type PivotAggregate = "first" | "sum" | "max" | "min" | "mean" | "median" | "last" | "count";

/** Options of framePivot (those of nodejs-polars' DataFrame.pivot). */
export interface FramePivotOptions {
  values: string[];
  index: string[];
  on: string[];
  aggregate: PivotAggregate;
  maintainOrder: boolean;
  sortColumns: boolean;
  separator: string;
}

const PIVOT_AGGREGATES: Readonly<Record<PivotAggregate, () => pl.Expr>> = {
  first: () => pl.element().first(),
  sum: () => pl.element().sum(),
  max: () => pl.element().max(),
  min: () => pl.element().min(),
  mean: () => pl.element().mean(),
  median: () => pl.element().median(),
  last: () => pl.element().last(),
  count: () => pl.element().count(),
};

/** The pivot of a frame, as nodejs-polars' DataFrame.pivot computes it. */
export function framePivot(df: pl.DataFrame, o: FramePivotOptions): pl.DataFrame {
  const native = nativeFrame(df);
  return _DataFrame(
    native.pivot(
      o.values,
      o.on,
      o.index,
      PIVOT_AGGREGATES[o.aggregate](),
      o.maintainOrder,
      o.sortColumns,
      o.separator,
    ),
  );
}
