/**
 * Frame-level operations composed from expressions, with nodejs-polars' results:
 * `fillNull`, `shift`, `shiftAndFill` and `reverse` apply to every column (`col("*")`);
 * `fillNan`, the statistics (`max` ... `quantile`) and `describe` depend on column types
 * (Polars gives null for a type a statistic does not support, where the expression would
 * fail), so they are built from the input's schema, per column.
 *
 * @module
 */

import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { DataType, type DataTypeName, type Schema } from "../datatypes.ts";
import type { InterpolationMethod } from "../expr/_core_args.ts";
import { callMethod } from "../expr/call.ts";
import { Expr, type ExprOrValue, toExpr } from "../expr/expr.ts";
import { col, lit } from "../functions.ts";
import { selectPlan, withColumnsPlan } from "./plan.ts";
import { concatPlan } from "./plan_reshape.ts";

/** A plan built from its input and the input's schema (for builders that depend on types). */
export type SchemaBuilder = (input: Plan, schema: Schema) => Plan;

/** A statistic of every column, as nodejs-polars' LazyDataFrame computes it. */
export type Statistic = "max" | "min" | "mean" | "median" | "sum" | "std" | "var" | "quantile";

const INTEGERS: readonly DataTypeName[] = [
  "Int8",
  "Int16",
  "Int32",
  "Int64",
  "UInt8",
  "UInt16",
  "UInt32",
  "UInt64",
];
const NUMERIC: readonly DataTypeName[] = [...INTEGERS, "Float32", "Float64"];
const TEMPORAL: readonly DataTypeName[] = ["Date", "Datetime", "Duration", "Time"];

/** The types each statistic supports (measured on nodejs-polars 0.25.2, Polars 0.54). */
const SUPPORTED: Readonly<Record<Statistic, ReadonlySet<DataTypeName>>> = {
  max: except(["List", "Struct", "Binary"]),
  min: except(["List", "Struct", "Binary"]),
  mean: new Set(["Null", "Bool", ...NUMERIC, ...TEMPORAL, "Decimal"]),
  median: new Set(["Null", "Bool", ...NUMERIC, ...TEMPORAL]),
  sum: new Set(["Null", "Bool", ...NUMERIC, "Duration", "Decimal"]),
  std: new Set(["Null", "Bool", ...NUMERIC, "Decimal"]),
  var: new Set(["Null", "Bool", ...NUMERIC, "Decimal"]),
  quantile: new Set(["Null", ...NUMERIC, ...TEMPORAL, "Decimal"]),
};

function except(names: readonly DataTypeName[]): ReadonlySet<DataTypeName> {
  const all: DataTypeName[] = [
    "Null",
    "Bool",
    ...NUMERIC,
    "String",
    ...TEMPORAL,
    "Categorical",
    "List",
    "Struct",
    "Binary",
    "Decimal",
  ];
  return new Set(all.filter((n) => !names.includes(n)));
}

/** Options of the statistics that take some. */
export interface StatisticOptions {
  /** std and var. @default 1 */
  ddof?: number;
  /** quantile: in [0, 1]. */
  quantile?: number;
  /** quantile. @default "nearest" */
  interpolation?: InterpolationMethod;
}

/**
 * One row: the statistic of each column, or a typed null where the column's type does not
 * support it (as nodejs-polars). Arguments are checked now, the plan built per schema.
 */
export function statisticPlan(stat: Statistic, options: StatisticOptions = {}): SchemaBuilder {
  const apply = statistic(stat, options);
  return (input, schema) =>
    selectPlan(input, Object.entries(schema).map(([name, dtype]) => apply(name, dtype)));
}

function statistic(
  stat: Statistic,
  options: StatisticOptions,
): (name: string, dtype: DataType) => Expr {
  const compute = (e: Expr): Expr => {
    switch (stat) {
      case "std":
        return e.std(options.ddof ?? 1);
      case "var":
        return e.var(options.ddof ?? 1);
      case "quantile":
        return e.quantile(options.quantile as number, options.interpolation ?? "nearest");
      default:
        return e[stat]();
    }
  };
  compute(col("_")); // checks the arguments now
  return (name, dtype) =>
    SUPPORTED[stat].has(dtype.variant) ? compute(col(name)) : lit(null, dtype).alias(name);
}

/** Fills NaN in the float columns only (as nodejs-polars); other columns are left as they are. */
export function fillNanPlan(value: number | Expr): SchemaBuilder {
  const fill = fillValue("fillNan", value);
  return (input, schema) => {
    const floats = Object.entries(schema)
      .filter(([, dtype]) => dtype.variant === "Float32" || dtype.variant === "Float64")
      .map(([name]) => name);
    return floats.length === 0
      ? input
      : withColumnsPlan(input, [callMethod(col(floats), "fillNan", [fill])]);
  };
}

function fillValue(what: string, value: unknown): Expr {
  if (value instanceof Expr || ["number", "string", "bigint", "boolean"].includes(typeof value)) {
    return toExpr(value as ExprOrValue);
  }
  throw new TypeError(
    `Cannot ${what} as 'fillValue' must be a number, a string or an Expr: current value is ${
      String(value)
    }`,
  );
}

/** Replaces nulls in every column with `value` (a plain value is a literal). */
export function fillNullPlan(input: Plan, value: ExprOrValue): Plan {
  return selectPlan(input, [callMethod(col("*"), "fillNull", [fillValue("fillNull", value)])]);
}

function periodsOf(what: string, value: unknown): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `Cannot ${what} as 'periods' must be an integer: current value is ${String(value)}`,
    );
  }
  return value as number;
}

/** Every column shifted by `periods` rows (negative: upwards), nulls filling the gap. */
export function shiftPlan(input: Plan, periods: number): Plan {
  return selectPlan(input, [callMethod(col("*"), "shift", [periodsOf("shift", periods)])]);
}

/** Every column shifted by `n` rows, `fillValue` filling the gap. */
export function shiftAndFillPlan(input: Plan, n: number, fillValue: number): Plan {
  if (typeof fillValue !== "number") {
    throw new TypeError(
      `Cannot shift and fill as 'fillValue' must be a number: current value is ${
        String(fillValue)
      }`,
    );
  }
  return selectPlan(input, [
    callMethod(col("*"), "shiftAndFill", [periodsOf("shift and fill", n), fillValue]),
  ]);
}

/** The rows in reverse order. */
export function reversePlan(input: Plan): Plan {
  return selectPlan(input, [callMethod(col("*"), "reverse")]);
}

const DESCRIBED: readonly Statistic[] = ["mean", "std", "min", "max", "median"];

/**
 * nodejs-polars' `df.describe()`: rows mean, std, min, max and median after a "describe"
 * column; numeric and boolean columns as Float64. Where nodejs-polars fails to stack rows of
 * different types (a Date column: its mean is a Datetime), the rows take their supertype.
 */
export function describePlan(input: Plan, schema: Schema): Plan {
  const asFloat = (dtype: DataType) => dtype.variant === "Bool" || NUMERIC.includes(dtype.variant);
  const rows = DESCRIBED.map((stat) => {
    const apply = statistic(stat, {});
    const columns = Object.entries(schema).map(([name, dtype]) => {
      const value = apply(name, dtype);
      return asFloat(dtype) ? value.cast(DataType.Float64).alias(name) : value;
    });
    return selectPlan(input, [lit(stat).alias("describe"), ...columns]);
  });
  return concatPlan(rows, { how: "vertical" });
}
