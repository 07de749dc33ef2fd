/**
 * Shared pieces of the Expr method builders: size bounds, plain values as nodejs-polars
 * sees them, exact value series, and runtime guards for sizes that only data decides.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { Call, NumberBounds, Scalar } from "./call.ts";

/** Largest u32 (nodejs-polars truncates larger window sizes and counts). */
export const U32_MAX = 4_294_967_295;

/**
 * Most values one call may generate (extendConstant n, sample n, intRange lengths, total
 * repeatBy counts per evaluation): a failed allocation aborts the process, so sizes are
 * refused before the engine tries.
 */
export const MAX_GENERATED = 10_000_000;

/** Largest `frac` of a sample with replacement (the output is at most frac × the input). */
export const MAX_SAMPLE_FRAC = 100;

/** Most dimensions of `reshape`. */
export const MAX_RESHAPE_DIMS = 8;

/** Seeds and hash keys: non-negative safe integers. */
export const SEED_BOUNDS: NumberBounds = { min: 0, max: Number.MAX_SAFE_INTEGER };

/** A count in [0, U32_MAX]. */
export const COUNT_BOUNDS: NumberBounds = { min: 0, max: U32_MAX };

/**
 * A plain scalar argument as nodejs-polars receives it from JS: null, boolean, number or
 * string (integers must be safe; a bigint beyond 2^53 travels in an expression instead).
 */
export function plainValue(call: Call, key: number | string): Scalar {
  switch (call.kind(key)) {
    case undefined:
    case "null":
      return null;
    case "bool":
      return call.bool(key);
    case "string":
      return call.string(key);
    case "float":
      return call.number(key);
    case "int":
    case "uint":
      return call.int(key);
  }
  return call.fail(key, "be a plain value", call.kind(key));
}

/** An expression argument, a list of plain values, or one plain value. */
export function exprOrValues(call: Call, key: number | string): pl.Expr | Scalar | Scalar[] {
  const kind = call.kind(key);
  if (kind === "expr") return call.expr(key);
  if (kind === "list") return call.values(key);
  return plainValue(call, key);
}

/** nodejs-polars' integer type names. */
export const INTEGER_TYPES: ReadonlySet<string> = new Set([
  "Int8",
  "Int16",
  "Int32",
  "Int64",
  "UInt8",
  "UInt16",
  "UInt32",
  "UInt64",
]);

/**
 * A series of `values`. Without a dtype it is what nodejs-polars' `Series(values)` infers
 * (JS numbers are Float64); with an integer dtype every integer (bigints beyond 2^53
 * included) is exact, as its decimal text cast to that type.
 */
export function valuesSeries(values: readonly Scalar[], dtype?: pl.DataType): pl.Series {
  if (dtype === undefined) return pl.Series("", [...values]);
  if (INTEGER_TYPES.has(dtype.variant)) {
    const text = values.map((v) => v === null ? null : String(v));
    return pl.Series("", text, pl.Utf8).cast(dtype, true);
  }
  return pl.Series("", [...values], dtype);
}

/**
 * `value`, unless `condition` holds on some row: then evaluating it fails with `message`
 * (a strict cast of the message text fails at run time only when a row selects it). For
 * sizes that only the data decides (repeat counts, range ends).
 */
export function failWhen(value: pl.Expr, condition: pl.Expr, message: string): pl.Expr {
  const probe = pl.when(condition).then(pl.lit(message)).otherwise(pl.lit("0"))
    .cast(pl.UInt8, true);
  return pl.when(probe.eq(pl.lit(0))).then(value).otherwise(pl.lit(null));
}

/**
 * The `descending` option of a multi-key sort: one flag for every key, or one per key
 * (`keys` of them); absent means ascending.
 */
export function descendingFlags(call: Call, keys: number): boolean[] {
  const descending = call.has("descending")
    ? call.values("descending").map((d, k) =>
      typeof d === "boolean" ? d : call.fail(`descending[${k}]`, "be a boolean", d)
    )
    : [false];
  if (descending.length !== 1 && descending.length !== keys) {
    call.fail("descending", `hold 1 or ${keys} flags`, descending.length);
  }
  return descending;
}
