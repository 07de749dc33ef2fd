/**
 * The small result sets of Flight SQL's metadata commands, with exactly the Arrow schemas
 * FlightSql.proto prescribes: SqlInfo, catalogs, database schemas, tables, table types and
 * the (always empty) key listings. Polaroid has no catalogs and no database schemas: a
 * tenant's tables are its named handles, which its SQL reads by name.
 *
 * @module
 */

import {
  Binary,
  Bool,
  DenseUnion,
  Field,
  Int32,
  Int64,
  List,
  makeData,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Uint32,
  Uint8,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import {
  SqlInfo,
  SqlNullOrdering,
  SqlSupportedCaseSensitivity,
  SqlSupportedTransaction,
} from "../../../shared/gen/arrow/flight/protocol/sql/FlightSql.ts";

/** The version the endpoint reports (FLIGHT_SQL_SERVER_VERSION). */
export const SERVER_VERSION = "0.2.0";
/** The Arrow format version of the IPC the engine writes. */
const ARROW_VERSION = "1.5.0";

/** One SqlInfo value: the union member it travels in. */
type InfoValue =
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "bigint"; value: bigint }
  | { kind: "int32"; value: number }
  | { kind: "strings"; value: string[] };

/** What the endpoint answers for each SqlInfo it knows, by id. */
export const SQL_INFO: ReadonlyMap<number, InfoValue> = new Map<number, InfoValue>([
  [SqlInfo.FLIGHT_SQL_SERVER_NAME, { kind: "string", value: "Polaroid" }],
  [SqlInfo.FLIGHT_SQL_SERVER_VERSION, { kind: "string", value: SERVER_VERSION }],
  [SqlInfo.FLIGHT_SQL_SERVER_ARROW_VERSION, { kind: "string", value: ARROW_VERSION }],
  [SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY, { kind: "bool", value: true }],
  [SqlInfo.FLIGHT_SQL_SERVER_SQL, { kind: "bool", value: true }],
  [SqlInfo.FLIGHT_SQL_SERVER_SUBSTRAIT, { kind: "bool", value: false }],
  [SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION, {
    kind: "int32",
    value: SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE,
  }],
  [SqlInfo.FLIGHT_SQL_SERVER_CANCEL, { kind: "bool", value: false }],
  [SqlInfo.FLIGHT_SQL_SERVER_BULK_INGESTION, { kind: "bool", value: false }],
  [SqlInfo.FLIGHT_SQL_SERVER_INGEST_TRANSACTIONS_SUPPORTED, { kind: "bool", value: false }],
  [SqlInfo.FLIGHT_SQL_SERVER_STATEMENT_TIMEOUT, { kind: "int32", value: 0 }],
  [SqlInfo.FLIGHT_SQL_SERVER_TRANSACTION_TIMEOUT, { kind: "int32", value: 0 }],
  [SqlInfo.SQL_DDL_CATALOG, { kind: "bool", value: false }],
  [SqlInfo.SQL_DDL_SCHEMA, { kind: "bool", value: false }],
  [SqlInfo.SQL_DDL_TABLE, { kind: "bool", value: false }],
  // Polars SQL matches table and column names as written, case and all: a case-sensitive
  // mixed case, which the enum cannot say (it has insensitive, upper, lower): unknown.
  [SqlInfo.SQL_IDENTIFIER_CASE, {
    kind: "int32",
    value: SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_UNKNOWN,
  }],
  [SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR, { kind: "string", value: '"' }],
  [SqlInfo.SQL_QUOTED_IDENTIFIER_CASE, {
    kind: "int32",
    value: SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_UNKNOWN,
  }],
  [SqlInfo.SQL_ALL_TABLES_ARE_SELECTABLE, { kind: "bool", value: true }],
  // Polars SQL's ORDER BY puts nulls last ascending and first descending: sorted high.
  [SqlInfo.SQL_NULL_ORDERING, { kind: "int32", value: SqlNullOrdering.SQL_NULLS_SORTED_HIGH }],
  [SqlInfo.SQL_KEYWORDS, { kind: "strings", value: [] }],
  [SqlInfo.SQL_SEARCH_STRING_ESCAPE, { kind: "string", value: "\\" }],
  [SqlInfo.SQL_SUPPORTS_COLUMN_ALIASING, { kind: "bool", value: true }],
  [SqlInfo.SQL_NULL_PLUS_NULL_IS_NULL, { kind: "bool", value: true }],
  [SqlInfo.SQL_TRANSACTIONS_SUPPORTED, { kind: "bool", value: false }],
]);

