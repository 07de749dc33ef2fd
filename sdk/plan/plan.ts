/**
 * Pure builders of plan nodes: each takes its input plan(s) and the arguments of the
 * nodejs-polars method, checks them, and returns the protobuf Plan. No I/O here.
 *
 * @module
 */

import { refuseOptions } from "../option_audit.ts";
import type { DataType as ProtoDataType } from "../../shared/gen/polaroid/v1/types.ts";
import {
  type FileScan,
  JoinMaintainOrder,
  JoinType,
  type Plan,
  UniqueKeep,
} from "../../shared/gen/polaroid/v1/plan.ts";
import { DataType } from "../datatypes.ts";
import { Expr } from "../expr/expr.ts";
import {
  type ColumnsOrExpr,
  selectionProtos,
  singleProto,
  type ValueOrArray,
} from "../functions.ts";

/** Options of `sort()` in its options-object form. */
export interface SortOptions {
  by: ColumnsOrExpr;
  /** One flag for all keys or one per key. @default false */
  descending?: ValueOrArray<boolean>;
  /** Nulls after the other values (one flag for all keys). @default false */
  nullsLast?: ValueOrArray<boolean>;
  /** Keep the input order of equal keys. @default false */
  maintainOrder?: boolean;
  /** Accepted for nodejs-polars compatibility; the server decides. */
  multithreaded?: boolean;
}

/** How a join matches rows. "outer" is the former Polars name of "full". */
export type JoinHow = "inner" | "left" | "full" | "semi" | "anti" | "cross" | "outer";

/** Options of `join()`, as nodejs-polars' LazyJoinOptions. */
export interface JoinOptions {
  /** Key column(s) of both sides. */
  on?: ColumnsOrExpr;
  /** Key column(s) of the left side (with `rightOn`). */
  leftOn?: ColumnsOrExpr;
  /** Key column(s) of the right side (with `leftOn`). */
  rightOn?: ColumnsOrExpr;
  /** @default "inner" */
  how?: JoinHow;
  /** Appended to clashing right-hand column names. @default "right" (nodejs-polars') */
  suffix?: string;
  /**
   * Merge the key columns into one. @default Polars' for the join type: inner and left joins
   * merge them, full joins keep both
   */
  coalesce?: boolean;
  /** Accepted for nodejs-polars compatibility; the server decides. */
  allowParallel?: boolean;
  /** Accepted for nodejs-polars compatibility; the server decides. */
  forceParallel?: boolean;
  /** Refused (TypeError naming it): the server does not check join cardinality yet. */
  validate?: unknown;
  /** Refused (TypeError naming it): null keys never match each other on the server yet. */
  nullsEqual?: unknown;
  /**
   * Which side's row order the result keeps: "none", "left", "right", "left_right" or
   * "right_left". @default "none" (Polars'): the rows come in the engine's order, which the
   * streaming engine (the server's default) does not keep from run to run
   */
  maintainOrder?: JoinMaintainOrderName;
  /** Refused (TypeError naming it): the server picks the build side. */
  buildSide?: unknown;
}

/** Which row `unique()` keeps among duplicates. */
export type UniqueKeepStrategy = "first" | "last" | "any" | "none";

/** Options of `unique()` in its options-object form. */
export interface UniqueOptions {
  /** Columns that define a duplicate. @default all columns */
  subset?: ValueOrArray<string>;
  /** @default "any" */
  keep?: UniqueKeepStrategy;
  /** @default false */
  maintainOrder?: boolean;
}

const JOIN_TYPES: Readonly<Record<JoinHow, JoinType>> = {
  inner: JoinType.JOIN_TYPE_INNER,
  left: JoinType.JOIN_TYPE_LEFT,
  full: JoinType.JOIN_TYPE_FULL,
  outer: JoinType.JOIN_TYPE_FULL,
  semi: JoinType.JOIN_TYPE_SEMI,
  anti: JoinType.JOIN_TYPE_ANTI,
  cross: JoinType.JOIN_TYPE_CROSS,
};

/** The row orders a join can keep (nodejs-polars' `maintainOrder`). */
export type JoinMaintainOrderName = "none" | "left" | "right" | "left_right" | "right_left";

const JOIN_ORDERS: Readonly<Record<JoinMaintainOrderName, JoinMaintainOrder>> = {
  none: JoinMaintainOrder.JOIN_MAINTAIN_ORDER_UNSPECIFIED,
  left: JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT,
  right: JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT,
  left_right: JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT_RIGHT,
  right_left: JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT_LEFT,
};

const KEEP: Readonly<Record<UniqueKeepStrategy, UniqueKeep>> = {
  any: UniqueKeep.UNIQUE_KEEP_ANY,
  first: UniqueKeep.UNIQUE_KEEP_FIRST,
  last: UniqueKeep.UNIQUE_KEEP_LAST,
  none: UniqueKeep.UNIQUE_KEEP_NONE,
};

