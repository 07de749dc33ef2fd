/**
 * The expression constructors of nodejs-polars: `col`, `cols`, `lit`, `len`.
 *
 * @module
 */

import type { Expr as ProtoExpr } from "../shared/gen/polaroid/v1/expr.ts";
import type { DataType } from "./datatypes.ts";
import { Expr } from "./expr.ts";
import { literalProto, type LiteralValue } from "./literal.ts";

/** A value or a nested array of values (as nodejs-polars' `ValueOrArray`). */
export type ValueOrArray<T> = T | ValueOrArray<T>[];

/** Column names or expressions, possibly nested in arrays. */
export type ColumnsOrExpr = ValueOrArray<string | Expr>;

function columnProto(name: string): ProtoExpr {
  if (typeof name !== "string") {
    throw new TypeError(
      `Cannot select column as 'name' must be a string: current value is ${String(name)}`,
    );
  }
  return { kind: { $case: "column", value: { name } } };
}

/**
 * A column by name; `"*"` is every column and `"^...$"` a regex. An array of names stands
 * for those columns in that order (`col(["a", "b"]).sum()` sums each).
 */
export function col(name: string | readonly string[]): Expr {
  return Array.isArray(name)
    ? new Expr(name.map(columnProto))
    : new Expr(columnProto(name as string));
}

/** Several columns by name: `cols("a", "b")` is `col(["a", "b"])`. */
export function cols(name: string | readonly string[], ...names: string[]): Expr {
  return col([name, ...names].flat());
}

/**
 * A literal. A number is a Float64 (as in nodejs-polars), a bigint an Int64, a Date a
 * Datetime("ms"); an explicit `dtype` wins (`lit(5, DataType.Int64)`).
 */
export function lit(value: LiteralValue, dtype?: DataType): Expr {
  return new Expr(literalProto(value, dtype));
}

/** The number of rows (in a group, in an aggregation). */
export function len(): Expr {
  return new Expr({ kind: { $case: "len", value: {} } });
}

/**
 * The protobuf expressions of a selection: strings are column names, arrays are flattened
 * and a multi-column Expr gives one expression per column.
 */
export function selectionProtos(selection: ColumnsOrExpr | readonly ColumnsOrExpr[]): ProtoExpr[] {
  const out: ProtoExpr[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item instanceof Expr) out.push(...item.toProtos());
    else if (typeof item === "string") out.push(columnProto(item));
    else {
      throw new TypeError(
        `Cannot select as each item must be a column name or an Expr: current value is ${
          String(item)
        }`,
      );
    }
  };
  visit(selection);
  return out;
}

/** One expression from a column name or an Expr (a filter predicate, a join key...). */
export function singleProto(value: string | Expr): ProtoExpr {
  if (typeof value === "string") return columnProto(value);
  if (value instanceof Expr) return value.toProto();
  throw new TypeError(
    `Cannot use value as it must be a column name or an Expr: current value is ${String(value)}`,
  );
}
