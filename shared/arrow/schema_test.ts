/**
 * Schemas from untrusted bytes: depth and width bounds, shared subtrees counted every time,
 * type ids and the parameters that decide a layout, children the type requires.
 */

import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import pl from "nodejs-polars";
import type { Table } from "./flatbuffer.ts";
import { validateIpc } from "./validate_ipc.ts";
import {
  assertRefused,
  type FramedMessage,
  messagesOf,
  polarsStream,
  withByte,
  withInt32,
  withInt64,
} from "./_testing.ts";

const A = arrow;
const nullable = (name: string, type: arrow.DataType) => new A.Field(name, type, true);

/** An empty table of one column: the schema is all there is. */
function schemaOnly(type: arrow.DataType, columns = 1): Uint8Array {
  const fields = Array.from({ length: columns }, (_, i) => nullable(`c${i}`, type));
  return A.tableToIPC(new A.Table(new A.Schema(fields)), "stream");
}

function nested(depth: number): arrow.DataType {
  let type: arrow.DataType = new A.Int32();
  for (let i = 1; i < depth; i++) type = new A.Struct([nullable(`d${i}`, type)]);
  return type;
}

/** The Field table at `path` (child indices from a top-level field) of a stream's schema. */
function fieldAt(bytes: Uint8Array, path: number[]): { message: FramedMessage; field: Table } {
  const message = messagesOf(bytes)[0]!;
  let vector = message.header.vector(1, 4)!;
  let field = message.header.vectorTable(vector, path[0]!);
  for (const index of path.slice(1)) {
    vector = field.vector(5, 4)!;
    field = field.vectorTable(vector, index);
  }
  return { message, field };
}

Deno.test("validateIpc() bounds the depth of a schema (POLAROID_MAX_SCHEMA_DEPTH)", () => {
  assert.equal(validateIpc(schemaOnly(nested(64))).columns, 1);
  assertRefused(schemaOnly(nested(65)), /nest at most 64 levels .*current value is at least 65/, {
    limit: "POLAROID_MAX_SCHEMA_DEPTH",
  });
  assertRefused(schemaOnly(nested(500)), /POLAROID_MAX_SCHEMA_DEPTH/);
  assert.equal(validateIpc(schemaOnly(nested(500)), { maxDepth: 500 }).columns, 1);
  let list: arrow.DataType = new A.Utf8();
  for (let i = 0; i < 10; i++) list = new A.List(nullable("item", list));
  assertRefused(schemaOnly(list), /nest at most 8 levels/, { maxDepth: 8 });
});

Deno.test("validateIpc() bounds the top-level and total fields of a schema", () => {
  assertRefused(schemaOnly(new A.Int8(), 11), /at most 10 top-level fields .*current value is 11/, {
    maxColumns: 10,
    limit: "POLAROID_MAX_RESULT_COLUMNS",
  });
  const wide = new A.Struct(Array.from({ length: 40 }, (_, i) => nullable(`f${i}`, new A.Int8())));
  assert.equal(validateIpc(schemaOnly(wide, 2), { maxFields: 82 }).columns, 2);
  assertRefused(schemaOnly(wide, 3), /at most 100 fields at all levels/, {
    maxFields: 100,
    limit: "POLAROID_MAX_SCHEMA_FIELDS",
  });
});

Deno.test("validateIpc() counts a subtree shared by two parents once per parent", () => {
  const inner = new A.Struct([0, 1, 2].map((i) => nullable(`i${i}`, new A.Int8())));
  const bytes = schemaOnly(new A.Struct([nullable("a", inner), nullable("b", inner)]));
  assert.equal(validateIpc(bytes, { maxFields: 9 }).columns, 1);
  // Point the second child's offset at the first child's table: still 9 fields.
  const { message, field } = fieldAt(bytes, [0]);
  const children = field.vector(5, 4)!;
  const first = message.metadataStart + children.start;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const shared = withInt32(bytes, first + 4, view.getUint32(first, true) - 4);
  assert.equal(validateIpc(shared, { maxFields: 9 }).columns, 1);
  assertRefused(shared, /at most 8 fields/, { maxFields: 8 });
});

