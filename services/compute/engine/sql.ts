/**
 * Sql nodes: a SQL query over named tables, each table a plan, run through Polars'
 * SQLContext so the query becomes ONE lazy plan with the tables' plans inside it (it
 * composes with the nodes around it, and Polars optimises across both).
 *
 * nodejs-polars' SQLContext.execute() loses every SQL error: the native context returns
 * the error as a value, which the wrapper then calls `collectSync` on ("_ldf.collectSync is
 * not a function"). This module calls the native context directly and turns the returned
 * error into a QueryError with the engine's own message.
 *
 * @module
 */

import pl from "nodejs-polars";
import native from "nodejs-polars/bin/internals/polars_internal.js";
import { LimitExceededError, QueryError } from "../../../shared/errors.ts";
import type { Sql } from "../../../shared/gen/polaroid/v1/plan.ts";
import { engineMessage, missingColumn } from "./errors.ts";
import { MAX_PAD_WIDTH } from "./functions/string_pad.ts";
import { checkSqlText, sqlWordCounts } from "./sql_text.ts";

/** The native SQL context of nodejs-polars (not wrapped: see the module comment). */
interface NativeSqlContext {
  register(name: string, ldf: unknown): void;
  /** A native LazyFrame, or the SQL error as a value. */
  execute(query: string): unknown;
  getTables(): string[];
}

type NativeModule = { SqlContext: new () => NativeSqlContext };

/** Longest table name of a Sql node. */
export const MAX_SQL_TABLE_NAME_LENGTH = 256;

/** Rows an SQL cross join may produce when the caller names no limit. */
const DEFAULT_MAX_CROSS_JOIN_ROWS = 100_000_000;

const PAD_CALL = /\.str\.pad_(?:start|end)\(/g;
const LITERAL_WIDTH = /^\[(?:dyn int: )?(\d{1,16})(?:\.strict_cast\(Int64\))?\]/;
const RELATION_NOT_FOUND = /relation '((?:[^'\\]|\\.)*)' was not found/;

function nativeModule(): NativeModule {
  const module = native as unknown as Partial<NativeModule> & { default?: NativeModule };
  return module.SqlContext ? module as NativeModule : module.default!;
}

/**
 * The LazyFrame of a Sql node: every table (built by the caller, one per entry of `tables`)
 * registered under its name, then the query planned over them. Named handles
 * (`owned_handles`) must already be among the tables (the service adds them before
 * resolving frames; see sql_owned.ts). Errors: QueryError with the engine's message for SQL
 * errors (syntax, unknown table or column, unsupported feature); LimitExceededError for a
 * padding that could exhaust memory. Cross joins are bounded before the plan runs
 * (sqlCrossJoinRows()).
 */
export function buildSql(
  sql: Sql,
  tables: ReadonlyMap<string, pl.LazyDataFrame>,
): pl.LazyDataFrame {
  checkSqlText(sql.query);
  const context = new (nativeModule().SqlContext)();
  for (const [name, lf] of tables) {
    checkTableName(name);
    context.register(name, lf._ldf);
  }
  let result: unknown;
  try {
    result = context.execute(sql.query);
  } catch (error) {
    result = error;
  }
  if (result instanceof Error) throw sqlError(result, sql, [...tables.keys()]);
  const added = context.getTables().filter((name) => !tables.has(name));
  if (added.length > 0) {
    throw new QueryError(
      `Cannot run the SQL query as it must read only the tables it is given: current value also reads ${
        JSON.stringify(added.slice(0, 5))
      }`,
    );
  }
  const lf = pl._LazyDataFrame(result);
  checkPadding(sql.query, lf);
  return lf;
}

function checkTableName(name: string): void {
  if (name === "" || name.length > MAX_SQL_TABLE_NAME_LENGTH) {
    throw new QueryError(
      `Cannot run the SQL query as table names must be 1 to ${MAX_SQL_TABLE_NAME_LENGTH} characters long: current value is ${
        JSON.stringify(name.slice(0, 40))
      }`,
    );
  }
}

/** A QueryError with the engine's message; unknown tables and columns are named. */
function sqlError(error: Error, sql: Sql, tables: string[]): QueryError {
  const message = engineMessage(error.message);
  const relation = RELATION_NOT_FOUND.exec(message)?.[1];
  if (relation !== undefined) {
    const known = tables.length === 0 ? "none" : tables.sort().slice(0, 20).join(", ");
    const hint = sql.ownedHandles ? "" : "; named handles are tables only with owned_handles";
    return new QueryError(`${message} (tables: ${known}${hint})`, {
      cause: error,
      metadata: { table: relation },
    });
  }
  const column = missingColumn(message);
  return new QueryError(message, {
    cause: error,
    metadata: column === undefined ? {} : { column },
  });
}

/**
 * LPAD and RPAD allocate a string of the asked width per row: a width that is not a literal
 * of at most MAX_PAD_WIDTH is refused (read from the plan Polars built, so no spelling of
 * the query can hide one).
 */
function checkPadding(query: string, lf: pl.LazyDataFrame): void {
  if (!/pad/i.test(query)) return;
  const plan = lf.describePlan();
  for (const match of plan.matchAll(PAD_CALL)) {
    const rest = plan.slice(match.index + match[0].length, match.index + match[0].length + 80);
    const width = LITERAL_WIDTH.exec(rest)?.[1];
    if (width === undefined || Number(width) > MAX_PAD_WIDTH) {
      throw new LimitExceededError(
        `Cannot run the SQL query as LPAD/RPAD widths must be integer literals of at most ${MAX_PAD_WIDTH}: current value is ${
          rest.split("]")[0]
        }]`,
        { metadata: { limit: String(MAX_PAD_WIDTH) } },
      );
    }
  }
}

/** How many times CROSS occurs in a query (as a word, in any case). */
export function sqlCrosses(query: string): number {
  return lowerWords(query).get("cross") ?? 0;
}

/** Whether the query names each table (as a word, in any case). */
export function sqlReferences(query: string, tables: readonly string[]): boolean[] {
  const words = lowerWords(query);
  return tables.map((name) => words.has(name.toLowerCase()));
}

function lowerWords(query: string): Map<string, number> {
  const words = new Map<string, number>();
  for (const [word, count] of sqlWordCounts(query)) {
    const key = word.toLowerCase();
    words.set(key, (words.get(key) ?? 0) + count);
  }
  return words;
}

/**
 * Throws LimitExceededError when a query with CROSS JOIN could pass `maxRows`: rows of every
 * table reference (each table's rows times the times its name occurs in the query) raised to
 * the power of one more than the times CROSS occurs. A cross join with UNNEST cannot be
 * bounded from the tables and is refused. Returns the bound.
 */
export function checkSqlCrossJoins(
  query: string,
  tableRows: ReadonlyMap<string, number>,
  maxRows = DEFAULT_MAX_CROSS_JOIN_ROWS,
): number {
  const words = lowerWords(query);
  const crosses = words.get("cross") ?? 0;
  if (crosses === 0) return Infinity;
  let rows = words.has("unnest") ? Infinity : 0;
  for (const [name, count] of tableRows) {
    const refs = words.get(name.toLowerCase()) ?? 0;
    if (refs > 0 && rows < Infinity) rows += refs * count;
  }
  const bound = rows ** (crosses + 1);
  if (bound > maxRows) {
    throw new LimitExceededError(
      `Cannot run the SQL query as its cross joins must produce at most ${maxRows} rows: current value is up to ${bound} (${rows} rows of tables, ${crosses} CROSS)`,
      { metadata: { limit: String(maxRows) } },
    );
  }
  return bound;
}
