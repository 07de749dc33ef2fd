/**
 * How an example's result through the SDK is compared with nodejs-polars': same column
 * names and types (the string types Utf8, LargeUtf8 and Utf8View are one, nested too), same rows in the
 * same order (as multisets when the query's row order is undefined), floats equal within
 * 1e-9 relative (1e-12 absolute near 0), NaN equal to NaN.
 *
 * @module
 */

import { type Table, Vector } from "apache-arrow";

/** Relative tolerance on floats. */
export const FLOAT_TOLERANCE = 1e-9;

/** The string types as one, nested in lists and structs too (Collect narrows LargeUtf8). */
function typeName(type: unknown): string {
  return String(type).replace(/\b(Large)?Utf8(View)?\b/g, "Utf8");
}

/** A table's schema as "name: type" strings. */
export function schemaOf(table: Table): string[] {
  return table.schema.fields.map((f) => `${f.name}: ${typeName(f.type)}`);
}

/** A cell as a plain value: lists as arrays, structs as objects. */
function plain(v: unknown): unknown {
  if (v instanceof Vector) return [...v].map(plain);
  const row = v as { toJSON?: () => Record<string, unknown> } | null;
  if (typeof v === "object" && !(v instanceof Date) && typeof row?.toJSON === "function") {
    const fields = row.toJSON();
    return Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** The rows of a table, each an array of plain cells. */
export function rowsOf(table: Table): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 0; r < table.numRows; r++) {
    rows.push(table.schema.fields.map((_, c) => plain(table.getChildAt(c)?.get(r))));
  }
  return rows;
}

function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(1e-12, FLOAT_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)));
}

/** Deep equality of plain cells, floats within tolerance. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return sameNumber(a, b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length &&
      ka.every((k, i) => k === kb[i] && sameValue((a as never)[k], (b as never)[k]));
  }
  return a === b;
}

/** A cell as text, for reports (bigint as digits, floats as JSON numbers). */
export function show(v: unknown): string {
  return JSON.stringify(v, (_, x) => {
    if (typeof x === "bigint") return Number(x);
    if (typeof x === "number" && !Number.isFinite(x)) return String(x);
    return x;
  }) ?? "undefined";
}

function sortedRows(rows: unknown[][]): unknown[][] {
  const keyed = rows.map((row) => [show(row), row] as const);
  keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return keyed.map(([, row]) => row);
}

/**
 * Where two tables differ, in words, or undefined when they are the same.
 * @param unordered Compare rows as multisets. @default false
 */
export function tableDifference(
  expected: Table,
  actual: Table,
  unordered = false,
): string | undefined {
  const es = schemaOf(expected);
  const as = schemaOf(actual);
  if (es.join(", ") !== as.join(", ")) {
    return `schema differs: expected {${es.join(", ")}}, got {${as.join(", ")}}`;
  }
  if (expected.numRows !== actual.numRows) {
    return `row count differs: expected ${expected.numRows}, got ${actual.numRows}`;
  }
  const e = unordered ? sortedRows(rowsOf(expected)) : rowsOf(expected);
  const a = unordered ? sortedRows(rowsOf(actual)) : rowsOf(actual);
  for (let r = 0; r < e.length; r++) {
    for (let c = 0; c < es.length; c++) {
      if (!sameValue(e[r]![c], a[r]![c])) {
        const column = expected.schema.fields[c]!.name;
        return `row ${r}, column "${column}": expected ${show(e[r]![c])}, got ${show(a[r]![c])}`;
      }
    }
  }
  return undefined;
}

/** A small table as text: the schema, then up to `limit` rows. */
export function showTable(table: Table, limit = 12): string {
  const rows = rowsOf(table);
  const lines = [`{${schemaOf(table).join(", ")}}`, ...rows.slice(0, limit).map(show)];
  if (rows.length > limit) lines.push(`... ${rows.length - limit} more rows`);
  return lines.join("\n");
}
