import assert from "node:assert/strict";
import { tableFromIPC } from "apache-arrow";
import { SqlInfo } from "../../../shared/gen/arrow/flight/protocol/sql/FlightSql.ts";
import {
  catalogsTable,
  dbSchemasTable,
  foreignKeysTable,
  matchesPattern,
  primaryKeysTable,
  sqlInfoTable,
  tableIpc,
  tablesTable,
  tableTypesTable,
} from "./sql_metadata.ts";

const shape = (ipc: Uint8Array) => {
  const table = tableFromIPC(ipc);
  return {
    rows: table.toArray().map((r) => r.toJSON()),
    fields: table.schema.fields.map((f) => `${f.name}:${f.type}${f.nullable ? "?" : ""}`),
  };
};

Deno.test("SqlInfo answers the ids asked for (all without any) in FlightSql.proto's union", () => {
  const some = shape(tableIpc(sqlInfoTable([
    SqlInfo.FLIGHT_SQL_SERVER_NAME,
    SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY,
    SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR,
    SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION,
    9_999,
  ])));
  assert.deepEqual(some.fields, [
    "info_name:Uint32",
    "value:Union<Utf8 | Bool | Int64 | Int32 | List<Utf8> | Map<{key:Int32, value:List<Int32>}>>",
  ]);
  assert.deepEqual(some.rows, [
    { info_name: 0, value: "Polaroid" },
    { info_name: 3, value: true },
    { info_name: 504, value: '"' },
    { info_name: 8, value: 0 },
  ]);
  assert.ok(shape(tableIpc(sqlInfoTable([]))).rows.length >= 20);
  // What Polars SQL does (tests/flight/test_flight.py checks it live): nulls sort high;
  // identifiers match as written, which the case enum cannot say.
  assert.deepEqual(
    shape(tableIpc(sqlInfoTable([SqlInfo.SQL_NULL_ORDERING, SqlInfo.SQL_IDENTIFIER_CASE]))).rows,
    [
      { info_name: SqlInfo.SQL_NULL_ORDERING, value: 0 },
      { info_name: SqlInfo.SQL_IDENTIFIER_CASE, value: 0 },
    ],
  );
});

Deno.test("the metadata tables have the schemas FlightSql.proto prescribes", () => {
  assert.deepEqual(shape(tableIpc(catalogsTable())), { rows: [], fields: ["catalog_name:Utf8"] });
  assert.deepEqual(shape(tableIpc(dbSchemasTable(true))), {
    rows: [{ catalog_name: null, db_schema_name: "" }],
    fields: ["catalog_name:Utf8?", "db_schema_name:Utf8"],
  });
  assert.equal(shape(tableIpc(dbSchemasTable(false))).rows.length, 0);
  assert.deepEqual(shape(tableIpc(tableTypesTable())).rows, [{ table_type: "TABLE" }]);
  const tables = shape(tableIpc(tablesTable([{ name: "t", schema: new Uint8Array([1]) }], true)));
  assert.deepEqual(tables.fields, [
    "catalog_name:Utf8?",
    "db_schema_name:Utf8?",
    "table_name:Utf8",
    "table_type:Utf8",
    "table_schema:Binary",
  ]);
  assert.equal(tables.rows[0]!.table_name, "t");
  assert.equal(shape(tableIpc(tablesTable([], false))).fields.length, 4);
  assert.equal(shape(tableIpc(primaryKeysTable())).fields.length, 6);
  assert.equal(shape(tableIpc(foreignKeysTable())).fields.length, 13);
});

Deno.test("filter patterns: % any run, _ one character, the rest literal", () => {
  assert.ok(matchesPattern("trades_2024", "trades%"));
  assert.ok(matchesPattern("trades", "%"));
  assert.ok(matchesPattern("ab", "a_"));
  assert.ok(!matchesPattern("abc", "a_"));
  assert.ok(!matchesPattern("aXb", "a.b"), "a dot is literal");
  assert.ok(matchesPattern("a.b", "a.b"));
  assert.ok(!matchesPattern("Trades", "trades"), "case-sensitive");
  assert.ok(matchesPattern("", ""));
  assert.ok(!matchesPattern("x", ""));
  assert.ok(matchesPattern("a%b", "a_b"), "a % in a name is matched by _ or %");
  assert.ok(matchesPattern("trades", "t%d%s"));
  assert.ok(!matchesPattern("trades", "t%x%s"));
});

Deno.test("a hostile pattern of many % takes linear time, not exponential", () => {
  const name = "a".repeat(64);
  const pattern = "%a".repeat(500) + "b";
  // A regular expression of this pattern would not finish: this one returns.
  assert.equal(matchesPattern(name, pattern), false);
});