Deno.test("validateIpc() refuses unknown type ids and parameters that give no layout", () => {
  const ints = schemaOnly(new A.Int32());
  const { message, field } = fieldAt(ints, [0]);
  const typeId = message.metadataStart + field.field(2, 1)!;
  assertRefused(withByte(ints, typeId, 27), /known type id in \[1, 26\]: current value is 27/);
  assertRefused(withByte(ints, typeId, 0), /current value is 0/);
  const bitWidth = message.metadataStart + field.table(3)!.field(0, 4)!;
  assertRefused(
    withInt32(ints, bitWidth, 12),
    /Int bitWidth of 8, 16, 32 or 64: current value is 12/,
  );
  assertRefused(withInt32(ints, bitWidth, -(2 ** 31)), /Int bitWidth/);

  const time = schemaOnly(new A.TimeMicrosecond());
  const t = fieldAt(time, [0]);
  const timeWidth = t.message.metadataStart + t.field.table(3)!.field(1, 4)!;
  assertRefused(
    withInt32(time, timeWidth, 32),
    /Time bitWidth of 64 for its unit us: current value is 32/,
  );

  const fixed = schemaOnly(new A.FixedSizeBinary(4));
  const f = fieldAt(fixed, [0]);
  const width = f.message.metadataStart + f.field.table(3)!.field(0, 4)!;
  assertRefused(withInt32(fixed, width, 0), /positive byteWidth: current value is 0/);
  assertRefused(withInt32(fixed, width, -5), /positive byteWidth/);
});

Deno.test("validateIpc() refuses types with the wrong children", () => {
  const entries = new A.Struct([
    new A.Field("key", new A.Utf8(), false),
    nullable("value", new A.Int8()),
  ]);
  const map = schemaOnly(new A.Map_(new A.Field("entries", entries, false)));
  const m = fieldAt(map, [0, 0]);
  const count = m.message.metadataStart + m.field.vector(5, 4)!.start - 4;
  assertRefused(withInt32(map, count, 1), /\(a map\) must hold a struct of two fields/);

  const list = schemaOnly(new A.List(nullable("item", new A.Int8())));
  const l = fieldAt(list, [0]);
  const listChildren = l.message.metadataStart + l.field.vector(5, 4)!.start - 4;
  assertRefused(
    withInt32(list, listChildren, 0),
    /of type List must have 1 children: current value is 0/,
  );

  const ints = schemaOnly(new A.Int32());
  const typeId = fieldAt(ints, [0]);
  const at = typeId.message.metadataStart + typeId.field.field(2, 1)!;
  assertRefused(withByte(ints, at, 12), /of type List must have 1 children: current value is 0/);
});

Deno.test("validateIpc() refuses union typeIds that do not match its children", () => {
  const members = [nullable("i", new A.Int32()), nullable("s", new A.Utf8())];
  const bytes = schemaOnly(new A.SparseUnion([0, 1], members));
  const { message, field } = fieldAt(bytes, [0]);
  const typeIds = message.metadataStart + field.table(3)!.vector(1, 4)!.start - 4;
  assertRefused(withInt32(bytes, typeIds, 1), /one typeId per child \(2\): current value is 1/);
});

Deno.test("validateIpc() refuses dictionary ids used twice and index types of no width", () => {
  const df = pl.DataFrame({ a: ["x", "y"], b: ["u", "v"] }).select(
    pl.col("a").cast(pl.Categorical),
    pl.col("b").cast(pl.Categorical),
  );
  const bytes = polarsStream(df, "uncompressed");
  const { message, field } = fieldAt(bytes, [1]);
  const encoding = field.table(4)!;
  const id = message.metadataStart + encoding.field(0, 8)!;
  assertRefused(withInt64(bytes, id, 0n), /dictionary id no other field has: current value is 0/);
  const indexWidth = message.metadataStart + encoding.table(1)!.field(0, 4)!;
  assertRefused(
    withInt32(bytes, indexWidth, 7),
    /Int bitWidth of 8, 16, 32 or 64: current value is 7/,
  );
});

Deno.test("validateIpc() refuses a big-endian schema", () => {
  const bytes = schemaOnly(new A.Int32());
  // Writers leave endianness (0) out: point its vtable entry at the fields offset (non-zero).
  const [message] = messagesOf(bytes);
  const schema = message!.header;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const tableAt = message!.metadataStart + schema.position;
  const vtable = tableAt - view.getInt32(tableAt, true);
  const fieldsOffset = schema.field(1, 4)! - schema.position;
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(vtable + 4, fieldsOffset, true);
  assertRefused(copy, /must be little-endian \(0\)/);
});
