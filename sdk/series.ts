/**
 * A small Series as an argument, as nodejs-polars code passes one: `pl.Series("b", [1, 2])` in
 * `select`/`withColumns` (a column of those values), `col(series)` (its values are names),
 * `expr.isIn(series)` and `expr.gather(series)`. Its values travel inline in the plan (the
 * server bounds them with the plan's literals, POLAROID_MAX_LITERAL_BYTES), so it is for small
 * data: upload a frame (`client.fromArrow`) for anything larger. There are no Series methods:
 * remote data lives in frames.
 *
 * @module
 */

import { DataType } from "./datatypes.ts";
import type { LiteralValue } from "./literal.ts";

/** Most values a Series argument may hold. */
export const MAX_SERIES_VALUES = 100_000;

function isValue(value: unknown): value is LiteralValue {
  return value === null || ["number", "bigint", "string", "boolean"].includes(typeof value);
}

/** A named, optionally typed list of plain values, sent inline. */
export class Series {
  readonly name: string;
  readonly values: readonly LiteralValue[];
  readonly dtype: DataType | undefined;

  constructor(name: string, values: readonly unknown[], dtype?: DataType) {
    if (typeof name !== "string") {
      throw new TypeError(
        `Cannot make a Series as 'name' must be a string: current value is ${String(name)}`,
      );
    }
    if (!Array.isArray(values)) {
      throw new TypeError(
        `Cannot make a Series as 'values' must be an array: current value is ${String(values)}`,
      );
    }
    if (values.length > MAX_SERIES_VALUES) {
      throw new RangeError(
        `Cannot make a Series as it must hold at most ${MAX_SERIES_VALUES} values (upload a frame for more): current value has ${values.length}`,
      );
    }
    const bad = values.findIndex((v) => !isValue(v));
    if (bad >= 0) {
      throw new TypeError(
        `Cannot make a Series as each value must be a number, bigint, string, boolean or null (dates: give numbers and a dtype): value ${bad} is ${
          String(values[bad])
        }`,
      );
    }
    if (dtype !== undefined && !(dtype instanceof DataType)) {
      throw new TypeError(
        `Cannot make a Series as 'dtype' must be a DataType: current value is ${String(dtype)}`,
      );
    }
    this.name = name;
    this.values = [...values] as LiteralValue[];
    this.dtype = dtype;
  }

  /** Number of values. */
  get length(): number {
    return this.values.length;
  }

  /** The values, as an array. */
  toArray(): LiteralValue[] {
    return [...this.values];
  }
}

/**
 * nodejs-polars' `pl.Series(name, values, dtype?)`, or `pl.Series(values)` (name "").
 */
export function series(
  nameOrValues: string | readonly unknown[],
  values?: readonly unknown[],
  dtype?: DataType,
): Series {
  return Array.isArray(nameOrValues)
    ? new Series("", nameOrValues, values as DataType | undefined)
    : new Series(nameOrValues as string, values ?? [], dtype);
}
