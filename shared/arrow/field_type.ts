/**
 * The type of one Arrow field (Schema.fbs's `Type` union) as the layout it gives a record
 * batch: buffers and their widths, and how many children it must have. Only the parameters
 * that decide the layout are read (bit widths, units, byte widths, list sizes, union mode).
 *
 * @module
 */

import type { Table } from "./flatbuffer.ts";
import { DATA, type FieldLayout, fixedWidth, VALIDITY } from "./layout.ts";
import { invalid } from "./_invalid.ts";

/** Arrow's type ids (Schema.fbs `union Type`). */
export const TypeId = {
  Null: 1,
  Int: 2,
  FloatingPoint: 3,
  Binary: 4,
  Utf8: 5,
  Bool: 6,
  Decimal: 7,
  Date: 8,
  Time: 9,
  Timestamp: 10,
  Interval: 11,
  List: 12,
  Struct: 13,
  Union: 14,
  FixedSizeBinary: 15,
  FixedSizeList: 16,
  Map: 17,
  Duration: 18,
  LargeBinary: 19,
  LargeUtf8: 20,
  LargeList: 21,
  RunEndEncoded: 22,
  BinaryView: 23,
  Utf8View: 24,
  ListView: 25,
  LargeListView: 26,
} as const;

/** A field's layout before it is placed in a schema (no parent yet). */
export type TypeLayout = Omit<FieldLayout, "parent">;

/** What a field's type decides. */
export interface FieldType {
  readonly typeId: number;
  readonly layout: TypeLayout;
  /** Children the type must have; undefined: any number (struct, union). */
  readonly children: number | undefined;
  /** Unions: entries of `typeIds`, undefined when absent. */
  readonly unionTypeIds?: number;
}

// Field table slots (Schema.fbs `table Field`): type_type 2, type 3.
const FIELD_TYPE_TYPE = 2;
const FIELD_TYPE = 3;
const TIME_UNITS = ["s", "ms", "us", "ns"];

function plain(type: string, buffers: TypeLayout["buffers"], children = 0): FieldType {
  return {
    typeId: 0,
    layout: { type, buffers, views: false, union: false, childRule: "free", listSize: 0 },
    children,
  };
}

function intBits(table: Table, label: string): { bits: number; signed: boolean } {
  const bits = table.int32(0, 0);
  if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) {
    throw invalid(
      `${label} must have an Int bitWidth of 8, 16, 32 or 64: current value is ${bits}`,
    );
  }
  return { bits, signed: table.bool(1, false) };
}

function unit(table: Table, fallback: number, max: number, label: string, what: string): number {
  const value = table.int16(0, fallback);
  if (value < 0 || value > max) {
    throw invalid(`${label} must have a ${what} unit in [0, ${max}]: current value is ${value}`);
  }
  return value;
}

/** The layout of a type that has a parameter table `t` (id checked by the caller). */
function parameterised(id: number, t: Table, label: string): FieldType {
  switch (id) {
    case TypeId.Int: {
      const { bits, signed } = intBits(t, label);
      return plain(`${signed ? "Int" : "UInt"}${bits}`, fixedWidth(bits));
    }
    case TypeId.FloatingPoint: {
      const precision = unit(t, 0, 2, label, "FloatingPoint precision");
      const bits = [16, 32, 64][precision]!;
      return plain(`Float${bits}`, fixedWidth(bits));
    }
    case TypeId.Decimal: {
      const bits = t.int32(2, 128);
      if (bits !== 32 && bits !== 64 && bits !== 128 && bits !== 256) {
        throw invalid(
          `${label} must have a Decimal bitWidth of 32, 64, 128 or 256: current value is ${bits}`,
        );
      }
      return plain(`Decimal${bits}`, fixedWidth(bits));
    }
    case TypeId.Date: {
      const bits = unit(t, 1, 1, label, "Date") === 0 ? 32 : 64;
      return plain(`Date${bits}`, fixedWidth(bits));
    }
    case TypeId.Time: {
      const u = unit(t, 1, 3, label, "Time");
      const bits = t.int32(1, 32);
      if (bits !== (u < 2 ? 32 : 64)) {
        throw invalid(
          `${label} must have a Time bitWidth of ${u < 2 ? 32 : 64} for its unit ${
            TIME_UNITS[u]
          }: current value is ${bits}`,
        );
      }
      return plain(`Time${bits}[${TIME_UNITS[u]}]`, fixedWidth(bits));
    }
    case TypeId.Timestamp: {
      const u = unit(t, 0, 3, label, "Timestamp");
      t.string(1); // the time zone: only its bounds are checked
      return plain(`Timestamp[${TIME_UNITS[u]}]`, fixedWidth(64));
    }
    case TypeId.Duration:
      return plain(`Duration[${TIME_UNITS[unit(t, 1, 3, label, "Duration")]}]`, fixedWidth(64));
    case TypeId.Interval: {
      const bits = [32, 64, 128][unit(t, 0, 2, label, "Interval")]!;
      return plain(`Interval${bits}`, fixedWidth(bits));
    }
    case TypeId.FixedSizeBinary: {
      const width = t.int32(0, 0);
      if (width < 1) {
        throw invalid(`${label} must have a positive byteWidth: current value is ${width}`);
      }
      return plain(`FixedSizeBinary[${width}]`, fixedWidth(width * 8));
    }
    case TypeId.FixedSizeList: {
      const listSize = t.int32(0, 0);
      if (listSize < 0) {
        throw invalid(`${label} must have a listSize of at least 0: current value is ${listSize}`);
      }
      const base = plain(`FixedSizeList[${listSize}]`, [VALIDITY], 1);
      return { ...base, layout: { ...base.layout, childRule: "timesListSize", listSize } };
    }
    case TypeId.Union: {
      const dense = unit(t, 0, 1, label, "Union mode") === 1;
      const typeIds = t.vector(1, 4);
      const buffers = dense
        ? [{ kind: "values", bits: 8 }, { kind: "ranges", bytes: 4 }] as const
        : [{ kind: "values", bits: 8 }] as const;
      const base = plain(dense ? "DenseUnion" : "SparseUnion", buffers);
      return {
        ...base,
        layout: { ...base.layout, union: true, childRule: dense ? "free" : "atLeastParent" },
        children: undefined,
        ...(typeIds === undefined ? {} : { unionTypeIds: typeIds.length }),
      };
    }
  }
  return simple(id, label);
}