const nullable = true;
const required = false;

/** The member of SqlInfo's `value` union each kind travels in, by type id. */
const UNION_MEMBERS = ["string", "bool", "bigint", "int32", "strings", "map"] as const;

/** FlightSql.proto's dense union of SqlInfo values. */
function sqlInfoValueType(): DenseUnion {
  const entries = new Struct([
    new Field("key", new Int32(), required),
    new Field("value", new List(new Field("$data$", new Int32(), nullable)), nullable),
  ]);
  return new DenseUnion([0, 1, 2, 3, 4, 5], [
    new Field("string_value", new Utf8(), nullable),
    new Field("bool_value", new Bool(), nullable),
    new Field("bigint_value", new Int64(), nullable),
    new Field("int32_bitmask", new Int32(), nullable),
    new Field("string_list", new List(new Field("string_data", new Utf8(), nullable)), nullable),
    new Field(
      "int32_to_int32_list_map",
      new Map_(new Field("entries", entries, required), false),
      nullable,
    ),
  ]);
}

/** The result of CommandGetSqlInfo: the requested ids the endpoint knows (all when none). */
export function sqlInfoTable(requested: readonly number[]): Table {
  const ids = requested.length === 0
    ? [...SQL_INFO.keys()]
    : requested.filter((id) => SQL_INFO.has(id));
  const values = ids.map((id) => SQL_INFO.get(id)!);
  const typeIds = Int8Array.from(values.map((v) => UNION_MEMBERS.indexOf(v.kind)));
  const offsets = new Int32Array(values.length);
  const members: unknown[][] = UNION_MEMBERS.map(() => []);
  values.forEach((v, i) => {
    const member = members[UNION_MEMBERS.indexOf(v.kind)]!;
    offsets[i] = member.length;
    member.push(v.value);
  });
  const type = sqlInfoValueType();
  const children = type.children.map((field, i) => {
    const data = vectorFromArray(members[i]!, field.type).data[0];
    return data ?? makeData({ type: field.type, length: 0 } as never);
  });
  const value = makeData({
    type,
    length: values.length,
    nullCount: 0,
    typeIds,
    valueOffsets: offsets,
    children,
  });
  const schema = new Schema([
    new Field("info_name", new Uint32(), required),
    new Field("value", type, required),
  ]);
  const infoName = vectorFromArray(ids, new Uint32()).data[0]!;
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: ids.length, children: [infoName, value] }),
  );
  return new Table(schema, [batch]);
}

/** A table of the given schema with these column values (strings, numbers or bytes). */
function tableOf(fields: Field[], columns: unknown[][]): Table {
  const schema = new Schema(fields);
  const length = columns[0]?.length ?? 0;
  const children = fields.map((field, i) => vectorFromArray(columns[i] ?? [], field.type).data[0]!);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length, children }),
  );
  return new Table(schema, [batch]);
}

/** The result of CommandGetCatalogs: Polaroid has none. */
export function catalogsTable(): Table {
  return tableOf([new Field("catalog_name", new Utf8(), required)], [[]]);
}

/**
 * The result of CommandGetDbSchemas: one unnamed schema ("") without a catalog, which holds
 * every table; tools that browse schema by schema (ADBC's GetObjects, JDBC) find the tables
 * there, and the names they qualify tables with stay empty. `include` false leaves it out (a
 * filter that does not match it).
 */
