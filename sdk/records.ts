/**
 * Plain JS rows to and from Arrow tables. Types are inferred as nodejs-polars does (a
 * number is a Float64, a Date a Datetime("ms")) except that a bigint stays an exact Int64;
 * a schema fixes the type of any column.
 *
 * @module
 */

import * as arrow from "apache-arrow";
import { DataType, type Schema } from "./datatypes.ts";

/** One row: column name to value. */
export type Row = Record<string, unknown>;

const INT64_MAX = 2n ** 63n - 1n;

function unsupported(what: string, value: unknown): never {
  throw new TypeError(`Cannot build column as ${what}: current value is ${String(value)}`);
}

/** The type of a column from its values (nulls and undefined ignored). */
export function inferType(values: readonly unknown[], column = "?"): DataType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return DataType.Null;
  const kinds = new Set(present.map(kindOf));
  if (kinds.size === 2 && kinds.has("number") && kinds.has("bigint")) {
    const integral = present.every((v) => typeof v === "bigint" || Number.isSafeInteger(v));
    return integral ? DataType.Int64 : DataType.Float64;
  }
  if (kinds.size !== 1) {
    unsupported(`'${column}' must hold values of one type`, [...kinds].join(" and "));
  }
  switch ([...kinds][0]) {
    case "boolean":
      return DataType.Bool;
    case "number":
      return DataType.Float64;
    case "bigint":
      return present.some((v) => (v as bigint) > INT64_MAX) ? DataType.UInt64 : DataType.Int64;
    case "string":
      return DataType.String;
    case "date":
      return DataType.Datetime("ms");
    case "binary":
      return DataType.Binary;
    case "array":
      return DataType.List(inferType((present as unknown[][]).flat(), `${column}[]`));
    default: {
      const names = [...new Set((present as Row[]).flatMap((o) => Object.keys(o)))];
      return DataType.Struct(names.map((name) => ({
        name,
        dtype: inferType((present as Row[]).map((o) => o[name]), `${column}.${name}`),
      })));
    }
  }
}

function kindOf(value: unknown): string {
  if (value instanceof Date) return "date";
  if (value instanceof Uint8Array) return "binary";
  if (Array.isArray(value)) return "array";
  const kind = typeof value;
  if (kind === "object") return "object";
  if (kind === "boolean" || kind === "number" || kind === "bigint" || kind === "string") {
    return kind;
  }
  return unsupported(
    "values must be booleans, numbers, bigints, strings, Dates, arrays or objects",
    kind,
  );
}

const ARROW_UNIT = {
  ns: arrow.TimeUnit.NANOSECOND,
  us: arrow.TimeUnit.MICROSECOND,
  ms: arrow.TimeUnit.MILLISECOND,
} as const;

/** The Arrow type that carries a DataType to the server. */
export function arrowType(dtype: DataType): arrow.DataType {
  switch (dtype.variant) {
    case "Null":
      return new arrow.Null();
    case "Bool":
      return new arrow.Bool();
    case "Int8":
      return new arrow.Int8();
    case "Int16":
      return new arrow.Int16();
    case "Int32":
      return new arrow.Int32();
    case "Int64":
      return new arrow.Int64();
    case "UInt8":
      return new arrow.Uint8();
    case "UInt16":
      return new arrow.Uint16();
    case "UInt32":
      return new arrow.Uint32();
    case "UInt64":
      return new arrow.Uint64();
    case "Float32":
      return new arrow.Float32();
    case "Float64":
      return new arrow.Float64();
    case "String":
      return new arrow.Utf8();
    case "Binary":
      return new arrow.Binary();
    case "Date":
      return new arrow.DateDay();
    case "Datetime":
      return new arrow.Timestamp(ARROW_UNIT[dtype.timeUnit ?? "us"], dtype.timeZone ?? null);
    case "Duration":
      return new arrow.Duration(ARROW_UNIT[dtype.timeUnit ?? "us"]);
    case "Time":
      return new arrow.TimeNanosecond();
    case "Categorical":
      return new arrow.Dictionary(new arrow.Utf8(), new arrow.Uint32());
    case "List":
      return new arrow.List(new arrow.Field("item", arrowType(dtype.inner ?? DataType.Null), true));
    case "Struct":
      return new arrow.Struct(
        (dtype.fields ?? []).map((f) => new arrow.Field(f.name, arrowType(f.dtype), true)),
      );
    default:
      return unsupported("its type cannot be uploaded from records", dtype);
  }
}

const BIG_INTS = new Set(["Int64", "UInt64", "Duration", "Time"]);

/** A value in the form the Arrow builder of `dtype` takes (numbers become bigints for Int64). */
function coerce(value: unknown, dtype: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (BIG_INTS.has(dtype.variant) && typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      unsupported(`a ${dtype} value must be an integer or a bigint`, value);
    }
    return BigInt(value);
  }
  if (dtype.variant === "List" && Array.isArray(value)) {
    return value.map((v) => coerce(v, dtype.inner ?? DataType.Null));
  }
  if (dtype.variant === "Struct" && typeof value === "object") {
    const row = value as Row;
    return Object.fromEntries(
      (dtype.fields ?? []).map((f) => [
        f.name,
        coerce(Object.hasOwn(row, f.name) ? row[f.name] : undefined, f.dtype),
      ]),
    );
  }
  if (dtype.variant.startsWith("Float") && typeof value === "bigint") return Number(value);
  return value;
}

/**
 * An Arrow table from rows. Columns appear in `schema` order, then in first-seen order;
 * `schema` fixes a column's type, other columns are inferred.
 */
export function tableFromRecords(rows: readonly Row[], schema: Schema = {}): arrow.Table {
  if (!Array.isArray(rows)) unsupported("'rows' must be an array of objects", rows);
  const names = new Set(Object.keys(schema));
  for (const row of rows) {
    if (row === null || typeof row !== "object") unsupported("each row must be an object", row);
    for (const name of Object.keys(row)) names.add(name);
  }
  // Own keys only: a column named "toString" or "__proto__" is a column like any other.
  const columns: Record<string, arrow.Vector> = Object.create(null);
  for (const name of names) {
    const values = rows.map((row) => (Object.hasOwn(row, name) ? row[name] : undefined));
    const dtype = Object.hasOwn(schema, name) ? schema[name]! : inferType(values, name);
    Object.defineProperty(columns, name, {
      value: arrow.vectorFromArray(values.map((v) => coerce(v, dtype)), arrowType(dtype)),
      enumerable: true,
    });
  }
  return new arrow.Table(columns);
}

/** A cell as a plain JS value: timestamps and dates become Dates, lists arrays, structs objects. */
function plain(value: unknown, type: arrow.DataType): unknown {
  if (value === null || value === undefined) return null;
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) {
    return new Date(value as number);
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type)) {
    const child = type.children[0]!.type;
    return [...(value as arrow.Vector)].map((v) => plain(v, child));
  }
  if (arrow.DataType.isStruct(type)) {
    const row = value as Record<string, unknown>;
    return Object.fromEntries(type.children.map((f) => [f.name, plain(row[f.name], f.type)]));
  }
  return value;
}

/**
 * Rows from an Arrow table. Int64 and UInt64 values are bigints (exact); Datetime and Date
 * values are JS Dates (millisecond precision); lists are arrays and structs objects.
 */
export function tableToRecords(table: arrow.Table): Row[] {
  const fields = table.schema.fields;
  const vectors = fields.map((_, i) => table.getChildAt(i)!);
  const rows: Row[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) {
      row[fields[c]!.name] = plain(vectors[c]!.get(r), fields[c]!.type);
    }
    rows[r] = row;
  }
  return rows;
}
