/**
 * Pure builders of the plan nodes that reshape frames: explode, unpivot, unnest, concat,
 * pivot, row indexes, null drops and caches. Each checks nodejs-polars' arguments and
 * returns the protobuf Plan.
 *
 * @module
 */

import { ConcatHow, PivotAgg, type Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { Expr } from "../expr/expr.ts";
import { type ColumnsOrExpr, selectionProtos, type ValueOrArray } from "../functions.ts";

function fail(what: string, must: string, value: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  throw new TypeError(`Cannot ${what} as ${must}: current value is ${shown}`);
}

/** Column names from a name, an array of names or nested arrays; undefined and null are none. */
export function columnNames(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.flat(Infinity) : [value];
  for (const name of list) {
    if (typeof name !== "string") fail(what, "column names must be strings", name);
  }
  return list as string[];
}

function option<K extends string>(
  what: string,
  name: string,
  value: unknown,
  allowed: Readonly<Record<K, number>>,
  fallback: K,
): number {
  const key = value ?? fallback;
  if (typeof key !== "string" || !Object.hasOwn(allowed, key)) {
    fail(what, `'${name}' must be one of ${Object.keys(allowed).join(", ")}`, value);
  }
  return allowed[key as K];
}

/** One row per element of the listed list columns; no column means every column. */
export function explodePlan(input: Plan, columns: readonly ColumnsOrExpr[]): Plan {
  return { node: { $case: "explode", value: { input, columns: selectionProtos([...columns]) } } };
}

/** Options of `unpivot()`. */
export interface UnpivotOptions {
  /** Name of the column of former column names. @default "variable" */
  variableName?: string | null;
  /** Name of the column of values. @default "value" */
  valueName?: string | null;
}

/** Wide to long: `valueVars` (every column not in `idVars` when empty) become rows. */
export function unpivotPlan(
  input: Plan,
  idVars: ValueOrArray<string> | undefined,
  valueVars: ValueOrArray<string> | undefined,
  options: UnpivotOptions = {},
): Plan {
  const name = (key: keyof UnpivotOptions) => {
    const value = options?.[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string" || value === "") {
      fail("unpivot", `'${key}' must be a non-empty string`, value);
    }
    return value;
  };
  return {
    node: {
      $case: "unpivot",
      value: {
        input,
        index: columnNames(idVars, "unpivot"),
        on: columnNames(valueVars, "unpivot"),
        variableName: name("variableName"),
        valueName: name("valueName"),
      },
    },
  };
}

/** Struct columns become one column per field, named `<column><separator><field>` if given. */
export function unnestPlan(input: Plan, columns: ValueOrArray<string>, separator?: string): Plan {
  const names = columnNames(columns, "unnest");
  if (names.length === 0) fail("unnest", "'columns' must name at least one column", columns);
  if (separator !== undefined && typeof separator !== "string") {
    fail("unnest", "'separator' must be a string", separator);
  }
  return { node: { $case: "unnest", value: { input, columns: names, separator } } };
}

/** Largest row index offset (the index is a UInt32). */
const MAX_OFFSET = 2 ** 32 - 1;

/** A UInt32 row index as the first column, from `offset`. */
export function withRowIndexPlan(input: Plan, name = "index", offset = 0): Plan {
  if (typeof name !== "string" || name === "") {
    fail("add a row index", "'name' must be a non-empty string", name);
  }
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw new RangeError(
      `Cannot add a row index as 'offset' must be an integer in [0, ${MAX_OFFSET}]: current value is ${
        String(offset)
      }`,
    );
  }
  return { node: { $case: "withRowIndex", value: { input, name, offset: BigInt(offset) } } };
}

/** Drops the rows with a null in any of `columns` (any column when none is given). */
export function dropNullsPlan(input: Plan, columns: readonly ValueOrArray<string>[]): Plan {
  return {
    node: { $case: "dropNulls", value: { input, subset: columnNames(columns, "drop nulls") } },
  };
}

/** Caches the input's result for the plan's other uses of it. */
export function cachePlan(input: Plan): Plan {
  return { node: { $case: "cache", value: { input } } };
}

/** How `concat()` combines frames. */
export type ConcatHowName =
  | "vertical"
  | "verticalRelaxed"
  | "horizontal"
  | "diagonal"
  | "diagonalRelaxed"
  | "align"
  | "alignInner"
  | "alignFull"
  | "alignLeft"
  | "alignRight";

/** Options of `concat()`, as nodejs-polars' ConcatOptions. */
export interface ConcatOptions {
  /**
   * "vertical" stacks rows (as nodejs-polars, columns are cast to their supertype),
   * "horizontal" puts columns side by side, "diagonal" takes the union of the columns,
   * "align" (and "alignInner", "alignFull", "alignLeft", "alignRight") puts them side by side
   * matching rows on the columns every frame has.
   * @default "vertical"
   */
  how?: ConcatHowName;
  /** Accepted for nodejs-polars compatibility; results are the same. @default false */
  rechunk?: boolean;
  /** Run the inputs in parallel. @default true */
  parallel?: boolean;
}

