/**
 * Slice and tail with 64-bit arguments on an engine that counts rows in 32 bits:
 * nodejs-polars passes the slice length as an unsigned 32-bit integer (2^32 wraps to 0),
 * so the protocol's int64 offset and uint64 length are rewritten into an equivalent call
 * whose arguments fit. Frames hold at most MAX_ROWS rows, which makes the rewrite exact.
 *
 * @module
 */

import type pl from "nodejs-polars";

/** Most rows a frame can hold (Polars' row index is 32 bits). */
export const MAX_ROWS = 2 ** 32 - 1;

const MAX = BigInt(MAX_ROWS);

/** A slice or tail whose arguments the engine takes as they are. */
export type RowRange =
  | { kind: "slice"; offset: number; length: number }
  | { kind: "tail"; n: number };

const EMPTY: RowRange = { kind: "slice", offset: 0, length: 0 };

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Rows [offset, offset + length) of a frame; a negative offset counts from the end; no
 * length means to the end (Polars' slice semantics, clamped to the frame).
 */
export function sliceRange(offset: bigint, length?: bigint): RowRange {
  if (offset >= 0n) {
    if (offset > MAX) return EMPTY;
    return { kind: "slice", offset: Number(offset), length: Number(min(length ?? MAX, MAX)) };
  }
  const fromEnd = -offset;
  if (length === undefined || length >= fromEnd) {
    return { kind: "tail", n: Number(min(fromEnd, MAX)) };
  }
  if (fromEnd <= MAX) return { kind: "slice", offset: Number(offset), length: Number(length) };
  // Starts before any frame's first row: keep the rows before the last `short` ones.
  const short = fromEnd - length;
  if (short > MAX) return EMPTY;
  return { kind: "slice", offset: -(MAX_ROWS + 1), length: Number(MAX + 1n - short) };
}

/** The last n rows. */
export function tailRange(n: bigint): RowRange {
  return { kind: "tail", n: Number(min(n, MAX)) };
}

/** Applies the range to a LazyFrame. */
export function applyRange(lf: pl.LazyDataFrame, range: RowRange): pl.LazyDataFrame {
  return range.kind === "tail" ? lf.tail(range.n) : lf.slice(range.offset, range.length);
}

/** Most rows the range keeps of a frame of at most `rows` rows. */
export function rangeBound(range: RowRange, rows: number): number {
  return Math.min(rows, range.kind === "tail" ? range.n : range.length);
}
