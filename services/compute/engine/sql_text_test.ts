import assert from "node:assert/strict";
import { InvalidPlanError, QueryError } from "../../../shared/errors.ts";
import { checkSqlText, MAX_SQL_CHARS, sqlWordCounts, sqlWords } from "./sql_text.ts";

Deno.test("checkSqlText() lets queries through, whatever their first keyword or comments", () => {
  for (
    const query of [
      "SELECT 1",
      "  -- a comment\n  with c AS (SELECT 1) SELECT * FROM c",
      "/* outer /* nested */ still */ VALUES (1)",
      "(SELECT read_count FROM t WHERE (read_count > 1))",
      "SELECT 'read_csv' AS s, \"read_x\" FROM t",
      "FROM t SELECT *",
      "SELEC typo", // the engine's parser reports this one
    ]
  ) {
    checkSqlText(query);
  }
});

Deno.test("checkSqlText() refuses table functions however they are spelled", () => {
  for (
    const query of [
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM READ_CSV ('/etc/passwd')",
      "SELECT * FROM \"read_parquet\"('/x')",
      "SELECT * FROM `read_ipc`('/x')",
      "SELECT * FROM read_json/* c */('/x')",
      "SELECT * FROM read_csv -- c\n('/x')",
      "SELECT * FROM read_csv -- c\r('/x')",
      "SELECT * FROM read_csv.x('/x')",
      "SELECT * FROM read_csv . \"a b\" ('/x')",
      "SELECT * FROM read_ndjson\n\t('/x')",
    ]
  ) {
    assert.throws(
      () => checkSqlText(query),
      (e: unknown) => e instanceof QueryError && /reads server files/.test(e.message),
      query,
    );
  }
});

Deno.test("checkSqlText() refuses statements other than queries and overlong text", () => {
  for (const query of ["SHOW TABLES", "drop table t", "/* x */ CREATE TABLE z AS SELECT 1"]) {
    assert.throws(
      () => checkSqlText(query),
      (e: unknown) => e instanceof QueryError && /must be a query/.test(e.message),
      query,
    );
  }
  assert.throws(
    () => checkSqlText(`SELECT '${"x".repeat(MAX_SQL_CHARS)}'`),
    (e: unknown) => e instanceof InvalidPlanError && /at most 262144 characters/.test(e.message),
  );
  assert.throws(() => checkSqlText(`SELECT ${"read_x, ".repeat(101)} 1`), QueryError);
});

Deno.test("checkSqlText() takes linear time on adversarial comments", () => {
  const started = performance.now();
  checkSqlText(`SELECT 1 ${"read_x /*".repeat(90)}${"-- c\n".repeat(40_000)}`);
  assert.ok(performance.now() - started < 2000);
});

Deno.test("sqlWords() and sqlWordCounts() see names quoted or not", () => {
  const query = 'SELECT * FROM trades JOIN "quotes" q ON trades.s = q.s -- Trades';
  assert.ok(sqlWords(query).has("quotes"));
  assert.ok(sqlWords(query).has("Trades"));
  assert.equal(sqlWordCounts(query).get("trades"), 2);
  assert.equal(sqlWordCounts(query).get("s"), 2);
});
