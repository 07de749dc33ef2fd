/**
 * Data types between the wire (proto DataType/Schema) and nodejs-polars.
 *
 * @module
 */

import pl, { type DataType as PolarsType } from "nodejs-polars";
import { InvalidPlanError } from "../../../shared/errors.ts";
import {
  DataType,
  DataType_Kind as Kind,
  type Field,
  type Schema,
  TimeUnit,
} from "../../../shared/gen/polaroid/v1/types.ts";
import { frameTypes, type Held, heldTypes } from "./frame_access.ts";

type UnitName = "ns" | "us" | "ms";

const UNIT_NAMES: ReadonlyMap<TimeUnit, UnitName> = new Map([
  [TimeUnit.TIME_UNIT_NANOSECONDS, "ns"],
  [TimeUnit.TIME_UNIT_MICROSECONDS, "us"],
  [TimeUnit.TIME_UNIT_MILLISECONDS, "ms"],
]);

const UNITS: ReadonlyMap<string, TimeUnit> = new Map([
  ["ns", TimeUnit.TIME_UNIT_NANOSECONDS],
  ["us", TimeUnit.TIME_UNIT_MICROSECONDS],
  ["ms", TimeUnit.TIME_UNIT_MILLISECONDS],
]);

const SIMPLE: ReadonlyMap<Kind, PolarsType> = new Map<Kind, PolarsType>([
  [Kind.KIND_BOOL, pl.Bool],
  [Kind.KIND_INT8, pl.Int8],
  [Kind.KIND_INT16, pl.Int16],
  [Kind.KIND_INT32, pl.Int32],
  [Kind.KIND_INT64, pl.Int64],
  [Kind.KIND_UINT8, pl.UInt8],
  [Kind.KIND_UINT16, pl.UInt16],
  [Kind.KIND_UINT32, pl.UInt32],
  [Kind.KIND_UINT64, pl.UInt64],
  [Kind.KIND_FLOAT32, pl.Float32],
  [Kind.KIND_FLOAT64, pl.Float64],
  [Kind.KIND_STRING, pl.String],
  [Kind.KIND_DATE, pl.Date],
  [Kind.KIND_TIME, pl.Time],
  [Kind.KIND_CATEGORICAL, pl.Categorical],
  [Kind.KIND_NULL, pl.Null],
]);

const SIMPLE_KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ["Null", Kind.KIND_NULL],
  ["Bool", Kind.KIND_BOOL],
  ["Int8", Kind.KIND_INT8],
  ["Int16", Kind.KIND_INT16],
  ["Int32", Kind.KIND_INT32],
  ["Int64", Kind.KIND_INT64],
  ["UInt8", Kind.KIND_UINT8],
  ["UInt16", Kind.KIND_UINT16],
  ["UInt32", Kind.KIND_UINT32],
  ["UInt64", Kind.KIND_UINT64],
  ["Float32", Kind.KIND_FLOAT32],
  ["Float64", Kind.KIND_FLOAT64],
  ["Date", Kind.KIND_DATE],
  ["Time", Kind.KIND_TIME],
  ["Utf8", Kind.KIND_STRING],
  ["String", Kind.KIND_STRING],
  ["Categorical", Kind.KIND_CATEGORICAL],
]);

/** The Polars unit of a proto time unit (microseconds when unset, as the protocol says). */
export function unitName(unit: TimeUnit): UnitName {
  return UNIT_NAMES.get(unit) ?? "us";
}

/** A proto DataType as a nodejs-polars DataType. */
export function toPolarsType(dtype: DataType): PolarsType {
  const simple = SIMPLE.get(dtype.kind);
  if (simple) return simple;
  switch (dtype.kind) {
    case Kind.KIND_DATETIME:
      return pl.Datetime(
        unitName(dtype.timeUnit),
        dtype.timeZone === "" ? undefined : dtype.timeZone,
      );
    case Kind.KIND_DURATION:
      return pl.Duration(unitName(dtype.timeUnit));
    case Kind.KIND_DECIMAL:
      return pl.Decimal(dtype.precision, dtype.scale);
    case Kind.KIND_LIST:
      if (!dtype.inner) break;
      return pl.List(toPolarsType(dtype.inner));
    case Kind.KIND_STRUCT:
      return pl.Struct(
        dtype.fields.map((f) => {
          if (!f.dtype) throw missing(`struct field ${JSON.stringify(f.name)}`);
          return pl.Field.from(f.name, toPolarsType(f.dtype));
        }),
      );
  }
  throw new InvalidPlanError(
    `Cannot use the data type as 'kind' must be one the engine supports: current value is ${
      Kind[dtype.kind] ?? dtype.kind
    }`,
  );
}

function missing(what: string): InvalidPlanError {
  return new InvalidPlanError(`Cannot use the data type as the ${what} has no type`);
}

function base(kind: Kind): DataType {
  return DataType.fromPartial({ kind });
}

/** The `inner` getter that parametrised nodejs-polars types expose. */
function innerOf(dtype: PolarsType): unknown[] {
  const inner = (dtype as unknown as { inner: unknown }).inner;
  return Array.isArray(inner) ? inner : [];
}

/** A nodejs-polars DataType as a proto DataType (KIND_UNSPECIFIED for types with no match). */
export function fromPolarsType(dtype: PolarsType): DataType {
  const simple = SIMPLE_KINDS.get(dtype.variant);
  if (simple !== undefined) return base(simple);
  const inner = innerOf(dtype);
  switch (dtype.variant) {
    case "Datetime": {
      const [unit, zone] = inner;
      return {
        ...base(Kind.KIND_DATETIME),
        timeUnit: UNITS.get(String(unit)) ?? TimeUnit.TIME_UNIT_MICROSECONDS,
        timeZone: typeof zone === "string" ? zone : "",
      };
    }
    case "Duration":
      return {
        ...base(Kind.KIND_DURATION),
        timeUnit: UNITS.get(String(inner[0])) ?? TimeUnit.TIME_UNIT_MICROSECONDS,
      };
    case "Decimal":
      return {
        ...base(Kind.KIND_DECIMAL),
        precision: Number(inner[0] ?? 0),
        scale: Number(inner[1] ?? 0),
      };
    case "List":
    case "FixedSizeList":
      return { ...base(Kind.KIND_LIST), inner: fromPolarsType(inner[0] as PolarsType) };
    case "Struct":
      return {
        ...base(Kind.KIND_STRUCT),
        fields: (inner as { name: string; dtype: PolarsType }[]).map((f) => ({
          name: f.name,
          dtype: fromPolarsType(f.dtype),
        })),
      };
  }
  return base(Kind.KIND_UNSPECIFIED);
}

/** Schema of a nodejs-polars schema record (column name → DataType), in column order. */
export function schemaOf(record: Record<string, PolarsType>): Schema {
  const fields: Field[] = Object.entries(record).map(([name, dtype]) => ({
    name,
    dtype: fromPolarsType(dtype),
  }));
  return { fields };
}

/** proto Schema of a DataFrame. */
export function frameSchema(df: pl.DataFrame): Schema {
  return schemaOf(frameTypes(df));
}

/** proto Schema of a held frame (in memory or spilled). */
export function heldSchema(held: Held): Schema {
  return schemaOf(heldTypes(held));
}
