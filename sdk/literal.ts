/**
 * Literal values as protobuf expressions: JS values keep their exact meaning on the wire
 * (a bigint stays an int64, never a double).
 *
 * @module
 */

import type { Expr as ProtoExpr, Literal } from "../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "./datatypes.ts";

/** What `lit()` accepts. */
export type LiteralValue = number | bigint | string | boolean | Date | null | undefined;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const MS_PER_DAY = 86_400_000;
const UNIT_PER_MS = { ms: 1n, us: 1_000n, ns: 1_000_000n } as const;

const SIGNED = new Set(["Int8", "Int16", "Int32", "Int64"]);
const UNSIGNED = new Set(["UInt8", "UInt16", "UInt32", "UInt64"]);

type Value = NonNullable<Literal["value"]>;

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function int64(value: bigint): Value {
  if (value >= INT64_MIN && value <= INT64_MAX) return { $case: "int64", value };
  if (value > INT64_MAX && value <= UINT64_MAX) return { $case: "uint64", value };
  throw new RangeError(
    `Cannot build literal as 'value' must fit in Int64 or UInt64: current value is ${value}n`,
  );
}

function uint64(value: bigint): Value {
  if (value < 0n || value > UINT64_MAX) {
    throw new RangeError(
      `Cannot build literal as 'value' must fit in UInt64: current value is ${value}n`,
    );
  }
  return { $case: "uint64", value };
}

function epochMs(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError(
      "Cannot build literal as 'value' must be a valid Date: current value is Invalid Date",
    );
  }
  return ms;
}

/** The value's own wire form, without a dtype. */
function natural(value: Exclude<LiteralValue, null | undefined>): Value {
  switch (typeof value) {
    case "boolean":
      return { $case: "bool", value };
    case "bigint":
      return int64(value);
    case "number":
      return { $case: "float64", value };
    case "string":
      return { $case: "string", value };
  }
  if (value instanceof Date) return { $case: "datetime", value: BigInt(epochMs(value)) };
  throw new TypeError(
    `Cannot build literal as 'value' must be a number, bigint, string, boolean, Date or null: current value is ${
      describe(value)
    }`,
  );
}

/** The value's wire form when the caller named a dtype (the server casts it to that dtype). */
function typed(value: Exclude<LiteralValue, null | undefined>, dtype: DataType): Value {
  const name = dtype.variant;
  const integral = typeof value === "bigint" || Number.isSafeInteger(value);
  if (SIGNED.has(name) && integral) return int64(BigInt(value as number | bigint));
  if (UNSIGNED.has(name) && integral) return uint64(BigInt(value as number | bigint));
  if (name === "Float32" && (typeof value === "number" || typeof value === "bigint")) {
    return { $case: "float32", value: Number(value) };
  }
  if (name === "Float64" && typeof value === "bigint") {
    return { $case: "float64", value: Number(value) };
  }
  if (name === "Date") {
    if (value instanceof Date) {
      return { $case: "date", value: Math.floor(epochMs(value) / MS_PER_DAY) };
    }
    if (typeof value === "number" && Number.isSafeInteger(value)) return { $case: "date", value };
  }
  if (name === "Datetime") {
    const unit = dtype.timeUnit ?? "us";
    if (value instanceof Date) {
      return { $case: "datetime", value: BigInt(epochMs(value)) * UNIT_PER_MS[unit] };
    }
    if (integral) return { $case: "datetime", value: BigInt(value as number | bigint) };
  }
  return natural(value);
}

/**
 * A literal expression. Without `dtype`: a number is a Float64 (as in nodejs-polars), a
 * bigint an Int64 (UInt64 above 2^63 - 1), a Date a Datetime("ms"), a string a String, a
 * boolean a Bool, null a Null. With `dtype`, the literal is sent as exactly as the value
 * allows (integers as int64, Dates in the dtype's unit) and cast to `dtype` by the server.
 */
export function literalProto(value: LiteralValue, dtype?: DataType): ProtoExpr {
  if (dtype !== undefined && !(dtype instanceof DataType)) {
    throw new TypeError(
      `Cannot build literal as 'dtype' must be a DataType: current value is ${describe(dtype)}`,
    );
  }
  const literal: Literal = { value: undefined };
  if (value === null || value === undefined) {
    literal.value = { $case: "null", value: {} };
  } else {
    literal.value = dtype ? typed(value, dtype) : natural(value);
  }
  if (dtype) literal.dtype = dtype.toProto();
  else if (value instanceof Date) literal.dtype = DataType.Datetime("ms").toProto();
  return { kind: { $case: "literal", value: literal } };
}
