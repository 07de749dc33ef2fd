/**
 * Flight SQL's metadata commands answered from the caller's handles: its named handles are
 * its tables (the names its SQL reads), with no catalog and no database schema.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import type { Buffer } from "node:buffer";
import type { Schema } from "../../../shared/gen/polaroid/v1/types.ts";
import type { HandleInfo } from "../../../shared/gen/polaroid/v1/handle.ts";
import type { CallContext } from "../../../shared/grpc/types.ts";
import type { HandlesClient } from "../resolver.ts";
import type { MetadataCommand } from "./commands.ts";
import {
  catalogsTable,
  dbSchemasTable,
  foreignKeysTable,
  matchesPattern,
  MAX_PATTERN_LENGTH,
  primaryKeysTable,
  sqlInfoTable,
  TABLE_TYPE,
  tablesTable,
  tableTypesTable,
} from "./sql_metadata.ts";

/** What answering a metadata command needs. */
export interface CatalogContext {
  handles: HandlesClient;
  ctx: CallContext;
  /** A schema as Flight's IPC-encapsulated Schema message. */
  schemaIpc: (schema: Schema | undefined) => Buffer;
}

/** Tables listed at most: a tenant's named handles beyond it are left out of GetTables. */
export const MAX_LISTED_TABLES = 10_000;

/** Every live handle of `tenant`, a page of the catalog at a time. */
export async function* ownedHandles(
  handles: HandlesClient,
  tenant: string,
): AsyncGenerator<HandleInfo> {
  let after = "";
  do {
    const page = await handles.unary("listHandles", { limit: 1000, after, names: [] }, {
      tenant,
    });
    yield* page.handles;
    after = page.nextAfter;
  } while (after !== "");
}

/** The caller's named handles (at most MAX_LISTED_TABLES), by name. */
async function namedHandles({ handles, ctx }: CatalogContext): Promise<HandleInfo[]> {
  const named: HandleInfo[] = [];
  for await (const handle of ownedHandles(handles, ctx.tenant)) {
    if (handle.name !== "") named.push(handle);
    if (named.length === MAX_LISTED_TABLES) break;
  }
  return named.sort((a, b) => a.name < b.name ? -1 : 1);
}

/** Refuses a filter pattern longer than MAX_PATTERN_LENGTH, naming the field. */
function checkPattern(pattern: string | undefined, field: string): void {
  if (pattern !== undefined && pattern.length > MAX_PATTERN_LENGTH) {
    throw new InvalidArgumentError(
      `Cannot filter by '${field}' as it may be at most ${MAX_PATTERN_LENGTH} characters long: current length is ${pattern.length}`,
    );
  }
}

/** The result table of a metadata command. */
export async function metadataTable(
  command: MetadataCommand,
  context: CatalogContext,
): Promise<Table> {
  switch (command.$case) {
    case "sqlInfo":
      return sqlInfoTable(command.value.info);
    case "catalogs":
      return catalogsTable();
    case "dbSchemas": {
      const { catalog, dbSchemaFilterPattern } = command.value;
      checkPattern(dbSchemaFilterPattern, "db_schema_filter_pattern");
      const include = (catalog === undefined || catalog === "") &&
        (dbSchemaFilterPattern === undefined || matchesPattern("", dbSchemaFilterPattern));
      return dbSchemasTable(include);
    }
    case "tableTypes":
      return tableTypesTable();
    case "tables": {
      const { catalog, dbSchemaFilterPattern, tableNameFilterPattern, tableTypes, includeSchema } =
        command.value;
      checkPattern(dbSchemaFilterPattern, "db_schema_filter_pattern");
      checkPattern(tableNameFilterPattern, "table_name_filter_pattern");
      // Tables have no catalog and no schema: a filter that needs one matches nothing.
      const none = (catalog !== undefined && catalog !== "") ||
        (dbSchemaFilterPattern !== undefined && !matchesPattern("", dbSchemaFilterPattern)) ||
        (tableTypes.length > 0 && !tableTypes.includes(TABLE_TYPE));
      const handles = none ? [] : await namedHandles(context);
      const entries = handles
        .filter((h) =>
          tableNameFilterPattern === undefined || matchesPattern(h.name, tableNameFilterPattern)
        )
        .map((h) => ({
          name: h.name,
          ...(includeSchema ? { schema: context.schemaIpc(h.schema) } : {}),
        }));
      return tablesTable(entries, includeSchema);
    }
    case "primaryKeys":
      return primaryKeysTable();
    case "exportedKeys":
    case "importedKeys":
    case "crossReference":
      return foreignKeysTable();
  }
}