/** Types without parameters. */
function simple(id: number, label: string): FieldType {
  const offsets4 = { kind: "offsets", bytes: 4 } as const;
  const offsets8 = { kind: "offsets", bytes: 8 } as const;
  switch (id) {
    case TypeId.Null:
      return plain("Null", []);
    case TypeId.Bool:
      return plain("Bool", fixedWidth(1));
    case TypeId.Binary:
    case TypeId.Utf8:
      return plain(id === TypeId.Utf8 ? "Utf8" : "Binary", [VALIDITY, offsets4, DATA]);
    case TypeId.LargeBinary:
    case TypeId.LargeUtf8:
      return plain(id === TypeId.LargeUtf8 ? "LargeUtf8" : "LargeBinary", [
        VALIDITY,
        offsets8,
        DATA,
      ]);
    case TypeId.BinaryView:
    case TypeId.Utf8View: {
      const base = plain(id === TypeId.Utf8View ? "Utf8View" : "BinaryView", fixedWidth(128));
      return { ...base, layout: { ...base.layout, views: true } };
    }
    case TypeId.List:
      return plain("List", [VALIDITY, offsets4], 1);
    case TypeId.LargeList:
      return plain("LargeList", [VALIDITY, offsets8], 1);
    case TypeId.Map:
      return plain("Map", [VALIDITY, offsets4], 1);
    case TypeId.ListView:
    case TypeId.LargeListView: {
      const bytes = id === TypeId.ListView ? 4 : 8;
      const range = { kind: "ranges", bytes } as const;
      return plain(id === TypeId.ListView ? "ListView" : "LargeListView", [
        VALIDITY,
        range,
        range,
      ], 1);
    }
    case TypeId.Struct: {
      const base = plain("Struct", [VALIDITY], 0);
      return {
        ...base,
        layout: { ...base.layout, childRule: "atLeastParent" },
        children: undefined,
      };
    }
    case TypeId.RunEndEncoded:
      return plain("RunEndEncoded", [], 2);
  }
  throw invalid(`${label} must have a known type id in [1, 26]: current value is ${id}`);
}

/** The type of a Field table. */
export function readFieldType(field: Table, label: string): FieldType {
  const id = field.uint8(FIELD_TYPE_TYPE, 0);
  const table = field.table(FIELD_TYPE);
  if (table === undefined) {
    throw invalid(`${label} must have the table of its type (id ${id}): current value is none`);
  }
  return { ...parameterised(id, table, label), typeId: id };
}

/** The layout of a dictionary-encoded field's indices (DictionaryEncoding.indexType). */
export function readIndexLayout(encoding: Table, label: string): TypeLayout {
  const index = encoding.table(1);
  const { bits, signed } = index === undefined ? { bits: 32, signed: true } : intBits(index, label);
  return plain(`Dictionary<${signed ? "Int" : "UInt"}${bits}>`, fixedWidth(bits)).layout;
}
