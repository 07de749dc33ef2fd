/**
 * `pl.concat()` of lazy frames, as nodejs-polars': vertical (rows after rows), horizontal
 * (columns beside columns) or diagonal (the union of the columns, nulls where a frame lacks
 * one), with their "Relaxed" variants.
 *
 * @module
 */

import type { ConcatOptions } from "../plan/plan_reshape.ts";
import { type RemoteDataFrame, RemoteLazyFrame } from "./lazy_frame.ts";
import { concatFrames } from "./lazy_query.ts";

/**
 * Combines frames into one lazy frame (stored frames are read lazily). As nodejs-polars'
 * lazy concat, "vertical" and "diagonal" cast columns to their common supertype, like their
 * "Relaxed" variants. One frame is returned as it is.
 * @param options.how @default "vertical"
 */
export function concat(
  items: readonly (RemoteLazyFrame | RemoteDataFrame)[],
  options: ConcatOptions = {},
): RemoteLazyFrame {
  if (!Array.isArray(items) || items.length === 0) {
    throw new RangeError("Cannot concat as 'items' must not be empty: current value is []");
  }
  const frames = items.map((item) => item instanceof RemoteLazyFrame ? item : item.lazy());
  return concatFrames(frames, options);
}
