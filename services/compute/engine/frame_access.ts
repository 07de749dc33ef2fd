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
  /** Writes an Arrow IPC file ("uncompressed", "lz4" or "zstd"). */
  writeIpc(path: string, compression: string): void;
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

/**
 * A result kept in a Parquet file of the worker's spill directory instead of memory (a
 * streaming run's output). Plans read it with a lazy scan, and a slice reads only the row
 * groups it needs, so neither holds the whole result in memory.
 */
export class SpilledFrame {
  /** Absolute path of the Parquet file. */
  readonly path: string;
  readonly rows: number;
  /** Column name → type, in column order. */
  readonly types: Readonly<Record<string, pl.DataType>>;
  /** Size of the file. */
  readonly fileBytes: number;

  constructor(
    path: string,
    rows: number,
    types: Readonly<Record<string, pl.DataType>>,
    fileBytes: number,
  ) {
    this.path = path;
    this.rows = rows;
    this.types = types;
    this.fileBytes = fileBytes;
  }

  /** The file's data as a lazy frame. */
  lazy(): pl.LazyDataFrame {
    return pl.scanParquet(this.path);
  }
}

/** What a handle names on this worker: a frame in memory or a spilled one. */
export type Held = pl.DataFrame | SpilledFrame;

/** Rows of a held frame. */
export function heldHeight(held: Held): number {
  return held instanceof SpilledFrame ? held.rows : frameHeight(held);
}

/** A held frame as a lazy frame (no copy, no read). */
export function heldLazy(held: Held): pl.LazyDataFrame {
  return held instanceof SpilledFrame ? held.lazy() : frameLazy(held);
}

/**
 * Rows [offset, offset + length) of a held frame, in memory: a zero-copy slice of a frame
 * in memory, or the row groups of a spilled one, read by the engine off the event loop.
 */
export async function heldSlice(
  held: Held,
  offset: number,
  length: number,
): Promise<pl.DataFrame> {
  return held instanceof SpilledFrame
    ? await held.lazy().slice(offset, length).collect()
    : frameSlice(held, offset, length);
}

/** Column name → type of a held frame. */
export function heldTypes(held: Held): Record<string, pl.DataType> {
  return held instanceof SpilledFrame ? { ...held.types } : frameTypes(held);
}

/** Bytes a held frame occupies in memory (0 for a spilled one). */
export function heldMemoryBytes(held: Held): number {
  return held instanceof SpilledFrame ? 0 : Number(nativeFrame(held).estimatedSize());
}

/** Bytes of a held frame's data (the file's size for a spilled one). */
export function heldDataBytes(held: Held): number {
  return held instanceof SpilledFrame ? held.fileBytes : heldMemoryBytes(held);
}
