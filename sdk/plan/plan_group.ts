/**
 * Pure builders of group-by plan nodes: by keys (aggregations, or each group's head, tail
 * or length), by dynamic time windows and by rolling windows, with nodejs-polars' options
 * and defaults.
 *
 * @module
 */

import {
  ClosedWindow,
  GroupByOutput,
  type Plan,
  StartBy,
  WindowLabel,
} from "../../shared/gen/polaroid/v1/plan.ts";
import { Expr } from "../expr/expr.ts";
import { type ColumnsOrExpr, selectionProtos, singleProto } from "../functions.ts";

function fail(what: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot ${what} as ${must}: current value is ${JSON.stringify(value) ?? String(value)}`,
  );
}

function pick<K extends string, V>(
  what: string,
  name: string,
  value: unknown,
  allowed: Readonly<Record<K, V>>,
  fallback: K,
): V {
  const key = value ?? fallback;
  if (typeof key !== "string" || !Object.hasOwn(allowed, key)) {
    fail(what, `'${name}' must be one of ${Object.keys(allowed).join(", ")}`, value);
  }
  return allowed[key as K];
}

function duration(what: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    fail(what, `'${name}' must be a duration such as "1h" or "10i"`, value);
  }
  return value;
}

/** How a grouping is finished. */
export type GroupOutputName = "head" | "tail" | "len";

const OUTPUT: Readonly<Record<GroupOutputName, GroupByOutput>> = {
  head: GroupByOutput.GROUP_BY_OUTPUT_HEAD,
  tail: GroupByOutput.GROUP_BY_OUTPUT_TAIL,
  len: GroupByOutput.GROUP_BY_OUTPUT_LEN,
};

/** The first or last `n` rows of each group (head, tail), or each group's length (len). */
export function groupByOutputPlan(
  input: Plan,
  keys: ColumnsOrExpr,
  maintainOrder: boolean,
  output: GroupOutputName,
  n = 0,
): Plan {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot take ${output} of groups as 'n' must be a non-negative integer: current value is ${
        String(n)
      }`,
    );
  }
  const keyProtos = selectionProtos(keys);
  if (keyProtos.length === 0) fail("group", "'by' must name at least one column", keys);
  return {
    node: {
      $case: "groupBy",
      value: {
        input,
        keys: keyProtos,
        aggs: [],
        maintainOrder,
        output: OUTPUT[output],
        n: BigInt(n),
      },
    },
  };
}

/** Which window bounds are inside a window. */
export type ClosedWindowName = "left" | "right" | "both" | "none";

const CLOSED: Readonly<Record<ClosedWindowName, ClosedWindow>> = {
  left: ClosedWindow.CLOSED_WINDOW_LEFT,
  right: ClosedWindow.CLOSED_WINDOW_RIGHT,
  both: ClosedWindow.CLOSED_WINDOW_BOTH,
  none: ClosedWindow.CLOSED_WINDOW_NONE,
};

/** Where the first dynamic window starts. */
export type StartByName =
  | "window"
  | "datapoint"
  | "monday"
  | "tuesday"
  | "wednesday"
  | "thursday"
  | "friday"
  | "saturday"
  | "sunday";

const START_BY: Readonly<Record<StartByName, StartBy>> = {
  window: StartBy.START_BY_WINDOW,
  datapoint: StartBy.START_BY_DATAPOINT,
  monday: StartBy.START_BY_MONDAY,
  tuesday: StartBy.START_BY_TUESDAY,
  wednesday: StartBy.START_BY_WEDNESDAY,
  thursday: StartBy.START_BY_THURSDAY,
  friday: StartBy.START_BY_FRIDAY,
  saturday: StartBy.START_BY_SATURDAY,
  sunday: StartBy.START_BY_SUNDAY,
};

const LABEL: Readonly<Record<string, WindowLabel>> = {
  left: WindowLabel.WINDOW_LABEL_LEFT,
  right: WindowLabel.WINDOW_LABEL_RIGHT,
  datapoint: WindowLabel.WINDOW_LABEL_DATAPOINT,
};

/** Options of `groupByDynamic()`, as nodejs-polars' (durations like "1h", "1mo", "10i"). */
export interface GroupByDynamicOptions {
  /** The sorted time (or integer) column windows are laid over. */
  indexColumn: string;
  /** Distance between window starts. */
  every: string;
  /** Length of a window. @default every */
  period?: string;
  /** Shift of the window starts. @default "0ns" */
  offset?: string;
  /** Which bound labels a window: "left", "right" or "datapoint". @default "left" */
  label?: string;
  /** Add "_lower_boundary" and "_upper_boundary" columns. @default false */
  includeBoundaries?: boolean;
  /** @default "left" */
  closed?: ClosedWindowName;
  /** Also group by these columns. */
  by?: ColumnsOrExpr;
  /** Where the first window starts. @default "monday" (as nodejs-polars) */
  startBy?: StartByName;
}

/** Dynamic windows, then `aggs` per window. */
export function groupByDynamicPlan(
  input: Plan,
  options: GroupByDynamicOptions,
  aggs: readonly ColumnsOrExpr[],
): Plan {
  const what = "group by dynamic windows";
  if (typeof options !== "object" || options === null) {
    fail(what, "'options' must be an object", options);
  }
  if (typeof options.indexColumn !== "string" || options.indexColumn === "") {
    fail(what, "'indexColumn' must be a column name", options.indexColumn);
  }
  return {
    node: {
      $case: "groupByDynamic",
      value: {
        input,
        indexColumn: options.indexColumn,
        every: duration(what, "every", options.every),
        period: options.period === undefined ? undefined : duration(what, "period", options.period),
        offset: options.offset === undefined ? undefined : duration(what, "offset", options.offset),
        label: pick(what, "label", options.label, LABEL, "left"),
        includeBoundaries: options.includeBoundaries ?? false,
        closed: pick(what, "closed", options.closed, CLOSED, "left"),
        by: options.by === undefined ? [] : selectionProtos(options.by),
        startBy: pick(what, "startBy", options.startBy, START_BY, "monday"),
        aggs: selectionProtos(aggs),
      },
    },
  };
}

/** Options of `groupByRolling()`, as nodejs-polars'. */
export interface GroupByRollingOptions {
  /** The sorted time (or integer) column; each row's window ends at its value. */
  indexColumn: string | Expr;
  /** Also group by these columns. */
  by?: ColumnsOrExpr;
  /** Length of a window. */
  period: string;
  /** Shift of the window. @default "-" + period */
  offset?: string;
  /** @default "right" */
  closed?: ClosedWindowName;
}

/** One window per row, then `aggs` per window. */
export function groupByRollingPlan(
  input: Plan,
  options: GroupByRollingOptions,
  aggs: readonly ColumnsOrExpr[],
): Plan {
  const what = "group by rolling windows";
  if (typeof options !== "object" || options === null) {
    fail(what, "'options' must be an object", options);
  }
  const index = options.indexColumn;
  if (!(index instanceof Expr) && (typeof index !== "string" || index === "")) {
    fail(what, "'indexColumn' must be a column name", index);
  }
  return {
    node: {
      $case: "groupByRolling",
      value: {
        input,
        indexColumn: singleProto(index),
        period: duration(what, "period", options.period),
        offset: options.offset === undefined ? undefined : duration(what, "offset", options.offset),
        closed: pick(what, "closed", options.closed, CLOSED, "right"),
        by: options.by === undefined ? [] : selectionProtos(options.by),
        aggs: selectionProtos(aggs),
      },
    },
  };
}
