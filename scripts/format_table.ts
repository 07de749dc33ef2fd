/**
 * Renders an Arrow table as a plain-text grid, as the demo and the CLI print it.
 *
 * @module
 */

import type { Table } from "apache-arrow";

/** Options of formatTable(). */
export interface FormatTableOptions {
  /** Rows shown at most. @default 20 */
  maxRows?: number;
}

export function formatTable(table: Table, options: FormatTableOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  const names = table.schema.fields.map((f) => f.name);
  const types = table.schema.fields.map((f) => String(f.type).toLowerCase());
  const shown = Math.min(table.numRows, maxRows);
  const cells: string[][] = [];
  for (let r = 0; r < shown; r++) {
    cells.push(names.map((_, c) => cell(table.getChildAt(c)?.get(r), types[c]!)));
  }
  const widths = names.map((name, c) =>
    Math.max(name.length, types[c]!.length, ...cells.map((row) => row[c]!.length))
  );
  const line = (values: string[]) =>
    "│ " + values.map((v, c) => v.padEnd(widths[c]!)).join(" │ ") + " │";
  const rule = (l: string, m: string, r: string) =>
    l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  const out = [
    `shape: (${table.numRows}, ${names.length})`,
    rule("┌", "┬", "┐"),
    line(names),
    line(types),
    rule("╞", "╪", "╡"),
    ...cells.map(line),
    rule("└", "┴", "┘"),
  ];
  if (table.numRows > shown) out.splice(out.length - 1, 0, line(names.map(() => "…")));
  return out.join("\n");
}

function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    return Number.isInteger(value) && !type.startsWith("float") ? String(value) : value.toFixed(4);
  }
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
