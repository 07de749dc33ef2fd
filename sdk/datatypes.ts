/**
 * Column types, named and built as nodejs-polars names them (`DataType.Int64`,
 * `DataType.Datetime("ms", "UTC")`, `DataType.List(DataType.Utf8)`), with their protobuf form.
 *
 * @module
 */

import {
  DataType as ProtoDataType,
  DataType_Kind as Kind,
  type Schema as ProtoSchema,
  TimeUnit as ProtoTimeUnit,
} from "../shared/gen/polaroid/v1/types.ts";

/** The resolution of Datetime and Duration values. */
export type TimeUnit = "ns" | "us" | "ms";

/** The name of a type, as `DataType.variant` holds it. */
export type DataTypeName =
  | "Null"
  | "Bool"
  | "Int8"
  | "Int16"
  | "Int32"
  | "Int64"
  | "UInt8"
  | "UInt16"
  | "UInt32"
  | "UInt64"
  | "Float32"
  | "Float64"
  | "String"
  | "Date"
  | "Datetime"
  | "Time"
  | "Duration"
  | "Categorical"
  | "List"
  | "Struct"
  | "Binary"
  | "Decimal";

/** One named field of a Struct type. */
export interface Field {
  readonly name: string;
  readonly dtype: DataType;
}

const KIND_BY_NAME: Readonly<Record<DataTypeName, Kind>> = {
  Null: Kind.KIND_NULL,
  Bool: Kind.KIND_BOOL,
  Int8: Kind.KIND_INT8,
  Int16: Kind.KIND_INT16,
  Int32: Kind.KIND_INT32,
  Int64: Kind.KIND_INT64,
  UInt8: Kind.KIND_UINT8,
  UInt16: Kind.KIND_UINT16,
  UInt32: Kind.KIND_UINT32,
  UInt64: Kind.KIND_UINT64,
  Float32: Kind.KIND_FLOAT32,
  Float64: Kind.KIND_FLOAT64,
  String: Kind.KIND_STRING,
  Date: Kind.KIND_DATE,
  Datetime: Kind.KIND_DATETIME,
  Time: Kind.KIND_TIME,
  Duration: Kind.KIND_DURATION,
  Categorical: Kind.KIND_CATEGORICAL,
  List: Kind.KIND_LIST,
  Struct: Kind.KIND_STRUCT,
  Binary: Kind.KIND_BINARY,
  Decimal: Kind.KIND_DECIMAL,
};

const NAME_BY_KIND: ReadonlyMap<Kind, DataTypeName> = new Map(
  Object.entries(KIND_BY_NAME).map(([name, kind]) => [kind, name as DataTypeName]),
);

const UNIT_TO_PROTO: Readonly<Record<TimeUnit, ProtoTimeUnit>> = {
  ns: ProtoTimeUnit.TIME_UNIT_NANOSECONDS,
  us: ProtoTimeUnit.TIME_UNIT_MICROSECONDS,
  ms: ProtoTimeUnit.TIME_UNIT_MILLISECONDS,
};

function unitFromProto(unit: ProtoTimeUnit): TimeUnit {
  if (unit === ProtoTimeUnit.TIME_UNIT_NANOSECONDS) return "ns";
  if (unit === ProtoTimeUnit.TIME_UNIT_MILLISECONDS) return "ms";
  return "us";
}

function checkUnit(unit: string): TimeUnit {
  if (unit === "ns" || unit === "us" || unit === "ms") return unit;
  throw new TypeError(
    `Cannot build type as 'timeUnit' must be "ns", "us" or "ms": current value is ${
      JSON.stringify(unit)
    }`,
  );
}

interface Parts {
  timeUnit?: TimeUnit;
  timeZone?: string;
  inner?: DataType;
  fields?: readonly Field[];
  precision?: number;
  scale?: number;
}

/**
 * A column type. Use the static members, as in nodejs-polars: `DataType.Float64`,
 * `DataType.Datetime("us", "UTC")`, `DataType.List(DataType.Int64)`. Compare with
 * `equals()`: `Utf8` and `String` are the same type.
 */
export class DataType {
  /** The type's name, e.g. "Int64" or "Datetime". */
  readonly variant: DataTypeName;
  /** Datetime and Duration only. */
  readonly timeUnit?: TimeUnit;
  /** Datetime only: an IANA zone name; absent means naive. */
  readonly timeZone?: string;
  /** List only: the element type. */
  readonly inner?: DataType;
  /** Struct only. */
  readonly fields?: readonly Field[];
  /** Decimal only. */
  readonly precision?: number;
  /** Decimal only. */
  readonly scale?: number;

  private constructor(variant: DataTypeName, parts: Parts = {}) {
    this.variant = variant;
    if (parts.timeUnit !== undefined) this.timeUnit = parts.timeUnit;
    if (parts.timeZone !== undefined) this.timeZone = parts.timeZone;
    if (parts.inner !== undefined) this.inner = parts.inner;
    if (parts.fields !== undefined) this.fields = Object.freeze([...parts.fields]);
    if (parts.precision !== undefined) this.precision = parts.precision;
    if (parts.scale !== undefined) this.scale = parts.scale;
    Object.freeze(this);
  }

