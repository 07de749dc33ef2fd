/**
 * An Arrow Schema table read from untrusted bytes: its fields walked iteratively with bounds
 * on depth and count (shared subtrees count every time they are reached, so a small buffer
 * cannot describe a huge tree), each field's type checked, then flattened into the layouts a
 * record batch and each dictionary batch must follow.
 *
 * @module
 */

import type { Table } from "./flatbuffer.ts";
import type { FieldLayout } from "./layout.ts";
import {
  type FieldType,
  readFieldType,
  readIndexLayout,
  TypeId,
  type TypeLayout,
} from "./field_type.ts";
import { fieldLabel, invalid } from "./_invalid.ts";

/** Bounds on the shape of a schema. */
export interface SchemaLimits {
  /** Top-level fields (POLAROID_MAX_RESULT_COLUMNS). */
  maxColumns: number;
  /** Fields at every level together (POLAROID_MAX_SCHEMA_FIELDS). */
  maxFields: number;
  /** Nesting: a top-level field is at depth 1 (POLAROID_MAX_SCHEMA_DEPTH). */
  maxDepth: number;
}

/** A schema as the checks of its batches need it. */
export interface ArrowSchema {
  /** Top-level fields. */
  readonly columns: number;
  /** Fields at every level. */
  readonly fields: number;
  /** The field nodes of a record batch, in pre-order (dictionary-encoded: indices only). */
  readonly batchLayout: readonly FieldLayout[];
  /** The field nodes of each dictionary's batches, by dictionary id. */
  readonly dictionaries: ReadonlyMap<number, readonly FieldLayout[]>;
}

// Schema.fbs slots.
const SCHEMA_ENDIANNESS = 0;
const SCHEMA_FIELDS = 1;
const FIELD_NAME = 0;
const FIELD_DICTIONARY = 4;
const FIELD_CHILDREN = 5;
const ENCODING_ID = 0;

/** One field as read: its value type, its dictionary encoding, its children. */
interface SchemaField {
  readonly type: FieldType;
  readonly dictionary: { id: number; index: TypeLayout } | undefined;
  readonly children: number[];
  readonly label: string;
}

/** Reads and checks a Schema table. */
export function readSchema(schema: Table, limits: SchemaLimits): ArrowSchema {
  const endianness = schema.int16(SCHEMA_ENDIANNESS, 0);
  if (endianness !== 0) {
    throw invalid(
      `the schema must be little-endian (0): current value is ${endianness}`,
    );
  }
  const top = schema.vector(SCHEMA_FIELDS, 4) ?? { start: 0, length: 0 };
  if (top.length > limits.maxColumns) {
    throw invalid(
      `the schema must have at most ${limits.maxColumns} top-level fields (POLAROID_MAX_RESULT_COLUMNS): current value is ${top.length}`,
      { limit: "POLAROID_MAX_RESULT_COLUMNS" },
    );
  }
  checkFieldCount(top.length, limits);
  const fields: SchemaField[] = [];
  const roots: number[] = [];
  const stack: { table: Table; depth: number; parent: number }[] = [];
  for (let i = top.length - 1; i >= 0; i--) {
    stack.push({ table: schema.vectorTable(top, i), depth: 1, parent: -1 });
  }
  while (stack.length > 0) {
    const { table, depth, parent } = stack.pop()!;
    const index = fields.length;
    if (depth > limits.maxDepth) {
      throw invalid(
        `the schema must nest at most ${limits.maxDepth} levels (POLAROID_MAX_SCHEMA_DEPTH): current value is at least ${depth}`,
        { limit: "POLAROID_MAX_SCHEMA_DEPTH" },
      );
    }
    const field = readField(table, index);
    fields.push(field);
    if (parent < 0) roots.push(index);
    else fields[parent]!.children.push(index);
    const children = table.vector(FIELD_CHILDREN, 4) ?? { start: 0, length: 0 };
    checkChildCount(field, children.length);
    // Every entry of the stack becomes a field: bound them before pushing.
    checkFieldCount(fields.length + stack.length + children.length, limits);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ table: table.vectorTable(children, i), depth: depth + 1, parent: index });
    }
  }
  fields.forEach(checkChildTypes(fields));
  return {
    columns: roots.length,
    fields: fields.length,
    batchLayout: flatten(fields, roots, false),
    dictionaries: dictionaryLayouts(fields),
  };
}