function fail(what: string, must: string, value: unknown): never {
  const shown = typeof value === "bigint" ? `${value}n` : JSON.stringify(value) ?? String(value);
  throw new TypeError(`Cannot ${what} as ${must}: current value is ${shown}`);
}

function count(what: string, name: string, n: unknown): bigint {
  if (!Number.isSafeInteger(n) || (n as number) < 0) {
    throw new RangeError(
      `Cannot ${what} as '${name}' must be a non-negative integer: current value is ${String(n)}`,
    );
  }
  return BigInt(n as number);
}

function flatten<T>(value: ValueOrArray<T> | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.flatMap((v) => flatten<T>(v)) : [value as T];
}

function flags(value: ValueOrArray<boolean> | undefined): boolean[] {
  const list = flatten<unknown>(value);
  for (const flag of list) {
    if (typeof flag !== "boolean") fail("sort", "flags must be booleans", flag);
  }
  return list as boolean[];
}

function names(value: ValueOrArray<string> | undefined, what: string): string[] {
  const list = flatten<unknown>(value);
  for (const name of list) {
    if (typeof name !== "string") fail(what, "column names must be strings", name);
  }
  return list as string[];
}

/** A scan of a file under the server's data root. */
export function scanFilePlan(file: FileScan): Plan {
  if (typeof file.path !== "string" || file.path === "") {
    fail("scan", "'path' must be a non-empty string", file.path);
  }
  return { node: { $case: "scan", value: { source: { $case: "file", value: file } } } };
}

/** A scan of a stored frame. */
export function scanHandlePlan(id: string): Plan {
  if (typeof id !== "string" || id === "") {
    fail("scan handle", "'id' must be a non-empty string", id);
  }
  return { node: { $case: "scan", value: { source: { $case: "handle", value: id } } } };
}

export function filterPlan(input: Plan, predicate: Expr | string): Plan {
  return { node: { $case: "filter", value: { input, predicate: singleProto(predicate) } } };
}

export function selectPlan(input: Plan, exprs: readonly ColumnsOrExpr[]): Plan {
  return { node: { $case: "select", value: { input, exprs: selectionProtos(exprs) } } };
}

export function withColumnsPlan(input: Plan, exprs: readonly ColumnsOrExpr[]): Plan {
  return { node: { $case: "withColumns", value: { input, exprs: selectionProtos(exprs) } } };
}

function isSortOptions(value: unknown): value is SortOptions {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Expr) && "by" in value;
}

/** `sort(by, descending?, nullsLast?, maintainOrder?)` or `sort({by, ...})`. */
export function sortPlan(
  input: Plan,
  by: ColumnsOrExpr | SortOptions,
  descending?: ValueOrArray<boolean>,
  nullsLast?: ValueOrArray<boolean>,
  maintainOrder?: boolean,
): Plan {
  const opts: SortOptions = isSortOptions(by) ? by : { by, descending, nullsLast, maintainOrder };
  const keys = selectionProtos(opts.by);
  if (keys.length === 0) fail("sort", "'by' must name at least one column", opts.by);
  const desc = flags(opts.descending);
  if (desc.length > 1 && desc.length !== keys.length) {
    throw new RangeError(
      `Cannot sort as 'descending' must hold one flag or one per key (${keys.length}): current value holds ${desc.length}`,
    );
  }
  const nulls = flags(opts.nullsLast);
  if (new Set(nulls).size > 1) fail("sort", "'nullsLast' must be one value for all keys", nulls);
  return {
    node: {
      $case: "sort",
      value: {
        input,
        by: keys,
        descending: desc.length === 0 ? [false] : desc,
        nullsLast: nulls[0] ?? false,
        maintainOrder: opts.maintainOrder ?? false,
      },
    },
  };
}

/** Rows [offset, offset + length); a negative offset counts from the end. */
export function slicePlan(input: Plan, offset: number, length?: number): Plan {
  if (!Number.isSafeInteger(offset)) {
    throw new RangeError(
      `Cannot slice as 'offset' must be an integer: current value is ${String(offset)}`,
    );
  }
  const value = { input, offset: BigInt(offset), length: undefined as bigint | undefined };
  if (length !== undefined && length !== null) value.length = count("slice", "length", length);
  return { node: { $case: "slice", value } };
}

/** The first `n` rows. */
export function headPlan(input: Plan, n: number): Plan {
  return {
    node: { $case: "slice", value: { input, offset: 0n, length: count("take head", "n", n) } },
  };
}

/** The last `n` rows. */
export function tailPlan(input: Plan, n: number): Plan {
  return { node: { $case: "tail", value: { input, n: count("take tail", "n", n) } } };
}

