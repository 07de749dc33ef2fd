/**
 * Typed literals. A JS number literal is a Float64 in nodejs-polars, so every integer and
 * temporal literal is built with an explicit cast; 64-bit integers beyond 2^53 travel as a
 * decimal string cast to the integer type, so no value passes through a double.
 *
 * @module
 */

import pl from "nodejs-polars";
import { InvalidPlanError } from "../../../shared/errors.ts";
import type { Literal } from "../../../shared/gen/polaroid/v1/expr.ts";
import { DataType_Kind as Kind } from "../../../shared/gen/polaroid/v1/types.ts";
import { toPolarsType, unitName } from "./dtypes.ts";

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact 64-bit integer literal of the given type. */
function integer(value: bigint, dtype: typeof pl.Int64 | typeof pl.UInt64): pl.Expr {
  const exact = value >= MIN_SAFE && value <= MAX_SAFE
    ? pl.lit(Number(value))
    : pl.lit(value.toString());
  return exact.cast(dtype, true);
}

/** The literal without its optional `dtype` cast. */
function bare(lit: Literal): pl.Expr {
  const value = lit.value;
  if (value === undefined) {
    throw new InvalidPlanError(
      "Cannot build the literal as 'value' must be set: current value is unset",
    );
  }
  switch (value.$case) {
    case "null":
      return pl.lit(null);
    case "bool":
      return pl.lit(value.value);
    case "int64":
      return integer(value.value, pl.Int64);
    case "uint64":
      return integer(value.value, pl.UInt64);
    case "int32":
      return pl.lit(value.value).cast(pl.Int32, true);
    case "float64":
      return pl.lit(value.value);
    case "float32":
      return pl.lit(value.value).cast(pl.Float32, true);
    case "string":
      return pl.lit(value.value);
    case "date":
      return pl.lit(value.value).cast(pl.Int32, true).cast(pl.Date, true);
    case "datetime": {
      // The value counts dtype.time_unit units (microseconds when unset) in dtype.time_zone.
      const dtype = lit.dtype?.kind === Kind.KIND_DATETIME ? lit.dtype : undefined;
      const zone = dtype?.timeZone ? dtype.timeZone : undefined;
      return integer(value.value, pl.Int64).cast(
        pl.Datetime(unitName(dtype?.timeUnit ?? 0), zone),
        true,
      );
    }
  }
}

/** A literal expression of the exact type the plan states. */
export function buildLiteral(lit: Literal): pl.Expr {
  const expr = bare(lit);
  const datetimeTyped = lit.value?.$case === "datetime" && lit.dtype?.kind === Kind.KIND_DATETIME;
  if (lit.dtype === undefined || datetimeTyped) return expr;
  return expr.cast(toPolarsType(lit.dtype), true);
}