function checkFieldCount(count: number, limits: SchemaLimits): void {
  if (count > limits.maxFields) {
    throw invalid(
      `the schema must have at most ${limits.maxFields} fields at all levels (POLAROID_MAX_SCHEMA_FIELDS): current value is at least ${count}`,
      { limit: "POLAROID_MAX_SCHEMA_FIELDS" },
    );
  }
}

function readField(table: Table, index: number): SchemaField {
  const label = fieldLabel(index, table.string(FIELD_NAME));
  const type = readFieldType(table, label);
  const encoding = table.table(FIELD_DICTIONARY);
  let dictionary: SchemaField["dictionary"];
  if (encoding !== undefined) {
    const id = encoding.safeInt64(ENCODING_ID, 0, "a dictionary id");
    dictionary = { id, index: readIndexLayout(encoding, label) };
  }
  return { type, dictionary, children: [], label };
}

function checkChildCount(field: SchemaField, count: number): void {
  const { type, label } = field;
  if (type.children !== undefined && count !== type.children) {
    throw invalid(
      `${label} of type ${type.layout.type} must have ${type.children} children: current value is ${count}`,
    );
  }
  if (type.typeId === TypeId.Union) {
    if (count > 128) {
      throw invalid(`${label} (a union) must have at most 128 children: current value is ${count}`);
    }
    if (type.unionTypeIds !== undefined && type.unionTypeIds !== count) {
      throw invalid(
        `${label} (a union) must have one typeId per child (${count}): current value is ${type.unionTypeIds}`,
      );
    }
  }
}

/** Maps hold a struct of key and value; run-end encoded fields start with integer run ends. */
function checkChildTypes(fields: readonly SchemaField[]) {
  return (field: SchemaField): void => {
    const first = field.children[0] === undefined ? undefined : fields[field.children[0]];
    if (field.type.typeId === TypeId.Map) {
      if (first?.type.typeId !== TypeId.Struct || first.children.length !== 2 || first.dictionary) {
        throw invalid(`${field.label} (a map) must hold a struct of two fields (key and value)`);
      }
    }
    if (field.type.typeId === TypeId.RunEndEncoded) {
      const ends = first?.type.layout.type;
      if (first?.dictionary || (ends !== "Int16" && ends !== "Int32" && ends !== "Int64")) {
        throw invalid(
          `${field.label} (run-end encoded) must have run ends of Int16, Int32 or Int64: current value is ${ends}`,
        );
      }
    }
  };
}

/**
 * Field nodes in pre-order from `roots`: a dictionary-encoded field is its indices (its
 * children live in the dictionary's batches), except a root with `rootsAsValues`.
 */
function flatten(
  fields: readonly SchemaField[],
  roots: readonly number[],
  rootsAsValues: boolean,
): FieldLayout[] {
  const out: FieldLayout[] = [];
  const stack: { field: number; parent: number; asValue: boolean }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    stack.push({ field: roots[i]!, parent: -1, asValue: rootsAsValues });
  }
  while (stack.length > 0) {
    const { field, parent, asValue } = stack.pop()!;
    const { type, dictionary, children } = fields[field]!;
    const index = out.length;
    if (dictionary !== undefined && !asValue) {
      out.push({ ...dictionary.index, parent });
      continue;
    }
    out.push({ ...type.layout, parent });
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ field: children[i]!, parent: index, asValue: false });
    }
  }
  return out;
}

function dictionaryLayouts(fields: readonly SchemaField[]): Map<number, FieldLayout[]> {
  const out = new Map<number, FieldLayout[]>();
  fields.forEach((field, index) => {
    if (field.dictionary === undefined) return;
    if (out.has(field.dictionary.id)) {
      throw invalid(
        `${field.label} must have a dictionary id no other field has: current value is ${field.dictionary.id}`,
      );
    }
    out.set(field.dictionary.id, flatten(fields, [index], true));
  });
  return out;
}
