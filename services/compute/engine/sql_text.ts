/**
 * Checks of SQL text before it reaches the engine. Polars' SQL runs table functions
 * (`read_csv('/any/path')`, `read_parquet`, ...) that read server files while the query is
 * planned, so calls of them are refused before: the check scans the raw text and errs on
 * the side of refusing (a name that could be read as code is treated as code, even inside
 * what may be a string literal).
 *
 * @module
 */

import { InvalidPlanError, QueryError } from "../../../shared/errors.ts";

/** Longest SQL query, in UTF-16 code units. */
export const MAX_SQL_CHARS = 262_144;

/** Most words starting with `read_` a query may hold (each is checked for a call). */
const MAX_READ_WORDS = 100;

/**
 * First keywords of statements that are not queries (they would change the per-query
 * context or describe it). Other words reach the engine, whose parser names the error.
 */
const STATEMENTS = new Set([
  "alter",
  "analyze",
  "attach",
  "call",
  "copy",
  "create",
  "deallocate",
  "delete",
  "describe",
  "desc",
  "detach",
  "drop",
  "execute",
  "explain",
  "grant",
  "insert",
  "install",
  "load",
  "merge",
  "prepare",
  "set",
  "show",
  "truncate",
  "update",
  "use",
]);

const WORD = /[A-Za-z0-9_]+/g;
const TABLE_FUNCTION = /(?<![A-Za-z0-9_$])read_[A-Za-z0-9_]*/gi;

/**
 * Every word of the query (runs of ASCII letters, digits, underscores): a superset of the
 * handle names a query may read as tables, quoted or not.
 */
export function sqlWords(query: string): Set<string> {
  return new Set(query.match(WORD) ?? []);
}

/** How many times each word occurs in the query. */
export function sqlWordCounts(query: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of query.match(WORD) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/**
 * Refuses SQL text the engine must not run: statements other than queries (CREATE, DROP,
 * SHOW, ...) and calls of table functions (`read_*`, which read server files). Errors are
 * InvalidPlanError (text too long) or QueryError.
 */
export function checkSqlText(query: string): void {
  if (query.length > MAX_SQL_CHARS) {
    throw new InvalidPlanError(
      `Cannot run the SQL query as 'sql.query' must be at most ${MAX_SQL_CHARS} characters: current value is ${query.length} characters long`,
    );
  }
  const start = firstToken(query);
  if (STATEMENTS.has(start.toLowerCase())) {
    throw new QueryError(
      `Cannot run the SQL query as it must be a query (SELECT, WITH, VALUES or FROM): current value is a ${start.toUpperCase()} statement`,
    );
  }
  let words = 0;
  for (const match of query.matchAll(TABLE_FUNCTION)) {
    if (++words > MAX_READ_WORDS) {
      throw new QueryError(
        `Cannot run the SQL query as it must hold at most ${MAX_READ_WORDS} words starting with 'read_': current value holds more`,
      );
    }
    if (query[skipNameRest(query, match.index + match[0].length)] === "(") {
      throw new QueryError(
        `Cannot run the SQL query as it must read only the tables it is given: current value calls ${
          JSON.stringify(match[0])
        }, which reads server files`,
        { metadata: { function: match[0] } },
      );
    }
  }
}

/** The first word of the query (or its first character), after comments. */
function firstToken(query: string): string {
  const i = skipTrivia(query, 0);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i, i + 64));
  return word ? word[0] : query.slice(i, i + 1);
}

/**
 * The index after whitespace and comments (`--` or `#` to the end of the line, nested block
 * comments) from `i`.
 */
function skipTrivia(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "#" || text.startsWith("--", i)) {
      // The first line break of any kind ends it (refusing more, never less).
      i = lineEnd(text, i);
    } else if (text.startsWith("/*", i)) i = skipBlockComment(text, i);
    else break;
  }
  return i;
}

/**
 * The index after the rest of a compound name from `i` (just after its first word): a
 * closing quote, then any `.part` (bare or quoted), with comments and whitespace anywhere
 * between. Polars names a table function by the first part of such a name, so
 * `read_csv.x('f')` calls read_csv.
 */
function skipNameRest(text: string, i: number): number {
  for (;;) {
    i = skipTrivia(text, i);
    const c = text[i];
    if (c === '"' || c === "`" || c === "'") i++;
    else if (c === ".") {
      i = skipTrivia(text, i + 1);
      const q = text[i];
      if (q === '"' || q === "`" || q === "'") i = skipQuoted(text, i);
      else i += /^[^\s.()'"`,;]*/.exec(text.slice(i, i + 1024))![0].length;
    } else return i;
  }
}

/** The index after the quoted identifier or string starting at `i` (doubled quotes escape). */
function skipQuoted(text: string, i: number): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === q && text[j + 1] === q) j += 2;
    else if (text[j] === q) return j + 1;
    else j++;
  }
  return text.length;
}

/** The index after the first line break (of any kind) from `i`, or the end of the text. */
function lineEnd(text: string, i: number): number {
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return Math.min(i + 1, text.length);
}

function skipBlockComment(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    if (text.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}
