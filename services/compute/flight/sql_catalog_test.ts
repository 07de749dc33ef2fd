import assert from "node:assert/strict";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import { metadataTable } from "./sql_catalog.ts";
import { MAX_PATTERN_LENGTH } from "./sql_metadata.ts";

Deno.test("a filter pattern past its bound is refused before any handle is listed", async () => {
  // No handles client: the refusal must come first.
  const context = { handles: undefined, ctx: undefined, schemaIpc: undefined } as never;
  const long = "%".repeat(MAX_PATTERN_LENGTH + 1);
  await assert.rejects(
    metadataTable({
      $case: "tables",
      value: { tableNameFilterPattern: long, tableTypes: [], includeSchema: false },
    }, context),
    (e) => e instanceof InvalidArgumentError && /table_name_filter_pattern/.test(e.message),
  );
  await assert.rejects(
    metadataTable({ $case: "dbSchemas", value: { dbSchemaFilterPattern: long } }, context),
    /db_schema_filter_pattern/,
  );
});