export function groupByPlan(
  input: Plan,
  keys: ColumnsOrExpr,
  aggs: readonly ColumnsOrExpr[],
  maintainOrder: boolean,
): Plan {
  const keyProtos = selectionProtos(keys);
  if (keyProtos.length === 0) fail("group", "'by' must name at least one column", keys);
  return {
    node: {
      $case: "groupBy",
      value: {
        input,
        keys: keyProtos,
        aggs: selectionProtos(aggs),
        maintainOrder,
        output: 0,
        n: 0n,
      },
    },
  };
}

/** A join; `on` or `leftOn` with `rightOn` name the keys (none for a cross join). */
export function joinPlan(left: Plan, right: Plan, options: JoinOptions): Plan {
  if (typeof options !== "object" || options === null) {
    fail("join", "'options' must be an object", options);
  }
  refuseOptions("LazyDataFrame.join", options);
  const how = options.how ?? "inner";
  if (!Object.hasOwn(JOIN_TYPES, how)) {
    fail("join", `'how' must be one of ${Object.keys(JOIN_TYPES).join(", ")}`, how);
  }
  const type = JOIN_TYPES[how];
  const order = options.maintainOrder ?? "none";
  if (typeof order !== "string" || !Object.hasOwn(JOIN_ORDERS, order)) {
    fail("join", `'maintainOrder' must be one of ${Object.keys(JOIN_ORDERS).join(", ")}`, order);
  }
  let leftOn: ColumnsOrExpr = [];
  let rightOn: ColumnsOrExpr = [];
  if (how !== "cross") {
    if (options.on !== undefined) {
      leftOn = rightOn = options.on;
    } else if (options.leftOn === undefined || options.rightOn === undefined) {
      fail("join", "'on' or both 'leftOn' and 'rightOn' must be given", Object.keys(options));
    } else {
      leftOn = options.leftOn;
      rightOn = options.rightOn;
    }
  }
  const leftKeys = selectionProtos(leftOn);
  const rightKeys = selectionProtos(rightOn);
  if (leftKeys.length !== rightKeys.length) {
    throw new RangeError(
      `Cannot join as 'leftOn' and 'rightOn' must have as many keys: current values have ${leftKeys.length} and ${rightKeys.length}`,
    );
  }
  if (how !== "cross" && leftKeys.length === 0) fail("join", "the keys must not be empty", []);
  return {
    node: {
      $case: "join",
      value: {
        left,
        right,
        how: type,
        leftOn: leftKeys,
        rightOn: rightKeys,
        maintainOrder: JOIN_ORDERS[order],
        ...(options.suffix === undefined ? {} : { suffix: options.suffix }),
        ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
      },
    },
  };
}

/**
 * `unique()`, `unique(maintainOrder, subset?, keep?)`, `unique(subset, keep?, maintainOrder?)`
 * (nodejs-polars 0.25) or `unique({subset, keep, maintainOrder})`.
 */
export function uniquePlan(
  input: Plan,
  first?: boolean | ValueOrArray<string> | UniqueOptions,
  second?: ValueOrArray<string> | UniqueKeepStrategy,
  third?: UniqueKeepStrategy | boolean,
): Plan {
  let opts: UniqueOptions;
  if (typeof first === "boolean") {
    opts = { maintainOrder: first, subset: second, keep: third as UniqueKeepStrategy | undefined };
  } else if (first !== undefined && typeof first === "object" && !Array.isArray(first)) {
    opts = first as UniqueOptions;
  } else {
    opts = { subset: first, keep: second as UniqueKeepStrategy, maintainOrder: third as boolean };
  }
  const keep = KEEP[opts.keep ?? "any"];
  if (keep === undefined) {
    fail("unique", `'keep' must be one of ${Object.keys(KEEP).join(", ")}`, opts.keep);
  }
  return {
    node: {
      $case: "unique",
      value: {
        input,
        subset: names(opts.subset, "unique"),
        keep,
        maintainOrder: opts.maintainOrder ?? false,
      },
    },
  };
}

export function dropPlan(input: Plan, columns: readonly ValueOrArray<string>[]): Plan {
  return { node: { $case: "drop", value: { input, columns: names([...columns], "drop") } } };
}

export function renamePlan(input: Plan, mapping: Record<string, string>): Plan {
  if (typeof mapping !== "object" || mapping === null) {
    fail("rename", "'mapping' must be an object", mapping);
  }
  for (const v of Object.values(mapping)) {
    if (typeof v !== "string") fail("rename", "new names must be strings", v);
  }
  return { node: { $case: "rename", value: { input, mapping: { ...mapping } } } };
}

/** Casts columns. @param strict fail on values that do not fit @default true */
export function castPlan(input: Plan, dtypes: Record<string, DataType>, strict = true): Plan {
  const protos: Record<string, ProtoDataType> = {};
  for (const [name, dtype] of Object.entries(dtypes ?? {})) {
    if (!(dtype instanceof DataType)) {
      fail("cast", `'${name}' must map to a DataType`, String(dtype));
    }
    protos[name] = dtype.toProto();
  }
  return { node: { $case: "cast", value: { input, dtypes: protos, strict } } };
}