export function dbSchemasTable(include: boolean): Table {
  const rows = include ? [""] : [];
  return tableOf([
    new Field("catalog_name", new Utf8(), nullable),
    new Field("db_schema_name", new Utf8(), required),
  ], [rows.map(() => null), rows]);
}

/** The only table type: a named handle. */
export const TABLE_TYPE = "TABLE";

/** The result of CommandGetTableTypes. */
export function tableTypesTable(): Table {
  return tableOf([new Field("table_type", new Utf8(), required)], [[TABLE_TYPE]]);
}

/** One table of CommandGetTables: a named handle, with its schema when asked for. */
export interface TableEntry {
  name: string;
  /** The IPC-encapsulated Schema message. */
  schema?: Uint8Array;
}

/** The result of CommandGetTables (entries already filtered and sorted by name). */
export function tablesTable(entries: readonly TableEntry[], includeSchema: boolean): Table {
  const fields: Field[] = [
    new Field("catalog_name", new Utf8(), nullable),
    new Field("db_schema_name", new Utf8(), nullable),
    new Field("table_name", new Utf8(), required),
    new Field("table_type", new Utf8(), required),
  ];
  const columns: unknown[][] = [
    entries.map(() => null),
    entries.map(() => null),
    entries.map((e) => e.name),
    entries.map(() => TABLE_TYPE),
  ];
  if (includeSchema) {
    fields.push(new Field("table_schema", new Binary(), required));
    columns.push(entries.map((e) => e.schema ?? new Uint8Array(0)));
  }
  return tableOf(fields, columns);
}

/** The result of CommandGetPrimaryKeys: handles have no keys. */
export function primaryKeysTable(): Table {
  return tableOf([
    new Field("catalog_name", new Utf8(), nullable),
    new Field("db_schema_name", new Utf8(), nullable),
    new Field("table_name", new Utf8(), required),
    new Field("column_name", new Utf8(), required),
    new Field("key_name", new Utf8(), nullable),
    new Field("key_sequence", new Int32(), required),
  ], [[], [], [], [], [], []]);
}

/** The result of CommandGetExportedKeys, ImportedKeys and CrossReference: none. */
export function foreignKeysTable(): Table {
  const fields = [
    new Field("pk_catalog_name", new Utf8(), nullable),
    new Field("pk_db_schema_name", new Utf8(), nullable),
    new Field("pk_table_name", new Utf8(), required),
    new Field("pk_column_name", new Utf8(), required),
    new Field("fk_catalog_name", new Utf8(), nullable),
    new Field("fk_db_schema_name", new Utf8(), nullable),
    new Field("fk_table_name", new Utf8(), required),
    new Field("fk_column_name", new Utf8(), required),
    new Field("key_sequence", new Int32(), required),
    new Field("fk_key_name", new Utf8(), nullable),
    new Field("pk_key_name", new Utf8(), nullable),
    new Field("update_rule", new Uint8(), required),
    new Field("delete_rule", new Uint8(), required),
  ];
  return tableOf(fields, fields.map(() => []));
}

/** A metadata table as one IPC stream (schema, one batch, end). */
export function tableIpc(table: Table): Uint8Array {
  return tableToIPC(table, "stream");
}

/** The longest filter pattern taken (table names are at most 64 characters). */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * True when `name` matches a Flight SQL filter pattern: `%` any run of characters, `_` any
 * one character, everything else literally (case-sensitive). A greedy walk that goes back to
 * the last `%` on a mismatch: time in O(name × pattern) whatever the pattern, where a regular
 * expression of many `%` backtracks exponentially.
 */
export function matchesPattern(name: string, pattern: string): boolean {
  const text = [...name];
  const wild = [...pattern];
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (i < text.length) {
    if (j < wild.length && (wild[j] === "_" || (wild[j] !== "%" && wild[j] === text[i]))) {
      i++;
      j++;
    } else if (j < wild.length && wild[j] === "%") {
      star = j++;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (j < wild.length && wild[j] === "%") j++;
  return j === wild.length;
}