  static get Null(): DataType {
    return new DataType("Null");
  }
  static get Bool(): DataType {
    return new DataType("Bool");
  }
  static get Int8(): DataType {
    return new DataType("Int8");
  }
  static get Int16(): DataType {
    return new DataType("Int16");
  }
  static get Int32(): DataType {
    return new DataType("Int32");
  }
  static get Int64(): DataType {
    return new DataType("Int64");
  }
  static get UInt8(): DataType {
    return new DataType("UInt8");
  }
  static get UInt16(): DataType {
    return new DataType("UInt16");
  }
  static get UInt32(): DataType {
    return new DataType("UInt32");
  }
  static get UInt64(): DataType {
    return new DataType("UInt64");
  }
  static get Float32(): DataType {
    return new DataType("Float32");
  }
  static get Float64(): DataType {
    return new DataType("Float64");
  }
  /** The string type (same as `String`). */
  static get Utf8(): DataType {
    return new DataType("String");
  }
  static get String(): DataType {
    return new DataType("String");
  }
  /** Days since the Unix epoch. */
  static get Date(): DataType {
    return new DataType("Date");
  }
  static get Time(): DataType {
    return new DataType("Time");
  }
  static get Categorical(): DataType {
    return new DataType("Categorical");
  }
  static get Binary(): DataType {
    return new DataType("Binary");
  }
  /** A timestamp. @param timeUnit @default "ms" (as nodejs-polars) */
  static Datetime(timeUnit: TimeUnit = "ms", timeZone?: string | null): DataType {
    const parts: Parts = { timeUnit: checkUnit(timeUnit) };
    if (timeZone) parts.timeZone = timeZone;
    return new DataType("Datetime", parts);
  }
  /** A time span. @param timeUnit @default "ms" (as nodejs-polars) */
  static Duration(timeUnit: TimeUnit = "ms"): DataType {
    return new DataType("Duration", { timeUnit: checkUnit(timeUnit) });
  }
  static List(inner: DataType): DataType {
    if (!(inner instanceof DataType)) {
      throw new TypeError(
        `Cannot build List as 'inner' must be a DataType: current value is ${String(inner)}`,
      );
    }
    return new DataType("List", { inner });
  }
  /** A struct, from fields or from a map of name to type. */
  static Struct(fields: readonly Field[] | Record<string, DataType>): DataType {
    const list = Array.isArray(fields)
      ? fields as readonly Field[]
      : Object.entries(fields).map(([name, dtype]) => ({ name, dtype }));
    return new DataType("Struct", { fields: list });
  }
  static Decimal(precision = 38, scale = 0): DataType {
    return new DataType("Decimal", { precision, scale });
  }

  /** The protobuf form sent in plans. */
  toProto(): ProtoDataType {
    const proto = ProtoDataType.fromPartial({ kind: KIND_BY_NAME[this.variant] });
    if (this.timeUnit) proto.timeUnit = UNIT_TO_PROTO[this.timeUnit];
    if (this.timeZone) proto.timeZone = this.timeZone;
    if (this.inner) proto.inner = this.inner.toProto();
    if (this.fields) {
      proto.fields = this.fields.map((f) => ({ name: f.name, dtype: f.dtype.toProto() }));
    }
    if (this.precision !== undefined) proto.precision = this.precision;
    if (this.scale !== undefined) proto.scale = this.scale;
    return proto;
  }

  /** The type a protobuf DataType describes. */
  static fromProto(proto: ProtoDataType): DataType {
    const variant = NAME_BY_KIND.get(proto.kind);
    if (variant === undefined) {
      throw new TypeError(`Cannot read type as 'kind' is unknown: current value is ${proto.kind}`);
    }
    switch (variant) {
      case "Datetime":
        return DataType.Datetime(unitFromProto(proto.timeUnit), proto.timeZone || undefined);
      case "Duration":
        return DataType.Duration(unitFromProto(proto.timeUnit));
      case "List":
        return DataType.List(proto.inner ? DataType.fromProto(proto.inner) : DataType.Null);
      case "Struct":
        return DataType.Struct(proto.fields.map((f) => ({
          name: f.name,
          dtype: f.dtype ? DataType.fromProto(f.dtype) : DataType.Null,
        })));
      case "Decimal":
        return DataType.Decimal(proto.precision, proto.scale);
      default:
        return new DataType(variant);
    }
  }

  /** Whether both name the same type (units, zones and children included). */
  equals(other: DataType): boolean {
    return other instanceof DataType && this.toString() === other.toString();
  }

  /** E.g. "Int64", "Datetime(ms, UTC)", "List(String)", "Struct({a: Int64})". */
  toString(): string {
    switch (this.variant) {
      case "Datetime":
        return `Datetime(${this.timeUnit}${this.timeZone ? `, ${this.timeZone}` : ""})`;
      case "Duration":
        return `Duration(${this.timeUnit})`;
      case "List":
        return `List(${this.inner})`;
      case "Struct":
        return `Struct({${(this.fields ?? []).map((f) => `${f.name}: ${f.dtype}`).join(", ")}})`;
      case "Decimal":
        return `Decimal(${this.precision}, ${this.scale})`;
      default:
        return this.variant;
    }
  }
}

/** A map of column name to type, as `df.schema` gives it. */
export type Schema = Record<string, DataType>;

/** Reads a protobuf Schema into a map of column name to type (in column order). */
export function schemaFromProto(schema: ProtoSchema | undefined): Schema {
  const result: Schema = {};
  for (const field of schema?.fields ?? []) {
    result[field.name] = field.dtype && NAME_BY_KIND.has(field.dtype.kind)
      ? DataType.fromProto(field.dtype)
      : DataType.Null; // a type this SDK does not know yet (a newer server)
  }
  return result;
}