const CONCAT_HOW: Readonly<Record<ConcatHowName, ConcatHow>> = {
  vertical: ConcatHow.CONCAT_HOW_VERTICAL,
  verticalRelaxed: ConcatHow.CONCAT_HOW_VERTICAL_RELAXED,
  horizontal: ConcatHow.CONCAT_HOW_HORIZONTAL,
  diagonal: ConcatHow.CONCAT_HOW_DIAGONAL,
  diagonalRelaxed: ConcatHow.CONCAT_HOW_DIAGONAL_RELAXED,
  align: ConcatHow.CONCAT_HOW_ALIGN,
  alignInner: ConcatHow.CONCAT_HOW_ALIGN_INNER,
  alignFull: ConcatHow.CONCAT_HOW_ALIGN_FULL,
  alignLeft: ConcatHow.CONCAT_HOW_ALIGN_LEFT,
  alignRight: ConcatHow.CONCAT_HOW_ALIGN_RIGHT,
};

/** Several plans combined into one. */
export function concatPlan(inputs: readonly Plan[], options: ConcatOptions = {}): Plan {
  if (inputs.length === 0) fail("concat", "'items' must not be empty", []);
  const how = option("concat", "how", options.how, CONCAT_HOW, "vertical") as ConcatHow;
  return {
    node: {
      $case: "concat",
      value: {
        inputs: [...inputs],
        how,
        rechunk: options.rechunk ?? false,
        parallel: options.parallel ?? true,
      },
    },
  };
}

/** How pivot aggregates the values of one cell. */
export type PivotAggName = "first" | "sum" | "max" | "min" | "mean" | "median" | "last" | "count";

/** Options of `pivot()`, as nodejs-polars' DataFrame.pivot. */
export interface PivotOptions {
  /** Columns whose values fill the cells. @default every column not in index or on */
  values?: ValueOrArray<string>;
  /** Columns that stay as rows. */
  index: ValueOrArray<string>;
  /** Columns whose values become column names. */
  on: ValueOrArray<string>;
  /** Aggregation of the values of a cell (an Expr is not supported). @default "first" */
  aggregateFunc?: PivotAggName;
  /** Keep the order of `index` values as they appear. @default true */
  maintainOrder?: boolean;
  /** Sort the new columns by name. @default false */
  sortColumns?: boolean;
  /** Between value column and `on` value in new names, with several values. @default "_" */
  separator?: string;
}

const PIVOT_AGG: Readonly<Record<PivotAggName, PivotAgg>> = {
  first: PivotAgg.PIVOT_AGG_FIRST,
  sum: PivotAgg.PIVOT_AGG_SUM,
  max: PivotAgg.PIVOT_AGG_MAX,
  min: PivotAgg.PIVOT_AGG_MIN,
  mean: PivotAgg.PIVOT_AGG_MEAN,
  median: PivotAgg.PIVOT_AGG_MEDIAN,
  last: PivotAgg.PIVOT_AGG_LAST,
  count: PivotAgg.PIVOT_AGG_COUNT,
};

/** Long to wide: `pivot(values, {index, on, ...})` or `pivot({values, index, on, ...})`. */
export function pivotPlan(
  input: Plan,
  values: ValueOrArray<string> | PivotOptions,
  options?: Omit<PivotOptions, "values">,
): Plan {
  const opts: PivotOptions = typeof values === "object" && !Array.isArray(values)
    ? values as PivotOptions
    : { ...(options as PivotOptions), values: values as ValueOrArray<string> };
  if (typeof opts !== "object" || opts === null) fail("pivot", "'options' must be an object", opts);
  if ((opts.aggregateFunc as unknown) instanceof Expr) {
    fail("pivot", "'aggregateFunc' must be an aggregation name (Expr is not supported)", "Expr");
  }
  const on = columnNames(opts.on, "pivot");
  if (on.length === 0) fail("pivot", "'on' must name at least one column", opts.on);
  const index = columnNames(opts.index, "pivot");
  if (index.length === 0) fail("pivot", "'index' must name at least one column", opts.index);
  return {
    node: {
      $case: "pivot",
      value: {
        input,
        values: columnNames(opts.values, "pivot"),
        index,
        on,
        aggregate: option("pivot", "aggregateFunc", opts.aggregateFunc, PIVOT_AGG, "first"),
        maintainOrder: opts.maintainOrder ?? true,
        sortColumns: opts.sortColumns ?? false,
        separator: opts.separator,
      },
    },
  };
}
